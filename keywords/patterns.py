"""Regular-expression helpers for the normaliser: a character class of code points, and the characters a
spelling variant's match can begin with (a gate scanned at C speed before the variants' alternation).

substitution_gate reads the variants' patterns with CPython's regex parser (re._parser, re._constants);
for a pattern it cannot analyse it gives no gate (None), so the variants then always run.
"""

from __future__ import annotations

import re
import re._constants as _sre
import re._parser as _sre_parse


def any_substitution(substitutions: list[tuple[re.Pattern[str], str]]) -> re.Pattern[str] | None:
    """One pattern that matches wherever any substitution could: most messages need none of them."""
    if not substitutions:
        return None
    return re.compile("|".join(f"(?:{p.pattern.replace('(?P<w>', '(?:')})" for p, _ in substitutions))


def substitution_gate(substitutions: list[tuple[re.Pattern[str], str]]) -> re.Pattern[str] | None:
    """A character class of every character a substitution's match can begin with: a text with none of
    them needs no substitution, and this one class is scanned far faster than any_substitution's
    alternation of lookbehinds. None when that cannot be told (a pattern that may match empty)."""
    if not substitutions:
        return None
    chars: set[int] = set()
    for pattern, _ in substitutions:
        parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
        if parsed.state.flags & re.IGNORECASE:
            return None
        starts = _starts(parsed.data)
        if starts is None or starts[1]:
            return None
        chars |= starts[0]
    return re.compile(char_class(chars))


_ZERO_WIDTH = (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT)
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)
_WIDEST_RANGE = 4096


def _starts(items: list) -> tuple[set[int], bool] | None:
    """The code points a match of a parsed regex sequence may begin with, and whether it may be empty;
    None when any character could begin it."""
    out: set[int] = set()
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        sub: tuple[set[int], bool] | None
        if op is _sre.LITERAL:
            sub = {av}, False
        elif op is _sre.IN:
            codes: set[int] = set()
            for item_op, item in av:
                if item_op is _sre.LITERAL:
                    codes.add(item)
                elif item_op is _sre.RANGE and item[1] - item[0] < _WIDEST_RANGE:
                    codes.update(range(item[0], item[1] + 1))
                else:  # a negated class, a category (\w, \d) or a very wide range
                    return None
            sub = codes, False
        elif op is _sre.SUBPATTERN:
            if av[1] & re.IGNORECASE:
                return None
            sub = _starts(av[3])
        elif op is _sre.ATOMIC_GROUP:
            sub = _starts(av)
        elif op is _sre.BRANCH:
            branches = [_starts(b) for b in av[1]]
            if any(b is None for b in branches):
                return None
            sub = set().union(*(b[0] for b in branches if b)), any(b[1] for b in branches if b)
        elif op in _REPEATS:
            inner = _starts(av[2])
            sub = None if inner is None else (inner[0], av[0] == 0 or inner[1])
        else:  # a group reference, a conditional, ANY...: anything may begin it
            return None
        if sub is None:
            return None
        out |= sub[0]
        if not sub[1]:
            return out, False
    return out, True


def char_class(codes: set[int], negate: bool = False) -> str:
    """A regex character class of the code points, as ranges."""
    ordered = sorted(codes)
    parts: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        a, b = re.escape(chr(ordered[i])), re.escape(chr(ordered[j]))
        parts.append(a if i == j else f"{a}-{b}")
        i = j + 1
    return f"[{'^' if negate else ''}{''.join(parts)}]"
