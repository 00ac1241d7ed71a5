"""Varied messages for `make bench-triage`, composed from parts so that few repeat.

Everyday school and chat text (80% of the school mix), distress (15%) and crisis (5%), each built
from a subject, a time, an activity and a remark drawn at random with a fixed seed: tens of
thousands of distinct sentences, not a handful repeated (a repeated sentence flatters caches).
"""

from __future__ import annotations

import random

WHO = ["我", "我们班", "同桌", "小明", "班长", "我妈", "我爸", "老师", "我们宿舍", "学习委员", "隔壁班的同学", "我弟弟",
       "我和同学", "英语老师", "我们小组", "室友", "表姐", "体育委员", "前桌", "我们年级"]
WHEN = ["今天", "明天上午", "下午", "周三", "下周", "刚才", "昨天晚上", "周末", "早上", "中午", "放学后", "课间",
        "晚自习的时候", "月底", "这学期", "上周五", "假期里", "开学第一天", "期中以后", "国庆节"]
DOING = ["去图书馆借书", "上数学课", "打篮球", "交作业", "排练节目", "去食堂吃饭", "做实验", "出黑板报", "参加运动会",
         "背单词", "开班会", "去春游", "练习跑步", "整理书包", "看电影", "写作文", "讨论小组作业", "打扫教室",
         "去超市买文具", "练钢琴", "参观博物馆", "做眼保健操", "升旗", "坐公交回家", "写周记", "改错题", "踢足球",
         "学游泳", "准备演讲", "画手抄报", "给植物浇水", "去医务室量体温", "听讲座", "选课代表", "收快递"]
REMARK = ["挺好的", "还行吧", "太有意思了", "人好多", "有点晚了", "大家都很开心", "效果不错", "比上次快", "下次还想去",
          "有点难但是学会了", "老师表扬了我们", "终于做完了", "天气很好", "收获很大", "时间有点紧", "记得带水",
          "哈哈哈", "笑死了", "累死了但是很开心", "饿死了快去吃饭", "热死了", "好期待", "不太顺利但还好"]
ASK = ["几点集合？", "在哪里？", "要带什么？", "谁知道作业是哪几页？", "可以请假吗？", "要穿校服吗？",
       "报名截止到什么时候？", "在几楼？", "要交多少钱？", "有人一起吗？", "老师在办公室吗？", "能改到明天吗？"]
CHAT = ["好的收到", "谢谢老师", "哈哈哈哈", "明白了", "没问题", "晚安", "早上好", "辛苦了", "加油！", "好耶",
        "我到了", "等我一下", "马上来", "不客气", "了解", "在吗", "嗯嗯", "好滴", "👍", "🤣🤣"]
REPORT = ["本周班级情况良好，同学们情绪稳定。", "本周无异常情况。", "这周大家都在准备期中考试，氛围比较紧张但积极。",
          "班里同学相处融洽，没有发现需要关注的情况。", "本周开展了主题班会，同学们参与积极。"]
TRAPS = ["狼人杀我第一晚就被刀了", "吃鸡又被对面杀穿了", "电脑死机了", "体育课测跳远", "游乐园的跳楼机太刺激了",
         "历史课讲了割地赔款", "生物课学了细胞凋亡", "这道题难死了", "想死你了什么时候回来", "他跳槽去了新公司"]

FEELING = ["压力好大", "睡不着", "心情很差", "好焦虑", "很孤独", "不想上学", "好烦", "总是想哭", "觉得自己很没用",
           "跟爸妈吵架了", "很想家", "被同学孤立了", "考砸了很难过", "做噩梦", "吃不下饭", "心里很乱", "一直很紧张"]
CAUSE = ["最近", "期中考试前", "这几天", "自从转学以后", "爸妈离婚以后", "外婆去世以后", "每次考试前", "到了晚上",
         "住校以后", "成绩下降以后", "和好朋友闹矛盾以后", "一个人的时候"]
CRISIS = ["不想活了", "活着没意思", "想自杀", "又开始划手了", "药已经攒够了", "今晚就去天台", "想从楼上跳下去",
          "觉得自己是个累赘", "想消失", "写好了遗书", "爸爸喝醉了就打我", "他们逼我交钱不交就打", "想一觉睡过去不醒来"]
CRISIS_WHO = ["我", "同桌说他", "室友说她", "我朋友", "班里有个同学说自己", "小李在朋友圈说他"]
TAILS = ["", "", "", "。", "！", "……", "😭", "。。。", "？"]


def everyday(rnd: random.Random) -> str:
    """One everyday school or chat message."""
    kind = rnd.random()
    if kind < 0.45:
        return f"{rnd.choice(WHO)}{rnd.choice(WHEN)}{rnd.choice(DOING)}，{rnd.choice(REMARK)}"
    if kind < 0.65:
        return f"{rnd.choice(WHEN)}{rnd.choice(DOING)}{rnd.choice(ASK)}"
    if kind < 0.82:
        return rnd.choice(CHAT) + rnd.choice(["", "", f"，{rnd.choice(WHEN)}见", f"，{rnd.choice(REMARK)}"])
    if kind < 0.92:
        return rnd.choice(REPORT) + f"{rnd.choice(WHO)}{rnd.choice(WHEN)}{rnd.choice(DOING)}，{rnd.choice(REMARK)}。"
    return rnd.choice(TRAPS) + rnd.choice(TAILS)


def distress(rnd: random.Random) -> str:
    """One message of everyday distress."""
    return f"{rnd.choice(['我', '同桌', '室友', '我朋友'])}{rnd.choice(CAUSE)}{rnd.choice(FEELING)}" \
           f"{rnd.choice(['', '，' + rnd.choice(FEELING)])}{rnd.choice(TAILS)}"


def crisis(rnd: random.Random) -> str:
    """One crisis message."""
    return f"{rnd.choice(CAUSE)}，{rnd.choice(CRISIS_WHO)}{rnd.choice(CRISIS)}{rnd.choice(TAILS)}"


def school_mix(n: int, seed: int = 42) -> list[str]:
    """80% everyday, 15% distress, 5% crisis."""
    rnd = random.Random(seed)
    makers = rnd.choices([everyday, distress, crisis], weights=[80, 15, 5], k=n)
    return [make(rnd) for make in makers]


def psychology_mix(n: int, real: list[str], seed: int = 43) -> list[str]:
    """All psychology text: real counselling and social-media lines, distress and crisis messages."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        roll = rnd.random()
        out.append(rnd.choice(real) if roll < 0.6 else distress(rnd) if roll < 0.85 else crisis(rnd))
    return out
