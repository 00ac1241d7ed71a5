"""Round 9: the concept families written out from the out-of-fold misses of tune6 (issue 18), and the
over-broad parts they showed (收拾 alone as a threat, 掀 alone as touching, a roof 被掀 by a typhoon as
sexual harm, a relative's funeral as one's own).

The examples here are written to the guide, not taken from a labelled set, and graded by the rules
alone. Emptying the family file that carries an example must take it below its level. The everyday
sentences beside them share their words and stay below orange, with and without the learned model.
"""

from __future__ import annotations

from keywords import RANK, Triager

from .family_cases import round_tests

# (family file, example, level by the rules alone)
CASES = [
    # a wish to kill told with 把 (the object first); a pull to hurt a sibling
    ("violence", "我恨不得把那几个人都捅了", "orange"),
    ("violence", "我想去伤害我妹妹，这个念头停不下来", "orange"),
    # trapped while the water rises
    ("loss", "我们被困在地下车库了，水还在涨", "red"),
    # a bloodied blade found; pain needed to feel real; cuts multiplying
    ("selfharm", "洗手池边扔着沾血的纸巾和一片刀片", "orange"),
    ("selfharm", "只有疼的时候我才觉得自己是真实的", "orange"),
    ("selfharm", "胳膊上的伤又多了两条", "orange"),
    # not deserving the air one breathes; wishing tomorrow would not come
    ("burden", "像我这样的人活着都污染空气", "orange"),
    ("ending", "真希望明天不要来了", "orange"),
    # extortion by transfer; shamed on the confession wall
    ("bullying", "她们逼我每周把零花钱转给她们", "orange"),
    ("bullying", "有人把我挂到表白墙上骂", "orange"),
    # a teacher's ruler; a stepfather kicking, told with a long gap
    ("abuse", "数学老师拿戒尺打我手心", "orange"),
    ("abuse", "他继父昨天晚上在院子里当着邻居的面踹了他好几下", "orange"),
    # pills bought a box at a time until enough; with a time, a plan
    ("method", "这个月我在几个药店各买了一盒，应该够了", "orange"),
    ("method", "我在不同药店买了好几盒，攒够了，周五晚上就用", "red"),
    # a skirt lifted
    ("sexual", "体育课上有个男生掀了我的裙子", "orange"),
    # second pass (the rules alone against tune4-6): a note for afterwards told as "when you read this";
    # a sealed room with charcoal; an engine running in a locked garage; pills going in now
    ("farewell", "等你读到这封信的时候，我已经不在这里了，别难过", "red"),
    ("attempt", "他把卧室门缝都用胶带封住了，屋里在烧炭", "red"),
    ("method", "我手里攥着一板安眠药，现在正一粒一粒往嘴里放", "red"),
    # a stabbing with blood; arson with petrol and a day; a count at the riverside; one more step at the road
    ("violence", "楼下有人拿刀捅人了，地上都是血", "red"),
    ("violence", "他说周五放学就用汽油把那个教室点了", "red"),
    ("method", "我在江边了，数到十就下去", "red"),
    ("method", "站在马路边，总想往前多走一步", "orange"),
    # dragged into a toilet and locked in; hiding and calling for the police
    ("violence", "那几个人把他拖进厕所，门从里面锁上了", "red"),
    ("violence", "我躲在衣柜里，他还在外面找我，快报警", "red"),
    # kicked down the stairs by a drunk father; fresh knife marks on an ankle; words carved into a leg
    ("abuse", "他爸喝醉了一脚把他从楼梯上踹下去", "orange"),
    ("selfharm", "她脚踝上有好几道新的刀口", "orange"),
    ("selfharm", "他在小腿上用圆规刻了字", "orange"),
    ("violence", "有时候真想把他们都杀了", "orange"),
    # third pass: belongings left on a desk with a goodbye; a day set for oneself as the last; shoes left
    # by the water; ready at a time and "don't talk me out of it"; standing onto the sill; bleeding that
    # soaks a towel; being sold to a stepfather's friend; a whole bottle and numb limbs
    ("farewell", "她把银行卡放在我桌上，说了句对不起就走了", "red"),
    ("ending", "那是我给自己定的最后一天", "orange"),
    ("method", "我在水库边，鞋子脱了放在岸上", "red"),
    ("plan", "今晚十点，我都准备好了，别劝我", "red"),
    ("method", "我已经站到窗台上了", "red"),
    ("selfharm", "手腕一直在流血，毛巾都红透了", "red"),
    ("sexual", "后爸说要把我卖给他朋友", "orange"),
    ("attempt", "刚才那一瓶全喝下去了，现在手脚好麻", "red"),
    # fourth pass (the rules alone against tune2): pills finished with the heart racing; blood behind a locked
    # door and no answer; the lake at night where nobody is; poison poured ready; pills taken "don't tell mum";
    # "I'm going, don't look for me" to a parent; a count on the steps at the river; once everyone is asleep
    ("attempt", "我刚把一板药都吃完了，现在心跳得好快", "red"),
    ("attempt", "门锁着，地上有血流出来，敲门她不应", "red"),
    ("method", "我打算晚自习后去学校的人工湖，那边晚上没人", "red"),
    ("plan", "我把农药倒在杯子里了", "red"),
    ("plan", "我吃了药，你别告诉我妈", "red"),
    ("farewell", "爸，我走了，别找我", "red"),
    ("plan", "我在河边的石阶上了，数到三就下去", "red"),
    ("plan", "等全家睡着我就去楼顶", "red"),
    # fifth pass: "this time I won't stop halfway" with the pills; a burden gone tonight on the roof; a knife
    # brought on Monday; a fruit knife out and the chase on; held down and typing from hiding; all swallowed
    # and a goodbye; half the sleeping pills taken, the rest in a minute
    ("attempt", "这次不会再半途而废了，药比上次还多", "red"),
    ("burden", "今夜以后就少一个累赘了，天台上风很大", "red"),
    ("violence", "他说下周一带菜刀来，把那几个人砍了", "red"),
    ("violence", "他把水果刀掏出来了，现在在楼道里追着那个男生", "red"),
    ("violence", "他现在压着我，我躲在被子里偷偷发的", "red"),
    ("farewell", "药片全吞了，再见", "red"),
    ("method", "安眠药吃了一半，剩下的等会儿再吃", "red"),
    # sixth pass: one step further at the window with "don't talk me out of it"; not waking tomorrow
    ("method", "我已经站在窗边了，再往前一步就好了，别劝我", "red"),
    ("ending", "明天早上我就不会醒了，今晚吃完", "red"),
    # seventh pass: bare everyday words taken out of the orange and red concepts (below), and what they stood
    # for said whole: surrounded and made to pay; going to settle a score; a stranger's hotel tonight; cutting
    # again; hitting oneself
    ("bullying", "放学后被几个高年级围住了，他们要我交五十块钱", "orange"),
    ("violence", "她说要去找那个女生算账，说得挺吓人的", "orange"),
    ("sexual", "那个网友让我今晚去宾馆，不去就把视频发给我爸", "red"),
    ("selfharm", "我又开始割了，这次在脚踝", "orange"),
    ("selfharm", "我一生气就会打自己，打到脸肿", "orange"),
    ("attempt", "我吞了两节电池", "red"),
    ("sexual", "他总是让我留下来，摸我的头发和脸", "orange"),
    # one's own ending after a relative's death still counts
    ("ending", "奶奶去世了，我也活不了多久了", "orange"),
]

# everyday sentences that share these families' words: never orange (the learned model may queue yellow)
EVERYDAY = [
    "周末在家收拾房间，把旧书都整理好了",
    "妈妈说要把房间收拾干净才能出去玩",
    "我要教训一下这道错题，明天一定做对",
    "台风把我们家阳台的雨棚掀了，爸爸在修",
    "这周台风过后停课两天，她家的屋顶被掀了一半，现在住在亲戚家",
    "上周我们被困在电梯里十分钟，后来物业来了",
    "地理课讲了泥石流，被困的人要往两侧高处跑",
    "我买了三盒牛奶，够喝一周了",
    "我把旧手机送给表弟了，谢谢他的生日礼物",
    "生物课做实验，刀片上沾了一点血，是切到手指了",
    "我不想伤害他的感情，所以没说",
    "小彤的爷爷上周去世了，她回老家参加葬礼，昨天回来了，我说有事找我，她说谢谢",
    "外公的葬礼上，大家都在哭，谢谢老师来看我",
    "看到这封信的时候，你应该已经到家了吧，周末见",
    "早上七点在地铁站等下一趟车，人好多",
    "宿舍楼下有人在杀鱼，地上都是血",
    "我们在江边拍照，数到三一起跳起来",
    "这首歌叫《说一声再见》，毕业典礼上唱的",
    "一百天后见分晓，冲！",
    "我今天准备好了，明天考试别担心",
    "这次月考是最后一天了，考完就放假",
    "他在宿舍楼顶上晒被子",
    "我把西瓜划开了，大家快来吃",
    "我快崩了，作业太多了",
    "我吃了药了，有点困，先睡了",
    "感冒药泡好了，快喝",
    "老师说周末要带家长来，把这件事做个了断",
    "我爸说，我走了，别等我吃饭",
    "感冒药我吃了，医生说三天就好，谢谢关心",
    "安眠药吃了，医生开的，现在睡得好多了",
    "我妈现在按着我写作业，躲都躲不掉",
    "我考得还行，别担心我",
    # school life that used to page a counsellor: one ambiguous word was orange or red by itself
    "体育课我们光着脚在草地上跑",
    "下课大家围住老师问问题",
    "保安拦住了我们，说要登记",
    "学校让交钱买校服",
    "放学我妈叫爸爸来接我",
    "我的手机屏砸烂了",
    "妈妈在算账，说这个月花多了",
    "我们去堵车最严重的路口做调查",
    "作业我今天一定做掉",
    "今天洗了内衣和袜子",
    "奶奶胸部疼，去医院检查了",
    "暑假我们全家去宾馆住了一晚",
    "奶奶在地里割了一下午麦子",
    "数学课用圆规画圆",
    "网上买比店里划得来",
    "妈妈一刀刀切着土豆丝",
    "一松手气球就飞走了",
    "前面两辆车撞车了，堵了好久",
    "后事如何，且听下回分解",
    "他打自己的脸，说话前后矛盾",
    # eighth pass, more of the same (P成, 丑照, 亲我, 偷拍 and 砸他 stay: their child-language risks outweigh these)
    "打针的时候护士扎我，一点都不疼",
    "我的手机掉马桶里了",
    "放学路上被堵了一个小时",
    "我被逼着学钢琴，好烦",
    "我每周给奶奶打一次电话",
    "一群小狗围着我转",
    "他把纸剪烂了做手工",
    "猫突然闯进来，把我吓一跳",
    "烦得我直扯头发",
    "我用刀片削铅笔",
    "奶奶摸我的头说我长高了",
    "早死早超生，赶紧把作业写完",
    "仓鼠两天不吃东西会死吗",
    "我手机电死得快，要换电池了",
    "球被踢到围栏外了",
    "夏天我们跳下去游泳，水很凉",
    "老师说我们班跟踪我的学习进度",
    # ninth pass: check-in news that combines the rules' parts (a roof garden, a goodbye at graduation, the last
    # sports day, a grandmother's pills, hiding under the quilt to read) already stayed below; these did not
    "他从双杠上跳下来，扭到了脚",
    "我把零花钱都转给妈妈了，让她帮我存着",
    "我们约好了周六一起去爬山，东西都准备好了",
    "这周我们在天台上种了向日葵，长得很好",
    "毕业了，谢谢老师三年的照顾，大家再见啦",
    "奶奶每天都要吃降压药，我帮她分好了一周的药",
    "今晚熄灯后我们躲在被子里偷偷看小说",
    "给我最好的朋友：生日快乐，这个礼物送给你",
    # tenth pass: a relative's grave illness is the relative's ending; shutting oneself in to study
    "医生说我爷爷的病活不了多久了，我好难过",
    "我把自己关在房间里写了一下午作业",
]

# Round 10 moved two sentences out of EVERYDAY: sent to the psychology bot, with no context, a goodnight that says
# 我爱你们 reads like the last messages the model learned from, and water thrown over someone like the bullying it
# learned; the retrained model raises both (the rules keep them below orange), and a counsellor seeing them is the
# guide's safety bias, not a false alarm worth a frame that could mute a real goodbye.
RULES_ONLY_EVERYDAY = ["妈妈晚安，我爱你们", "他把水泼到我身上了，衣服全湿了"]

test_graded_by_the_rules, test_emptying_the_family_loses_its_examples, test_everyday_stays_below_orange = (
    round_tests(CASES, EVERYDAY))


def test_the_rules_keep_these_below_orange(rules: Triager) -> None:
    for text in RULES_ONLY_EVERYDAY:
        assert RANK[rules.triage(text).level] < RANK["orange"], text
