"""Input from outside made safe before anything else reads it: text, ids, numbers and JSON.

Every channel adapter goes through these (bot/events.py cleans every Inbound with clean_text), so
a lone surrogate, a superscript digit or JSON nested a thousand deep never costs a message.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_JSON_DEPTH = 32
# ASCII and fullwidth decimal digits only: str.isdigit() is also true for ², ① and ٣, which int() may refuse.
_NUMBER = re.compile(r"[0-9０-９]+")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


class BadJSON(ValueError):
    """A body that is not JSON we read: the message says why (for a 400)."""


def clean_text(text: str) -> str:
    """The text with lone surrogates replaced by U+FFFD and NUL removed (neither can be stored or encoded)."""
    if text.isascii():
        return text.replace("\x00", "")
    # utf-16 with surrogatepass joins a valid pair and leaves a lone surrogate as bytes "replace" turns into U+FFFD.
    cleaned = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return cleaned.replace("\x00", "")


def clean_id(external_id: str) -> str:
    """A sender's id as one sender: surrounding whitespace removed (so `alice` and `alice\\n` are one)."""
    return clean_text(external_id).strip()


def whole_number(text: str, *, max_digits: int = 18) -> int | None:
    """The number written in ASCII or fullwidth digits (surrounding spaces allowed), else None.

    At most max_digits digits, so the value always fits 64 bits and int() is never handed 4,301 digits.
    """
    stripped = text.strip()
    if not 0 < len(stripped) <= max_digits or not _NUMBER.fullmatch(stripped):
        return None
    return int(stripped.translate(_FULLWIDTH))


def numbers_in(text: str, *, max_digits: int = 18) -> list[int]:
    """Every number in the text (ASCII or fullwidth digits); runs longer than max_digits are skipped."""
    return [int(run.translate(_FULLWIDTH)) for run in _NUMBER.findall(text) if len(run) <= max_digits]


def _depth(value: Any, limit: int) -> int:
    """How deeply arrays and objects nest, counted up to just past limit (iteratively: no deep recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def load_json(raw: bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse a JSON body; BadJSON (with the reason) when it is not UTF-8 JSON or nests deeper than max_depth."""
    try:
        value = json.loads(raw)
    except RecursionError as exc:
        raise BadJSON(f"JSON nested deeper than {max_depth} levels") from exc
    except (ValueError, UnicodeDecodeError) as exc:  # includes numbers of more than 4,300 digits
        raise BadJSON("body must be JSON (UTF-8)") from exc
    if _depth(value, max_depth) > max_depth:
        raise BadJSON(f"JSON nested deeper than {max_depth} levels")
    return value
