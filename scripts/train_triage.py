"""`make train-triage`: train the learned second opinion on the labelled sets in the repo.

Data: tests/keywords/data/{dev,psysuicide_valid,tune}.jsonl and tests/keywords/cases.tsv (never a
held-out file). Urgent lines (accepting only orange or red) are 1; lines accepting none, and
yellow lines at half weight, are 0; lines accepting yellow to red are left out. The threshold is
chosen on 5-fold out-of-fold scores: the lowest score at which the model, raising only messages the
rules grade below orange, adds at most BUDGET false alarms on lines accepting none. Fixed seed: the
same data gives the same keywords/data/model.json.
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
from keywords.model import train  # noqa: E402
from keywords.normalise import normalise  # noqa: E402

DATA = ROOT / "tests" / "keywords" / "data"
SETS = [DATA / "dev.jsonl", DATA / "psysuicide_valid.jsonl", DATA / "tune.jsonl",
        ROOT / "tests" / "keywords" / "cases.tsv"]
BUDGET = 0.005
FOLDS = 5
SEED = 18


def label(accept: list[str]) -> tuple[int, float] | None:
    """The training label and weight of a line, or None to leave it out."""
    if set(accept) <= {"orange", "red"}:
        return 1, 1.0
    if "none" in accept:
        return 0, 1.0
    if "red" not in accept:
        return 0, 0.5
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(DATA_DIR / "model.json"))
    args = parser.parse_args()
    rules = Triager.load(cache_dir=ROOT / "var" / "cache", model=False)
    rows = [r for path in SETS if path.exists() for r in load_rows(path)]
    texts = [normalise(r["text"], rules.lexicon.variants).text for r in rows]
    ruled = [rules.triage(r["text"]).level for r in rows]
    labelled = [(i, lab) for i, r in enumerate(rows) if (lab := label(r["accept"])) is not None]
    rnd = random.Random(SEED)
    order = [i for i, _ in labelled]
    rnd.shuffle(order)
    fold = {i: k % FOLDS for k, i in enumerate(order)}
    lab = dict(labelled)
    oof: dict[int, float] = {}
    for f in range(FOLDS):
        model = train([(texts[i], *lab[i]) for i in order if fold[i] != f], seed=SEED)
        for i in order:
            if fold[i] == f:
                oof[i] = model.score(texts[i])[0]
    benign = [i for i in oof if "none" in rows[i]["accept"]]
    urgent = [i for i in oof if set(rows[i]["accept"]) <= {"orange", "red"}]
    below = [i for i in oof if ruled[i] not in ("orange", "red")]
    threshold = 1.0
    for t in sorted({round(oof[i], 3) for i in below}, reverse=True):
        added = sum(1 for i in benign if ruled[i] not in ("orange", "red") and oof[i] >= t)
        if added / len(benign) > BUDGET:
            break
        threshold = t
    raised_fa = sum(1 for i in benign if ruled[i] not in ("orange", "red") and oof[i] >= threshold)
    raised_hit = sum(1 for i in urgent if ruled[i] not in ("orange", "red") and oof[i] >= threshold)
    rule_hit = sum(1 for i in urgent if ruled[i] in ("orange", "red"))
    print(f"{len(rows)} lines, {len(labelled)} labelled; threshold {threshold:.3f} (out-of-fold)")
    with_model = (rule_hit + raised_hit) / len(urgent)
    print(f"urgent recall rules {rule_hit / len(urgent):.3f} -> with model {with_model:.3f}; "
          f"false alarms added {raised_fa} of {len(benign)} ({raised_fa / len(benign):.3%})")
    final = train([(texts[i], *lab[i]) for i in sorted(lab)], seed=SEED)
    out = Path(args.out)
    type(final)(final.weights, final.bias, threshold).dump(out)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB, {len(final.weights)} n-grams)")


if __name__ == "__main__":
    main()
