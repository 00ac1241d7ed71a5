"""The segment stage for long messages: sentences, a risk buried among ordinary news found, a lesson's
death word left in its lesson, short messages on the whole-message path."""

from __future__ import annotations

from pathlib import Path

import pytest

import keywords.triager as triager_module
from keywords import Triager
from keywords.segments import SEGMENT_MIN_CHARS, long_message, sentences

NEWS_BEFORE = ("本周班级情况：周一进行了升旗仪式和队列训练，周二英语听写大部分同学都通过了，"
               "周三下午年级篮球赛我们班拿了第二名，大家都很开心。")
NEWS_AFTER = "周五下午大扫除，班级整体情况平稳，其他同学正常。"
BURIED = "周四小岚说她太累了，不想再撑下去了。"
LESSON = "周三语文课学了《屈原列传》，老师讲了屈原投江的故事，大家讨论了很久。"
REAL = "周四晚上小宋在宿舍说他准备好了，今晚就从六楼跳下去，被室友拦住了。"


@pytest.fixture(scope="module")
def triager(tmp_path_factory: pytest.TempPathFactory) -> Triager:
    return Triager.load(cache_dir=tmp_path_factory.mktemp("jieba"))


def whole_only(triager: Triager, text: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The level with the segment stage switched off (the message graded as one text)."""
    with monkeypatch.context() as m:
        m.setattr(triager_module, "long_message", lambda _text: [])
        return triager.triage(text).level


def test_sentences_keep_their_closing_quotes_and_spans() -> None:
    text = '周一大扫除。小何说"下次不会让你们看到了"。周五开班会！\n好的'
    parts = [text[a:b] for a, b in sentences(text)]
    assert parts == ["周一大扫除。", '小何说"下次不会让你们看到了"。', "周五开班会！\n", "好的"]
    assert sentences("。。！") == []


def test_only_long_messages_of_several_sentences_are_segmented() -> None:
    assert long_message("我不想再撑下去了。真的。") == []  # short: today's path
    one = "我" * SEGMENT_MIN_CHARS
    assert long_message(one) == []  # one sentence: nothing to split
    assert len(long_message(NEWS_BEFORE + BURIED + NEWS_AFTER)) == 3


def test_a_risk_buried_among_ordinary_news_is_found(triager: Triager, monkeypatch: pytest.MonkeyPatch) -> None:
    text = NEWS_BEFORE + BURIED + NEWS_AFTER
    assert whole_only(triager, text, monkeypatch) == "yellow"  # diluted in the whole check-in
    verdict = triager.triage(text)
    # found: orange by the rules' reading; since round 7 the learned red head reads 不想再撑下去了 as red
    # (the tuning writers label it red beside a plan more often than not), a page rather than a notice
    assert verdict.level in ("orange", "red")
    first = verdict.evidence[0]
    start = text.index(BURIED)
    assert start <= first.start < first.end <= start + len(BURIED)  # the span is in the original text
    assert text[first.start:first.end] == first.text


def test_a_lesson_framed_death_word_is_not_flagged(triager: Triager) -> None:
    text = NEWS_BEFORE + LESSON + NEWS_AFTER
    assert long_message(text)
    assert not triager.triage(text).urgent
    assert not triager.triage(LESSON).urgent  # the lesson's frame covers its own sentence


def test_a_frame_covers_its_own_sentence_a_real_risk_elsewhere_still_counts(triager: Triager) -> None:
    text = NEWS_BEFORE + LESSON + REAL + NEWS_AFTER
    verdict = triager.triage(text)
    assert verdict.level == "red"
    assert all(text.index(REAL) <= ev.start for ev in verdict.evidence if ev.level == "red")


def test_the_stage_never_lowers_and_leaves_short_messages_alone(triager: Triager,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for text in ("我不想再撑下去了", "今天数学课好无聊", BURIED, NEWS_BEFORE + REAL + NEWS_AFTER,
                 NEWS_BEFORE + NEWS_AFTER):
        before = whole_only(triager, text, monkeypatch)
        after = triager.triage(text).level
        if not long_message(text):
            assert after == before
        assert triager_module.RANK[after] >= triager_module.RANK[before]


def test_an_ordinary_sentence_alone_does_not_raise_a_long_message(triager: Triager,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # Alone, 周四周五按计划进行了期中复习 reads to the model like a short crisis note; without a term of
    # the lexicon a sentence is not asked, and the stage raises only to orange or red.
    text = NEWS_BEFORE + "周四周五按计划进行了期中复习。" + NEWS_AFTER
    assert triager.triage(text).level == whole_only(triager, text, monkeypatch)


def test_rules_alone_grade_long_messages_too(tmp_path: Path) -> None:
    rules = Triager.load(cache_dir=tmp_path, model=False)
    text = NEWS_BEFORE + REAL + NEWS_AFTER
    assert rules.triage(text).level == "red"
