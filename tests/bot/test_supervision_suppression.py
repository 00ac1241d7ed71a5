"""Complementary suppression of the figures: no hidden count can be worked out from the printed totals.

Each check solves the printed table exhaustively: every way of filling the hidden cells ("<3" is 0-2, "*" is
3 or more) that gives the printed row and column totals. A hidden cell is safe when it can take two values."""

from __future__ import annotations

import itertools

from bot.services.supervision.table import HIDDEN_TEXT, SMALL_TEXT, protected


def _solutions(shown: list[list[object]], rows: list[list[int]], *, row_total: bool) -> dict[tuple[int, int], set[int]]:
    """Every value each hidden cell takes over all fillings consistent with what is printed."""
    column_totals = [sum(col) for col in zip(*rows, strict=True)]  # the school's row, printed exactly
    hidden = [(i, j) for i, row in enumerate(shown) for j, cell in enumerate(row) if isinstance(cell, str)]
    ranges = []
    for i, j in hidden:
        bound = column_totals[j] if not row_total else min(column_totals[j], rows[i][-1]
                                                           if isinstance(shown[i][-1], int) else column_totals[j])
        ranges.append(range(0, 3) if shown[i][j] == SMALL_TEXT else range(3, bound + 1))
    seen: dict[tuple[int, int], set[int]] = {cell: set() for cell in hidden}
    for values in itertools.product(*ranges):
        table = [[cell if isinstance(cell, int) else 0 for cell in row] for row in shown]
        for (i, j), v in zip(hidden, values, strict=True):
            table[i][j] = v
        if [sum(col) for col in zip(*table, strict=True)] != column_totals:
            continue
        if row_total and any(sum(row[:-1]) != row[-1] for row in table):
            continue
        for (i, j), v in zip(hidden, values, strict=True):
            seen[(i, j)].add(v)
    return seen


def test_a_lone_small_cell_in_a_row_or_column_takes_a_partner() -> None:
    rows = [[1, 5, 7, 13], [4, 6, 2, 12], [8, 9, 10, 27]]  # grades × levels, and each row's total
    shown = protected(rows, row_total=True)
    assert shown[0][0] == SMALL_TEXT and shown[1][2] == SMALL_TEXT  # the small counts
    assert shown[2] == [8, 9, 10, 27]  # a row with nothing small is exact
    assert sum(cell == HIDDEN_TEXT for row in shown for cell in row) == 4  # 5, 4, 6, 7 hidden beside them
    for i, row in enumerate(shown):
        for j, cell in enumerate(row):
            if cell == HIDDEN_TEXT:
                assert rows[i][j] >= 3  # "*" is never a small count: "<3" is always true where it is shown
    seen = _solutions(shown, rows, row_total=True)
    assert all(rows[i][j] in values for (i, j), values in seen.items())  # the truth is one filling
    assert all(len(values) >= 2 for values in seen.values()), seen  # and none is the only one


def test_columns_with_school_totals_only() -> None:
    rows = [[12, 9], [4, 2], [6, 6], [3, 3]]  # classes × (asked, answered), the school's totals printed under
    shown = protected(rows)
    assert shown == [[12, 9], [4, SMALL_TEXT], [6, 6], [3, HIDDEN_TEXT]]  # the smallest other answered count
    seen = _solutions(shown, rows, row_total=False)
    assert seen and all(len(values) >= 2 for values in seen.values()), seen


def test_without_small_counts_nothing_is_hidden_and_a_lone_row_is_the_school() -> None:
    assert protected([[3, 4], [5, 6]]) == [[3, 4], [5, 6]]
    assert protected([[1, 7, 8]], row_total=True) == [[SMALL_TEXT, HIDDEN_TEXT, 8]]  # its column equals the school's
    assert protected([]) == []
