"""Score triage on labelled messages: accepted, red recall, urgent recall, false alarm, confusion.

A labelled set is JSON lines with `text` and `accept` (the levels that count as right), and
usually `level` (the gold level); `tests/keywords/cases.tsv` is `accept<TAB>text` lines.
Red lines accept only red; urgent lines accept nothing below orange; a false alarm is orange or
red on a line that accepts none.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from keywords.verdict import LEVELS

# cases.tsv names one gold level; these are the levels it accepts (as in the guide's files).
CASE_ACCEPT = {"red": ["red"], "orange": ["orange", "red"], "yellow": ["yellow", "orange"], "none": ["none"]}
URGENT = ("orange", "red")


class DataError(ValueError):
    """A labelled file is wrong; the message names the file and line."""


def load_rows(path: Path) -> list[dict]:
    """Read a labelled JSON-lines file or a cases.tsv file, checking every line."""
    rows: list[dict] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or (path.suffix == ".tsv" and line.startswith("#")):
            continue
        if path.suffix == ".tsv":
            gold, sep, text = line.partition("\t")
            if not sep or gold not in CASE_ACCEPT:
                raise DataError(f"{path}:{lineno}: a case is 'level<TAB>text' (level one of {', '.join(LEVELS)})")
            rows.append({"id": f"case{lineno}", "text": text, "level": gold, "accept": CASE_ACCEPT[gold]})
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise DataError(f"{path}:{lineno}: not JSON ({exc})") from exc
        accept = row.get("accept") if isinstance(row, dict) else None
        if not isinstance(row.get("text"), str) or not accept or not set(accept) <= set(LEVELS):
            raise DataError(f"{path}:{lineno}: each line needs a string 'text' and an 'accept' list of levels")
        rows.append(row)
    return rows


def gold_of(row: dict) -> str:
    """The gold level of a row (the lowest level it accepts when it names none)."""
    level = row.get("level")
    if isinstance(level, str) and level in LEVELS:
        return level
    return min(row["accept"], key=LEVELS.index)


@dataclass(frozen=True)
class Scores:
    """The figures of one set."""

    lines: int
    accepted: float
    red_lines: int
    red_recall: float | None
    urgent_lines: int
    urgent_recall: float | None
    none_lines: int
    false_alarm: float | None

    def line(self) -> str:
        """One printable line of figures."""
        def fig(value: float | None, n: int) -> str:
            return "   -   " if value is None else f"{value:6.3f} ({n})"
        return (f"accepted {self.accepted:.3f} ({self.lines})  red recall {fig(self.red_recall, self.red_lines)}  "
                f"urgent recall {fig(self.urgent_recall, self.urgent_lines)}  "
                f"false alarm {fig(self.false_alarm, self.none_lines)}")


def _share(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def score(rows: list[dict], predicted: list[str]) -> Scores:
    """Compute the figures of predicted levels against the rows' accept lists."""
    pairs = list(zip(rows, predicted, strict=True))
    red = [p == "red" for r, p in pairs if r["accept"] == ["red"]]
    urgent = [p in URGENT for r, p in pairs if set(r["accept"]) <= set(URGENT)]
    benign = [p in URGENT for r, p in pairs if "none" in r["accept"]]
    accepted = _share([p in r["accept"] for r, p in pairs]) or 0.0
    return Scores(len(pairs), accepted, len(red), _share(red), len(urgent), _share(urgent),
                  len(benign), _share(benign))


def confusion(rows: list[dict], predicted: list[str], key: Callable[[dict], str] = gold_of) -> str:
    """A gold-by-predicted table."""
    table = Counter((key(r), p) for r, p in zip(rows, predicted, strict=True))
    golds = sorted({g for g, _ in table}, key=lambda g: (LEVELS.index(g) if g in LEVELS else -1, g), reverse=True)
    width = max([len(g) for g in golds] + [12])
    head = "gold \\ predicted"
    lines = [f"  {head:<{width}} " + " ".join(f"{lv:>7}" for lv in LEVELS)]
    for gold in golds:
        lines.append(f"  {gold:<{width}} " + " ".join(f"{table[(gold, lv)]:>7}" for lv in LEVELS))
    return "\n".join(lines)


def by_group(rows: list[dict], predicted: list[str], field: str) -> Iterable[tuple[str, Scores]]:
    """Figures for each value of a field (style, category), largest group first."""
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        groups.setdefault(str(r.get(field, "-")), []).append(i)
    for name, idx in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        yield name, score([rows[i] for i in idx], [predicted[i] for i in idx])
