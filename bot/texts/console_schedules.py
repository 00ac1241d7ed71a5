"""The console's texts for schedules (issue 17 item 3): escalation policies, key periods, the weekly
check-in rule."""

from __future__ import annotations

NAV_SCHEDULES = {"policies": "预警策略", "periods": "重点时期", "checkins": "每周报告规则"}
SCHEDULES_DONE = {"policy": "预警策略已保存：从现在起新开的案例按新策略通知（正在进行的通知链不变）。",
                  "period_add": "重点时期已添加。", "period_remove": "重点时期已删除。",
                  "checkins": "每周报告规则已保存。"}
SCHEDULES_READ_ONLY = "只有系统管理员可以修改；如需调整请联系管理员。"
POLICY_HEAD = "预警策略"
POLICY_HINT = ("红色和橙色预警会按下面的步骤依次通知老师，直到有人确认；"
               "每一步通知后等待所写的时间，没人确认再通知下一步。"
               "红色在最后一步之后还会按“重复间隔”再次通知所有人。修改只影响之后新开的案例。")
POLICY_LEVELS = {"red": "红色预警", "orange": "橙色预警"}
POLICY_COLUMNS = {"step": "步骤", "target": "通知对象", "wait": "之后等待", "repeat": "重复间隔"}
POLICY_TARGETS = {"on_duty": "值班老师", "backup": "备班老师", "leaders": "分管领导", "head_teacher": "班主任"}
POLICY_NO_REPEAT = "不重复"
POLICY_FIELDS = {"steps": "步骤（对象:等待时间，用逗号分开）", "repeat": "重复间隔（如 10m，不填为不重复）"}
POLICY_FORMAT = ("对象可写 on_duty（值班老师）、backup（备班老师）、leaders（分管领导）、"
                 "head_teacher（班主任）或本校一位老师的姓名；"
                 "等待时间写数字加 s（秒）、m（分钟）或 h（小时），例如 on_duty:5m,backup:5m,leaders:10m。")
POLICY_SAVE = "保存{level}策略"
POLICY_ERRORS = {
    "level": "只有红色和橙色预警有通知策略。",
    "steps": "请至少写一个步骤，例如 on_duty:5m。",
    "step": "步骤“{value}”要写成 对象:等待时间，例如 on_duty:5m。",
    "wait": "等待时间“{value}”要写成大于 0 的数字加 s、m 或 h，例如 30s、5m、2h。",
    "target": "通知对象“{value}”既不是 on_duty、backup、leaders、head_teacher，也不是本校老师的姓名。",
}
PERIOD_HEAD = "重点时期"
PERIOD_HINT = ("考试周、假期后返校、突发事件后等重点时期：在这些日期里，"
               "每周报告按这个时期自己的时间询问（不填则仍按每周规则），"
               "询问时会说明原因。名称含“假”或“节”的时期视为假期。")
PERIOD_COLUMNS = {"name": "名称", "from": "第一天", "to": "最后一天", "checkin": "报告时间", "actions": "操作"}
PERIOD_WEEKLY = "按每周规则"
PERIOD_NONE = "还没有重点时期。"
PERIOD_REMOVE = "删除"
PERIOD_ADD = "添加重点时期"
PERIOD_FIELDS = {"name": "名称（如 期末考试周）", "from": "第一天（YYYY-MM-DD）", "to": "最后一天（含当天）",
                 "checkin": "这段时间的报告时间（如 Mon,Wed,Fri 16:00，可不填）"}
PERIOD_ERRORS = {
    "name": "请填写名称。",
    "date": "日期请写 YYYY-MM-DD，例如 2027-01-10。",
    "range": "最后一天（{last}）早于第一天（{first}）。",
    "checkin": "报告时间要写成 星期 时间，例如 Fri 16:00 或 Mon,Wed,Fri 16:00（星期用 Mon Tue Wed Thu Fri Sat Sun）。",
}
CHECKIN_RULE_HEAD = "每周报告规则"
CHECKIN_RULE_HINT = ("每周按“询问时间”请每位心理委员报告（零报告也要报）；到“截止时间”还没报告的会再提醒一次；"
                     "再过“宽限”小时仍没有报告的，名单会发给心理老师。重点时期按那个时期自己的时间。")
CHECKIN_RULE_FIELDS = {"ask": "询问时间（如 Fri 16:00）", "deadline": "截止时间（如 Sun 20:00）",
                       "grace": "提醒后宽限（小时）"}
CHECKIN_RULE_NOW = "现在的规则：{ask} 询问，{deadline} 截止，提醒后 {grace} 小时把没报告的名单发给心理老师。"
CHECKIN_RULE_SAVE = "保存规则"
CHECKIN_RULE_ERRORS = {
    "schedule": ("询问和截止时间要写成 星期 时间，例如 Fri 16:00 或 Mon,Wed,Fri 16:00"
                 "（星期用 Mon Tue Wed Thu Fri Sat Sun）。"),
    "grace": "宽限请写 {low} 到 {high} 之间的整数（小时）。",
}
