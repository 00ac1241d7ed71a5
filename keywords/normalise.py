"""Normalise a message for matching while remembering where each character came from.

The normalised text keeps one entry per output character in ``starts``/``ends``: the half-open
span of the ORIGINAL text it was made from, so evidence found in the normalised text can be
shown to a counsellor at its place in what the student wrote.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import opencc

from keywords.patterns import any_substitution, char_class
from keywords.pinyin import PinyinReader
from keywords.spans import splice

# Characters that may split a word apart ("自 杀", "自、杀", "自*杀").
_SEPARATORS = set(" \t\u3000\u200b\u200c\u200d\ufeff、，,。.．·•*_-—~～|/\\'\"`^+=")
# Punctuation kept as a clause boundary (collapsed when repeated).
_CLAUSE = set("，,。.！!？?；;：:…\n\r")


_CJK = "\u4e00-\u9fff\u3400-\u4dbf"
# Two letters in a row: the only texts pinyin may be in (most messages have none).
_LETTERS = re.compile("[a-z]{2}")
_CJK_RANGES = ((0x4E00, 0xA000), (0x3400, 0x4DC0))
# Fast paths. Text made only of these characters has no symbol, emoji or control character to drop.
_PLAIN_OTHER = " ，。！？、：；,.!?:;()（）《》“”‘’\n"
_PLAIN_CHARS = f"{_CJK}A-Za-z0-9{_PLAIN_OTHER}"
_PLAIN = re.compile(f"[{_PLAIN_CHARS}]*")
_SEP_RUN = "".join(re.escape(c) for c in sorted((_SEPARATORS | _CLAUSE) - set("\n\r")))
# The only places _join_spaced changes anything: spaces between CJK characters, or a separator run
# between two CJK characters that stand alone.
_JOINABLE = re.compile(f"[{_CJK}][ \t\u3000]+[{_CJK}]|(?<![{_CJK}])[{_CJK}][{_SEP_RUN}]+[{_CJK}](?![{_CJK}])")
# The only things _collapse changes: any clause or separator mark other than a lone "，".
# What each clause or separator mark collapses to.
_MARKS = {c: "，" if c in _CLAUSE or c == "、" else " " for c in _SEPARATORS | _CLAUSE}
_MARK_TABLE = str.maketrans(_MARKS)
_MARK_RUN = re.compile("[" + "".join(re.escape(c) for c in sorted(_MARKS)) + "]{2}")
_COLLAPSIBLE = re.compile("[" + "".join(re.escape(c) for c in sorted((_SEPARATORS | _CLAUSE) - {"，"})) + "]|，，")


_new_tuple = tuple.__new__  # builds a Normalised without the Python-level __new__ of a NamedTuple


class Normalised(NamedTuple):
    """Normalised text with the original span of each of its characters (a tuple: one per message)."""

    original: str
    text: str
    starts: Sequence[int]
    ends: Sequence[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text back to the original text."""
        if end <= start:
            return (self.starts[start] if start < len(self.starts) else len(self.original),) * 2
        return self.starts[start], self.ends[end - 1]


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


@lru_cache(maxsize=65536)
def _is_symbol(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat in ("So", "Sk", "Cs", "Co", "Cn", "Mn", "Me", "Cf") or cat == "Cc" and ch not in "\n\r\t"


def _to_simplified(chars: list[str]) -> list[str]:
    joined = "".join(chars)
    converted = _converter().convert(joined)
    if len(converted) == len(joined):
        return list(converted)
    return [_converter().convert(c) if len(_converter().convert(c)) == 1 else c for c in chars]


def _width_fold(text: str) -> tuple[list[str], list[int], list[int]]:
    """NFKC-fold every character (full width to half width), drop emoji and control characters."""
    folded_all = unicodedata.normalize("NFKC", text).lower()
    if len(folded_all) == len(text) and (_PLAIN.fullmatch(text) or (
            not any(_is_symbol(ch) for ch in folded_all) and not any(_is_symbol(ch) for ch in text))):
        return list(folded_all), list(range(len(text))), list(range(1, len(text) + 1))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        if _is_symbol(ch):
            continue
        folded = unicodedata.normalize("NFKC", ch).lower()
        for f in folded:
            if _is_symbol(f):
                continue
            out.append(f)
            starts.append(i)
            ends.append(i + 1)
    return out, starts, ends


def _join_spaced(chars: list[str], starts: list[int], ends: list[int]) -> tuple[list, list, list]:
    """Remove separators between single spaced-out characters: 自 杀 -> 自杀, 活 着 没 意 思."""
    if not _JOINABLE.search("".join(chars)):
        return chars, starts, ends
    return _join_spaced_all(chars, starts, ends)


def _join_spaced_all(chars: list[str], starts: list[int], ends: list[int]) -> tuple[list, list, list]:
    """_join_spaced without its fast path (the tests check that the fast path changes nothing)."""
    n = len(chars)
    keep = [True] * n
    i = 0
    while i < n:
        if chars[i] in _SEPARATORS or (chars[i] in _CLAUSE and chars[i] not in "\n\r"):
            j = i
            while j < n and (chars[j] in _SEPARATORS or chars[j] in _CLAUSE) and chars[j] not in "\n\r":
                j += 1
            # chars[i:j] is a run of separators between chars[i-1] and chars[j]
            if 0 < i and j < n and _is_cjk(chars[i - 1]) and _is_cjk(chars[j]):
                before_single = i - 1 == 0 or not _is_cjk(chars[i - 2])
                after_single = j + 1 >= n or not _is_cjk(chars[j + 1])
                only_spaces = all(c in " \t\u3000" for c in chars[i:j])
                if only_spaces or (
                    before_single and after_single and all(c in _SEPARATORS or c in "、" for c in chars[i:j])
                ):
                    for k in range(i, j):
                        keep[k] = False
                elif before_single and after_single and j - i == 1:
                    keep[i] = False
            i = j
        else:
            i += 1
    return (
        [c for c, k in zip(chars, keep, strict=True) if k],
        [s for s, k in zip(starts, keep, strict=True) if k],
        [e for e, k in zip(ends, keep, strict=True) if k],
    )


def _collapse(chars: list[str], starts: list[int], ends: list[int]) -> tuple[list, list, list]:
    """Collapse runs of punctuation and spaces to one clause mark."""
    if not _COLLAPSIBLE.search("".join(chars)):
        return chars, starts, ends
    return _collapse_all(chars, starts, ends)


def _collapse_all(chars: list[str], starts: list[int], ends: list[int]) -> tuple[list, list, list]:
    """_collapse without its fast path."""
    oc: list[str] = []
    os_: list[int] = []
    oe: list[int] = []
    for c, s, e in zip(chars, starts, ends, strict=True):
        mark = _MARKS.get(c)
        if mark is not None:
            if oc and oc[-1] in ("，", " "):
                if mark == "，":
                    oc[-1] = "，"
                oe[-1] = e
                continue
            c = mark
        oc.append(c)
        os_.append(s)
        oe.append(e)
    return oc, os_, oe


@lru_cache(maxsize=1)
def _one_to_one_tools() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], dict[int, str]]:
    """What stops a one-to-one normalisation, and the table that does one.

    It stops at a character outside the plain set or one OpenCC would change (found by converting
    every CJK character once, each on its own line, at load): the first pattern, one character class;
    or at a place where spaced-out characters would be joined (_JOINABLE) or a run of marks to
    collapse (_MARK_RUN): the second, which starts at a mark, so the many texts without one are
    scanned at C speed. The third finds a character the table changes (most texts have none).
    """
    cjk = [chr(i) for start, end in _CJK_RANGES for i in range(start, end)]
    converted = _converter().convert("\n".join(cjk)).split("\n")
    t2s = {ord(a) for a, b in zip(cjk, converted, strict=True) if a != b}
    plain = {i for start, end in _CJK_RANGES for i in range(start, end)}
    plain |= {ord(c) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + _PLAIN_OTHER}
    unplain = re.compile(char_class(plain - t2s, negate=True))
    marks = char_class({ord(c) for c in _MARKS})
    cjk_class, sep = f"[{_CJK}]", f"[{_SEP_RUN}]"
    # One mark consumed, then: spaces between CJK characters, a separator run between two CJK
    # characters that stand alone (both as in _JOINABLE), or a second mark (_MARK_RUN).
    spaced = re.compile(f"{marks}(?:(?<={cjk_class}[ \t\u3000])[ \t\u3000]*(?={cjk_class})"
                        f"|(?<=(?<!{cjk_class}){cjk_class}{sep}){sep}*(?={cjk_class}(?!{cjk_class}))|{marks})")
    table: dict[int, str] = {}
    for ch in set(_PLAIN_CHARS) - set(_CJK):
        folded = unicodedata.normalize("NFKC", ch).lower()
        table[ord(ch)] = _MARKS.get(folded, folded)
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code).lower()
    table = {code: to for code, to in table.items() if chr(code) != to}  # only what changes
    foldable = re.compile(char_class(set(table)))
    return unplain, spaced, foldable, table


def prepare() -> None:
    """Build now the tables the first message would build (OpenCC over every CJK character, a few
    hundredths of a second): a loaded triager does it, so no message waits for it."""
    _one_to_one_tools()


def _one_to_one(text: str) -> str | None:
    """The normalised text when normalising moves no character (most messages), else None."""
    unplain, spaced, foldable, table = _one_to_one_tools()
    if unplain.search(text) or spaced.search(text):
        return None
    return text.translate(table) if foldable.search(text) else text


def normalise(text: str, substitutions: list[tuple[re.Pattern[str], str]] | None = None,
              trigger: re.Pattern[str] | None = None, gate: re.Pattern[str] | None = None,
              pinyin: PinyinReader | None = None) -> Normalised:
    """Fold width, script, spacing, punctuation and slang so that variants match one term.

    trigger, when given, is any_substitution(substitutions), and gate substitution_gate(substitutions),
    computed once by the caller; pinyin, when given, reads pinyin typed in letters as characters
    (keywords.pinyin) before the spelling variants apply.
    """
    starts: Sequence[int]
    ends: Sequence[int]
    one_to_one = _one_to_one(text)
    if one_to_one is not None:
        s, starts, ends = one_to_one, range(len(text)), range(1, len(text) + 1)
    else:
        chars, char_starts, char_ends = _width_fold(text)
        chars = _to_simplified(chars)
        chars, char_starts, char_ends = _collapse(*_join_spaced(chars, char_starts, char_ends))
        s, starts, ends = "".join(chars), char_starts, char_ends
    if pinyin is not None and _LETTERS.search(s):
        s, starts, ends = pinyin.read(s, starts, ends)
    if trigger is None and substitutions:
        trigger = any_substitution(substitutions)
    if trigger is not None and substitutions and (gate is None or gate.search(s)) and trigger.search(s):
        s, starts, ends = _substitute(s, starts, ends, substitutions)
    if isinstance(starts, list):
        starts, ends = tuple(starts), tuple(ends)
    return _new_tuple(Normalised, (text, s, starts, ends))


def _substitute(s: str, starts: Sequence[int], ends: Sequence[int],
                substitutions: list[tuple[re.Pattern[str], str]]) -> tuple[str, Sequence[int], Sequence[int]]:
    """Apply the spelling variants in order, each character of a replacement keeping the span it replaced."""
    for pattern, replacement in substitutions:
        if not pattern.search(s):
            continue
        spans = (m.span("w") if "w" in pattern.groupindex else m.span() for m in pattern.finditer(s))
        s, starts, ends = splice(s, starts, ends, ((a, b, [(ch, a, b) for ch in replacement]) for a, b in spans))
    return s, starts, ends
