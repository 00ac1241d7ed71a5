"""A section of figures (a titled table) and the small-count rule."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.texts import school as texts

SMALL = 3  # a count under this, broken down below the school level, is shown as "<3"
SMALL_TEXT = "<3"
Cell = int | float | str


def small(n: int) -> int | str:
    """A count as a breakdown below the school level may show it: under 3 becomes "<3"."""
    return SMALL_TEXT if n < SMALL else n


def rate(part: int, whole: int, *, masked: bool) -> str:
    """part/whole as a percentage; "—" when there is no whole, or when a masked count would show through."""
    if whole == 0 or (masked and (part < SMALL or whole < SMALL)):
        return "—"
    return f"{100 * part / whole:.0f}%"


@dataclass
class Section:
    """One table of the report: a key, a Chinese title, columns, rows, and a note on how it was counted.

    below_school: the rows break the school down (by grade, class, role), so the small-count rule applies.
    """

    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""
    below_school: bool = False

    def as_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {"key": self.key, "title": self.title, "columns": self.columns, "rows": self.rows, "note": self.note,
                "below_school": self.below_school}


def titled(key: str, columns: list[str], *, below_school: bool = False) -> Section:
    """A section with its title and note from the catalogue (bot/texts/school.py)."""
    title, note = texts.SECTIONS[key]
    return Section(key, title, columns, note=note, below_school=below_school)
