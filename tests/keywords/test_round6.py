"""Round 6: the concept families widened after the fourth tuning set (issue 18).

Each example is written here to the guide (not taken from a labelled set) and graded by the rules alone;
emptying the family file that carries it must take it below its level. The everyday sentences beside
them share their words and stay below orange, with and without the learned model.
"""

from __future__ import annotations

import pytest

from keywords import Triager

from .family_cases import round_tests

# (family file, example, level by the rules alone)
CASES = [
    # poisons and household chemicals swallowed, an overdose of ordinary medicine, told after the means
    ("method", "我刚喝了半瓶洁厕灵", "red"),
    ("method", "我把杀虫剂喝了", "red"),
    ("method", "吃了一整盒感冒药，现在好晕", "red"),
    ("attempt", "吃了爸爸的降压药，吃了好多，现在肚子好难受，头也好晕", "red"),
    # a time makes a plan of swallowing only lethal means or all of it
    ("plan", "今晚我就把药全部吃了", "red"),
    # farewells in a child's words
    ("farewell", "以后也不用了，我的滑板你拿去玩吧，周五以后就用不着了", "red"),
    ("farewell", "账号密码都发你了，记得帮我把照片删了，能删的都删了", "red"),
    ("ending", "累了，好想永远不开机", "orange"),
    ("ending", "感觉我在不在都一样", "orange"),
    ("ending", "真想退出这个人生", "orange"),
    # already up there
    ("method", "天台的门开着，我已经上来了，风好大", "red"),
    # threats told concretely, with a weapon and a time
    ("violence", "谁再笑我，我就找人把他腿打断", "orange"),
    ("violence", "明天放学我带着那把刀去车棚，那几个人一个都跑不了", "red"),
    ("violence", "我买了一根棒球棍，周五晚上就在校门口等他", "red"),
    # abuse: food and water denied, shut in without water now
    ("abuse", "后爸不让我吃晚饭，已经第二次了", "orange"),
    ("abuse", "我被关在杂物间里，门从外面锁了，不给水喝，嘴唇干裂", "red"),
    ("abuse", "我从小被我爸用皮带抽", "orange"),
    # sexual harm: an adult's remarks, forced into a car, held down and undressed, feeling dirty
    ("sexual", "补课老师总说我身材真好，还要单独约我出去", "orange"),
    ("sexual", "有个陌生男人想把我拉上车，说知道我家在哪", "red"),
    ("sexual", "那天晚上的事，我觉得自己好脏，不敢跟任何人说", "orange"),
    # bullying with humiliation and money taken
    ("bullying", "他们往我水杯里吐口水，还逼着给钱", "orange"),
    ("bullying", "他们把我的日记在班上念，又发到年级群里传", "orange"),
]

# everyday sentences that share these families' words: never orange (the learned model may queue yellow)
EVERYDAY = [
    "今晚记得吃药",
    "明天早上记得把药吃了",
    "明天记得把作业带到学校",
    "这周五可以把义卖的东西带到学校吗",
    "吃了一片感冒药，好多了",
    "爷爷在地里打农药，我去送水",
    "我的旧手机以后用不着了，送给弟弟用",
    "这次数学压轴题我直接原地去世",
    "你再抢我的鸡腿我就打断你的腿哈哈哈",
    "心理委员在班里发现同学不开心，是先告诉班主任还是先告诉心理老师？",
    "历史课讲了崇祯皇帝在煤山自缢，大家都很感慨",
    "语文课学了《屈原列传》，屈原投江的故事很感人",
    "新闻说有个农民喝了农药",
    "我演一个被打死的强盗，全场都笑翻了",
]

# a swallowing told in the past is a past attempt (orange), not one just made
PAST = ["她以前喝过百草枯，被救回来了", "我初二的时候吞过一整瓶安眠药"]

# graded none by the rules; the learned model may raise them (its evidence says so): 刚喝了 is a strong
# n-gram of the attempts it learned from. Left as a known limit of the model, not tuned away.
RULES_ONLY = ["妈我刚喝了家里的豆浆"]


test_graded_by_the_rules, test_emptying_the_family_loses_its_examples, test_everyday_stays_below_orange = (
    round_tests(CASES, EVERYDAY))


@pytest.mark.parametrize("text", PAST)
def test_a_past_swallowing_is_a_past_attempt(rules: Triager, text: str) -> None:
    assert rules.triage(text).level == "orange", text


@pytest.mark.parametrize("text", RULES_ONLY)
def test_everyday_none_by_the_rules(rules: Triager, text: str) -> None:
    assert rules.triage(text).level == "none", text
