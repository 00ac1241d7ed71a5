"""Each concept family carries its own examples: emptying a family's file loses them.

A family file (keywords/data/concepts_<family>.txt) is emptied of its terms (its headers stay, so
the rules still load); an example of that family must then fall below its level. Every family
file has an example here, so a new family cannot ship without one.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from keywords import RANK, Triager
from keywords.lexicon import DATA_DIR
from keywords.normalise import normalise

# family file -> (an example, its level with the whole lexicon)
EXAMPLES = {
    "ending": ("我真的不想活了", "orange"),
    "burden": ("我觉得我就是家里的负担，没有我他们会过得更好", "orange"),
    "method": ("有没有不痛苦的死法", "orange"),
    "plan": ("明天考完试我就去卧轨", "red"),
    "farewell": ("这是我最后一条消息了，大家再见", "red"),
    "attempt": ("我上个月洗胃了", "orange"),
    "selfharm": ("我又划手臂了", "orange"),
    "abuse": ("我妈把我关在门外一整晚，不给我吃饭", "orange"),
    "sexual": ("有个网友让我拍身体的照片发给他", "orange"),
    "bullying": ("班上的人都孤立我", "yellow"),
    "violence": ("我真想杀了他", "orange"),
    "distress": ("最近压力好大，晚上睡不着", "yellow"),
    "loss": ("我外公去世了", "yellow"),
    # traps, frames and procedure keep messages down: without them the example goes up
    "traps": ("自杀式袭击的新闻", "none"),
    "context": ("小说里的主角最后自杀了", "none"),
    "procedure": ("如果同学说想自杀，心理委员应该怎么办？", "none"),
}
RAISING = {"traps", "context", "procedure"}


def _without(family: str, tmp_path: Path) -> Triager:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / f"concepts_{family}.txt"
    kept = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.strip() or line.startswith("#")]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return Triager.load(data, cache_dir=tmp_path / "cache", model=False)


def test_every_family_file_has_an_example() -> None:
    families = {p.stem.removeprefix("concepts_") for p in DATA_DIR.glob("concepts_*.txt")}
    assert families == set(EXAMPLES)


@pytest.mark.parametrize("family", sorted(EXAMPLES))
def test_removing_a_family_loses_its_examples(triager: Triager, family: str, tmp_path: Path) -> None:
    text, level = EXAMPLES[family]
    assert triager.triage(text).level == level
    without = _without(family, tmp_path).triage(text).level
    if family in RAISING:
        assert RANK[without] > RANK[level], (family, without)
    else:
        assert RANK[without] < RANK[level], (family, without)


def test_lazy_boundary_check_gives_what_checking_first_would(tmp_path: Path) -> None:
    """Triage skips jieba when candidates make no finding; checking every message first agrees."""
    triager = Triager.load(cache_dir=tmp_path, model=False)
    data = Path(__file__).with_name("data")
    texts = [json.loads(line)["text"] for name in ("dev.jsonl", "psysuicide_valid.jsonl")
             for line in (data / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += [t for _, t in (line.split("\t", 1) for line in
                             Path(__file__).with_name("cases.tsv").read_text(encoding="utf-8").splitlines()
                             if line.strip() and not line.startswith("#"))]
    texts += ["我们去吃饭吧，好饿", "他跳上车就走了", "今天很累，先睡了", "我去天台晒被子", "刀在厨房"]
    skipped = 0
    for text in texts:
        norm = normalise(text, triager.lexicon.variants)
        eager = triager.matcher.find(norm.text)
        expected = triager.grade(norm, eager)[0] if eager else triager.triage("")
        assert triager.triage(text) == expected, text
        skipped += triager.grade(norm, triager.matcher.candidates(norm.text))[0].level == "none" if eager else 0
    assert skipped > 100  # the shortcut is taken on many real messages


def test_block_tokens_are_the_whole_text_tokens_there(tmp_path: Path) -> None:
    """jieba cut block by block (and cached) gives the tokens a whole-text cut gives in those blocks."""
    triager = Triager.load(cache_dir=tmp_path, model=False)
    seg = triager.segmenter
    data = Path(__file__).with_name("data")
    texts = [json.loads(line)["text"] for line in (data / "psysuicide_valid.jsonl").read_text(encoding="utf-8")
             .splitlines()[:300] if line.strip()]
    texts += ["死机了，我想死。。。", "a-b死 c", "我 不想活了", "自杀？zisha 自杀"]
    for text in texts * 2:  # the second round reads the cache
        whole = seg.tokens(text)
        for start in range(len(text)):
            end = start + 1
            around = seg.tokens_around(text, [(start, end)])
            covering = [t for t in whole if t[0] < end and start < t[1]]
            assert [t for t in around if t[0] < end and start < t[1]] == covering, (text, start)
