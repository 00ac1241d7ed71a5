"""A learned second opinion: character n-gram logistic regression over normalised text.

It may only raise a verdict below orange to orange (never lower a rule's level), and its evidence
says that it comes from the model, with its score. Trained by `make train-triage`
(scripts/train_triage.py) with a fixed seed: the same data gives the same model file.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

NGRAMS = (2, 3)
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


@dataclass(frozen=True)
class Model:
    """Weights of n-grams, a bias and the score from which the model raises a verdict."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def score(self, text: str) -> tuple[float, tuple[int, int] | None]:
        """Probability that text is urgent, and the span of its strongest n-gram (normalised text)."""
        total, best, span = self.bias, 0.0, None
        for g, end in grams(text).items():
            w = self.weights.get(g)
            if w is None:
                continue
            total += w
            if w > best:
                best, span = w, (end - len(g), end)
        return 1 / (1 + math.exp(-max(min(total, 30.0), -30.0))), span

    def dump(self, path: Path) -> None:
        """Write the model as JSON, sorted, so the same model is the same file."""
        data = {"ngrams": list(NGRAMS), "bias": round(self.bias, 4), "threshold": round(self.threshold, 4),
                "weights": {g: round(w, 4) for g, w in sorted(self.weights.items())}}
        path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8")


def load_model(path: Path) -> Model | None:
    """Read a model file; None when there is none."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["ngrams"]) != NGRAMS:
        raise ValueError(f"{path}: trained on n-grams {data['ngrams']}, this code uses {list(NGRAMS)}")
    return Model(dict(data["weights"]), float(data["bias"]), float(data["threshold"]))


def train(examples: Iterable[tuple[str, int, float]], *, seed: int = 18, epochs: int = 12, rate: float = 0.2,
          l2: float = 1e-5, min_count: int = 2, keep: int = 30_000) -> Model:
    """Fit a logistic regression on (normalised text, label 0/1, weight) with Adagrad; deterministic."""
    data = [(sorted(grams(t)), y, w) for t, y, w in examples]
    counts = Counter(g for gs, _, _ in data for g in gs)
    vocab = {g for g, c in counts.items() if c >= min_count}
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
    return Model({g: w for g, w in strongest if abs(w) >= 0.01}, bias, 1.0)
