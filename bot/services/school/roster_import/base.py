"""What every kind of roster file shares: its columns, the plan of one row, the plan of a file."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.school.roster_import.reading import Sheet
from bot.texts import school as texts


@dataclass(frozen=True)
class Column:
    """A column of a kind's file: its key, its Chinese header (and other headers taken for it)."""

    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    example: str = ""
    limit: int = 100


@dataclass(frozen=True)
class RowPlan:
    """What importing one row does: add, change (with what changes) or nothing."""

    row: int
    action: str  # add | change | same
    key: str  # the name the row is known by
    detail: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """A bad row: its number in the spreadsheet and why."""

    row: int
    reason: str


Apply = Callable[[AsyncSession], Awaitable[None]]


@dataclass
class KindPlan:
    """A kind's plan of a whole file, and how to carry it out in the caller's transaction."""

    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    apply: Apply | None = None


Row = tuple[int, dict[str, str]]

_DECOR = re.compile(r"[\s*＊:：]|[(（]必填[)）]|[(（]选填[)）]")


def header_key(text: str) -> str:
    """A header as compared: no spaces, stars, colons or (必填)."""
    return _DECOR.sub("", text).replace("（", "(").replace("）", ")").lower()


def map_columns(sheet: Sheet, columns: tuple[Column, ...]) -> tuple[dict[int, Column], list[Column]]:
    """Which sheet column holds which of ours, and the required ones missing."""
    wanted = {header_key(name): col for col in columns for name in (col.header, *col.aliases, col.key)}
    found: dict[int, Column] = {}
    for i, text in enumerate(sheet.header):
        col = wanted.get(header_key(text))
        if col is not None and col not in found.values():
            found[i] = col
    missing = [c for c in columns if c.required and c not in found.values()]
    return found, missing


def rows_of(sheet: Sheet, found: dict[int, Column]) -> tuple[list[Row], list[Problem]]:
    """Each data row as {key: text}; rows with a formula, a missing required cell or a cell too long are bad."""
    good: list[Row] = []
    bad: list[Problem] = []
    for number, cells in sheet.rows:
        values: dict[str, str] = {}
        reasons: list[str] = []
        for i, col in found.items():
            cell = cells[i] if i < len(cells) else None
            text = cell.text if cell else ""
            if cell is not None and cell.formula:
                reasons.append(texts.ROW_FORMULA.format(column=col.header, value=text[:40]))
            elif col.required and not text:
                reasons.append(texts.ROW_MISSING.format(column=col.header))
            elif len(text) > col.limit:
                reasons.append(texts.ROW_TOO_LONG.format(column=col.header, limit=col.limit))
            values[col.key] = text
        if reasons:
            bad.append(Problem(number, "；".join(reasons)))
        else:
            good.append((number, values))
    return good, bad


def change(label: str, old: object, new: object) -> str:
    """One changed field as the preview shows it."""
    return f"{label}：{old if old not in (None, '') else '（空）'} → {new if new not in (None, '') else '（空）'}"


def split_words(text: str) -> list[str]:
    """Roles and the like written with commas, 、, ; or spaces."""
    return [w for w in re.split(r"[,，、;；/\s]+", text) if w]
