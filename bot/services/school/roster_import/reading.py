"""Read a roster file into numbered rows: CSV (UTF-8 with or without BOM, GBK/GB18030, UTF-16 from
Excel's "Unicode text") or XLSX (openpyxl, formulas kept as formulas so they can be refused)."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from bot.texts import school as texts

MAX_ROWS = 100_000
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


class ImportFileError(Exception):
    """A file that cannot be imported at all; the message names the file and says why."""


@dataclass(frozen=True)
class Cell:
    """One cell's text (stripped) and whether it held a formula."""

    text: str
    formula: bool = False


@dataclass(frozen=True)
class Sheet:
    """The header (at its row number) and the data rows, numbered as the spreadsheet numbers them."""

    header_row: int
    header: list[str]
    rows: list[tuple[int, list[Cell]]]
    encoding: str


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        raise ImportFileError(texts.BINARY_CSV.format(name=name))
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), "gbk" if encoding == "gb18030" else encoding
        except UnicodeDecodeError:
            continue
    raise ImportFileError(texts.BAD_ENCODING.format(name=name))


def _csv_rows(text: str) -> list[list[Cell]]:
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    return [[Cell(c.strip(), c.strip().startswith("=")) for c in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(data: bytes, name: str) -> list[list[Cell]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(texts.NOT_XLSX.format(name=name)) from exc
    try:
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            cells = [Cell(_text(v), isinstance(v, str) and v.startswith("=")) for v in values]
            rows.append(cells)
            if len(rows) > MAX_ROWS + 50:
                break
        return rows
    finally:
        book.close()


def read_sheet(data: bytes, name: str) -> Sheet:
    """The rows of a CSV or XLSX file (by its extension and its first bytes); ImportFileError otherwise."""
    suffix = Path(name).suffix.lower()
    if not data.strip():
        raise ImportFileError(texts.EMPTY_FILE.format(name=name))
    if data.startswith(XLS_MAGIC) or suffix == ".xls":
        raise ImportFileError(texts.OLD_XLS.format(name=name))
    if suffix in (".xlsx", ".xlsm"):
        if not data.startswith(XLSX_MAGIC):
            raise ImportFileError(texts.NOT_XLSX.format(name=name))
        raw, encoding = _xlsx_rows(data, name), "xlsx"
    elif suffix in (".csv", ".txt"):
        if data.startswith(XLSX_MAGIC):
            raise ImportFileError(texts.BINARY_CSV.format(name=name))
        text, encoding = decode(data, name)
        raw = _csv_rows(text)
    else:
        raise ImportFileError(texts.NOT_A_TABLE.format(name=name))
    numbered = [(n, row) for n, row in enumerate(raw, start=1) if any(c.text for c in row)]
    if not numbered:
        raise ImportFileError(texts.EMPTY_FILE.format(name=name))
    (header_row, header), body = numbered[0], numbered[1:]
    if not body:
        raise ImportFileError(texts.NO_ROWS.format(name=name))
    if len(body) > MAX_ROWS:
        raise ImportFileError(texts.TOO_MANY_ROWS.format(name=name, limit=MAX_ROWS, count=len(body)))
    return Sheet(header_row, [c.text for c in header], body, encoding)
