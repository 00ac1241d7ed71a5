"""Pinyin typed in letters keeps its level (the guide's variants): keywords.pinyin reads it with the lexicon."""

from __future__ import annotations

import pytest

from keywords import RANK, Triager
from keywords.pinyin import MIN_SYLLABLES


@pytest.mark.parametrize(("text", "level"), [
    ("wo yi jing chi le yi zheng ping an mian yao", "red"),         # spaced syllables
    ("jintian wanshang wo jiu qu tiantai", "red"),                   # syllables run together
    ("ｗｏ　ｂｕ　ｘｉａｎｇ　ｈｕｏ　ｌｅ", "orange"),                # full width, ideographic spaces
    ("wo hao xiang si，谁都别管我", "orange"),                        # pinyin beside characters
    ("ta ba wo da de quan shen dou shi shang", "orange"),             # third person, abuse
])
def test_pinyin_keeps_its_level(rules: Triager, text: str, level: str) -> None:
    assert rules.triage(text).level == level, text


@pytest.mark.parametrize("text", [
    "xiao si wo le jin tian de ke",          # hyperbole read as characters is still the trap
    "ni hao",                                 # too few syllables to be a sentence
    "今天emo了 ok",                            # English and abbreviations are left alone
    "I love you so much, see you tomorrow",
    "我们班的 Lily 和 Tom 今天去了图书馆",
    "mingtian qu tushuguan huan shu",         # an everyday sentence in pinyin
])
def test_everyday_pinyin_stays_below_orange(rules: Triager, text: str) -> None:
    assert RANK[rules.triage(text).level] < RANK["orange"], text


def test_read_characters_keep_the_span_of_their_syllables(rules: Triager) -> None:
    text = "jin wan jiu chi yao"
    norm = rules.normalised(text)
    assert norm.text == "今晚就吃药"
    assert [text[norm.starts[i]:norm.ends[i]] for i in range(len(norm.text))] == ["jin", "wan", "jiu", "chi", "yao"]
    # the evidence a counsellor sees points at what was typed
    verdict = rules.triage("wo yi jing chi le yi zheng ping an mian yao")
    assert any("an mian yao" in ev.text or "yao" in ev.text for ev in verdict.evidence)


def test_words_that_are_not_pinyin_end_a_run(rules: Triager) -> None:
    norm = rules.normalised("ok wo xiang si le")
    assert norm.text.startswith("ok ") and "想死" in norm.text
    assert rules.normalised("hello world").text == "hello world"
    assert MIN_SYLLABLES >= 3
