"""Training reminders, weekly check-ins, key periods, follow-ups, quiet hours and held pushes, on a fake clock."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from bot.app import App
from bot.db.base import utcnow
from bot.db.models import Case, CheckinRound, Conversation, Identity, OutboxMessage, Person
from bot.events import Delivery, Inbound, Outbound
from bot.services.messaging import outbox
from bot.services.messaging.conversations import conversation_key
from bot.services.schedule import checkins, training
from bot.services.schedule.periods import add_period
from bot.services.schedule.quiet import QuietHours
from bot.services.schedule.schedule_text import latest_fire, parse_schedule

SH = ZoneInfo("Asia/Shanghai")


async def deliver(app: App, at: datetime) -> int:
    return await app.delivery.run_once(now=at)


async def person(app: App, start: str) -> Person:
    async with app.sessions() as session:
        return (await session.execute(select(Person).where(Person.name.startswith(start)))).scalar_one()


async def add_training(app: App, *, starts_at: datetime, audience: str = "all", remind: str = "24h,1h") -> int:
    async with app.sessions() as session, session.begin():
        ts = await training.add_session(session=session, school_id=app.school_id, title="识别危机信号",
                                        starts_at=starts_at, place="心理辅导室", link="",
                                        audience=training.parse_audience(audience),
                                        remind=training.parse_offsets(remind), zone=SH)
        return ts.id


def reminders(messages: list[dict]) -> list[dict]:
    return [m for m in messages if m["kind"] == "reminder"]


async def test_training_reminders_answers_and_cancel(chat, app) -> None:
    # 11:00 the day after tomorrow: its reminders (24 h and 1 h before) fall outside quiet hours whenever this runs
    start = (utcnow().astimezone(SH) + timedelta(days=2)).replace(hour=11, minute=0, second=0, microsecond=0)
    sid = await add_training(app, starts_at=start)
    await deliver(app, utcnow())
    assert reminders(await chat.inbox("demo-member")) == []  # nothing is due yet
    await deliver(app, start - timedelta(hours=24) + timedelta(seconds=1))
    got = reminders(await chat.inbox("demo-member"))
    assert len(got) == 1 and "识别危机信号" in got[0]["text"] and got[0]["options"] == [f"参加 #{sid}", f"请假 #{sid}"]
    assert len(reminders(await chat.inbox("demo-dorm"))) == 1
    replies = await chat.say("demo-member", f"参加 #{sid}")
    assert "你会参加「识别危机信号」" in replies[0]["text"]
    replies = await chat.say("demo-dorm", "请假")  # as text, for the next session they are invited to
    assert "请假" in replies[0]["text"]
    replies = await chat.say("demo-counsellor", "参加")
    assert "心理委员" in replies[0]["text"]
    async with app.sessions() as session:
        answers = {p.name[:3]: tp.answer for tp, p in await training.participants(session=session, session_id=sid)}
    assert answers == {"李小雨": "attend", "王晓晴": "leave"}

    async with app.sessions() as session, session.begin():
        assert await training.cancel_session(session=session, school_id=app.school_id, session_id=sid, zone=SH) == 2
    await deliver(app, start - timedelta(minutes=30))  # the 1 h reminder would have been due
    member = await chat.inbox("demo-member")
    assert len(reminders(member)) == 1 and "【培训取消】" in member[-1]["text"]
    async with app.sessions() as session:
        states = set((await session.execute(select(OutboxMessage.state).where(
            OutboxMessage.ref == f"training:{sid}"))).scalars())
    assert states == {"sent", "cancelled"}


async def test_training_audience_and_two_misses_flagged(chat, app) -> None:
    start = utcnow() + timedelta(days=3)
    assert len(await _participants(app, await add_training(app, starts_at=start, audience="dorm"))) == 1
    first = await add_training(app, starts_at=start + timedelta(days=7))
    second = await add_training(app, starts_at=start + timedelta(days=14))
    member, dorm = await person(app, "李小雨"), await person(app, "王晓晴")
    async with app.sessions() as session, session.begin():
        flagged = await training.record_attendance(session=session, school_id=app.school_id, session_id=first,
                                                   present=[dorm.id], now=start + timedelta(days=15))
        assert flagged == []
    async with app.sessions() as session, session.begin():
        flagged = await training.record_attendance(session=session, school_id=app.school_id, session_id=second,
                                                   present=[dorm.id], now=start + timedelta(days=15))
    assert [m.person.id for m in flagged] == [member.id]
    await deliver(app, start + timedelta(days=15))
    notice = (await chat.inbox("demo-counsellor"))[-1]
    assert notice["kind"] == "notice" and "李小雨" in notice["text"] and "连续两次" in notice["text"]


async def _participants(app: App, sid: int) -> list:
    async with app.sessions() as session:
        return await training.participants(session=session, session_id=sid)


def last_friday_ask() -> datetime:
    """A Friday 16:00 (school time) safely in the past, so members can answer after it in real time."""
    fired = latest_fire(parse_schedule("Fri 16:00", SH), utcnow() - timedelta(days=3))
    assert fired is not None
    return fired


async def test_weekly_checkin_ask_nudge_and_list(chat, app) -> None:
    asked = last_friday_ask()
    plan = checkins.plan
    rnd = await plan(sessions=app.sessions, school_id=app.school_id, zone=SH, now=asked + timedelta(seconds=5))
    assert rnd is not None and rnd.reason == "" and rnd.deadline_at.astimezone(SH).strftime("%a %H:%M") == "Sun 20:00"
    again = await plan(sessions=app.sessions, school_id=app.school_id, zone=SH, now=asked + timedelta(seconds=9))
    assert again is None  # one round per ask time, however often the tick runs
    await deliver(app, asked + timedelta(seconds=10))
    ask = reminders(await chat.inbox("demo-member"))[-1]
    assert "本周周报" in ask["text"] and ask["options"] == ["无异常", "有情况要报告"]
    replies = await chat.say("demo-member", "无异常")  # one tap, from any state
    assert "零报告" in replies[0]["text"]

    await checkins.run_due(sessions=app.sessions, zone=SH, now=rnd.deadline_at + timedelta(seconds=1))
    await deliver(app, rnd.deadline_at + timedelta(seconds=2))
    assert len(reminders(await chat.inbox("demo-member"))) == 1  # answered: no nudge
    dorm = reminders(await chat.inbox("demo-dorm"))
    assert len(dorm) == 2 and "还没有收到你的周报" in dorm[-1]["text"]

    await checkins.run_due(sessions=app.sessions, zone=SH, now=rnd.grace_until + timedelta(seconds=1))
    notice = (await chat.inbox("demo-counsellor"))[-1]
    assert notice["kind"] == "notice" and "王晓晴" in notice["text"] and "李小雨" not in notice["text"]
    async with app.sessions() as session:
        done = await session.get(CheckinRound, rnd.id)
        statuses = await checkins.round_status(session=session, rnd=done)
    assert done.state == "closed"
    assert [(s.person.name[:3], s.report is not None, s.nudged) for s in statuses] == [
        ("李小雨", True, False), ("王晓晴", False, True)]


async def test_checkin_text_is_triaged_like_any_message(chat, app) -> None:
    await chat.say("demo-member", "本周周报")
    replies = await chat.say("demo-member", "同桌最近总是一个人哭，说活着没意思")
    assert "#1" in replies[0]["text"]  # filed as a concern at once, with the peer crisis reply
    async with app.sessions() as session:
        assert (await session.execute(select(Case.level))).scalar_one() in ("orange", "red")


async def test_key_periods_change_the_rule_and_say_why(chat, app) -> None:
    asked = last_friday_ask()
    monday = asked.astimezone(SH).date() - timedelta(days=4)
    async with app.sessions() as session, session.begin():
        await add_period(session=session, school_id=app.school_id, name="期中考试周", starts_on=monday,
                         ends_on=monday + timedelta(days=6), checkin="Mon,Wed 16:00", zone=SH)
        await add_period(session=session, school_id=app.school_id, name="台风过后一周",
                         starts_on=monday + timedelta(days=2), ends_on=monday + timedelta(days=8), checkin="Wed 16:00",
                         zone=SH)
    wednesday = datetime.combine(monday + timedelta(days=2), datetime.min.time(), SH).replace(hour=16)
    rnd = await checkins.plan(sessions=app.sessions, school_id=app.school_id, zone=SH,
                              now=wednesday + timedelta(seconds=5))
    assert rnd is not None and rnd.reason == "期中考试周、台风过后一周"  # overlapping: one round, both reasons
    assert rnd.deadline_at - rnd.asked_at == timedelta(hours=24)
    await deliver(app, wednesday + timedelta(seconds=6))
    assert "期中考试周" in reminders(await chat.inbox("demo-member"))[-1]["text"]
    # Friday falls in both periods and neither asks on Fridays: the weekly rule gives way
    assert await checkins.plan(sessions=app.sessions, school_id=app.school_id, zone=SH,
                               now=asked + timedelta(seconds=5)) is None
    assert await checkins.plan(sessions=app.sessions, school_id=app.school_id, zone=SH,
                               now=wednesday + timedelta(days=1)) is None  # nothing new on Thursday


def test_quiet_hours_across_midnight_and_in_other_zones() -> None:
    quiet = QuietHours.parse("22:00-07:00", SH)
    assert quiet is not None
    at = lambda text: datetime.fromisoformat(text).replace(tzinfo=SH)  # noqa: E731
    assert quiet.holds(at("2026-12-01T22:00")) and quiet.holds(at("2026-12-02T06:59"))
    assert not quiet.holds(at("2026-12-02T07:00")) and not quiet.holds(at("2026-12-01T21:59"))
    assert quiet.release(at("2026-12-01T23:30")) == at("2026-12-02T07:00")
    assert quiet.release(at("2026-12-02T03:00")) == at("2026-12-02T07:00")
    assert quiet.release(at("2026-12-01T12:00")) == at("2026-12-01T12:00")
    # 15:00 UTC is 23:00 in Shanghai (quiet) but 15:00 in London (not)
    utc = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    assert quiet.holds(utc)
    london = QuietHours.parse("22:00-07:00", ZoneInfo("Europe/London"))
    assert london is not None and not london.holds(utc)
    daytime = QuietHours.parse("12:00-13:30", SH)
    assert daytime is not None and daytime.holds(at("2026-12-01T13:00")) and not daytime.holds(at("2026-12-01T23:00"))
    assert QuietHours.parse("", SH) is None


async def test_quiet_hours_hold_student_reminders_not_pages(chat, app) -> None:
    tomorrow = utcnow().astimezone(SH).date() + timedelta(days=1)
    night = datetime.combine(tomorrow, datetime.min.time(), SH).replace(hour=23, minute=30)
    await add_training(app, starts_at=night + timedelta(hours=25), remind="25h")  # the reminder falls due at 23:30
    staff = await person(app, "陈老师")
    async with app.sessions() as session, session.begin():
        await outbox.to_person(session=session, person_id=staff.id, kind="reminder", text="给老师的提醒", due_at=night)
    await deliver(app, night + timedelta(seconds=1))
    assert reminders(await chat.inbox("demo-member")) == []
    assert reminders(await chat.inbox("demo-counsellor"))[-1]["text"] == "给老师的提醒"  # staff: no quiet hours
    async with app.sessions() as session:
        held = (await session.execute(select(OutboxMessage.due_at).where(
            OutboxMessage.state == "pending", OutboxMessage.person_id != staff.id))).scalars().all()
    assert len(held) == 2 and {d.astimezone(SH).strftime("%H:%M") for d in held} == {"07:00"}
    await deliver(app, night.replace(hour=6, minute=59) + timedelta(days=1))
    assert reminders(await chat.inbox("demo-member")) == []
    await deliver(app, night.replace(hour=7, minute=0) + timedelta(days=1, seconds=1))
    assert len(reminders(await chat.inbox("demo-member"))) == 1


@dataclass
class WindowChannel:
    """A channel that refuses pushes while the person's reply window is closed."""

    name: str = "wx"
    open: bool = False
    pushes: list[Outbound] = field(default_factory=list)

    async def send(self, push: Outbound) -> Delivery:
        if not self.open:
            return Delivery(ok=False, error="45015 response out of time limit", window_closed=True)
        self.pushes.append(push)
        return Delivery(ok=True)


async def test_pushes_outside_the_reply_window_wait_for_the_next_message(chat, app) -> None:
    app.channels["wx"] = wx = WindowChannel()
    async with app.sessions() as session, session.begin():
        await session.execute(update(Identity).where(Identity.external_id == "demo-member")
                              .values(channel="wx", external_id="oMEMBER"))
    # a session at 11:00 in three days, reminded 47 h before: 12:00, outside quiet hours whenever this runs
    start = (utcnow().astimezone(SH) + timedelta(days=3)).replace(hour=11, minute=0, second=0, microsecond=0)
    await add_training(app, starts_at=start, remind="47h")
    await deliver(app, start - timedelta(hours=47) + timedelta(seconds=1))
    async with app.sessions() as session:
        row = (await session.execute(select(OutboxMessage).where(OutboxMessage.channel == "wx"))).scalar_one()
    assert row.state == "undeliverable" and row.last_error.startswith("window closed")
    pending = await chat.say("demo-counsellor", "待处理")
    assert "48 小时" in pending[0]["text"]
    wx.open = True
    await app.router.handle(Inbound(channel="wx", sender="oMEMBER", text="菜单", raw_id="w1"))
    await deliver(app, start - timedelta(hours=47) + timedelta(seconds=2))
    assert [p.kind for p in wx.pushes] == ["reminder"] and "识别危机信号" in wx.pushes[0].text


async def test_a_held_reply_to_an_anonymous_sender_goes_out_when_they_write_again(chat, app) -> None:
    """A counsellor's reply to a mailbox thread refused outside the window waits, sealed, for the sender."""
    app.channels["wx"] = wx = WindowChannel()
    note = await app.router.handle(Inbound(channel="wx", sender="oANON", text="我不想活了", raw_id="a1"))
    code = re.search(r"查看 ([A-Z0-9]{8})", " ".join(o for r in note for o in r.options)).group(1)
    replied = await chat.say("demo-counsellor", f"回复 {code} 我是心理老师，想听你说说")
    assert code in replied[0]["text"]
    await deliver(app, utcnow() + timedelta(seconds=1))
    async with app.sessions() as session:
        row = (await session.execute(select(OutboxMessage).where(OutboxMessage.thread_id.is_not(None)))).scalar_one()
        conv = await session.get(Conversation, ("wx", conversation_key(app.sealer, "wx", "oANON")))
    assert row.state == "undeliverable" and row.address is None  # the row never names the sender
    assert conv is not None and conv.held
    wx.open = True
    await app.router.handle(Inbound(channel="wx", sender="oSOMEONE", text="菜单", raw_id="a2"))
    await deliver(app, utcnow() + timedelta(seconds=1))
    assert wx.pushes == []  # someone else writing releases nothing of theirs
    await app.router.handle(Inbound(channel="wx", sender="oANON", text="菜单", raw_id="a3"))
    await app.settle()
    await deliver(app, utcnow() + timedelta(seconds=1))
    assert [p.address for p in wx.pushes] == ["oANON"] and "想听你说说" in wx.pushes[0].text
    async with app.sessions() as session:
        assert not (await session.get(Conversation, ("wx", conversation_key(app.sealer, "wx", "oANON")))).held


async def test_follow_up_reminder_and_overdue_in_pending(chat, app) -> None:
    await chat.say("s1", "我真的不想活了")
    await chat.say("demo-counsellor", "收到 1")
    replies = await chat.say("demo-counsellor", "跟进 1 明天")
    if "确定在这天跟进吗" in replies[0]["text"]:  # tomorrow is a weekend or a holiday: the bot asks, and we confirm
        replies = await chat.say("demo-counsellor", next(o for o in replies[0]["options"] if o.endswith("确认")))
    assert "转为观察中" in replies[0]["text"]
    async with app.sessions() as session:
        case = await session.get(Case, 1)
        row = (await session.execute(select(OutboxMessage).where(OutboxMessage.ref == "followup:1"))).scalar_one()
    assert case.status == "monitoring" and case.follow_up_on == utcnow().astimezone(SH).date() + timedelta(days=1)
    assert row.due_at.astimezone(SH).strftime("%H:%M") == "08:00" and "跟进提醒" in row.text
    pending = await chat.say("demo-counsellor", "待处理")
    assert "下次跟进" in pending[0]["text"]
    replies = await chat.say("demo-counsellor", "跟进 1 12-32")
    assert "看不懂这个日期" in replies[0]["text"]
    async with app.sessions() as session, session.begin():
        await session.execute(update(Case).values(follow_up_on=date(2020, 1, 1)))
    pending = await chat.say("demo-counsellor", "待处理")
    assert "跟进逾期" in pending[0]["text"]
    replies = await chat.say("demo-counsellor", "跟进 1 2026-01-01")
    assert "不能早于今天" in replies[0]["text"]


async def test_grade_audience_reaches_members_of_classes_named_by_grade(chat, app) -> None:
    start = utcnow() + timedelta(days=3)
    sid = await add_training(app, starts_at=start, audience="grade:8")  # 初二(3)班 is grade 8
    assert [p.name[:3] for _tp, p in await _participants(app, sid)] == ["李小雨"]
    assert await _participants(app, await add_training(app, starts_at=start, audience="grade:9")) == []


async def test_member_bound_after_a_session_was_added_gets_its_reminders(chat, app) -> None:
    from bot.services.school.people import create_invite

    start = (utcnow().astimezone(SH) + timedelta(days=2)).replace(hour=11, minute=0, second=0, microsecond=0)
    sid = await add_training(app, starts_at=start, audience="class")
    async with app.sessions() as session, session.begin():
        _p, code = await create_invite(session=session, school_id=app.school_id, name="赵同学",
                                       role="member_class", group="初二(3)班")
    assert "绑定成功" in (await chat.say("late-member", f"绑定 {code}"))[0]["text"]
    assert await training.keep_audiences(sessions=app.sessions, zone=SH) == 1
    assert await training.keep_audiences(sessions=app.sessions, zone=SH) == 0  # once
    assert "赵同学" in [p.name for _tp, p in await _participants(app, sid)]
    await deliver(app, start - timedelta(hours=24) + timedelta(seconds=1))
    got = reminders(await chat.inbox("late-member"))
    assert len(got) == 1 and f"参加 #{sid}" in got[0]["options"]


async def test_attendance_is_refused_before_the_session_starts(app) -> None:
    sid = await add_training(app, starts_at=utcnow() + timedelta(days=1))
    async with app.sessions() as session, session.begin():
        try:
            await training.record_attendance(session=session, school_id=app.school_id, session_id=sid, present=[])
        except training.TrainingError as err:
            assert err.reason == "not_started"
        else:
            raise AssertionError("attendance before the start was accepted")


def test_grades_read_from_class_names_when_unset() -> None:
    from bot.db.models import Group
    from bot.services.school.grades import grade_from_name, grade_of

    assert [grade_from_name(n) for n in ("初二(3)班", "高一(2)班", "三年级1班", "七年级(4)班", "女生宿舍 5-302")] == \
        [8, 10, 3, 7, None]
    assert grade_of(Group(name="初三(1)班", kind="class", grade=None)) == 9
    assert grade_of(Group(name="初三(1)班", kind="class", grade=7)) == 7
