"""`make bench-triage`: full triage vs bare jieba.lcut over the same 50,000 messages, each a whole process.

Prints both wall times (median of 3 runs), the ratio, the cold start (import plus dictionaries, jieba's
cache kept in the data dir) and peak memory of the triage process.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

N = 50_000
RUNS = 5
ROOT = Path(__file__).resolve().parents[1]

# Realistic traffic: mostly everyday chat and check-ins, some distress, a few crises and traps.
EVERYDAY = [
    "明天几点集合？", "本周无异常情况", "心理委员培训的资料在哪里下载？", "今天的数学作业是第几页", "谢谢老师",
    "我们班下周去春游，大家都很开心", "周报：班级情况良好，同学们情绪稳定", "好的，收到", "图书馆几点关门？",
    "这次运动会我们班拿了第一名", "笑死，他又迟到了", "累死我了，今天值日", "打游戏被对面杀穿了", "食堂今天的饭还可以",
]
DISTRESS = [
    "最近压力好大，晚上睡不着", "爸妈总是吵架，我很烦", "我觉得自己没有朋友，好孤独", "期末考试好焦虑",
    "同桌最近总是叹气，也不怎么说话", "外婆去世了，我好想她",
]
CRISIS = [
    "我不想活了", "同桌说他今晚要去跳河", "我又开始划手了", "药我已经攒够了", "活着真的没意思", "我爸喝醉了就打我",
]


def messages(n: int) -> list[str]:
    rnd = random.Random(42)
    out = []
    for i in range(n):
        pool = rnd.choices([EVERYDAY, DISTRESS, CRISIS], weights=[80, 15, 5])[0]
        out.append(rnd.choice(pool) + ("" if i % 3 else rnd.choice(["", "。", "！", "😭", "……"])))
    return out


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


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "messages.json"
        data.write_text(json.dumps(messages(N), ensure_ascii=False), encoding="utf-8")
        cache = ROOT / "var" / "cache"
        cache.mkdir(parents=True, exist_ok=True)
        run(TRIAGE, data, cache)  # warm jieba's cache in the data dir
        run(JIEBA, data, cache)
        results: dict[str, list[tuple[float, dict]]] = {"triage": [], "jieba": []}
        for _ in range(RUNS):
            results["triage"].append(run(TRIAGE, data, cache))
            results["jieba"].append(run(JIEBA, data, cache))
    med = {k: statistics.median(w for w, _ in v) for k, v in results.items()}
    cold = statistics.median(d["cold"] for _, d in results["triage"])
    rss = max(d["rss_mb"] for _, d in results["triage"])
    print(f"messages: {N:,} (80% everyday, 15% distress, 5% crisis), median of {RUNS} whole-process runs")
    print(f"full triage process:   {med['triage']:.2f} s")
    print(f"bare jieba.lcut:       {med['jieba']:.2f} s")
    print(f"ratio triage / jieba:  {med['triage'] / med['jieba']:.2f}  (target <= 1.0)")
    print(f"triage cold start:     {cold:.2f} s  (import + lexicon + jieba from cache; target < 1.5 s)")
    print(f"triage peak memory:    {rss:.0f} MB  (target < 200 MB)")


if __name__ == "__main__":
    main()
