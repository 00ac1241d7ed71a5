"""Round 8: the concept families written out from the misses of tune6 (on arrival) and of the out-of-fold
tuning sets (issue 18).

The examples here are written to the guide, not taken from a labelled set, and graded by the rules
alone. Emptying the family file that carries an example must take it below its level. The everyday
sentences beside them share their words and stay below orange, with and without the learned model;
a worry the member checked and found harmless counts at most yellow up to the answer, never after it.
"""

from __future__ import annotations

import pytest

from keywords import Triager
from keywords.verdict import RANK

from .family_cases import round_tests

# (family file, example, level by the rules alone)
CASES = [
    # a deed against others with a weapon and a time; a weapon carried in and "next lesson"
    ("violence", "后天升旗的时候我要带着汽油弹扔向欺负我的那几个人", "red"),
    # a blow with an object at the head by a parent, bleeding; a drunk parent with a knife, children hiding
    ("abuse", "她爸爸刚用烟灰缸砸了她的头，她满头是血", "red"),
    ("violence", "我妈喝醉了拿着菜刀在砸门，我跟弟弟躲在衣柜里", "red"),
    # held back at the railing; rescued from the water
    ("method", "他已经站在天台栏杆外面了，我们几个死死拉着他的衣服", "red"),
    ("method", "刚才被一个阿姨从湖里拉上来了，浑身都湿透了", "red"),
    # bleeding told by where it runs; cuts counted
    ("selfharm", "她的手腕割开了，血一直滴到地上", "red"),
    ("selfharm", "他在厕所划了好几刀", "orange"),
    # a bag over the head tried alone; a cord tied up just now
    ("attempt", "我周末一个人在家，用塑料袋套住头试过了", "red"),
    ("method", "刚刚用数据线把自己挂在了床架上", "red"),
    # poisoning told by its effects
    ("attempt", "地上有半瓶洁厕灵，她嘴里全是白沫，说胃在烧", "red"),
    # an online adult: holding a child in a car now; taking her away with a ticket and a secret
    ("sexual", "有个网友现在把我锁在他车里不让我下车", "red"),
    ("sexual", "网友说周五来接我走，车票他都买好了，叫我别告诉爸妈", "red"),
    # joining the dead "over there"; a roof door left open tonight; a countdown; debts settled
    ("farewell", "我好想去天上陪外婆，她一个人在那边一定很孤单", "orange"),
    ("method", "楼顶的门没锁，今晚我就上去", "red"),
    ("plan", "倒计时第二天，账号密码都写好了", "red"),
    ("farewell", "欠室友的钱都还清了，走的时候就干干净净的", "red"),
    ("plan", "我们三个约好了一起走，药都准备好了", "red"),
    # the cover story for a wound; a relapse
    ("selfharm", "手臂上的伤我跟妈妈说是被猫抓的", "orange"),
    ("selfharm", "戒了半年，今天又拿起了刀片", "orange"),
    # a gift to be opened tomorrow; burden told as the family's worry
    ("farewell", "信封里是我的东西，明天再打开，都给你们", "red"),
    ("burden", "我活着只会让全家为我操心", "orange"),
    # the plan told as decided; envying the dead; a harsh taste and its effects after drinking
    ("plan", "时间地点都定了，你们别劝我", "red"),
    ("ending", "我真羡慕那些已经去世的人", "orange"),
    ("attempt", "喝完了，味道好冲，现在头好晕", "red"),
    # a cut just finished (割完: a single 割 inside a longer word is not taken) and the blood running
    ("selfharm", "我刚割完，血都流到手机上了", "red"),
    # beaten unconscious, with "more when you are out of hospital"
    ("abuse", "她爸把她打到昏迷，还说出院了还要打", "red"),
]

# everyday sentences that share these families' words: never orange (the learned model may queue yellow)
EVERYDAY = [
    "我家猫咪今天蹭了我的腿好久",
    "楼下的流浪猫爬到二楼空调外机上，后来它自己跳下去了",
    "周末学骑自行车摔了好几次，腿上全是淤青",
    "她腿上的淤青是练跆拳道对练时踢的",
    "同学们以为她自残了，我问了她，其实是劳动课切菜切到了手指",
    "说一件虚惊一场的事：她半夜发消息说救救我，原来是作文没写完",
    "生物课学了细胞凋亡，就是细胞的自杀程序",
    "饿得我前胸贴后背，数学老师又拖堂了",
    "今晚的红烧肉好吃到我想哭",
    "我在玩一个游戏，主角要跳下悬崖才能过关，好难",
    "周末爬山，站在悬崖边上腿都软了，有护栏的",
    # long reports whose worry the member cleared in a later sentence: the model, reading the worried sentence
    # alone, does not raise it (keywords.frames.framed_whole)
    "汇报一件暖心的事：小林这周送了我一封很长的信，上面写着“谢谢你这几年一直陪着我”。我一开始有点紧张，"
    "后来才知道她给每个好朋友都写了一封，因为下个月就要毕业了。",
    "昨晚十二点她在群里发“救命 我要死了”，好几个同学吓得给她打电话。结果她说是物理卷子还没写完，明天要交。"
    "大家说了她一顿，现在没事了。",
    "寝室在追一部丧尸片，天天讨论世界末日你要怎么活下去，笑死了",
    # an exam countdown with thanks is no farewell countdown
    "高考倒计时一百天了，谢谢老师们这三年的照顾",
]

# the answer clears only what came before it: what is told after it still counts
AFTER_THE_ANSWER = [
    ("大家以为她只是心情不好，我问了她，其实是她已经割腕好几次了", "orange"),
    ("同学们以为他在开玩笑，其实是真的，他说今晚就去天台跳下去", "red"),
    # a character's wish is the story's; the sender's own, right after it, is not
    ("电影里男主想死，我也想死", "orange"),
]


test_graded_by_the_rules, test_emptying_the_family_loses_its_examples, test_everyday_stays_below_orange = (
    round_tests(CASES, EVERYDAY))


@pytest.mark.parametrize(("text", "level"), AFTER_THE_ANSWER)
def test_what_follows_the_answer_still_counts(rules: Triager, text: str, level: str) -> None:
    assert RANK[rules.triage(text).level] >= RANK[level], text
