"""Normalisation never raises and every evidence span indexes the original text (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from keywords import Triager
from keywords.normalise import normalise

RISKY = st.sampled_from(["自杀", "想死", "不想活了", "跳楼", "割腕", "安眠药", "今晚", "紫砂", "zisha", "死", "笑死"])
NOISE = st.text(alphabet=st.characters(codec="utf-8"), max_size=6)
MESSAGES = st.lists(st.one_of(RISKY, NOISE, st.sampled_from([" ", "、", "。。。", "😭", "ｚ", "\x00"])),
                    max_size=12).map("".join)


@given(st.text(max_size=200))
def test_normalise_never_raises(text: str) -> None:
    n = normalise(text)
    assert len(n.text) == len(n.starts) == len(n.ends)
    for s, e in zip(n.starts, n.ends, strict=True):
        assert 0 <= s < e <= len(text)


@settings(max_examples=300, deadline=None)
@given(MESSAGES)
def test_evidence_spans_index_the_original(triager: Triager, text: str) -> None:
    verdict = triager.triage(text)
    for ev in verdict.evidence:
        assert 0 <= ev.start < ev.end <= len(text)
        assert text[ev.start:ev.end] == ev.text
        assert ev.text.strip()


def test_spaced_and_full_width() -> None:
    assert normalise("自 杀").text == "自杀"
    assert normalise("活 着 没 意 思").text == "活着没意思"
    assert normalise("ＡＢＣ").text == "abc"
    assert normalise("我不想，活着真好").text == "我不想，活着真好"
