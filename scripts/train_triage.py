"""`make train-triage`: train the learned second opinion on the labelled sets in the repo.

Data: tests/keywords/data/{dev,psysuicide_valid,tune,tune2,tune3,tune4,tune5,tune6,tune7,tune8}.jsonl and
tests/keywords/cases.tsv (never a held-out file). Urgent head: lines accepting only orange or red are 1;
lines accepting none, and yellow lines at half weight, are 0; lines accepting yellow to red are left out.
Red head: red lines are 1, every other labelled line 0. Thresholds come from 5-fold out-of-fold scores: the urgent head
the lowest score that adds at most BUDGET false alarms on lines accepting none (raising only what
the rules grade below orange); the red head the lowest score that turns at most RED_BUDGET of the
orange lines red (raising only what is orange), not below RED_FLOOR; the distress head (lines that do not accept none are 1,
lines accepting only none 0) the lowest score that turns at most DISTRESS_BUDGET of the lines accepting
only none yellow (raising only what is still none); none below FLOOR. Fixed seed: the same data gives the same
keywords/data/model.json.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from keywords import Triager  # noqa: E402
from keywords.evaluate import load_rows  # noqa: E402
from keywords.lexicon import DATA_DIR  # noqa: E402
from keywords.model import Head, Model, grams, train  # noqa: E402

DATA = ROOT / "tests" / "keywords" / "data"
SETS = [DATA / "dev.jsonl", DATA / "psysuicide_valid.jsonl", DATA / "tune.jsonl", DATA / "tune2.jsonl",
        DATA / "tune3.jsonl", DATA / "tune4.jsonl", DATA / "tune5.jsonl", DATA / "tune6.jsonl", DATA / "tune7.jsonl",
        DATA / "tune8.jsonl",
        ROOT / "tests" / "keywords" / "cases.tsv"]
BUDGET = 0.005
RED_BUDGET = 0.05
DISTRESS_BUDGET = 0.03
FLOOR = 0.5  # a head raises only when it finds its level more likely than not
# Recall first for red (the guide): the red head only ever turns an orange verdict red (a counsellor is
# already notified), so it may raise from a lower score; out of fold 0.3 turns about 1% of orange lines red.
RED_FLOOR = 0.3
FOLDS = 5
# Time words are the rules' to attach (to an intent, a means, a place): the heads never weight the n-grams
# that lie inside them, or every weekly check-in's 周四 would count towards red.
TIME_CONCEPTS = ("soon", "week_day", "today")
SEED = 18
# n-grams each head keeps (by weight). Round 10, with 12,584 lines: out of fold, 30,000 gave urgent 0.987 / red 0.986,
# 45,000 0.989 / 0.988, 60,000 0.989 / 0.989, 90,000 0.990 / 0.989; 60,000 (a 3.5 MB file, 0.1 s to load).
KEEP = 60_000


def label(accept: list[str]) -> tuple[int, float] | None:
    """The training label and weight of a line, or None to leave it out."""
    if set(accept) <= {"orange", "red"}:
        return 1, 1.0
    if "none" in accept:
        return 0, 1.0
    if "red" not in accept:
        return 0, 0.5
    return None


def time_grams(rules: Triager) -> frozenset[str]:
    """Every n-gram inside a term of the time concepts (本周, 周四, 今晚 ...), weekday names included."""
    terms = {t for name in TIME_CONCEPTS for t in rules.lexicon.concepts[name].terms}
    terms |= {f"{week}{day}" for week in ("周", "星期", "礼拜") for day in "一二三四五六日天"}
    return frozenset(g for t in terms for g in grams(t))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(DATA_DIR / "model.json"))
    parser.add_argument("--curve", action="store_true", help="print the red head's out-of-fold trade-off")
    args = parser.parse_args()
    rules = Triager.load(cache_dir=ROOT / "var" / "cache", model=False)
    exclude = time_grams(rules)

    def fit(examples: list[tuple[str, int, float]]) -> Head:
        """One head, trained the same way for every fold and for the final model."""
        return train(examples, seed=SEED, exclude=exclude, keep=KEEP)

    rows = [r for path in SETS if path.exists() for r in load_rows(path)]
    texts = [rules.model_text(rules.normalised(r["text"])) for r in rows]
    ruled = [rules.triage(r["text"]).level for r in rows]
    labelled = [(i, lab) for i, r in enumerate(rows) if (lab := label(r["accept"])) is not None]
    rnd = random.Random(SEED)
    order = [i for i, _ in labelled]
    rnd.shuffle(order)
    fold = {i: k % FOLDS for k, i in enumerate(order)}
    lab = dict(labelled)
    red_lab = {i: (int(rows[i]["accept"] == ["red"]), 1.0) for i in order}
    distress_lab = {i: (int("none" not in r["accept"]), 1.0) for i, r in enumerate(rows)
                    if "none" not in r["accept"] or r["accept"] == ["none"]}
    distress_order = [i for i in order if i in distress_lab] + sorted(set(distress_lab) - set(order))
    for i in distress_order:
        fold.setdefault(i, i % FOLDS)
    oof: dict[int, float] = {}
    oof_red: dict[int, float] = {}
    oof_distress: dict[int, float] = {}
    for f in range(FOLDS):
        urgent_head = fit([(texts[i], *lab[i]) for i in order if fold[i] != f])
        red_head = fit([(texts[i], *red_lab[i]) for i in order if fold[i] != f])
        distress_head = fit([(texts[i], *distress_lab[i]) for i in distress_order if fold[i] != f])
        for i in order:
            if fold[i] == f:
                oof[i] = urgent_head.score(texts[i])[0]
                oof_red[i] = red_head.score(texts[i])[0]
        for i in distress_order:
            if fold[i] == f:
                oof_distress[i] = distress_head.score(texts[i])[0]
    threshold = max(pick_urgent(rows, ruled, oof), FLOOR)
    after = {i: ruled[i] if ruled[i] in ("orange", "red") else "orange" if oof[i] >= threshold else ruled[i]
             for i in oof}
    red_threshold = max(pick_red(rows, after, oof_red), RED_FLOOR)
    distress_threshold = max(pick_distress(rows, ruled, after, oof_distress), FLOOR)
    report(rows, ruled, oof, oof_red, threshold, red_threshold, after)
    report_distress(rows, ruled, after, oof_distress, distress_threshold)
    if args.curve:
        curve(rows, after, oof_red)
    urgent_final = fit([(texts[i], *lab[i]) for i in sorted(lab)])
    red_final = fit([(texts[i], *red_lab[i]) for i in sorted(red_lab)])
    distress_final = fit([(texts[i], *distress_lab[i]) for i in sorted(distress_lab)])
    final = Model(Head(urgent_final.weights, urgent_final.bias, threshold),
                  Head(red_final.weights, red_final.bias, red_threshold),
                  Head(distress_final.weights, distress_final.bias, distress_threshold))
    out = Path(args.out)
    final.dump(out)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB, {len(final.urgent.weights)} + "
          f"{len(red_final.weights)} + {len(distress_final.weights)} n-grams)")


def curve(rows: list[dict], after: dict[int, str], oof_red: dict[int, float]) -> None:
    """Out of fold: red recall and the share of orange lines turned red, by red threshold."""
    red = [i for i in oof_red if rows[i]["accept"] == ["red"]]
    orange_lines = [i for i in oof_red if rows[i]["accept"] == ["orange", "red"]]
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        got = sum(1 for i in red if after[i] == "red" or (after[i] == "orange" and oof_red[i] >= t))
        false_red = sum(1 for i in orange_lines if after[i] == "orange" and oof_red[i] >= t)
        print(f"  red threshold {t:.1f}: red recall {got / len(red):.3f}, orange lines turned red "
              f"{false_red / len(orange_lines):.3f}")


def _still_none(i: int, ruled: list[str], after: dict[int, str]) -> bool:
    return after.get(i, ruled[i]) == "none"


def pick_distress(rows: list[dict], ruled: list[str], after: dict[int, str], oof_d: dict[int, float]) -> float:
    """The lowest score that turns at most DISTRESS_BUDGET of the lines accepting only none yellow."""
    benign = [i for i in oof_d if rows[i]["accept"] == ["none"]]
    threshold = 1.0
    for t in sorted({round(oof_d[i], 3) for i in oof_d if _still_none(i, ruled, after)}, reverse=True):
        if sum(1 for i in benign if _still_none(i, ruled, after) and oof_d[i] >= t) / len(benign) > DISTRESS_BUDGET:
            break
        threshold = t
    return threshold


def report_distress(rows: list[dict], ruled: list[str], after: dict[int, str], oof_d: dict[int, float],
                    threshold: float) -> None:
    """Print what the distress head adds, out of fold: yellow lines found, none lines lost."""
    yellow = [i for i in oof_d if rows[i]["accept"] == ["yellow", "orange"]]
    benign = [i for i in oof_d if rows[i]["accept"] == ["none"]]
    found = sum(1 for i in yellow if _still_none(i, ruled, after) and oof_d[i] >= threshold)
    missed = sum(1 for i in yellow if _still_none(i, ruled, after))
    lost = sum(1 for i in benign if _still_none(i, ruled, after) and oof_d[i] >= threshold)
    print(f"distress threshold {threshold:.3f}: {found} of {missed} yellow lines graded none raised to yellow; "
          f"{lost} of {len(benign)} lines accepting only none raised")


def pick_urgent(rows: list[dict], ruled: list[str], oof: dict[int, float]) -> float:
    """The lowest score that adds at most BUDGET false alarms (lines accepting none)."""
    benign = [i for i in oof if "none" in rows[i]["accept"] and ruled[i] not in ("orange", "red")]
    total = sum(1 for i in oof if "none" in rows[i]["accept"])
    threshold = 1.0
    for t in sorted({round(oof[i], 3) for i in oof if ruled[i] not in ("orange", "red")}, reverse=True):
        if sum(1 for i in benign if oof[i] >= t) / total > BUDGET:
            break
        threshold = t
    return threshold


def pick_red(rows: list[dict], after: dict[int, str], oof_red: dict[int, float]) -> float:
    """The lowest score that turns at most RED_BUDGET of the orange (not red) lines red."""
    orange_lines = sum(1 for i in oof_red if rows[i]["accept"] == ["orange", "red"])
    candidates = [i for i in oof_red if after[i] == "orange"]
    threshold = 1.0
    for t in sorted({round(oof_red[i], 3) for i in candidates}, reverse=True):
        false_red = sum(1 for i in candidates if oof_red[i] >= t and rows[i]["accept"] != ["red"])
        if false_red / orange_lines > RED_BUDGET:
            break
        threshold = t
    return threshold


def report(rows: list[dict], ruled: list[str], oof: dict[int, float], oof_red: dict[int, float],
           threshold: float, red_threshold: float, after: dict[int, str]) -> None:
    """Print what the heads add, out of fold."""
    urgent = [i for i in oof if set(rows[i]["accept"]) <= {"orange", "red"}]
    benign = [i for i in oof if "none" in rows[i]["accept"]]
    red = [i for i in oof if rows[i]["accept"] == ["red"]]
    final = {i: "red" if after[i] == "orange" and oof_red[i] >= red_threshold else after[i] for i in oof}
    def share(lines: list[int], levels: dict[int, str] | list[str], want: tuple[str, ...]) -> float:
        return sum(1 for i in lines if levels[i] in want) / len(lines)
    print(f"{len(rows)} lines; thresholds urgent {threshold:.3f}, red {red_threshold:.3f} (out-of-fold)")
    print(f"urgent recall rules {share(urgent, ruled, ('orange', 'red')):.3f} -> "
          f"{share(urgent, final, ('orange', 'red')):.3f}; red recall {share(red, ruled, ('red',)):.3f} -> "
          f"{share(red, final, ('red',)):.3f}; false alarm {share(benign, ruled, ('orange', 'red')):.3f} -> "
          f"{share(benign, final, ('orange', 'red')):.3f}")

if __name__ == "__main__":
    main()
