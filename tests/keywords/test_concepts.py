"""One test per concept, rule and trap of the guide (tests/keywords/data/GUIDE.md)."""

from __future__ import annotations

import pytest

from keywords import Triager


@pytest.mark.parametrize("text, level", [
    # method and plan weigh more than feelings
    ("我已经存了很多安眠药", "red"),
    ("他今晚要去烧炭", "red"),
    ("我想死", "orange"),
    ("我想死，药已经备好了", "red"),
    # attempt just made vs past attempt
    ("我刚才吞了一瓶药", "red"),
    ("我初二的时候吞过药，被救回来了", "orange"),
    # farewell
    ("这是我最后一条消息了，大家再见", "red"),
    # third person weighs the same
    ("同桌说他不想活了", "orange"),
    ("同桌说他今晚就跳楼", "red"),
    # negation and time
    ("我没有想自杀，只是压力大", "yellow"),
    ("我不会想不开的", "yellow"),
    ("有没有不痛苦的死法", "orange"),
    # harm by and to others
    ("我爸喝醉了就用皮带抽我", "orange"),
    ("他拿着刀说现在就要杀了我", "red"),
    ("有人逼我交保护费，不交就打我", "orange"),
    ("补课老师摸我的大腿", "orange"),
    # distress, loss, disaster
    ("期中考试压力好大，睡不着", "yellow"),
    ("我外公去世了", "yellow"),
    ("地震后我一直很害怕", "yellow"),
])
def test_concept_levels(triager: Triager, text: str, level: str) -> None:
    assert triager.triage(text).level == level


@pytest.mark.parametrize("text", [
    "笑死我了", "累死了", "热死了", "饿死了", "困死了", "想死你了", "难死了", "吓死了", "气死了", "累得半死",
    "狼人杀我第一个被刀", "吃鸡又被杀了", "男主角最后死了", "杀青宴", "自杀式袭击的新闻", "细胞凋亡",
    "割地赔款", "跳远测试", "游乐园的跳楼机", "他跳槽了", "电脑死机了",
    "心理委员要怎么发现同学的异常情绪？",
    "我买了个紫砂壶", "zs来了吗",
])
def test_traps_are_none(triager: Triager, text: str) -> None:
    assert triager.triage(text).level == "none", triager.triage(text).as_dict()


@pytest.mark.parametrize("text", [
    "自 杀", "自、杀", "自殺", "想去紫砂", "想自鲨", "我想zisha", "ｚｉｓｈａ",
    "我想zs", "我想自杀😭😭", "我想自杀。。。。",
])
def test_evasions_keep_their_level(triager: Triager, text: str) -> None:
    assert triager.triage(text).level in ("orange", "red"), text


def test_traditional_red(triager: Triager) -> None:
    assert triager.triage("我決定明天跳樓，遺書已經寫好").level == "red"


def test_evidence_points_into_the_original(triager: Triager) -> None:
    text = "ｗｏ…我 想 自 殺😭"
    verdict = triager.triage(text)
    assert verdict.level == "orange"
    for ev in verdict.evidence:
        assert text[ev.start:ev.end] == ev.text
    assert any("殺" in ev.text for ev in verdict.evidence)


def test_same_message_same_verdict(triager: Triager) -> None:
    text = "我今晚就从宿舍楼顶跳下去"
    assert triager.triage(text) == triager.triage(text)
