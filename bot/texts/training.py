"""Members answering a training reminder (handlers/training.py; the reminders themselves are in reminders.py)."""

from __future__ import annotations

ATTEND = "已记录：你会参加「{title}」（{when}）。"
LEAVE = "已记录你的请假：「{title}」（{when}）。想了解培训内容，可以问问心理老师。"
NONE = "没有找到你需要回复的培训。"
NOT_MEMBER = "培训通知是发给心理委员的。"

# The answers: the reminder's buttons (`参加 #12`) and the words the command matches.
OPT_ATTEND, OPT_LEAVE = "参加", "请假"


def answer_button(word: str, session_id: int) -> str:
    """A reminder's button: `参加 #12`."""
    return f"{word} #{session_id}"
