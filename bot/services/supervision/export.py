"""The figures as JSON, CSV (UTF-8 with BOM, one block per section) or XLSX (a sheet per section,
Chinese titles, the school and the period on every sheet), laid out to be handed to a supervisor."""

from __future__ import annotations

import csv
import io
import json

from bot.services.supervision.figures import RULE, Figures
from bot.texts import school as texts

SHEET_NAMES = texts.SHEET_NAMES


def heading(figures: Figures) -> list[str]:
    """The lines at the top of every sheet: title, school, period, when made."""
    made = figures.generated_at.astimezone(figures.zone).strftime("%Y-%m-%d %H:%M")
    return [texts.FIGURES_TITLE.format(school=figures.school),
            texts.FIGURES_WHERE.format(school=figures.school, label=figures.period.label, period=figures.period.text,
                                       made=made)]


def to_json(figures: Figures) -> bytes:
    """JSON (UTF-8)."""
    return json.dumps(figures.as_dict(), ensure_ascii=False, indent=1).encode("utf-8")


def to_csv(figures: Figures) -> bytes:
    """Every section as a block: its title, its columns, its rows, a blank line."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for line in heading(figures):
        w.writerow([line])
    w.writerow([RULE])
    for section in figures.sections:
        w.writerow([])
        w.writerow([section.title])
        w.writerow(section.columns)
        w.writerows(section.rows)
        if section.note:
            w.writerow([texts.FIGURES_NOTE.format(note=section.note)])
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(figures: Figures) -> bytes:
    """A cover sheet and a sheet per section."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.title = texts.FIGURES_COVER
    title, where = heading(figures)
    cover.append([title])
    cover.append([where])
    cover.append([RULE])
    cover.append([])
    cover.append(list(texts.FIGURES_COVER_COLUMNS))
    for section in figures.sections:
        cover.append([SHEET_NAMES.get(section.key, section.key[:31]), section.title])
    cover["A1"].font = Font(bold=True, size=14)
    cover.column_dimensions["A"].width = 18
    cover.column_dimensions["B"].width = 60
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for section in figures.sections:
        sheet = book.create_sheet(SHEET_NAMES.get(section.key, section.key[:31]))
        sheet.append([section.title])
        sheet.append([where])
        sheet.append([texts.FIGURES_NOTE.format(note=section.note) if section.note else ""])
        sheet.append(section.columns)
        for row in section.rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # a class named "=…" is text, never a formula
        sheet["A1"].font = Font(bold=True, size=13)
        for cell in sheet[4]:
            cell.font, cell.fill = Font(bold=True), header_fill
            cell.alignment = Alignment(horizontal="center")
        for i, _ in enumerate(section.columns):
            sheet.column_dimensions[chr(ord("A") + i)].width = 16 if i else 22
        sheet.freeze_panes = "A5"
        sheet.page_setup.orientation = "landscape"
        sheet.print_title_rows = "4:4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WRITERS = {"json": to_json, "csv": to_csv, "xlsx": to_xlsx}
