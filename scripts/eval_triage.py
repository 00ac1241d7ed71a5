"""`make eval-triage`: accepted / red recall / urgent recall / false alarm and a confusion table per set.

Sets: tests/keywords/data/{dev,psysuicide_valid,tune,tune2,...,tune8,heldout,heldout2,...,heldout8}.jsonl
(those present), tests/keywords/cases.tsv, and --heldout FILE (or HELDOUT=FILE) for a held-out set kept outside.
For any file whose name starts with "heldout" only figures and the confusion table are printed,
never a line's text: held-out misses are not looked at while tuning. --misses lists the misses
of the other sets; --no-model grades with the rules alone.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from keywords import Triager  # noqa: E402
from keywords.evaluate import by_group, confusion, load_rows, score  # noqa: E402

DATA = ROOT / "tests" / "keywords" / "data"
SETS = [DATA / "dev.jsonl", DATA / "psysuicide_valid.jsonl", DATA / "tune.jsonl", DATA / "tune2.jsonl",
        DATA / "tune3.jsonl", DATA / "tune4.jsonl",
        DATA / "heldout.jsonl", DATA / "heldout2.jsonl", DATA / "heldout3.jsonl", DATA / "heldout4.jsonl",
        DATA / "tune5.jsonl", DATA / "heldout5.jsonl", DATA / "tune6.jsonl", DATA / "heldout6.jsonl",
        DATA / "tune7.jsonl", DATA / "heldout7.jsonl", DATA / "tune8.jsonl", DATA / "heldout8.jsonl",
        ROOT / "tests" / "keywords" / "cases.tsv"]


def is_heldout(path: Path) -> bool:
    """Held-out files show figures only."""
    return path.name.startswith("heldout")


def report(triager: Triager, path: Path, misses: bool) -> None:
    """Print the figures, the confusion table and (not for held-out) the misses of one set."""
    rows = load_rows(path)
    predicted = [triager.triage(r["text"]).level for r in rows]
    print(f"\n== {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name}")
    print("  " + score(rows, predicted).line())
    for field in ("style", "category"):
        if any(field in r for r in rows) and "labels" not in rows[0]:
            print(f"  by {field}:")
            for name, s in by_group(rows, predicted, field):
                print(f"    {name:<14} " + s.line())
    if "labels" in rows[0]:
        print(confusion(rows, predicted, key=lambda r: "+".join(r["labels"])))
    print(confusion(rows, predicted))
    if misses and not is_heldout(path):
        wrong = [(r, p) for r, p in zip(rows, predicted, strict=True) if p not in r["accept"]]
        print(f"  misses ({len(wrong)}):")
        for r, p in wrong:
            print(f"    {r.get('id', '-')}\t{'/'.join(r['accept'])}\t-> {p}\t{r['text']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--heldout", default=os.environ.get("HELDOUT", ""), help="a held-out set outside the repo")
    parser.add_argument("--misses", action="store_true", help="list misses (never of a held-out set)")
    parser.add_argument("--only", default="", help="comma-separated file names to evaluate")
    parser.add_argument("--no-model", action="store_true", help="the rules alone, without the learned model")
    args = parser.parse_args()
    started = time.perf_counter()
    triager = Triager.load(cache_dir=ROOT / "var" / "cache", model=not args.no_model)
    print("rules and learned model" if triager.model else "rules alone")
    paths = [p for p in SETS if p.exists()]
    if args.heldout:
        extra = Path(args.heldout)
        if not is_heldout(extra):
            parser.error("--heldout takes a file whose name starts with 'heldout'")
        if not extra.exists():
            parser.error(f"{extra}: no such file")
        paths.append(extra)
    if args.only:
        wanted = set(args.only.split(","))
        paths = [p for p in paths if p.name in wanted]
    for path in paths:
        report(triager, path, args.misses)
    print(f"\n({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
