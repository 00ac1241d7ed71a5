"""Round 10: the concept families written out from the misses of tune7 (issue 18): a worry the member
checked and cleared (原来是在玩游戏) no longer counts at all, while an answer that confirms it or gives its
cause (原来是因为, 是真的) clears nothing; drowning oneself in a basin; dragged somewhere out of sight and
undressed; held in a hotel room; making someone pay with blood (偿命, 见红, 陪葬) with a weapon or a time;
the last day said outright.

The examples here are written to the guide, not taken from a labelled set, and graded by the rules
alone. Emptying the family file that carries an example must take it below its level. The everyday
sentences beside them share their words and stay below orange, with and without the learned model.
"""

from __future__ import annotations

import pytest

from keywords import Triager
from keywords.lexicon import load_lexicon

from .family_cases import round_tests

# (family file, example, level by the rules alone)
CASES = [
    # an attempt by water told by its effects on the body; a new attempt with everything ready
    ("attempt", "刚才我把脸埋进水里憋了很久，现在咳个不停，胸口好疼", "red"),
    ("attempt", "这回东西都备齐了，不会再失败", "red"),
    # dragged out of sight and undressed; held in a hotel room
    ("sexual", "有个男的把我拽到巷子里，正在解皮带", "red"),
    ("sexual", "那个叔叔把我堵在宾馆房间里不让走", "red"),
    ("violence", "他们把她拖到操场后面，在扒她衣服", "red"),
    # making someone pay with blood, with a weapon or a time
    ("violence", "他再敢碰我妹，我今晚就拿锤子去让他偿命", "red"),
    ("violence", "我兜里揣着刀，放学他们要是敢来，必须见红", "red"),
    # the last day, said outright on a day that is named
    ("farewell", "今天是我的生日，也是我最后一天", "red"),
    # low mood with a degree word between
    ("distress", "心情很低落，什么都不想做", "yellow"),
    # second pass: an attempt just made told by what it did (electricity, a fall survived, pills swallowed)
    ("attempt", "刚才咬了电线，被电了一下，现在说不出话", "red"),
    ("attempt", "刚从楼上下来了，没成，现在动不了", "red"),
    ("method", "药已经下肚了，头好晕", "red"),
    # a blade gone deep; a head broken against a wall
    ("selfharm", "刀片划下去，肉都翻开了", "red"),
    ("selfharm", "我用头撞墙，头破了", "red"),
    # not being needed, worth more dead, ending as a shrug
    ("burden", "这个家没我会更好", "orange"),
    ("burden", "我死了比活着有用", "orange"),
    ("ending", "就这么没了也行", "orange"),
    # a past attempt by its method; a hand sliding down; pushing someone off a floor
    ("attempt", "我初一的时候烧过炭", "orange"),
    ("sexual", "他老是把手放在我腰上往下滑", "orange"),
    ("violence", "你再惹我，我就把你从楼上推下去", "orange"),
    # going tonight to buy the means and take them alone
    ("plan", "今晚去药店买一百片安眠药，找个没人的地方吃掉", "red"),
    # third pass: killing by a named act with a means; a threat with where the target lives; a poison for a person
    ("violence", "他说明天要拿美工刀去捅小王", "red"),
    ("violence", "有人在群里说要去烧他家，还发了他家的门牌号", "red"),
    ("violence", "等放假就用农药把他毒死", "red"),
    # a jump promised to a live audience; a countdown that reached zero and no answer; a date after which one is gone
    ("violence", "他在直播间里说在线人数到一千就从窗户跳", "red"),
    ("plan", "她每天发一个数字，今天是0，电话也不接", "red"),
    ("ending", "5月20日，那天以后就没有我了", "red"),
    ("ending", "消失吧，都消失吧，包括我", "orange"),
    # humiliation with a sanitary pad and a photo; a chest bumped on purpose
    ("bullying", "她们把卫生巾贴在她床头拍照", "orange"),
    ("sexual", "那个男生总是故意撞我胸", "orange"),
    # fourth pass: happening now (a throat squeezed, beaten and hiding, dragged to a car, locked in and undressed)
    ("abuse", "我爸现在掐着我妈的脖子，她快喘不过气了", "red"),
    ("abuse", "他又在打我，我躲到衣柜里了", "red"),
    ("violence", "有个男人拽着我同学往车里拖", "red"),
    ("sexual", "他把门锁了，又要脱我衣服", "red"),
    # a knife brought and blood promised; a time, the water and a farewell; a pet entrusted with thanks
    ("violence", "放学我在门口等他，刀带了，不见血不走", "red"),
    ("farewell", "今晚十二点，学校后面的水库，有缘再见", "red"),
    ("farewell", "以后麻烦你照顾它了，谢谢你一直做我的朋友", "red"),
    # cutting behind a locked door nobody can open
    ("selfharm", "她在厕所拿刀片划自己，门反锁了，怎么叫都不开", "red"),
]

EVERYDAY = [
    "我兜里揣着零花钱去买文具",
    "爸爸把皮带解下来给我当跳绳的绳子",
    "他们把桌子拖到教室后面打扫卫生",
    "酒店房间的门卡不见了，前台又给了一张",
    "历史课讲了南京大屠杀，我们心情都很沉重",
    "今天是我在这个学校的最后一天，明天就转学了，舍不得大家",
    "我把手机插上插座充电了",
    "大家都在紧张备考，教室里很安静",
    "他从楼上下来了，没赶上车",
    "感冒药我已经吃了，好多了",
    "我摔破的膝盖已经不流血了，结痂了",
    "他家住哪我知道，周末去找他玩",
    "我们班在直播间看升旗仪式",
    "倒计时3、2、1，新年快乐！",
    "华妃是怎么死的来着？",
    "爷爷用农药给菜地打药",
    "用农药把虫子毒死了",
    "书包带勒着肩膀好疼",
    "我们躲到衣柜里玩捉迷藏",
    "明天去江边放风筝，有缘再见啦同桌",
    "我出门忘带钥匙，门锁了进不去",
]

test_graded_by_the_rules, test_emptying_the_family_loses_its_examples, test_everyday_stays_below_orange = (
    round_tests(CASES, EVERYDAY))

# A worry the member checked, and the answer that clears it: nothing of the worry counts (the counsellor is not
# paged for a game or a homework text), with and without the learned model.
CLEARED = [
    "有同学看到小李在本子上写“我想死”，我去问了，原来是他在抄课文里的台词",
    "有人说小王要跳楼，吓得我赶紧去找，原来他是在说游乐园的跳楼机",
    "好几个同学来问我小陈是不是自残了，原来她是上美术课被刻刀划了一下",
    "大家都以为小赵写了遗书，我问了他，是语文课的作文题目，写的是给十年后的自己",
]

# An answer that confirms the worry or gives its cause clears nothing.
# A helper asking what to do if they ever notice it, or how to comfort a friend: a procedure question, no one's crisis.
CLEARED += [
    "如果我发现同学有自伤的迹象，应该先告诉谁？",
    "请问怎么安慰心情不好的朋友？",
    # a check, and an answer the member was shown
    "同学看到小林手上有红印，我找他问，他给我看了，是用红笔写的单词",
]

NOT_CLEARED = [
    ("有同学担心小周想不开，我去问了，原来是因为她爸妈离婚了，她最近一直哭", "orange"),
    ("有同学担心小周想不开，我去问了，是真的，她说不想活了", "orange"),
    ("有同学说小孙要跳楼，我去问他，原来他真的已经站到天台边上了", "red"),
    # the sender is the one it happens to: not a helper's hypothetical
    ("如果有同学打我，我可以告诉谁吗", "orange"),
    # 说是 alone is the answer, not its harmlessness: here a confession
    ("小宝脸上有个巴掌印，我问他，他说是他妈打的", "orange"),
]


@pytest.mark.parametrize("text", ["z i s h a 的东西准备好了", "zs要用的东西都买好了"])
def test_pinyin_spelled_out_or_abbreviated_before_its_means(rules: Triager, text: str) -> None:
    assert rules.triage(text).level == "red", text


@pytest.mark.parametrize("text", CLEARED)
def test_a_cleared_worry_does_not_count(triager: Triager, rules: Triager, text: str) -> None:
    assert rules.triage(text).level == "none", text
    assert triager.triage(text).level == "none", text


@pytest.mark.parametrize(("text", "level"), NOT_CLEARED)
def test_a_confirmed_worry_keeps_its_level(rules: Triager, text: str, level: str) -> None:
    assert rules.triage(text).level == level, text


def test_any_step_expands_to_every_concept_that_says_something() -> None:
    lexicon = load_lexicon()
    rule = next(r for r in lexicon.rules if r.name == "cleared_worry")
    middle = rule.conjuncts[0][0][1].concepts
    levels = {lexicon.concepts[c].level for c in middle}
    assert {"suicide_word", "self_harm", "kill_other", "means", "low_mood"} <= set(middle)
    assert levels <= {"red", "orange", "yellow", "part"}
    assert "cleared" not in middle and "suspected" not in middle
