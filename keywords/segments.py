"""The sentences of a long message, for the segment stage of triage.

A long weekly check-in or member report is a list of things that happened: a lesson, a fire drill,
and somewhere among them one classmate at risk. Graded as one text, the risk sentence is diluted
among ordinary news (the learned model reads all the n-grams at once). The segment stage grades each
sentence on its own as well, with the frames written in that sentence, and keeps the highest level.
A sentence ends at 。！？!? ; ； or a line break (closing quotes stay with their sentence).
"""

from __future__ import annotations

import re

# The stage runs only on messages at least this long (characters) with at least two sentences:
# chosen by 5-fold cross-validation on the tuning sets (README, Triage).
SEGMENT_MIN_CHARS = 60

_SENTENCE = re.compile(r"[^。！？!?；;\n]+(?:[。！？!?；;\n]+[”’」』\"')）]*)?|[。！？!?；;\n]+")


def sentences(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every sentence of text that holds more than punctuation and spaces."""
    out = []
    for m in _SENTENCE.finditer(text):
        if any(ch.isalnum() for ch in m.group()):
            out.append((m.start(), m.end()))
    return out


def long_message(text: str) -> list[tuple[int, int]]:
    """The sentences of a message the segment stage reads; empty for a short or one-sentence one."""
    if len(text) < SEGMENT_MIN_CHARS:
        return []
    spans = sentences(text)
    return spans if len(spans) >= 2 else []
