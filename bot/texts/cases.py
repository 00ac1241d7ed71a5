"""What staff read about cases in chat (handlers/case_view.py, case_words.py, head_teacher.py): 待处理, 案例, 帮助."""

from __future__ import annotations

# handlers/case_view.py
NO_CASES = "目前没有待处理的案例。"
PENDING_HEAD = "待处理案例（按紧急程度）："
PENDING_LINE = "#{id} {level} · {status}{holder} · 已开 {open_for} · {where} · {excerpt}{extra}"
HOLDER = "（{name}）"
NO_EXCERPT = "（无描述）"
UNANSWERED = "⚠ 超过{n}个工作日未回复"
FLAG_TEXTS = {  # keyed by the flag kinds of bot/services/crisis/abuse.py
    "flag_named_in_notes": "⚠ {days} 天内 {notes} 封匿名信提到「{name}」：可能是恶作剧或针对，请核实",
    "flag_false_reporter": "⚠ 报告人 {reporter} 已有 {false_reports} 次误报：请核实",
}
HELD_NOTE = "另有 {n} 条提醒因平台限制（微信 48 小时）未能送达，成员下次发消息时会补发。"
NOT_FOUND = "没有找到案例 #{id}。发送「待处理」查看案例列表。"
HEAD = "案例 #{id} · {level} · {status}\n来源：{where}\n负责：{holder}\n开案：{opened}（{zone}）{extra}"
WHERE_NOTE = "匿名信箱 编号 {code}"
WHERE_MAILBOX = "匿名信箱"
WHERE_GROUP = "{group}·{subject}"
NOBODY = "未接手"
HOLDER_SINCE = "（{at} 接手）"
FOLLOW_UP_LINE = "\n跟进：{note}"
REPORTS_HEAD = "—— 报告与来信 ——"
NOTE_LINE = "[{n}] {at} 匿名来信（{level}）：\n{text}"
CONCERN_LINE = "[{n}] {at} {reporter}报告（{level}）：\n同学：{subject}\n情况：{signs}\n描述：{text}"
A_MEMBER = "心理委员"
NO_SIGNS = "（未选）"
NO_TEXT = "（无）"
THREAD_HEAD = "—— 匿名对话 {code} ——"
THREAD_LINE = {"student": "{at} 【学生】{text}", "counsellor": "{at} 【老师】{text}", "bot": "{at} 【结案消息】{text}"}
EVENTS_HEAD = "—— 最近记录（{zone}） ——"
HELP_ANYONE = (
    "你可以：\n· 匿名心理信箱：写下想说的话，心理老师会看到并回复（不会知道你是谁）\n"
    "· 查看 <编号>：看老师的回复并继续对话\n· 求助热线：心理援助热线和紧急电话\n"
    "· 绑定 <邀请码>：心理委员或老师绑定身份\n"
    "· 取消：退出当前操作；菜单：回到主菜单"
)
HELP_MEMBER = "心理委员还可以：\n· 报告同学情况\n· 本周周报（无异常 / 有情况要报告）\n· 参加 / 请假：回复培训通知"
HELP_HEAD_TEACHER = ("班主任还可以：\n· 报告同学情况：本班学生的情况\n· 班级案例：和你共享的案例\n"
                     "· 我的跟进：你的跟进提醒")
HELP_STAFF = (
    "心理老师命令：\n· 待处理：未结案的案例\n· 案例 <案例号>：案例全部内容\n"
    "· 收到 <案例号>：确认接手（或直接回复「收到」）\n"
    "· 回复 <编号或案例号> <内容>：回复匿名学生\n· 查看 <编号>：看匿名对话\n· 记录 <案例号> <内容>：写处理记录\n"
    "· 跟进 <案例号> <日期>：约定跟进（明天、下周一、12/05）\n· 结案 <案例号> <已解决|已转介|误报|重复> [说明]"
)

# handlers/case_words.py: a case's timeline in words
ANSWERS = {"yes": "肯定（已按红色处理）", "no": "否定", "other": "未明确"}
DELIVERY = {"sent": "已送达", "undeliverable": "未能送达"}
DELIVERY_UNKNOWN = "送达情况未知"
WORDS = {
    "opened": "开案（{level}）",
    "mailbox_note": "收到匿名来信（{level}）",
    "report": "收到心理委员报告（{level}）",
    "escalation_started": "开始预警（{level}）",
    "paged": "已通知 {person}",
    "repaged": "再次提醒 {person}（接手后没有新进展）",
    "acknowledged": "{actor} 确认接手",
    "note": "{actor} 记录：{text}",
    "reply": "{actor} 回复学生：{text}",
    "follow_up_set": "{actor} 约定跟进：{on}",
    "follow_up_cancelled": "结案时取消了 {reminders} 条跟进提醒",
    "level_raised": "级别升高：{from} → {to}",
    "student_message": "学生发来新消息（{level}）",
    "direct_answer": "学生回答「是否有伤害自己或结束生命的想法」：{answer}",
    "sender_denied": "学生说是玩笑，已再次关心，案例保持开放",
    "closed": "{actor} 结案（{outcome}）{note}",
    "closed_unacknowledged": "结案时还没有人确认接手，已告诉收到预警的老师",
    "reopened": "学生在结案后再次来信，案例重新打开",
    "unreachable": "无法联系 {person}（没有绑定任何渠道）",
    "step_unreachable": "这一级的预警都没能送达，已转到下一级",
    "nobody_reached": "预警链上没有人能联系到，已通知全部心理老师和负责人",
    "escalation_exhausted": "预警链已走完，仍无人接手",
    "escalation_late": "预警比计划晚发出",
    "delivery": "预警{state}",
    "duty_gap": "值班表有空缺，跳过这一级",
    "no_backup": "没有备班老师，跳过这一级",
    "no_leaders": "没有设置危机干预小组负责人，跳过这一级",
    "no_head_teacher": "这个班没有班主任账号，跳过这一级",
    "unknown_person": "预警对象不存在，跳过这一级",
    "level_changed": "{actor} 更改级别：{from} → {to}（原因：{reason}）",
    "status_changed": "{actor} 更改状态：{status}",
    "assigned": "{actor} 把案例转给 {person}",
    "shared": "{actor} 与班主任 {person} 共享",
    "duplicate_of": "{actor} 标记为案例 #{case} 的重复",
    "duplicate_linked": "{actor} 把案例 #{case} 标记为本案例的重复",
}
OTHER = "其他记录"

# handlers/head_teacher.py
NOT_HEAD_TEACHER = "这个功能是给班主任的。"
SHARED_NONE = "目前没有和你共享的案例。你报告的同学情况或收到预警的案例会出现在这里。"
CASES_HEAD = "和你共享的案例（{zone}）："
CASE_LINE = "#{id} {level} · {status} · {subject} · 负责：{holder} · 开案 {opened}"
NO_SUBJECT = "（未写姓名）"
NO_TASKS = "目前没有需要你跟进的事项。"
TASKS_HEAD = "你的跟进提醒（{zone}）："
TASK_LINE = "{due} · 案例 #{case_id}"

OPT_CASES, OPT_TASKS = "班级案例", "我的跟进"  # the head teacher's menu buttons and commands
