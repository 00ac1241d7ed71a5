"""What is wrong with a texts.toml, and where: a problem names the file, the line and the key."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an override file or a text."""

    key: str
    reason: str
    file: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return ": ".join(part for part in (where, self.key, self.reason) if part)


class TextsError(ValueError):
    """The override file is not usable: every problem, each with file, line and key."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


_HEADER = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$")
_ASSIGN = re.compile(r"^\s*([^=#\[]+?)\s*=")


def _dotted(raw: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in raw.split("."))


def line_of(source: str, key: str) -> int | None:
    """The line where a key is set (a best effort for plain tables and dotted keys), else None."""
    table = ""
    for n, line in enumerate(source.splitlines(), 1):
        if m := _HEADER.match(line):
            table = _dotted(m.group(1))
            continue
        if m := _ASSIGN.match(line):
            name = _dotted(m.group(1))
            full = f"{table}.{name}" if table else name
            if full == key or key.startswith(full + "."):
                return n
    return None
