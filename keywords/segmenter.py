"""jieba for word-boundary checks, on a dictionary cut down to the words that can touch a term.

A boundary check asks one question: is this hit of 死, 杀 or 药 a word of its own here, or part of
a longer word (死机, 杀毒, 药店)? Only dictionary words containing a character of a boundary-checked
term can answer it, so the dictionary jieba loads is those words (about 16,000 of jieba's 349,000)
plus every lexicon term, generated once into the cache dir. It loads in a few hundredths of a
second where jieba's full cached dictionary takes 1.3 s. Word frequencies are jieba's own and the
total is the full dictionary's, so the words kept compete exactly as they would in full jieba.
HMM guessing of unknown words is off: with most words absent it would glue a hit to unrelated
neighbours, and a boundary check should rest on known words.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from bisect import bisect_right
from pathlib import Path

import jieba

jieba.setLogLevel(logging.WARNING)

_USER_WORD_FREQ = 2000
_BLOCK_CACHE = 8192  # clauses whose tokens are kept (a few hundred KB)
_JIEBA_DICT = Path(jieba.__file__).parent / "dict.txt"


def build_dictionary(words: list[str], boundary_chars: set[str], cache_dir: Path) -> tuple[Path, int]:
    """Write (once) the cut-down dictionary; return its path and the total frequency jieba should use."""
    key = hashlib.sha256("\n".join([jieba.__version__, "".join(sorted(boundary_chars)), *sorted(words)])
                         .encode("utf-8")).hexdigest()[:16]
    path = cache_dir / f"jieba-boundary-{key}.txt"
    total_path = path.with_suffix(".total")
    if path.exists() and total_path.exists():
        return path, int(total_path.read_text())
    lexicon_words = set(words)
    total = 0
    kept: list[str] = []
    with _JIEBA_DICT.open(encoding="utf-8") as source:
        for line in source:
            parts = line.split()
            if len(parts) < 2:
                continue
            word, freq = parts[0], int(parts[1])
            total += freq
            if word not in lexicon_words and not boundary_chars.isdisjoint(word):
                kept.append(f"{word} {freq}\n")
    kept.extend(f"{word} {_USER_WORD_FREQ}\n" for word in sorted(lexicon_words))
    total += _USER_WORD_FREQ * len(lexicon_words)
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=cache_dir, delete=False) as tmp:
        tmp.writelines(kept)
    os.replace(tmp.name, path)  # never a half-written dictionary, even with two processes starting
    total_path.write_text(str(total))
    return path, total


class Segmenter:
    """A private jieba tokenizer on the cut-down dictionary; loaded on first use."""

    def __init__(self, words: list[str], boundary_chars: set[str], cache_dir: Path | None = None) -> None:
        self._words = words
        self._boundary_chars = boundary_chars
        self._cache_dir = cache_dir or Path(tempfile.gettempdir()) / "xinqiao-jieba"
        self._tokenizer: jieba.Tokenizer | None = None
        self._lock = threading.Lock()
        self._blocks: dict[str, tuple[tuple[int, int], ...]] = {}

    def _load(self) -> jieba.Tokenizer:
        with self._lock:
            if self._tokenizer is None:
                path, total = build_dictionary(self._words, self._boundary_chars, self._cache_dir)
                tok = jieba.Tokenizer(dictionary=str(path))
                tok.tmp_dir = str(self._cache_dir)
                tok.initialize()
                tok.total = total
                self._tokenizer = tok
        return self._tokenizer

    @property
    def loaded(self) -> bool:
        """Whether the dictionary is in memory."""
        return self._tokenizer is not None

    def warm(self) -> None:
        """Load the dictionary now rather than at the first message that needs it."""
        self._load()

    def tokens(self, text: str) -> list[tuple[int, int]]:
        """Return the (start, end) of every token in text."""
        return [(s, e) for _, s, e in self._load().tokenize(text, HMM=False)]

    def tokens_around(self, text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The tokens of the jieba blocks that hold the spans: what tokens(text) gives there, cheaper.

        jieba cuts a text into blocks of word characters (jieba.re_han_default) and segments each
        block on its own, so a block cut alone gives the same tokens. A span that is not inside
        one block falls back to the whole text.
        """
        blocks = [(m.start(), m.end()) for m in jieba.re_han_default.finditer(text)]
        starts = [a for a, _ in blocks]
        wanted: set[int] = set()
        for s, e in spans:
            k = bisect_right(starts, s) - 1
            if k < 0 or not (blocks[k][0] <= s and e <= blocks[k][1]):
                return self.tokens(text)
            wanted.add(k)
        out: list[tuple[int, int]] = []
        for k in sorted(wanted):
            a, b = blocks[k]
            out.extend((a + s, a + e) for s, e in self._block_tokens(text[a:b]))
        return out

    def _block_tokens(self, block: str) -> tuple[tuple[int, int], ...]:
        """The tokens of one jieba block; a bounded cache, since clauses repeat far more than messages."""
        cached = self._blocks.get(block)
        if cached is None:
            cached = tuple((s, e) for _, s, e in self._load().tokenize(block, HMM=False))
            if len(self._blocks) >= _BLOCK_CACHE:
                self._blocks.pop(next(iter(self._blocks)))  # the oldest entry: a FIFO bound, no lock needed
            self._blocks[block] = cached
        return cached


def default_cache_dir() -> Path | None:
    """jieba's cache next to the app's data (XINQIAO_DATA_DIR/cache), if a data dir is set."""
    data = os.environ.get("XINQIAO_DATA_DIR", "var")
    return Path(data) / "cache"
