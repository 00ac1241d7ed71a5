"""The learned second opinion on a rules' verdict: what the model reads, and when its heads raise a level.

The "urgent" head may raise a verdict below orange to orange, the "red" head orange to red, the
"distress" head none to yellow; none ever lowers a rule's level, and the evidence says it is the model's,
with its score. A text's weighted n-grams are found once, for every head (keywords.model.GramIndex).
"""

from __future__ import annotations

import re

from keywords.lexicon import Lexicon
from keywords.model import GramIndex, Head, Model
from keywords.normalise import Normalised
from keywords.verdict import Evidence, Verdict

_URGENT = ("orange", "red")  # Verdict.urgent
_COMMON = frozenset("我你他她它的了是不要在有也可和说想就都还会能这那个么吗呢吧啊")


class SecondOpinion:
    """The model (None: rules alone) and the lexicon's asides, which the model does not read."""

    def __init__(self, lexicon: Lexicon, model: Model | None) -> None:
        self.model = model
        self._grams = GramIndex(model) if model is not None else None
        asides = sorted({t.lower() for c in lexicon.concepts.values() if c.level == "aside" for t in c.terms},
                        key=lambda t: (-len(t), t))
        self._aside = re.compile("|".join(re.escape(t) for t in asides)) if asides else None
        # Every aside holds one of these (the rarest character of each): a class search before the regex.
        counts: dict[str, int] = {}
        for t in asides:
            for ch in set(t):
                counts[ch] = counts.get(ch, 0) + 1
        aside_chars = sorted({min(t, key=lambda ch: (ch in _COMMON, counts[ch], ch)) for t in asides})
        self._aside_chars = re.compile(f"[{''.join(re.escape(ch) for ch in aside_chars)}]") if asides else None

    def model_text(self, norm: Normalised) -> str:
        """What the model reads: the text with openers and hedges blanked (same length, spans kept)."""
        text = norm.text
        if self._aside is None or self._aside_chars is None or not self._aside_chars.search(text):
            return text  # most messages: no character that opens an aside
        return self._aside.sub(lambda m: " " * len(m.group()), text)

    def weigh(self, norm: Normalised, verdict: Verdict) -> Verdict:
        """The verdict, raised where a head finds its level likely enough; a head is scored only when needed."""
        grams, model = self._grams, self.model
        assert grams is not None and model is not None, "weigh needs a model"
        text = self.model_text(norm)
        found = grams.found(text)
        if verdict.level not in _URGENT:
            scored = grams.urgent.score(text, found)
            raised = self._raise(norm, verdict, model.urgent, scored, "orange") if scored[1] is not None else verdict
            if raised is verdict:
                if verdict.level == "none" and grams.distress is not None:
                    scored = grams.distress.score(text, found)
                    if scored[1] is None:  # most messages: below the threshold
                        return verdict
                    return self._raise(norm, verdict, grams.distress.head, scored, "yellow")
                return verdict
            verdict = raised
        if verdict.level == "orange" and grams.red is not None:
            verdict = self._raise(norm, verdict, grams.red.head, grams.red.score(text, found), "red")
        return verdict

    @staticmethod
    def _raise(norm: Normalised, verdict: Verdict, head: Head, scored: tuple[float, tuple[int, int] | None],
               level: str) -> Verdict:
        score, span = scored
        if score < head.threshold or span is None:
            return verdict
        start, end = norm.span(*span)
        category = verdict.categories[0] if verdict.categories else ("distress" if level == "yellow" else "suicide")
        ev = Evidence("model", level, category, start, end, norm.original[start:end],
                      f"learned model, not a rule: {level} score {score:.2f} >= {head.threshold:.2f}")
        cats = (category, *(c for c in verdict.categories if c != category))
        return Verdict(level, cats, (ev, *verdict.evidence))
