"""What triage says about one message."""

from __future__ import annotations

from dataclasses import dataclass, field

LEVELS = ("none", "yellow", "orange", "red")
RANK = {name: i for i, name in enumerate(LEVELS)}
CATEGORIES = (
    "suicide", "self_harm", "violence", "abuse", "sexual", "bullying",
    "family", "loss", "disaster", "distress", "none",
)


@dataclass(frozen=True)
class Evidence:
    """One term or rule that fired, with its span in the original text."""

    concept: str
    level: str
    category: str
    start: int
    end: int
    text: str
    rule: str | None = None
    negated: bool = False
    framed: str | None = None  # "report": about someone in the news or a story, counted at most yellow

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict."""
        d: dict[str, object] = {
            "concept": self.concept, "level": self.level, "category": self.category,
            "span": [self.start, self.end], "text": self.text,
        }
        if self.rule:
            d["rule"] = self.rule
        if self.negated:
            d["negated"] = True
        if self.framed:
            d["framed"] = self.framed
        return d


@dataclass(frozen=True)
class Verdict:
    """The level of a message, its categories and the evidence behind them."""

    level: str
    categories: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)

    @property
    def urgent(self) -> bool:
        """True for red and orange: a person must be told."""
        return RANK[self.level] >= RANK["orange"]

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict."""
        return {
            "level": self.level,
            "categories": list(self.categories),
            "evidence": [e.as_dict() for e in self.evidence],
        }
