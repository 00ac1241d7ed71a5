"""The counsellor's commands (handlers/counsellor.py, handlers/staff_text.py): 收到, 回复, 记录, 跟进, 结案."""

from __future__ import annotations

# Labels: the command words (each also a button: `收到 12`, `案例 12`, `结案 12 已解决`) and the outcome names.
OPT_PENDING = "待处理"
OPT_HELP = "帮助"
OPT_ACK, OPT_REPLY, OPT_NOTE, OPT_CLOSE, OPT_FOLLOW_UP, OPT_CASE = "收到", "回复", "记录", "结案", "跟进", "案例"
OPT_SURE = "确认"  # `跟进 12 2026-12-05 确认`: a follow-up on a weekend or holiday, confirmed
OUTCOME_WORDS = {
    "resolved": "resolved", "已解决": "resolved", "解决": "resolved",
    "referred": "referred", "已转介": "referred", "转介": "referred",
    "false_report": "false_report", "误报": "false_report",
    "duplicate": "duplicate", "重复": "duplicate",
}
OUTCOME_NAMES = {"resolved": "已解决", "referred": "已转介", "false_report": "误报", "duplicate": "重复"}
OUTCOME_LIST = "、".join(OUTCOME_NAMES.values())
LABELS = ("OUTCOME_WORDS", "OUTCOME_NAMES", "OUTCOME_LIST")


def button(word: str, *args: object) -> str:
    """A command as a button: button(OPT_ACK, 12) -> `收到 12`."""
    return " ".join([word, *map(str, args)])


STAFF_ONLY = "只有心理老师和危机干预小组成员可以使用这个命令。"
STATUS_NAMES = {"new": "未接手", "acknowledged": "已接手", "in_progress": "处理中", "monitoring": "观察中",
                "closed": "已结案"}
USAGE = {  # keyed by the command words: `收到` alone answers with its usage
    OPT_ACK: "用法：收到 <案例号>，例如「收到 12」。",
    OPT_REPLY: "用法：回复 <编号或案例号> <内容>，例如「回复 K7M2QX9P 你好，我是心理老师……」或「回复 12 你好……」。",
    OPT_NOTE: "用法：记录 <案例号> <内容>，例如「记录 12 已与班主任沟通」。",
    OPT_CLOSE: f"用法：结案 <案例号> <结果> [说明]，结果写 {OUTCOME_LIST} 之一，例如「结案 12 已解决 已与家长沟通」。",
    OPT_FOLLOW_UP: "用法：跟进 <案例号> <日期>，例如「跟进 12 明天」「跟进 12 下周一」「跟进 12 12/05」。",
    OPT_CASE: "用法：案例 <案例号>，例如「案例 12」。",
}
SCHOOL_TIME = "北京时间"

FOLLOW_UP_SET = "案例 #{id} 转为观察中，下次跟进：{day}。当天早上 8 点会提醒。"
FOLLOW_UP_CONFIRM = "{day}是{why}，确定在这天跟进吗？"
WEEKEND = "周末"
ACKED = "已确认接手案例 #{id}。请尽快联系学生，处理进展可用「记录 {id} 内容」写下。"
ACKED_THREAD = "这是匿名来信，对话编号 {code}：回复学生请用「回复 {code} 内容」或「回复 {id} 内容」。"
ACKED_BY_OTHER = "案例 #{id} 已由 {name} 接手。"
ANOTHER_COUNSELLOR = "其他老师"
NOTED = "已记录到案例 #{id}。"
CLOSED = "案例 #{id} 已结案（{outcome}）。"
CLOSED_TOLD = "已在匿名对话 {code} 里给学生留下结案消息（附求助资源；7天内仍可用同一编号继续写）。"
CLOSED_UNACKED = "注意：案例 #{id} 结案时还没有人确认接手。已告诉收到预警的 {n} 位老师：由你结案。"
CLOSED_FOLLOW_UPS = "已取消这个案例的跟进提醒。"
REPORTER_THANKS = "你之前报告的同学情况已由心理老师处理，谢谢你。之后再发现情况，随时可以报告。"
PAGED_CLOSED = "案例 #{case_id} 已由 {name} 结案（{outcome}），无需再处理此预警。"
PICK_OUTCOME = (f"请选择案例 #{{id}} 的结案结果（{OUTCOME_LIST}），"
                "也可以在后面写说明，例如「结案 {id} 已解决 已与家长沟通」。")
PICK_DAY = "请写跟进日期，例如「跟进 {id} 明天」「跟进 {id} 下周一」「跟进 {id} 12/05」。"
REPLIED = "已回复匿名对话 {code}（案例 #{case_id}）。"
REPLIED_NO_PUSH = "已回复匿名对话 {code}（案例 #{case_id}）。学生选择了不接收通知，他们查看时会看到你的回复。"
ERRORS = {
    "unknown": "没有找到案例 #{id}。发送「待处理」查看案例列表。",
    "closed": "案例 #{id} 已经结案。",
    "outcome": f"结案结果请写：{OUTCOME_LIST}（也可以写 resolved、referred、false_report、duplicate）。",
    "thread": "没有找到编号为 {code} 的匿名对话（可能已结束）。",
    "no_thread": "案例 #{id} 不是匿名来信，没有可以回复的对话。",
    "past": "跟进日期不能早于今天。",
    "date": "看不懂这个日期。请写 明天、下周一、12/05、12-05 或 2026-12-05。",
    "no_referral": ("案例 #{id} 还没有转介记录，不能以「已转介」结案。请先记录监护人同意："
               "「转介同意 {id} <监护人> <当面|电话|书面>」（同时建立转介记录）；"
               "匿名来信需要学生本人先在对话里选择告诉老师自己是谁。"),
}
