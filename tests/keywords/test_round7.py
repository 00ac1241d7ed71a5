"""Round 7: the concept families widened from the out-of-fold misses of the tuning sets (issue 18).

A model trained without a tuning set still missed some of its lines; the families below were written
out from those concepts (the examples here are written to the guide, not taken from a labelled set) and
graded by the rules alone. Emptying the family file that carries an example must take it below its
level. The everyday sentences beside them share their words and stay below orange, with and without
the learned model.
"""

from __future__ import annotations

import pytest

from keywords import Triager

from .family_cases import round_tests

# (family file, example, level by the rules alone)
CASES = [
    # going to join the dead, with means; waking up in despair; not deserving to exist
    ("ending", "我要去找天上的外公了，药我都带够了", "red"),
    ("ending", "每天醒来第一件事就是想：怎么又醒了", "orange"),
    ("burden", "我觉得我根本没有存在的必要", "orange"),
    # a gift with a message to be understood later
    ("farewell", "我的画都送你了，过了今晚你就知道为什么", "red"),
    # a cord tied to a point to hang from; waiting for a train beside the tracks; an empty pill box
    ("method", "腰带已经系在上铺了", "red"),
    ("method", "我现在蹲在火车道旁边，等下一班车", "red"),
    ("method", "桌上几个空药盒，她嘴角有白沫", "red"),
    # a bag over the head tried; "this time it will work"
    ("attempt", "刚才把头套进塑料袋里试了一下，现在喘不上气", "red"),
    ("attempt", "这次吃的比上次多，这次一定能成功", "red"),
    # bleeding in a bath; one more scar
    ("selfharm", "她在浴缸里，水都红了，叫她也不应", "red"),
    ("selfharm", "疤又多了一道", "orange"),
    # abuse now: being beaten at this moment, "it goes on tonight", shut in without food
    ("abuse", "我爸又在打我妈，我躲在厕所里", "red"),
    ("abuse", "我爸今天用衣架抽我，说晚上回去要继续", "red"),
    ("abuse", "被舅舅关在地窖里，一天没吃东西了", "red"),
    # held down with "if you scream"; sexual harm told in a child's words
    ("sexual", "他把我按在床上，说我再叫就打我", "red"),
    ("sexual", "继父昨天晚上又进我的房间，对我做了那种事", "orange"),
    # a weapon carried with a time, a weapon with resolve, "fight him whatever it costs" with a weapon
    ("violence", "明天午休我就把装了钉子的棍子带到他们教室", "red"),
    ("violence", "他发了一把刀的照片，配文说到做到", "red"),
    ("violence", "我爸说要去找那个人拼命，现在拿着扳手出门了", "red"),
    # bullying with humiliation and extortion
    ("bullying", "他们逼他喝厕所里的水，还录了视频", "orange"),
    ("bullying", "三个男生每周向他索要钱财", "orange"),
]

# everyday sentences that share these families' words: never orange (the learned model may queue yellow)
EVERYDAY = [
    "这是我今天最后一条消息，去写作业了，明天见",
    "你再抢我的薯片我就杀了你，开玩笑的",
    "昨晚玩狼人杀，我当狼人第一晚就被毒死了，下局一定报仇",
    "小李打篮球被撞到鼻子，流了好多血，校医帮他止住了",
    "他发烧请了病假，在家吃药休息",
    "老师把包饺子的照片发到家长群了",
    "我们上了防性侵教育课，学会了保护自己",
    "这个月再长胖我就去撞豆腐",
    "转学前他给每个人都写了告别信，说以后来找他玩",
    "我在家擦窗户的时候坐在窗沿上，被妈妈叫下来了",
    "熬夜就是慢性自杀，今晚早点睡",
    "我要拼命学习，明天考试",
    "他们在打我们班，比分三比二",
]

# a sexual harm told as past (no time word attached, nothing "just now") is orange, not a page
PAST = ["继父以前趁我妈不在摸过我", "本周情况：周四开了班会。小雨说网友截图发给了她同学"]


test_graded_by_the_rules, test_emptying_the_family_loses_its_examples, test_everyday_stays_below_orange = (
    round_tests(CASES, EVERYDAY))


@pytest.mark.parametrize("text", PAST)
def test_past_sexual_harm_is_not_red(rules: Triager, text: str) -> None:
    assert rules.triage(text).level == "orange", text
