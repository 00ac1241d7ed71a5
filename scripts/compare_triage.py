"""Check that a code change leaves every verdict and every piece of evidence as it was.

    python scripts/compare_triage.py [REF]     (REF: a git ref, default main)

Exports REF's keywords/ code into a temporary directory with THIS tree's lexicon data and model
(keywords/data), so only the code differs, and triages in two processes, one per tree, every line of
tests/keywords/data/{dev,tune,tune2,tune3,psysuicide_valid}.jsonl and both `make bench-triage` mixes
(in order, repeats included: caches must not change an answer). Compares level, categories and every
field of every piece of evidence; prints the first differences and exits 1 if there is any.
Never reads a held-out file.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from bench_corpus import psychology_mix, school_mix  # noqa: E402

DATA = ROOT / "tests" / "keywords" / "data"
SETS = ["dev", "tune", "tune2", "tune3", "psysuicide_valid"]
N = 50_000

# Run in each tree: reads the messages (JSON list), writes one JSON line per verdict.
CHILD = """
import dataclasses, json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from keywords import Triager
import keywords
assert Path(keywords.__file__).resolve().parent == Path(sys.argv[1]).resolve() / "keywords", keywords.__file__
tr = Triager.load(cache_dir=Path(sys.argv[4]))
with open(sys.argv[2], encoding="utf-8") as f, open(sys.argv[3], "w", encoding="utf-8") as out:
    for m in json.load(f):
        v = tr.triage(m)
        out.write(json.dumps([v.level, list(v.categories), [dataclasses.astuple(e) for e in v.evidence]],
                             ensure_ascii=False) + "\\n")
"""


def messages() -> list[tuple[str, str]]:
    """(source, text) of every message checked."""
    out: list[tuple[str, str]] = []
    for name in SETS:
        for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append((name, json.loads(line)["text"]))
    real = [t for s, t in out if s == "psysuicide_valid"]
    out.extend(("school_mix", t) for t in school_mix(N))
    out.extend(("psychology_mix", t) for t in psychology_mix(N, real))
    return out


def main() -> None:
    ref = sys.argv[1] if len(sys.argv) > 1 else "main"
    msgs = messages()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        old = tmp / "old"
        old.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "keywords"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        shutil.rmtree(old / "keywords" / "data")
        shutil.copytree(ROOT / "keywords" / "data", old / "keywords" / "data")
        data = tmp / "messages.json"
        data.write_text(json.dumps([t for _, t in msgs], ensure_ascii=False), encoding="utf-8")
        results = {}
        for name, tree in (("old", old), ("new", ROOT)):
            out = tmp / f"{name}.jsonl"
            subprocess.run([sys.executable, "-c", CHILD, str(tree), str(data), str(out), str(tmp / "cache")],
                           check=True)
            results[name] = out.read_text(encoding="utf-8").splitlines()
    differ = [(i, o, n) for i, (o, n) in enumerate(zip(results["old"], results["new"], strict=True)) if o != n]
    by_source: dict[str, int] = {}
    for source, _ in msgs:
        by_source[source] = by_source.get(source, 0) + 1
    print(f"{len(msgs):,} messages ({', '.join(f'{s} {n:,}' for s, n in by_source.items())}), "
          f"{len({t for _, t in msgs}):,} distinct; {ref} vs this tree: {len(differ)} differ")
    for i, o, n in differ[:10]:
        print(f"  [{msgs[i][0]}] {msgs[i][1]}\n    {ref}: {o}\n    new:  {n}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
