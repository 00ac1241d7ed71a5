"""A learned second opinion: character n-gram logistic regressions over normalised text.

Three heads: "urgent" may raise a verdict below orange to orange; "red" may raise an orange verdict
to red; "distress" may raise a `none` verdict to yellow (the counsellor's queue, never a page). None
ever lowers a rule's level, and the evidence says it comes from the model, with its score. Triage
finds a text's weighted n-grams once, for every head, with one automaton (GramIndex); Head.score_set
(the text's n-gram set, one intersection a head) and Head.score give the same scores. Trained
by `make train-triage` (scripts/train_triage.py) with a fixed seed: the same data gives the same
model file.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from keywords.automaton import build

NGRAMS = (2, 3)
_VALUE = itemgetter(1)
_SKIP = set(" ，。！？、：；,.!?:;()（）《》“”‘’\n")


def grams(text: str) -> dict[str, int]:
    """The character n-grams of a normalised text, each with the position of its first end."""
    out: dict[str, int] = {}
    for n in NGRAMS:
        for i in range(len(text) - n + 1):
            g = text[i:i + n]
            if g not in out and not _SKIP.intersection(g):
                out[g] = i + n
    return out


def ngram_set(text: str) -> set[str]:
    """The distinct character n-grams of a text (those with a separator are never weighted)."""
    return {text[i:i + n] for n in NGRAMS for i in range(len(text) - n + 1)}


@dataclass(frozen=True)
class Head:
    """Weights of n-grams, a bias and the score from which the head raises a verdict."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def score_set(self, text: str, present: set[str]) -> tuple[float, tuple[int, int] | None]:
        """Head.score from the text's n-gram set (ngram_set): the weights of the n-grams present are
        found by one set intersection, and the span is looked for only when the head would raise."""
        weights = self.weights
        found = present & weights.keys()
        total = self.bias + sum(map(weights.__getitem__, found))
        prob = 1 / (1 + math.exp(-max(min(total, 30.0), -30.0)))
        if prob < self.threshold:
            return prob, None  # it will not raise: no span needed
        return prob, self._span(text, found)

    def _span(self, text: str, found: set[str]) -> tuple[int, int] | None:
        # The strongest positive n-gram; ties go to the shorter, then the earlier (as score reads them).
        best = min(((-self.weights[g], len(g), text.find(g), g) for g in found if self.weights[g] > 0), default=None)
        return None if best is None else (best[2], best[2] + best[1])

    def score(self, text: str) -> tuple[float, tuple[int, int] | None]:
        """Probability that text is urgent, and the span of its strongest n-gram (normalised text)."""
        total, best, span = self.bias, 0.0, None
        weights, seen = self.weights, set()
        for n in NGRAMS:  # n-grams with a separator were never kept, so none is looked up in vain
            for i in range(len(text) - n + 1):
                g = text[i:i + n]
                w = weights.get(g)
                if w is None or g in seen:
                    continue
                seen.add(g)
                total += w
                if w > best:
                    best, span = w, (i, i + n)
        return 1 / (1 + math.exp(-max(min(total, 30.0), -30.0))), span

    def as_dict(self) -> dict[str, object]:
        """The head as JSON-ready data, weights rounded and sorted."""
        return {"bias": round(self.bias, 4), "threshold": round(self.threshold, 4),
                "weights": {g: round(w, 4) for g, w in sorted(self.weights.items())}}

    @classmethod
    def from_dict(cls, data: dict) -> Head:
        """Read a head written by as_dict."""
        return cls(dict(data["weights"]), float(data["bias"]), float(data["threshold"]))


@dataclass(frozen=True)
class Model:
    """The urgent head (to orange) and, if trained, the red head (orange to red) and the distress head
    (none to yellow)."""

    urgent: Head
    red: Head | None = None
    distress: Head | None = None

    @property
    def heads(self) -> tuple[Head | None, Head | None, Head | None]:
        """The heads in the order of the scores score_all gives."""
        return (self.urgent, self.red, self.distress)

    def score_all(self, text: str) -> list[tuple[float, tuple[int, int] | None]]:
        """Each head's (probability, span of its strongest n-gram when it reaches its threshold)."""
        present = ngram_set(text)
        return [head.score_set(text, present) if head is not None else (0.0, None) for head in self.heads]

    def dump(self, path: Path) -> None:
        """Write the model as JSON, sorted, so the same model is the same file."""
        data: dict[str, object] = {"ngrams": list(NGRAMS), "urgent": self.urgent.as_dict()}
        if self.red is not None:
            data["red"] = self.red.as_dict()
        if self.distress is not None:
            data["distress"] = self.distress.as_dict()
        path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8")


def load_model(path: Path) -> Model | None:
    """Read a model file; None when there is none."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["ngrams"]) != NGRAMS:
        raise ValueError(f"{path}: trained on n-grams {data['ngrams']}, this code uses {list(NGRAMS)}")
    red = Head.from_dict(data["red"]) if "red" in data else None
    distress = Head.from_dict(data["distress"]) if "distress" in data else None
    return Model(Head.from_dict(data["urgent"]), red, distress)


def train(examples: Iterable[tuple[str, int, float]], *, seed: int = 18, epochs: int = 12, rate: float = 0.2,
          l2: float = 1e-5, min_count: int = 2, keep: int = 30_000, exclude: frozenset[str] = frozenset()) -> Head:
    """Fit a logistic regression on (normalised text, label 0/1, weight) with Adagrad; deterministic.
    N-grams in `exclude` are never weighted (bare time words: a time makes a plan only when the rules
    find it attached to an intent, a means or a place)."""
    data = [(sorted(grams(t)), y, w) for t, y, w in examples]
    counts = Counter(g for gs, _, _ in data for g in gs)
    vocab = {g for g, c in counts.items() if c >= min_count and g not in exclude}
    data = [([g for g in gs if g in vocab], y, w) for gs, y, w in data]
    weights: dict[str, float] = dict.fromkeys(sorted(vocab), 0.0)
    squares: dict[str, float] = dict.fromkeys(weights, 1e-8)
    bias, bias_sq = 0.0, 1e-8
    rnd = random.Random(seed)
    order = list(range(len(data)))
    for _ in range(epochs):
        rnd.shuffle(order)
        for i in order:
            gs, y, w = data[i]
            z = bias + sum(weights[g] for g in gs)
            p = 1 / (1 + math.exp(-max(min(z, 30.0), -30.0)))
            grad = (p - y) * w
            for g in gs:
                step = grad + l2 * weights[g]
                squares[g] += step * step
                weights[g] -= rate * step / math.sqrt(squares[g])
            bias_sq += grad * grad
            bias -= rate * grad / math.sqrt(bias_sq)
    strongest = sorted(weights.items(), key=lambda kv: (-abs(kv[1]), kv[0]))[:keep]
    return Head({g: w for g, w in strongest if abs(w) >= 0.01}, bias, 1.0)


class GramIndex:
    """Every n-gram some head of a model weighs, in one Aho-Corasick automaton, each by a number: the
    weighted n-grams of a text are found in one pass in C, and each head adds its weights up from a
    list by those numbers. Scores as Head.score_set does (what ngram_set(text) & head.weights.keys()
    gives, added up), without building the text's n-gram set or one intersection per head."""

    def __init__(self, model: Model) -> None:
        # ngram_set holds no other length: no other weight is ever read
        grams = sorted({g for head in model.heads if head is not None for g in head.weights if len(g) in NGRAMS})
        automaton = build({g: i for i, g in enumerate(grams)})
        self._iter = automaton.iter if automaton is not None else None
        self.urgent = HeadIndex(model.urgent, grams)
        self.red = HeadIndex(model.red, grams) if model.red is not None else None
        self.distress = HeadIndex(model.distress, grams) if model.distress is not None else None

    def found(self, text: str) -> set[int]:
        """The numbers of the distinct n-grams of text that some head weighs."""
        return set(map(_VALUE, self._iter(text))) if self._iter is not None else set()


class HeadIndex:
    """One head's weights by the numbers of a GramIndex (0 for an n-gram only other heads weigh)."""

    def __init__(self, head: Head, grams: list[str]) -> None:
        self.head = head
        self._grams = grams
        self._weights = [head.weights.get(g, 0.0) for g in grams]

    def score(self, text: str, found: set[int]) -> tuple[float, tuple[int, int] | None]:
        """head.score_set(text, ngram_set(text)) from GramIndex.found(text)."""
        head = self.head
        total = head.bias + sum(map(self._weights.__getitem__, found))
        prob = 1 / (1 + math.exp(-max(min(total, 30.0), -30.0)))
        if prob < head.threshold:
            return prob, None  # it will not raise: no span needed
        # Head._span, by numbers: the strongest positive n-gram; ties to the shorter, then the earlier.
        grams, weights = self._grams, self._weights
        best = min(((-weights[i], len(grams[i]), text.find(grams[i]), grams[i]) for i in found if weights[i] > 0),
                   default=None)
        return prob, None if best is None else (best[2], best[2] + best[1])
