"""Chinese crisis triage: `triage(text) -> Verdict` (red / orange / yellow / none).

Depends on nothing else in the project.
"""

from __future__ import annotations

from functools import lru_cache

from keywords.lexicon import LexiconError, load_lexicon
from keywords.triager import Triager
from keywords.verdict import CATEGORIES, LEVELS, RANK, Evidence, Verdict

__all__ = [
    "CATEGORIES", "LEVELS", "RANK", "Evidence", "LexiconError", "Triager", "Verdict",
    "default_triager", "load_lexicon", "triage",
]


@lru_cache(maxsize=1)
def default_triager() -> Triager:
    """The shipped lexicon, loaded once per process."""
    return Triager.load()


def triage(text: str) -> Verdict:
    """Grade one message with the shipped lexicon."""
    return default_triager().triage(text)
