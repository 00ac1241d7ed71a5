"""A section of figures (a titled table) and the small-count rule."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.texts import school as texts

SMALL = 3  # a count under this, broken down below the school level, is shown as "<3"
SMALL_TEXT = "<3"
HIDDEN_TEXT = "*"  # a count of 3 or more hidden so that no "<3" beside it is a printed total minus the others
Cell = int | float | str


def protected(rows: list[list[int]], *, row_total: bool = False, column_totals: bool = True) -> list[list[Cell]]:
    """A breakdown's counts as shown: under 3 "<3" (primary), and complementary suppression.

    A line whose sum is printed, a row when its last cell is its total (row_total), a column when the
    school's totals are printed under it (column_totals), must not have exactly one hidden cell: it
    would be the sum minus the shown ones. While one has, its smallest shown cell is hidden too, as
    HIDDEN_TEXT (a count of 3 or more: "<3" stays true). A line of one cell (a breakdown with one row)
    equals the school's own total and cannot be protected without hiding that.
    """
    lines: list[list[tuple[int, int]]] = []
    if row_total:
        lines += [[(i, j) for j in range(len(row))] for i, row in enumerate(rows)]
    if column_totals and rows:
        lines += [[(i, j) for i in range(len(rows))] for j in range(len(rows[0]))]
    hidden = {(i, j) for i, row in enumerate(rows) for j, n in enumerate(row) if n < SMALL}
    primary = set(hidden)
    changed = True
    while changed:
        changed = False
        for line in lines:
            shown = [cell for cell in line if cell not in hidden]
            if len(line) - len(shown) == 1 and shown:
                hidden.add(min(shown, key=lambda c: (rows[c[0]][c[1]], c)))
                changed = True
    return [[SMALL_TEXT if (i, j) in primary else HIDDEN_TEXT if (i, j) in hidden else n
             for j, n in enumerate(row)] for i, row in enumerate(rows)]


def shown_rate(part: Cell, whole: Cell) -> str:
    """The rate of two shown counts; "—" when either is hidden."""
    if not isinstance(part, int) or not isinstance(whole, int):
        return "—"
    return rate(part, whole, masked=True)


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
