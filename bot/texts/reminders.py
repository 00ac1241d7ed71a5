"""Scheduled pushes to members and counsellors: training, the weekly check-in, follow-ups.

From bot/services/schedule/training.py, checkins.py and followups.py; the buttons they carry are the
labels of the flows that answer them (training.py, checkin.py, counsellor.py).
"""

from __future__ import annotations

# Training (schedule/training.py)
TRAINING = "【培训提醒】{title}\n时间：{when}\n{where}\n请回复「参加」或「请假」。"
TRAINING_PLACE = "地点：{place}"
TRAINING_LINK = "线上：{link}"
TRAINING_CANCELLED = "【培训取消】原定 {when} 的「{title}」已取消，请留意后续通知。"
MISSED_TWICE = "【培训出勤】心理委员 {name}（{group}）已连续两次未参加培训：{titles}。请了解情况。"

# The weekly check-in (schedule/checkins.py)
CHECKIN_ASK = "【本周周报】你负责的{group}这周有需要关注的同学吗？没有就点「无异常」，有情况请点「有情况要报告」。"
CHECKIN_ASK_KEY_PERIOD = "【周报·{reason}】{reason}期间请多留意身边同学。你负责的{group}今天有需要关注的同学吗？"
CHECKIN_GROUP = {"member_dorm": "寝室", "member_class": "班级"}
CHECKIN_NUDGE = "【周报提醒】还没有收到你的周报（截止 {deadline}）。没有情况也请点「无异常」，一次点击就好。"
CHECKIN_MISSING = "【周报未交】{when} 的周报，以下心理委员在提醒后仍未提交：\n{names}"

# Follow-ups (schedule/followups.py)
FOLLOW_UP = "【跟进提醒】今天需要跟进案例 #{case_id}{subject}。跟进后请用「记录 {case_id} 内容」写下情况，" \
            "并用「跟进 {case_id} 日期」约下次，或「结案 {case_id} resolved」。"
FOLLOW_UP_OVERDUE = "跟进逾期（{day}）"
FOLLOW_UP_TODAY = "今天跟进"
FOLLOW_UP_NEXT = "下次跟进 {day}"
FOLLOW_UP_SUBJECT = "（{subject}）"
