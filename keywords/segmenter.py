"""jieba, loaded once with a user dictionary built from the lexicon, for word-boundary checks."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import jieba

jieba.setLogLevel(logging.WARNING)


_USER_WORD_FREQ = 2000


class Segmenter:
    """A private jieba tokenizer whose cache lives in the data dir; loaded on first use."""

    def __init__(self, words: list[str], cache_dir: Path | None = None) -> None:
        self._words = words
        self._cache_dir = cache_dir
        self._tokenizer: jieba.Tokenizer | None = None
        self._lock = threading.Lock()

    def _load(self) -> jieba.Tokenizer:
        with self._lock:
            if self._tokenizer is None:
                tok = jieba.Tokenizer()
                if self._cache_dir is not None:
                    self._cache_dir.mkdir(parents=True, exist_ok=True)
                    tok.tmp_dir = str(self._cache_dir)
                tok.initialize()
                for word in self._words:
                    # A fixed, high frequency keeps each lexicon term together as one word.
                    tok.add_word(word, freq=_USER_WORD_FREQ)
                self._tokenizer = tok
        return self._tokenizer

    def warm(self) -> None:
        """Load the dictionary now rather than at the first message that needs it."""
        self._load()

    def tokens(self, text: str) -> list[tuple[int, int]]:
        """Return the (start, end) of every jieba token in text."""
        return [(s, e) for _, s, e in self._load().tokenize(text, HMM=True)]


def default_cache_dir() -> Path | None:
    """jieba's cache next to the app's data (XINQIAO_DATA_DIR/cache), if a data dir is set."""
    data = os.environ.get("XINQIAO_DATA_DIR", "var")
    return Path(data) / "cache"
