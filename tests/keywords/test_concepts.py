"""One test per concept family, rule and trap of the guide (tests/keywords/data/GUIDE.md).

The sentences are written from the clinical taxonomy (direct, indirect, euphemistic, slang, third
person, past and present), one family at a time; none is taken from a labelled set.
"""

from __future__ import annotations

import pytest

from keywords import Triager

FAMILIES = {
    "ending": [
        ("我想死", "orange"), ("我真的不想活了", "orange"), ("活着真的好没意思", "orange"),
        ("要是能消失就好了", "orange"), ("好想从这个世界上消失", "orange"), ("我想一觉睡过去再也不要醒来", "orange"),
        ("我最近一直在想，要是哪天我不在了会怎么样", "orange"), ("我朋友说她好想消失", "orange"),
        ("室友最近总说活着没劲", "orange"), ("我想重开", "orange"), ("我想噶了", "orange"), ("bxhl", "orange"),
    ],
    "burden": [
        ("我觉得我就是家里的负担，没有我他们会过得更好", "orange"), ("我不配活着", "orange"),
        ("她说自己是个累赘", "orange"), ("我觉得我活着就是在浪费父母的钱", "orange"),
        ("如果我消失了，大家会不会好过一点", "orange"), ("我死了他们应该会开心吧", "orange"),
    ],
    "method": [
        ("有没有不痛苦的死法", "orange"), ("吃多少会死", "orange"), ("安眠药吃多少会死", "red"),
        ("有时候真想从楼上跳下去", "orange"),
        ("安眠药就藏在我的枕头下面，我想死", "red"), ("药我都准备好了", "red"),
        ("我现在在天台上，风好大，往下看好高", "red"), ("她坐在宿舍楼顶边上不肯下来", "red"),
        ("我已经在楼顶站了半个小时了", "red"), ("我站在桥上，想跳下去", "red"),
    ],
    "plan": [
        ("我今晚就从宿舍楼顶跳下去", "red"), ("我想好了，今晚就结束这一切", "red"), ("今天是我活着的最后一天", "red"),
        ("同桌说她已经把药攒够了，打算这周末吃掉", "red"), ("我决定了，等爸妈睡着就吃药", "red"),
        ("他说周五放学就去天台", "red"), ("明天考完试我就去卧轨", "red"),
    ],
    "farewell": [
        ("东西都准备好了，今晚以后谁都找不到我", "red"), ("我已经到江边了，不会再回来", "red"),
        ("这是我最后一次在群里说话，谢谢你们这些年", "red"),
        ("这是我写的最后一篇日记", "red"), ("妈妈，下辈子我还做你的孩子", "red"),
        ("对不起，我真的撑不下去了。等你们看到这封信的时候，我已经不在了", "red"),
        ("这是我最后一条消息了，大家再见", "red"), ("永别了，谢谢大家的照顾", "red"),
        ("我已经给爸妈写好了信，以后你们就不用操心我了", "red"), ("我把游戏账号和密码都给你，以后用不上了", "red"),
        ("他给我发消息说谢谢我这些年的照顾，以后不会再麻烦我了", "red"), ("今晚过后你们就再也不会看到我了", "red"),
        ("兄弟，我要走了，我的球鞋你留着，以后我也穿不上了", "red"), ("对不起大家，我先走一步了，别为我难过", "red"),
    ],
    "attempt": [
        ("我刚吞了一瓶安眠药", "red"), ("我把煤气打开了", "red"), ("卫生间里点了炭", "red"),
        ("我现在就在天台", "red"), ("喝了洗衣液，胃里像火烧", "red"),
        ("我刚吃了一整板安眠药，现在头好晕", "red"), ("我喝了半瓶消毒液，胃好疼", "red"),
        ("我刚才吃了好多片药，现在眼睛都睁不开了", "red"), ("我去年割过腕", "orange"),
        ("我上个月吃了一瓶药，后来被我妈发现送去医院了", "orange"), ("我上个月洗胃了", "orange"),
    ],
    "selfharm": [
        ("我手上的口子又多了几道", "orange"), ("我总是拿拳头砸墙，手都肿了", "orange"),
        ("我用小刀在大腿上刻字", "orange"),
        ("我割得好深，血根本止不住，我好害怕", "red"), ("刚才又割了，这次流了好多血，纸巾都湿透了", "red"),
        ("我又划手臂了", "orange"), ("他手腕上有好几道新的划痕", "orange"), ("我又用圆规扎自己了", "orange"),
        ("我经常用刀在手臂上划，划完就舒服了", "orange"), ("她袖子下面全是一道一道的疤", "orange"),
        ("我每天晚上都咬自己的手，咬到出血", "orange"), ("我有时候会拿头撞墙", "orange"),
        ("我割得很深，血一直在流", "red"), ("我把刀片贴在手腕上了", "red"),
    ],
    "abuse": [
        ("我爸每次喝醉都拿烟头烫我", "orange"), ("后妈经常把我关在厕所里不让出来", "orange"),
        ("我爸刚刚把我妈打晕了，她倒在地上一动不动", "red"),
        ("他现在在门外敲门，说不开门就撞进来，我一个人在家", "red"),
        ("我爸一喝酒就用皮带抽我，身上青一块紫一块", "orange"), ("我妈把我关在门外一整晚，不给我吃饭", "orange"),
        ("我爸把我锁在阳台上一整夜", "orange"), ("爸爸喝醉了就掐我脖子", "orange"), ("我妈拿衣架抽我", "orange"),
        ("我爸说我再考不好就打断我的腿", "orange"),
        ("我爸现在拿着菜刀在客厅，说要砍死我妈", "red"), ("我爸喝醉了拿着刀在砸门，我和妈妈躲在房间里", "red"),
    ],
    "sexual": [
        ("有个大叔在地铁上一直拿手机拍我裙底", "orange"), ("我的家教老师总是让我坐他旁边，手放在我大腿上", "orange"),
        ("网上有人一直给我发他下面的照片", "orange"), ("他亲了我的嘴，还让我别说出去", "orange"),
        ("继父晚上会进我房间摸我", "orange"), ("有个网友让我拍身体的照片发给他", "orange"),
        ("他说如果我不给钱就把我的照片发给我同学", "orange"), ("游戏里认识的一个哥哥让我开视频给他看身体", "orange"),
        ("我姐夫趁没人的时候总是抱我，还让我不要告诉别人", "orange"), ("有人拿我的裸照威胁我，让我再发更多", "orange"),
        ("叔叔让我别告诉妈妈，他一直摸我", "orange"),
    ],
    "bullying": [
        ("班上的人都孤立我", "yellow"), ("他们老是欺负我", "yellow"), ("我被排挤了，没人跟我玩", "yellow"),
        ("宿舍里的人说话都故意不带我", "yellow"), ("他们给我起难听的外号", "yellow"),
        ("他们把我堵在厕所里打，还拍视频发到群里", "orange"), ("他们逼我下跪还录了视频", "orange"),
        ("高年级的天天找我要钱，不给就打", "orange"), ("他们把我的丑照P成表情包发到班群", "orange"),
        ("他们把我的头按进马桶里，还拍下来笑", "orange"), ("他们说让我去死", "orange"),
    ],
    "violence": [
        ("他说总有一天要让那些人血债血偿", "orange"), ("我真想一刀捅了他", "orange"), ("她说她想毒死她后妈", "orange"),
        ("我已经把刀藏在书包里了，放学就去找他", "red"), ("他说明天要带汽油来烧了教室", "red"),
        ("我真想杀了他", "orange"), ("我真的很想弄死那个老师", "orange"), ("他们都该死", "yellow"),
        ("我明天要带刀去学校捅死那几个人", "red"), ("我已经想好了，明天在学校门口拿刀砍他", "red"),
        ("他现在就在我家门外，说要弄死我", "red"),
    ],
    "distress": [
        ("最近压力好大，晚上睡不着", "yellow"), ("我好想家，住校一点都不习惯", "yellow"),
        ("我觉得自己什么都做不好", "yellow"), ("和妈妈吵了一架，心里很难受", "yellow"),
        ("这几天一直提不起精神，上课老走神", "yellow"), ("每天都好累，不知道学习有什么意义", "yellow"),
        ("刚转学过来，一个认识的人都没有", "yellow"), ("成绩一直在下滑，爸妈对我很失望", "yellow"),
        ("我觉得好孤单", "yellow"), ("室友最近觉得自己很没用", "yellow"), ("离家太远了，我好想我妈", "yellow"),
    ],
    "loss": [
        ("我外婆走了，我好难过", "yellow"), ("我很想念去世的爷爷", "yellow"),
        ("我家的狗狗昨天死了，我哭了一晚上", "yellow"),
        ("地震以后一直不敢睡觉", "yellow"), ("洪水把我们家淹了，我现在每天都很害怕", "yellow"),
    ],
}


@pytest.mark.parametrize("family, text, level", [(f, t, lv) for f, cases in FAMILIES.items() for t, lv in cases])
def test_family_levels(triager: Triager, family: str, text: str, level: str) -> None:
    verdict = triager.triage(text)
    # orange accepts red (GUIDE): the learned model may raise an orange to red, saying it is its own
    by_model = level == "orange" and verdict.level == "red" and verdict.evidence[0].concept == "model"
    assert verdict.level == level or by_model, (family, verdict.as_dict())
    for ev in verdict.evidence:  # every verdict above none shows where in the text it comes from
        assert text[ev.start:ev.end] == ev.text and ev.text


@pytest.mark.parametrize("text, level", [
    # a time word makes a plan only when it attaches to an intent, means or place of the person at risk
    ("今天看到新闻说有个初中生跳楼了，好难过", "yellow"),
    ("今天考砸了，真想死", "orange"),
    ("昨天他说想死，今天好多了", "orange"),
    ("今天我看到他手腕上有划痕", "orange"),
    ("我今天又划手臂了，没有流血", "orange"),
    # negation: a thought denied is distress
    ("我没有想自杀，只是压力大", "yellow"),
    ("我不会想不开的", "yellow"),
    ("有没有不痛苦的死法", "orange"),
    ("我是不是消失了比较好", "orange"),  # 是不是 asks; it negates nothing
])
def test_over_escalation_and_negation(triager: Triager, text: str, level: str) -> None:
    assert triager.triage(text).level == level, triager.triage(text).as_dict()


@pytest.mark.parametrize("text", [
    "笑死我了", "累死了", "热死了", "饿死了", "困死了", "想死你了", "难死了", "吓死了", "气死了", "累得半死",
    "狼人杀我第一个被刀", "吃鸡又被杀了", "男主角最后死了", "杀青宴", "自杀式袭击的新闻", "细胞凋亡",
    "割地赔款", "跳远测试", "游乐园的跳楼机", "他跳槽了", "电脑死机了",
    "心理委员要怎么发现同学的异常情绪？",
    "我买了个紫砂壶", "zs来了吗",
    # play, lessons and stories
    "这游戏我又死了三次", "王者又被对面五杀了", "语文课学了屈原投江的故事", "小说里的主角最后自杀了",
    "历史课讲了项羽乌江自刎", "体育课练跳高和跳远", "刚刚地理课讲了地震是怎么形成的", "消防演练的时候大家都很认真",
    # everyday words that hold a risk character
    "账号密码忘了，怎么找回", "好的，明天见，拜拜", "他跳下床就跑了", "老师让我们划重点", "我每天早上都睡不醒",
    "刀削面真好吃", "我要把这个药带给奶奶", "他打我电话没接到", "周末我们去海边玩",
    # chores, crafts, letters and roofs in school life
    "手工课用小刀削木头", "妈妈在厨房杀鱼", "帮外婆用擀面杖擀面", "我们在天台上看星星", "楼顶种菜的社团招新",
"今晚我去同学家住，不回来了", "玩捉迷藏的时候他们找不到我了", "周末去河堤上放风筝",
        "我每天提醒外公吃降压药", "给老师写了感谢信，谢谢老师教我们画画", "周末在家收拾房间", "毕业前互相写告别信",
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


def test_news_frame_marks_its_evidence(triager: Triager) -> None:
    verdict = triager.triage("看到新闻说有个学生跳楼了")
    assert verdict.level == "yellow"
    assert any(ev.framed == "report" and "跳楼" in ev.text for ev in verdict.evidence)


def test_own_wish_after_news_is_not_framed(triager: Triager) -> None:
    assert triager.triage("看到新闻说有人跳楼，我也想跳楼").level in ("orange", "red")


def test_same_message_same_verdict(triager: Triager) -> None:
    text = "我今晚就从宿舍楼顶跳下去"
    assert triager.triage(text) == triager.triage(text)


# Round 3 families, written from the concepts (not from a labelled line): worth, exclusion and family
# distress yellow; life as torment, oneself as rubbish, the urge to cut orange; a seeping bandaged wound red.
ROUND3 = [
    ("我觉得自己在班里就是个透明人", "yellow"), ("我总是让爸妈失望，我就是个失败者", "yellow"),
    ("她们吃饭从来不叫我，还故意避着我", "yellow"), ("爸妈什么都围着弟弟转，没人在意我", "yellow"),
    ("他们总学我说话，然后哄堂大笑", "yellow"), ("一到考试就提心吊胆，手心全是汗", "yellow"),
    ("外公上周的葬礼我一直在哭", "yellow"), ("宿舍楼着火以后我晚上总是惊醒", "yellow"),
    ("最近一吃东西就想吐，觉得自己胖", "yellow"),
    ("活着对我来说就是在坐牢", "orange"), ("我就是个垃圾，扔掉最好", "orange"),
    ("好想拿刀片划一下", "orange"), ("为什么我还活着", "orange"), ("自hai的念头又来了", "orange"),
    ("伤口太深了，缠了好几层纱布还在渗血", "red"), ("我把书和耳机都送给同桌了，反正我也不想活了", "red"),
    ("他说要让他们付出代价，还在网上查过怎么做燃烧瓶", "red"),
]
# Ordinary life that looked like risk: one's own cold, a kitchen cut, a barbecue, a window chore,
# a grandparent's pills, an opener before nothing at all.
ROUND3_NONE = [
    "今天吃了好多药因为感冒", "发烧了，医生开的药一天吃三次", "我爸切菜的时候划了个小口子",
    "流鼻血了，天气太干", "周六在楼顶烧烤，炭我买好了", "我站在窗台上擦窗户，妈妈在下面扶着",
    "爷爷每天晚上要吃降压药，我提醒他", "有件事不知道该不该说", "我们在天台上看月亮",
]


@pytest.mark.parametrize(("text", "level"), ROUND3)
def test_round3_families(triager: Triager, text: str, level: str) -> None:
    assert triager.triage(text).level == level, text


@pytest.mark.parametrize("text", ROUND3_NONE)
def test_round3_everyday_is_none(triager: Triager, text: str) -> None:
    assert triager.triage(text).level == "none", text
