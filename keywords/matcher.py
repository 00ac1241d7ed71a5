"""Find lexicon terms in normalised text: one Aho-Corasick pass, then traps and word boundaries."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import NamedTuple

from keywords.automaton import build
from keywords.lexicon import Lexicon
from keywords.segmenter import Segmenter

# Characters that may cling to a term inside one jieba word without changing what it means.
_PARTICLES = set("了掉吧啊呀呢的去过着么嘛哦我你他她它就也都还又再才")


class Hit(NamedTuple):
    """A concept found at [start, end) of the normalised text (a tuple: thousands are made a second)."""

    concept: str
    start: int
    end: int
    term: str


_new_tuple = tuple.__new__  # builds a Hit without the Python-level __new__ of a NamedTuple
_FEW = 8  # covering hits up to which the longest-reading pass compares every pair


def _no_matches(text: str) -> Iterator[tuple[int, tuple[str, str, int]]]:
    return iter(())


class Matcher:
    """All terms of a lexicon in one automaton."""

    def __init__(self, lexicon: Lexicon, segmenter: Segmenter) -> None:
        values: dict[str, tuple[str, str, int]] = {}
        self._boundary: dict[str, bool] = {}
        for concept in lexicon.concepts.values():
            for term, boundary in concept.terms.items():
                key = term.lower()
                values[key] = (key, concept.name, len(key))
                self._boundary[key] = boundary
        automaton = build(values)
        self._iter = automaton.iter if automaton is not None else _no_matches
        # The terms that hold a shorter term of another concept (自杀 holds 杀): only a hit of one of
        # these can cover another hit.
        self._covering = {key for key, (_, concept, length) in values.items()
                          for _, (_, other, inner) in self._iter(key) if inner < length and other != concept}
        self._longest = max((len(k) for k in self._boundary), default=1)  # bounds where a covering hit starts
        self._traps = {c.name for c in lexicon.concepts.values() if c.level == "none"}
        self._frames = {c.name for c in lexicon.concepts.values() if c.level == "frame"}
        self._segmenter = segmenter

    def find(self, text: str) -> list[Hit]:
        """Return the hits that survive traps and word-boundary checks."""
        return self.check(text, self.candidates(text))

    def needs_check(self, hits: list[Hit]) -> bool:
        """Whether any hit must be checked for a word boundary."""
        return any(self._boundary[h.term] for h in hits)

    def check(self, text: str, hits: list[Hit]) -> list[Hit]:
        """Drop the hits that are not a word of their own where they must be (死 in 死机)."""
        return self._check_boundaries(text, hits) if self.needs_check(hits) else hits

    def candidates(self, text: str) -> list[Hit]:
        """Return the hits that survive traps and the longest reading, before boundary checks.

        Checking boundaries only removes hits, and fewer hits never make a finding, so a message
        whose candidates make no finding needs no jieba at all.
        """
        return self.candidates_and_traps(text)[0]

    def matches(self, text: str) -> list[tuple[int, tuple[str, str, int]]]:
        """Every occurrence of every term, as the automaton gives it: (end - 1, (term, concept, length))."""
        return list(self._iter(text))

    def candidates_and_traps(self, text: str, matches: list[tuple[int, tuple[str, str, int]]] | None = None
                             ) -> tuple[list[Hit], bool]:
        """The candidates, and whether a trap (笑死, 死机, 睡不醒) was found in the text (matches: its
        matches(text), if already found)."""
        new = _new_tuple
        raw = [new(Hit, (concept, end + 1 - length, end + 1, term))
               for end, (term, concept, length) in (self._iter(text) if matches is None else matches)]
        if not raw:
            return [], False
        trap_names = self._traps
        traps = [h for h in raw if h[0] in trap_names]
        if traps:  # a longer risk term that holds a trap wins over it (一睡不醒 over 睡不醒, 跳过河 over 跳过)
            traps = [t for t in traps if not any(h.concept not in trap_names and h.start <= t.start
                                                 and t.end <= h.end and h.end - h.start > t.end - t.start
                                                 for h in raw)]
            trapped: set[int] = {i for t in traps for i in range(t.start, t.end)}
            # a trap drops a hit that overlaps it; a frame (烧烤 in 烧烤用的炭) stays to frame what is near
            hits = [h for h in raw if h.concept not in trap_names
                    and (h.concept in self._frames or not any(i in trapped for i in range(h.start, h.end)))]
        else:
            hits = raw
        covering = self._covering
        covers = [o for o in hits if o[3] in covering] if len(hits) > 1 else None
        if not covers:
            return hits, bool(traps)
        # The longest reading wins: 杀 inside 自杀 or 药 inside 安眠药 is not a finding of its own.
        # Only a hit of a term that holds a shorter term of another concept can cover one.
        if len(covers) <= _FEW:
            dropped = set()
            for o in covers:
                concept, o_start, o_end = o[0], o[1], o[2]
                length = o_end - o_start
                for h in hits:
                    if o_start <= h[1] and h[2] <= o_end and h[2] - h[1] < length and h[0] != concept:
                        dropped.add(h)
            return ([h for h in hits if h not in dropped] if dropped else hits), bool(traps)
        # Linear in the hits: a covering hit starts at most the longest term's length before this one.
        ordered = sorted(covers, key=lambda h: h.start)
        starts = [h.start for h in ordered]
        hits = [
            h for h in hits
            if not any(o.concept != h.concept and o.start <= h.start and h.end <= o.end
                       and (o.end - o.start) > (h.end - h.start)
                       for o in ordered[bisect_left(starts, h.end - self._longest):bisect_right(starts, h.start)])
        ]
        return hits, bool(traps)

    def _check_boundaries(self, text: str, hits: list[Hit]) -> list[Hit]:
        tokens = sorted(self._segmenter.tokens_around(text, [(h.start, h.end) for h in hits
                                                              if self._boundary[h.term]]))
        token_starts = [ts for ts, _te in tokens]
        covered: set[int] = set()
        for h in hits:
            covered.update(range(h.start, h.end))
        kept = []
        for h in hits:
            if not self._boundary[h.term]:
                kept.append(h)
                continue
            ok = True
            first = max(0, bisect_right(token_starts, h.start) - 1)  # the tokens that overlap this hit, only
            for ts, te in tokens[first:bisect_left(token_starts, h.end)]:
                if te <= h.start or ts >= h.end:
                    continue
                outside = [i for i in range(ts, te) if not h.start <= i < h.end]
                if any(i not in covered and text[i] not in _PARTICLES for i in outside):
                    ok = False
                    break
            if ok:
                kept.append(h)
        return kept
