"""The weekly check-in (handlers/checkin.py; its scheduled asks are in reminders.py)."""

from __future__ import annotations

ASK = "本周周报：你负责的{group}这周有需要关注的同学吗？"
ASK_GROUP = "班级或寝室"
RECORDED = "已记录本周零报告，谢谢你！如果之后发现情况，随时可以报告。"
NOTED = "已记录本周周报，谢谢你！如果有需要心理老师关注的同学，可以点「有情况要报告」。"
NOTED_CASE = "已记录本周周报，谢谢你！你写的情况已经作为同学情况报告交给心理老师（案例 #{case_id}）。"
CHECKIN_SUBJECT = "周报中提到的同学"
NOT_MEMBER = "周报由心理委员填写。如果你想说说自己的事，可以写给匿名心理信箱。"

# The buttons of the check-in (the flow's replies and the scheduled asks), matched by its command.
OPT_NOTHING, OPT_SOMETHING = "无异常", "有情况要报告"
