"""A text with its triage evidence marked: each span the triage returned becomes a <mark>, the rest escaped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

from bot.console import texts

RANKS = {"none": 0, "yellow": 1, "orange": 2, "red": 3}


def spans_of(evidence: Iterable[Mapping[str, Any]], length: int) -> list[tuple[int, int, str, str]]:
    """(start, end, level, concept) of each usable piece of evidence, inside the text, sorted."""
    spans = []
    for item in evidence or ():
        span = item.get("span")
        if not (isinstance(span, list | tuple) and len(span) == 2 and all(isinstance(x, int) for x in span)):
            continue
        start, end = max(0, span[0]), min(length, span[1])
        if start < end and not item.get("negated"):
            spans.append((start, end, str(item.get("level", "none")), str(item.get("concept", ""))))
    return sorted(spans)


def marked(text: str, evidence: Iterable[Mapping[str, Any]]) -> Markup:
    """The text escaped, with overlapping spans merged into one mark at the highest level among them."""
    merged: list[list[Any]] = []
    for start, end, level, concept in spans_of(evidence, len(text)):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            last[1] = max(last[1], end)
            if RANKS.get(level, 0) > RANKS.get(last[2], 0):
                last[2] = level
            if concept and concept not in last[3]:
                last[3].append(concept)
        else:
            merged.append([start, end, level, [concept] if concept else []])
    out, at = [], 0
    for start, end, level, concepts in merged:
        out.append(escape(text[at:start]))
        title = texts.LEVEL_NAMES.get(level, "") + ("：" + "、".join(concepts) if concepts else "")
        level_class = level if level in RANKS else "none"
        out.append(Markup('<mark class="ev ev-{}" title="{}">{}</mark>').format(level_class, title, text[start:end]))
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)
