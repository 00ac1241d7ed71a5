"""A member's concern report (handlers/report.py): who, what was seen, details, confirm."""

from __future__ import annotations

NOT_MEMBER = "只有绑定的心理委员和班主任可以报告同学情况。如果你想说说自己的事，可以使用「匿名心理信箱」。"
ASK_WHO = "请告诉我是哪位同学（写姓名或简单描述都可以，比如「同桌小李」）。回复「取消」随时退出。"
WHO_TOO_LONG = "请简短一些（30字以内），只写姓名或简单描述即可。详细情况下一步再写。"
ASK_SIGNS = "你注意到了哪些情况？可以多选，选好后点「完成」（也可以回复序号，如「1 3」）。"
PICKED = "已选：{signs}。可以继续选择，选好后点「完成」。"
KEPT_SIGNS = "这段话已经记下，会放进描述里。请选择你注意到的情况（可以多选），选好后点「完成」。"
KEPT_CONFIRM = "这段话已经加进描述。"
NEED_SIGN = "请至少选择一项，选好后点「完成」。"
ASK_DETAIL = "请简单描述你看到或听到的情况（时间、地点、同学说过的话都很有帮助）。没有补充可以回复「无」。"
DETAIL_TOO_LONG = "内容太长了，请精简到2000字以内再发送。"
CONFIRM = "请确认要提交的报告：\n同学：{who}\n情况：{signs}\n描述：{detail}"
NO_DETAIL = "（无）"
DONE = (
    "报告已提交（案例 #{case_id}），谢谢你的细心和关心。心理老师会在工作时间跟进。"
    "如果情况变得紧急，请马上告诉班主任或心理老师。"
)

OPT_CONFIRM, OPT_REDO = "确认提交", "重新填写"
OPT_DONE = "完成"
OPT_NO_DETAIL = "无"
NO_DETAIL_WORDS = (OPT_NO_DETAIL, "没有", "")  # read as "nothing to add" at the detail step
# The signs a member picks are bot/services/crisis/reports.py SIGNS (each with its level): labels stored
# with the report.
