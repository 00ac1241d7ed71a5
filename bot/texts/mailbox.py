"""The anonymous mailbox (handlers/mailbox.py): writing a note, its thread, and reading replies."""

from __future__ import annotations

ASK_NOTE = (
    "这里是匿名心理信箱。信箱不会记录你是谁，心理老师只会看到一个编号。"
    "请把想说的话写下来，一次发送即可（2000字以内）。如果你现在有危险，请马上拨打{emergency}。"
)
EMPTY = "好像没有收到文字，请把想说的话写下来再发送。回复「取消」返回。"
TOO_LONG = "内容有点长，请精简到2000字以内，或分几次写。回复「取消」返回。"
RATE_LIMITED = "今天的匿名信已经很多了，请明天再写。如果你现在有危险，请拨打{emergency}或心理援助热线{hotline}。"
RECEIVED = (
    "信已收到，谢谢你愿意写下来。你的编号是 {code}，请记好它：发送「查看 {code}」可以看到心理老师的回复，"
    "并继续和老师对话。老师一般会在工作日内回复。老师回复时需要通知你吗？"
)
KEPT_PUSH = "这段话也已经放进你的匿名对话（编号 {code}），老师会一起看到。老师回复时需要通知你吗？"
PUSH_ON = "好的，老师回复时会通知你。也可以随时发送「查看 {code}」。"
PUSH_OFF = "好的，不会推送通知。请随时发送「查看 {code}」查看老师的回复。"
NO_THREAD = "没有找到编号为 {code} 的对话，请检查编号是否正确（对话结束7天后编号会失效）。"
THREAD_VIEW = "编号 {code} 的对话：\n{lines}\n\n直接输入文字即可回复老师；回复「菜单」返回。"
LINE = {"student": "【你】{text}", "counsellor": "【心理老师】{text}", "bot": "【心桥】{text}"}
STAFF_VIEW = "匿名对话 {code}（案例 #{case_id}）：\n{lines}\n\n回复学生：回复 {code} <内容>"
STAFF_LINE = {"student": "【学生】{text}", "counsellor": "【老师】{text}", "bot": "【结案消息】{text}"}
NO_REPLY_YET = "（老师还没有回复，请耐心等待。）"
REPLY_PUSH = "心理老师回复了你（编号 {code}）：\n{text}\n\n发送「查看 {code}」可以继续对话。"
OFFER = "听起来你最近不太好受，谢谢你说出来。要把刚才这段话放进匿名心理信箱，让心理老师看到并回复你吗？"
WARM = (
    "我在这里，谢谢你愿意说。我可以帮你把这段话放进匿名心理信箱，心理老师会看到并回复你（不会知道你是谁）；"
    "想直接找人聊，可以打心理援助热线，或者找学校的心理老师。要把刚才这段话放进匿名信箱吗？"
)
KEPT = "我记下了，你写的这几段话都会在一起。要把它们放进匿名心理信箱，让心理老师看到并回复你吗？"
OFFER_DECLINED = "好的。想说的时候随时可以找我，也可以拨打心理援助热线。"

OPT_PUSH, OPT_NO_PUSH = "回复时通知我", "不用通知，我自己查看"
OPT_OFFER_YES, OPT_OFFER_NO = "放进匿名信箱", "不用了"
OPT_VIEW = "查看"  # `查看 <code>`: the button under every note's reply, and the command that reads a thread


def view_button(code: str) -> str:
    """The button that opens a thread: `查看 <code>`."""
    return f"{OPT_VIEW} {code}"
