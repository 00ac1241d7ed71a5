"""Pinyin typed in Latin letters (jin wan jiu zou le, jintian wanshang) read back as characters.

The guide keeps the level of a message written in pinyin. A run of pinyin syllables in the normalised
text (words of letters split into syllables, at least MIN_SYLLABLES of them in the message) is read
with the lexicon: at each syllable the longest run whose reading is a lexicon term becomes that term
(安眠药 from an mian yao), any other syllable its most frequent character. Each character keeps the span
of the syllable it was read from, so evidence still points at what the student typed. Words that are not
pinyin (ok, lol, emo le in a Chinese sentence) are left alone. The syllable table (keywords/data/pinyin.tsv)
comes from Pinyin2Hanzi (MIT licence, keywords/data/pinyin_LICENSE.txt).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import islice, product
from pathlib import Path

from keywords.spans import splice

# Fewer syllables than this in a whole message are a name or a word of English, not a sentence.
MIN_SYLLABLES = 3
# Readings tried per term (a character read two ways doubles them).
_MAX_READINGS = 16
_WORD = re.compile(r"[a-z]+")
_HAS_WORD = re.compile(r"[a-z]{2}")


def _is_cjk(text: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)


class PinyinReader:
    """The syllable table and the lexicon's terms by their readings; read() rewrites pinyin runs."""

    def __init__(self, table: Path, terms: Iterable[str]) -> None:
        self._chars: dict[str, str] = {}
        readings: dict[str, list[str]] = {}
        for line in table.read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            syllable, chars = line.split("\t")
            if len(syllable) < 2:
                continue  # a lone letter (e, o, or an initial) is an abbreviation more often than a word
            self._chars[syllable] = chars[0]
            for ch in chars:
                readings.setdefault(ch, []).append(syllable)
        self._longest_syllable = max(map(len, self._chars))
        self._terms: dict[tuple[str, ...], str] = {}
        # Longer terms first, then in the order given (riskier concepts first): a reading keeps one term.
        ordered = list(dict.fromkeys(t for t in terms if t and _is_cjk(t)))
        for term in sorted(ordered, key=len, reverse=True):
            if not all(ch in readings for ch in term):
                continue
            for reading in islice(product(*(readings[ch] for ch in term)), _MAX_READINGS):
                self._terms.setdefault(reading, term)
        self._longest_term = max(map(len, self._terms), default=1)

    def syllables(self, word: str) -> list[str] | None:
        """The word split into the fewest pinyin syllables (xian is one, not xi an), or None."""
        n = len(word)
        best: list[list[str] | None] = [None] * (n + 1)
        best[0] = []
        for i in range(n):
            so_far = best[i]
            if so_far is None:
                continue
            for j in range(i + 1, min(n, i + self._longest_syllable) + 1):
                if word[i:j] in self._chars:
                    candidate = so_far + [word[i:j]]
                    known = best[j]
                    if known is None or len(candidate) < len(known):
                        best[j] = candidate
        return best[n]

    def read(self, s: str, starts: Sequence[int], ends: Sequence[int]
             ) -> tuple[str, Sequence[int], Sequence[int]]:
        """The text with its pinyin runs read as characters, each keeping its syllable's span."""
        if not _HAS_WORD.search(s):
            return s, starts, ends
        runs: list[list[tuple[str, int, int]]] = []  # each run: (syllable, start, end) in s
        last_end = -1
        for word in _WORD.finditer(s):
            parts = self.syllables(word.group())
            if parts is None:
                last_end = -1  # not pinyin: it ends a run
                continue
            if last_end < 0 or s[last_end:word.start()].strip(" "):
                runs.append([])  # a new run after anything but spaces
            at = word.start()
            for part in parts:
                runs[-1].append((part, at, at + len(part)))
                at += len(part)
            last_end = word.end()
        runs = [run for run in runs if len(run) >= 2]
        total = sum(map(len, runs))
        if total < MIN_SYLLABLES:
            return s, starts, ends
        edits = []
        for found in runs:
            replacement = []
            for text, first, last in self._convert(found):
                for k, ch in enumerate(text):
                    # one character a syllable when the term reads so, else the term's whole span
                    replacement.append((ch, first[k], last[k]) if len(text) == len(first) else (ch, first[0], last[-1]))
            edits.append((found[0][1], found[-1][2], replacement))
        return splice(s, starts, ends, edits)

    def _convert(self, found: list[tuple[str, int, int]]) -> list[tuple[str, list[int], list[int]]]:
        """Greedy longest reading: (characters, syllable starts, syllable ends) for each piece of a run."""
        out = []
        i, n = 0, len(found)
        while i < n:
            for k in range(min(self._longest_term, n - i), 0, -1):
                reading = tuple(f[0] for f in found[i:i + k])
                term = self._terms.get(reading)
                if term is not None:
                    break
            else:
                k, term = 1, self._chars[found[i][0]]
            piece = found[i:i + k]
            out.append((term, [f[1] for f in piece], [f[2] for f in piece]))
            i += k
        return out
