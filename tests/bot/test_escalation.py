"""Escalation chains on a fake clock: steps, gaps, failures and fallback, acknowledgement, repeats, the auditor."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import delete, select, update

from bot.app import App
from bot.db.base import utcnow
from bot.db.models import CaseEvent, DutySlot, Escalation, Identity, Page, Person
from bot.events import Delivery, Inbound, Outbound
from bot.services.crisis import escalation
from bot.services.crisis.policies import parse_policy, set_policy

RED = "我今晚就从楼顶跳下去"
ORANGE = "我真的不想活了"


@dataclass
class RecordingChannel:
    """A channel that records what it was handed and answers as told."""

    name: str
    fail: bool = False
    pushes: list[Outbound] = field(default_factory=list)

    async def send(self, push: Outbound) -> Delivery:
        self.pushes.append(push)
        return Delivery(ok=False, retry_after=0, error="HTTP 502") if self.fail else Delivery(ok=True)


async def fire(app: App, *, minutes: float = 0, seconds: float = 0) -> int:
    """Run the tick as if the clock stood that far ahead of now."""
    at = utcnow() + timedelta(minutes=minutes, seconds=seconds)
    fired = await escalation.run_due(sessions=app.sessions, zone=app.settings.zone, now=at)
    await app.delivery.run_once(now=at)
    return fired


async def paged(app: App) -> list[tuple[str, str, int]]:
    """(person name, reason, round) of every page so far, one per person and round."""
    async with app.sessions() as session:
        rows = (await session.execute(select(Person.name, Page.reason, Page.round, Page.step)
                                      .join(Person, Person.id == Page.person_id).order_by(Page.id))).all()
    seen: list[tuple[str, str, int]] = []
    for name, reason, rnd, _step in rows:
        if (name, reason, rnd) not in seen:
            seen.append((name, reason, rnd))
    return seen


def names(pages: list[tuple[str, str, int]]) -> list[str]:
    return [p[0][:3] for p in pages]


async def events(app: App, case_id: int = 1) -> list[str]:
    async with app.sessions() as session:
        return list((await session.execute(select(CaseEvent.kind).where(CaseEvent.case_id == case_id)
                                           .order_by(CaseEvent.id))).scalars())


async def test_red_chain_climbs_repeats_and_stops_at_acknowledgement(chat, app) -> None:
    replies = await chat.say("s1", RED)
    assert "110/120" in replies[0]["text"]  # resources to the sender first, whatever the chain does
    assert names(await paged(app)) == ["陈老师"]
    page = (await chat.inbox("demo-counsellor"))[-1]
    assert page["kind"] == "page" and "案例 #1" in page["text"] and "匿名心理信箱" in page["text"]
    assert "s1" not in page["text"] and page["options"] == ["收到 1"]

    await fire(app, minutes=4)
    assert names(await paged(app)) == ["陈老师"]
    await fire(app, minutes=5, seconds=1)
    assert names(await paged(app)) == ["陈老师", "张老师"]
    await fire(app, minutes=10, seconds=2)
    assert names(await paged(app)) == ["陈老师", "张老师", "刘校长"]
    await fire(app, minutes=20, seconds=3)  # the chain ran out: everyone again, every 10 minutes
    assert (await paged(app))[3:] == [("陈老师（心理教师）", "repeat", 1), ("张老师（备班心理教师）", "repeat", 1),
                                      ("刘校长（危机干预小组组长）", "repeat", 1)]

    replies = await chat.say("demo-leader", "收到 1")
    assert "已确认接手案例 #1" in replies[0]["text"]
    for other in ("demo-counsellor", "demo-backup"):
        assert "案例 #1 已由 刘校长（危机干预小组组长） 接手" in (await chat.inbox(other))[-1]["text"]
    before = len(await paged(app))
    await fire(app, minutes=29)
    assert len(await paged(app)) == before  # acknowledged: no repeat, no more steps
    await fire(app, minutes=31)  # but a red case with no note for 30 minutes re-pages its holder
    assert (await paged(app))[-1] == ("刘校长（危机干预小组组长）", "ack_timeout", 1)
    assert "分钟没有新的记录" in (await chat.inbox("demo-leader"))[-1]["text"]
    await chat.say("demo-leader", "记录 1 已联系班主任和家长，学生在校医室")
    count = len(await paged(app))
    await fire(app, minutes=90)
    assert len(await paged(app)) == count
    kinds = await events(app)
    assert kinds.count("paged") == 6 and kinds.count("repaged") == 1 and kinds.count("acknowledged") == 1
    assert "delivery" in kinds


async def test_acknowledgement_by_button_text_or_bare_reply(chat, app) -> None:
    await chat.say("s1", RED)
    replies = await chat.say("demo-counsellor", "收到")  # a plain reply to the page
    assert "已确认接手案例 #1" in replies[0]["text"]
    async with app.sessions() as session:
        esc = (await session.execute(select(Escalation))).scalar_one()
        assert esc.state == "acknowledged"
    replies = await chat.say("demo-backup", "收到 1")
    assert "已由 陈老师（心理教师） 接手" in replies[0]["text"]
    replies = await chat.say("demo-backup", "收到")  # nothing unacknowledged was paged to them
    assert "用法" in replies[0]["text"]


async def test_orange_acknowledged_ends_the_chain(chat, app) -> None:
    await chat.say("s1", ORANGE)
    await chat.say("demo-counsellor", "收到 1")
    async with app.sessions() as session:
        assert (await session.execute(select(Escalation.state))).scalar_one() == "done"
    await fire(app, minutes=300)
    assert names(await paged(app)) == ["陈老师"]


async def test_orange_waits_an_hour_then_backup(chat, app) -> None:
    await chat.say("s1", ORANGE)
    await fire(app, minutes=59)
    assert names(await paged(app)) == ["陈老师"]
    await fire(app, minutes=61)
    assert names(await paged(app)) == ["陈老师", "张老师"]
    await fire(app, minutes=60 + 181)
    assert names(await paged(app)) == ["陈老师", "张老师", "刘校长"]
    await fire(app, minutes=60 + 180 + 241)  # no repeat for orange: the chain ends and says so
    assert "escalation_exhausted" in await events(app)
    assert names(await paged(app)) == ["陈老师", "张老师", "刘校长"]


async def test_nobody_on_duty_moves_on_at_once(chat, app) -> None:
    async with app.sessions() as session, session.begin():
        await session.execute(delete(DutySlot))
    await chat.say("s1", RED)
    assert names(await paged(app)) == ["刘校长"]  # on_duty and backup empty: leaders now, not in 10 minutes
    kinds = await events(app)
    assert kinds.count("duty_gap") == 2 and "paged" in kinds


async def test_unreachable_on_every_channel_moves_on_at_once(chat, app) -> None:
    flaky = RecordingChannel("flaky", fail=True)
    app.channels["flaky"] = flaky
    async with app.sessions() as session, session.begin():
        await session.execute(update(Identity).where(Identity.external_id == "demo-counsellor")
                              .values(channel="flaky"))
    await chat.say("s1", RED)
    for seconds in (3, 8, 17):  # 2, 4, 8 s of backoff: four attempts, then undeliverable
        await fire(app, seconds=seconds)
    assert len(flaky.pushes) == 4
    assert names(await paged(app)) == ["陈老师"]
    await fire(app, seconds=18)  # the chain moved on at once rather than wait the step's 5 minutes
    assert names(await paged(app)) == ["陈老师", "张老师"]
    assert (await chat.inbox("demo-backup"))[-1]["kind"] == "page"
    assert "step_unreachable" in await events(app)


async def test_a_failing_channel_falls_back_to_the_others(chat, app) -> None:
    app.channels["flaky"] = flaky = RecordingChannel("flaky", fail=True)
    async with app.sessions() as session, session.begin():
        person = (await session.execute(select(Person).where(Person.name.startswith("陈老师")))).scalar_one()
        session.add(Identity(person_id=person.id, channel="flaky", external_id="tg-7"))
    await chat.say("s1", RED)
    for seconds in (3, 8, 17, 18):
        await fire(app, seconds=seconds)
    assert len(flaky.pushes) == 4
    assert (await chat.inbox("demo-counsellor"))[-1]["kind"] == "page"  # the web chat got it
    assert names(await paged(app)) == ["陈老师"]  # reached on one channel: the step waits as it should
    async with app.sessions() as session:
        states = sorted((await session.execute(select(Page.channel, Page.state))).all())
    assert states == [("flaky", "undeliverable"), ("web", "sent")]


async def test_acknowledgement_from_a_second_channel(chat, app) -> None:
    app.channels["second"] = second = RecordingChannel("second")
    async with app.sessions() as session, session.begin():
        person = (await session.execute(select(Person).where(Person.name.startswith("陈老师")))).scalar_one()
        session.add(Identity(person_id=person.id, channel="second", external_id="tg-42"))
    await chat.say("s1", RED)
    assert (await chat.inbox("demo-counsellor"))[-1]["kind"] == "page"
    assert [p.kind for p in second.pushes] == ["page"] and second.pushes[0].options == ["收到 1"]
    replies = await app.router.handle(Inbound(channel="second", sender="tg-42", text="收到 1", raw_id="u1",
                                              choice="收到 1"))
    assert "已确认接手案例 #1" in replies[0].text
    await fire(app, minutes=11)
    assert names(await paged(app)) == ["陈老师"]


async def test_repeat_loop_stops_at_acknowledgement(chat, app) -> None:
    async with app.sessions() as session, session.begin():
        await set_policy(session=session, school_id=app.school_id,
                         policy=parse_policy("red", "on_duty:1m", "1m"))
    await chat.say("s1", RED)
    for n in range(1, 4):
        await fire(app, minutes=n, seconds=n)
    assert await paged(app) == [("陈老师（心理教师）", "step", 0)] + [
        ("陈老师（心理教师）", "repeat", n) for n in (1, 2, 3)]
    await chat.say("demo-counsellor", "收到 1")
    await fire(app, minutes=4, seconds=4)
    await fire(app, minutes=5, seconds=5)
    assert len(await paged(app)) == 4


async def test_a_new_policy_applies_to_cases_opened_after_it(chat, app) -> None:
    await chat.say("s1", RED)
    async with app.sessions() as session, session.begin():
        await set_policy(session=session, school_id=app.school_id,
                         policy=parse_policy("red", "leaders:1m", None))
    await chat.say("s2", "我已经写好遗书了，今晚就吃安眠药")
    async with app.sessions() as session:
        chains = (await session.execute(select(Escalation.case_id, Escalation.steps).order_by(Escalation.id))).all()
    assert chains[0][1][0]["target"] == "on_duty" and chains[1][1] == [{"target": "leaders", "wait": 60}]
    assert [p[0][:3] for p in await paged(app)] == ["陈老师", "刘校长"]


async def test_level_rise_on_a_held_case_pages_the_holder(chat, app) -> None:
    replies = await chat.say("demo-member", "同桌说他不想活了")
    assert "#1" in replies[0]["text"]
    await chat.say("demo-counsellor", "收到 1")
    await chat.say("demo-member", "同桌说他今晚就从楼顶跳下去")  # the same case, now red
    assert (await paged(app))[-1] == ("陈老师（心理教师）", "level_raised", 0)
    page = (await chat.inbox("demo-counsellor"))[-1]
    assert "案例升级" in page["text"] and "红色" in page["text"] and page["options"] == []
    async with app.sessions() as session:
        esc = (await session.execute(select(Escalation).where(Escalation.state == "acknowledged"))).scalar_one()
    assert esc.next_due_at is not None  # red and held: the acknowledgement timeout runs


async def test_auditor_fires_overdue_steps_and_health_says_late(chat, app) -> None:
    await chat.say("s1", RED)
    async with app.sessions() as session, session.begin():
        await session.execute(update(Escalation).values(next_due_at=utcnow() - timedelta(minutes=2)))
    health = await chat.client.get("/healthz")
    assert health.status_code == 503 and health.json()["escalation"] == "late"
    assert await app.audit() == 1
    await app.delivery.run_once()
    assert names(await paged(app)) == ["陈老师", "张老师"]
    health = await chat.client.get("/healthz")
    assert health.status_code == 200 and health.json()["escalation"] == "ok"
    async with app.sessions() as session:
        assert await escalation.late_case_ids(session=session) == {1}
    assert "escalation_late" in await events(app)
