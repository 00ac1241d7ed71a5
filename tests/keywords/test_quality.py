"""Quality on the labelled sets in tests/keywords/data and on our own cases, with a confusion table."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from keywords import LEVELS, Triager

DATA = Path(__file__).with_name("data")
OWN = Path(__file__).with_name("cases.tsv")
ACCEPT = {"red": ["red"], "orange": ["orange", "red"], "yellow": ["yellow", "orange"], "none": ["none"]}


def _rows(name: str) -> list[dict]:
    path = DATA / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _confusion(title: str, rows: list[dict], predicted: list[str], key: str) -> str:
    table = Counter((str(r.get(key) or r["accept"]), p) for r, p in zip(rows, predicted, strict=True))
    golds = sorted({g for g, _ in table})
    lines = [f"{title}: gold \\ predicted " + " ".join(f"{lv:>7}" for lv in LEVELS)]
    for gold in golds:
        lines.append(f"  {gold:<34}" + " ".join(f"{table[(gold, lv)]:>7}" for lv in LEVELS))
    return "\n".join(lines)


def test_dev_set(triager: Triager) -> None:
    rows = _rows("dev.jsonl")
    predicted = [triager.triage(r["text"]).level for r in rows]
    print("\n" + _confusion("dev.jsonl by level", rows, predicted, "level"))
    print(_confusion("dev.jsonl by category", rows, predicted, "category"))
    wrong = [(r["id"], r["text"], p) for r, p in zip(rows, predicted, strict=True) if p not in r["accept"]]
    for r, p in zip(rows, predicted, strict=True):
        if r["accept"] == ["red"]:
            assert p == "red", (r["id"], r["text"], p)
        if r["level"] in ("red", "orange"):
            assert p in ("orange", "red"), (r["id"], r["text"], p)
        if r["level"] == "none":
            assert p not in ("orange", "red"), (r["id"], r["text"], p)
    accuracy = 1 - len(wrong) / len(rows)
    print(f"dev.jsonl accepted: {accuracy:.1%}; wrong: {wrong}")
    assert accuracy >= 0.95


def test_psysuicide_valid(triager: Triager) -> None:
    rows = _rows("psysuicide_valid.jsonl")
    predicted = [triager.triage(r["text"]).level for r in rows]
    print("\n" + _confusion("psysuicide_valid by labels", rows, predicted, "labels"))
    urgent = [(r, p) for r, p in zip(rows, predicted, strict=True) if r["accept"] == ["orange", "red"]]
    benign = [(r, p) for r, p in zip(rows, predicted, strict=True) if "none" in r["accept"]]
    recall = sum(p in ("orange", "red") for _, p in urgent) / len(urgent)
    false_alarm = sum(p in ("orange", "red") for _, p in benign) / len(benign)
    print(f"recall on orange/red lines: {recall:.1%} of {len(urgent)}; "
          f"orange/red on unrelated lines: {false_alarm:.1%} of {len(benign)}")
    assert recall >= 0.90
    assert false_alarm <= 0.03


def test_own_cases(triager: Triager) -> None:
    wrong = []
    for line in OWN.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        gold, text = line.split("\t", 1)
        level = triager.triage(text).level
        if level not in ACCEPT[gold]:
            wrong.append((gold, level, text))
    assert not wrong, wrong
