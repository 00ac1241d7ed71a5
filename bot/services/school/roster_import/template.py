"""Templates of each kind's file, columns in Chinese, with example rows: CSV (UTF-8 with BOM, so Excel
reads it) or XLSX."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bot.services.school.roster_import.run import kind_module


def template_rows(kind: str) -> list[list[str]]:
    """The header (required columns marked *) and the example rows."""
    module = kind_module(kind)
    header = [c.header + ("*" if c.required else "") for c in module.COLUMNS]
    return [header, *[list(r) for r in module.EXAMPLES]]


def template_bytes(kind: str, fmt: str) -> bytes:
    """The template as a CSV or XLSX file's bytes."""
    rows = template_rows(kind)
    if fmt == "csv":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(rows)
        return buf.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = kind_module(kind).TITLE
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, _ in enumerate(rows[0]):
        sheet.column_dimensions[chr(ord("A") + i)].width = 22
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_template(kind: str, path: Path) -> None:
    """Write the template; the format follows the file's extension (.csv or .xlsx)."""
    path.write_bytes(template_bytes(kind, "xlsx" if path.suffix.lower() == ".xlsx" else "csv"))
