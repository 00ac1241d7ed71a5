"""Splice replacements into a normalised text while keeping, for every character, the original span it came from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def splice(s: str, starts: Sequence[int], ends: Sequence[int],
           edits: Iterable[tuple[int, int, Iterable[tuple[str, int, int]]]]) -> tuple[str, list[int], list[int]]:
    """s with each edit (a, b, replacement) applied in order, none overlapping: s[a:b] becomes the replacement's
    characters, each (char, i, j) spanning the original text from the start of s[i] to the end of s[j - 1]."""
    chars: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    pos = 0
    for a, b, replacement in edits:
        chars.extend(s[pos:a])
        new_starts.extend(starts[pos:a])
        new_ends.extend(ends[pos:a])
        for ch, i, j in replacement:
            chars.append(ch)
            new_starts.append(starts[i])
            new_ends.append(ends[j - 1])
        pos = b
    chars.extend(s[pos:])
    new_starts.extend(starts[pos:])
    new_ends.extend(ends[pos:])
    return "".join(chars), new_starts, new_ends
