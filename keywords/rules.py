"""Combine concept hits into findings: sequences within a gap, conjunctions, negation."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import product

from keywords.lexicon import Rule
from keywords.matcher import Hit

# A gap this short stays within one phrase: it does not cross a comma or full stop.
_PHRASE = 4
# How many chains of each conjunct a conjunction tries when looking for distinct hits.
_TRIES = 4


def _sequence(text: str, steps, gaps, by_concept: dict[str, list[Hit]]) -> list[list[Hit]]:
    """Every chain of hits, one per step, each starting at most gap chars after the previous ends."""
    chains: list[list[Hit]] = [[h] for c in steps[0].concepts for h in by_concept.get(c, ())]
    index: dict[str, tuple[list[int], list[Hit]]] = {}  # per concept, its hits by start (bisected, not scanned)
    for step, gap in zip(steps[1:], gaps, strict=True):
        nxt = []
        for chain in chains:
            last = chain[-1]
            for c in step.concepts:
                if c not in index:
                    ordered = sorted(by_concept.get(c, ()), key=lambda h: h.start)
                    index[c] = ([h.start for h in ordered], ordered)
                starts, ordered = index[c]
                for h in ordered[bisect_left(starts, last.end):bisect_right(starts, last.end + gap)]:
                    if gap > _PHRASE or "，" not in text[last.end:h.start]:
                        nxt.append(chain + [h])
        chains = nxt
        if not chains:
            break
    return chains


def apply_rule(text: str, rule: Rule, by_concept: dict[str, list[Hit]]) -> list[list[Hit]]:
    """Return the groups of hits that make the rule fire (empty when it does not)."""
    for steps, _gaps in rule.conjuncts:  # cheap test first: every step needs one of its concepts
        for step in steps:
            if not any(c in by_concept for c in step.concepts):
                return []
    per_conjunct = []
    for steps, gaps in rule.conjuncts:
        chains = _sequence(text, steps, gaps, by_concept)
        if not chains:
            return []
        per_conjunct.append(chains)
    if len(per_conjunct) == 1:
        return per_conjunct[0]
    # A conjunction fires once, with the first chains of its parts that are different hits
    # (farewell_weak & farewell_weak needs two goodbyes, not one seen twice).
    for combo in product(*(c[:_TRIES] for c in per_conjunct)):
        hits = [h for chain in combo for h in chain]
        if len({(h.start, h.end) for h in hits}) == len(hits):
            return [hits]
    return []


_firsts: tuple[tuple[str, ...], frozenset[str]] = ((), frozenset())  # the last negators seen, their first characters


def _first_chars(negators: tuple[str, ...]) -> frozenset[str]:
    """The first characters of the negators (kept for the tuple last asked about: one lexicon's)."""
    global _firsts
    firsts = _firsts  # read once: another thread may replace it
    if firsts[0] is not negators:
        firsts = _firsts = (negators, frozenset(neg[0] for neg in negators))
    return firsts[1]


def is_negated(text: str, start: int, negators: tuple[str, ...]) -> bool:
    """True when a negator ends just before start in the same clause (没有想自杀, 不会想不开).

    有没有, 是不是, 会不会 ask a question and negate nothing.
    """
    window = text[max(0, start - 6):start]  # the longest negator (3) plus the largest gap (2), and one
    if not window or _first_chars(negators).isdisjoint(window):  # no negator begins in the window
        return False
    for neg in negators:
        max_gap = 0 if len(neg) == 1 else 2
        for gap in range(max_gap + 1):
            end = start - gap
            begin = end - len(neg)
            asks = (neg.startswith("没") and text[begin - 1:begin] == "有") or (
                neg.startswith("不") and begin > 0 and text[begin - 1:begin] == text[begin + 1:begin + 2])
            if begin >= 0 and text[begin:end] == neg and not asks:
                between = text[end:start]
                if "，" not in between:
                    return True
    return False
