"""Round 5: the orange/yellow boundary, concept by concept (issue 18).

Abuse and sexual harm told the way a child tells them, self-harm acts and urges, severe bullying and
passive death wishes are orange, abuse happening now red (the safety bias: between yellow and orange
on death, self-harm, abuse or sexual harm, orange). Each example is graded by the rules alone and must
fall below orange when its family file is emptied; the everyday sentences beside them, which share
their words, stay none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from keywords import RANK, Triager

from .test_families import _without

# family file -> examples that are orange by the rules alone (written to the guide, not from a set)
ORANGE = {
    "abuse": [
        "我爸一生气就用晾衣杆打我，腿上全是印子",
        "继母拿开水泼过我的脚",
        "我从小被打到大，早就习惯了",
        "他们罚我不准吃饭，饿了一整天",
        "我妈不让我上桌，只能蹲在厨房吃",
    ],
    "sexual": [
        "地铁上有个男的一直贴着我蹭",
        "补课老师总是摸我大腿",
        "网友让我发更私密的照片",
        "我继父总在我洗澡的时候推门进来",
        "表哥趁没人把手伸进我衣服里",
        "继父把我压在床上，我好害怕",
    ],
    "selfharm": [
        "我昨晚又在胳膊上刻了字",
        "这个月我已经偷偷划了好几次",
        "我忍不住把头发一根根拔下来",
        "只有划了才好受一点",
        "我又用牙签扎指甲缝",
    ],
    "bullying": [
        "他们逼我跪着道歉，还录了下来",
        "几个人按着我往我嘴里塞纸",
        "高年级的每天抢我的零花钱",
        "他们拿打火机燎我的头发",
        "她们把我的午饭倒在地上让我捡起来吃",
    ],
    "ending": [
        "真希望睡着以后不用再醒过来",
        "每天醒来都在问自己为什么还要醒",
        "我想把自己从这个世界上删除",
        "没有什么活下去的理由了",
        "要是出车祸就好了",
        "好羡慕那些去世的人",
        "希望明天不会来",
    ],
}



# abuse happening now (a serious injury, confinement for a day and a night): red by the rules
RED = ["我妈打我打得我站不起来", "我被我爸关在阳台一天一夜了"]

CASES = [(family, text) for family, texts in ORANGE.items() for text in texts]

# everyday sentences sharing the new terms' words: none by the rules, no false alarm with the model
EVERYDAY = [
    "妈妈拿开水泡茶",
    "奶奶用开水烫碗筷",
    "放学我跟她一起走",
    "你就按着我说的做",
    "我用铅笔刀削铅笔",
    "她很活泼我很喜欢她",
    "理发师剪了我的头发，有点短",
    "希望考试早点结束",
    "这个游戏我不想再继续了",
    "早上困得不想睁开眼睛",
    "老师把通知发到班级群里了",
    "踢球的时候脚踢伤了",
    "期中考试连着考了一天一夜",
]


@pytest.mark.parametrize(("family", "text"), CASES)
def test_orange_by_the_rules(rules: Triager, family: str, text: str) -> None:
    assert rules.triage(text).level == "orange", (family, text)


@pytest.mark.parametrize("text", RED)
def test_abuse_now_is_red(rules: Triager, text: str) -> None:
    assert rules.triage(text).level == "red", text


@pytest.mark.parametrize("family", sorted(ORANGE))
def test_emptying_the_family_loses_its_examples(family: str, tmp_path: Path) -> None:
    without = _without(family, tmp_path)
    for text in ORANGE[family]:
        assert RANK[without.triage(text).level] < RANK["orange"], (family, text)


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_stays_none(triager: Triager, rules: Triager, text: str) -> None:
    assert rules.triage(text).level == "none", text
    # the model's distress head may queue one as yellow; it never pages
    assert RANK[triager.triage(text).level] < RANK["orange"], text
