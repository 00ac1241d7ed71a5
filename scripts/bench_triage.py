"""`make bench-triage`: full triage vs bare jieba.lcut over the same messages, each a whole process.

Two mixes (scripts/bench_corpus.py): the school mix (80% varied everyday text, 15% distress, 5%
crisis, composed from parts so that few sentences repeat) and an all-psychology mix (PsySUICIDE
valid lines, distress and crisis). Runs are interleaved (triage, jieba, triage, ...); medians of
RUNS runs. Prints the time spent on the messages and the whole process, the ratios to jieba, the
cold start (import plus dictionaries, jieba's cache kept in the data dir) and peak memory.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from bench_corpus import psychology_mix, school_mix  # noqa: E402

N = 50_000
RUNS = 5
PSY = ROOT / "tests" / "keywords" / "data" / "psysuicide_valid.jsonl"


# One measuring program; SETUP loads the tool (counted as cold start), CALL handles one message.
PROGRAM = """
import json, sys, time, resource, logging
from pathlib import Path
t0 = time.perf_counter()
{setup}
t1 = time.perf_counter()
msgs = json.load(open(sys.argv[1], encoding='utf-8'))
t2 = time.perf_counter()
for m in msgs:
    {call}
t3 = time.perf_counter()
print(json.dumps({{"cold": t1 - t0, "work": t3 - t2,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
TRIAGE = PROGRAM.format(
    setup="from keywords import Triager\ntr = Triager.load(cache_dir=Path(sys.argv[2]))\ntr.segmenter.warm()",
    call="tr.triage(m)",
)
JIEBA = PROGRAM.format(
    setup="import jieba\njieba.setLogLevel(logging.WARNING)\ntok = jieba.Tokenizer()\n"
          "tok.tmp_dir = sys.argv[2]\ntok.initialize()",
    call="tok.lcut(m)",
)


def run(code: str, data: Path, cache: Path) -> tuple[float, dict]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, str(data), str(cache)], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return time.perf_counter() - start, json.loads(out.stdout)


def measure(name: str, msgs: list[str], cache: Path) -> None:
    """Run both programs RUNS times interleaved over msgs and print the medians."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "messages.json"
        data.write_text(json.dumps(msgs, ensure_ascii=False), encoding="utf-8")
        run(TRIAGE, data, cache)  # warm jieba's cache in the data dir and the OS file cache
        run(JIEBA, data, cache)
        results: dict[str, list[tuple[float, dict]]] = {"triage": [], "jieba": []}
        for _ in range(RUNS):
            results["triage"].append(run(TRIAGE, data, cache))
            results["jieba"].append(run(JIEBA, data, cache))
    wall = {k: statistics.median(w for w, _ in v) for k, v in results.items()}
    work = {k: statistics.median(d["work"] for _, d in v) for k, v in results.items()}
    cold = statistics.median(d["cold"] for _, d in results["triage"])
    rss = max(d["rss_mb"] for _, d in results["triage"])
    print(f"\n{name}: {len(msgs):,} messages, {len(set(msgs)):,} distinct; median of {RUNS} interleaved runs")
    print(f"  messages only:  triage {work['triage']:.2f} s, jieba.lcut {work['jieba']:.2f} s, "
          f"ratio {work['triage'] / work['jieba']:.2f}")
    print(f"  whole process:  triage {wall['triage']:.2f} s, jieba.lcut {wall['jieba']:.2f} s, "
          f"ratio {wall['triage'] / wall['jieba']:.2f}")
    print(f"  triage cold start {cold:.2f} s (target < 1.5 s), peak memory {rss:.0f} MB (target < 200 MB)")


def main() -> None:
    cache = ROOT / "var" / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    real = [json.loads(line)["text"] for line in PSY.read_text(encoding="utf-8").splitlines() if line.strip()]
    measure("school mix (80% everyday, 15% distress, 5% crisis; ratio target <= 1.0)", school_mix(N), cache)
    measure("psychology mix (PsySUICIDE valid, distress, crisis; ratio target <= 2.0)", psychology_mix(N, real),
            cache)


if __name__ == "__main__":
    main()
