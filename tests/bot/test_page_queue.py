"""Pages to one person on a rate-limited channel (WeCom): fair by sender, merged into digests, none dropped;
a flood of red notes from one sender is one flagged case."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.db.base import utcnow
from bot.db.models import Case, CaseEvent, Escalation, OutboxMessage, Page, Person
from bot.services.crisis.cases import open_case
from bot.services.crisis.mailbox import tell_holder
from bot.services.crisis.paging import page_person, page_text
from bot.services.messaging import outbox
from keywords import Triager
from tests.bot.conftest import wecom_app
from tests.conftest import Chat
from tests.fakes.weixin_api import FakeWeixin

RED = "我今晚就从楼顶跳下去"


@pytest.fixture
async def wc(tmp_path: Path, db_url: str, triager: Triager, weixin) -> AsyncIterator[tuple[App, FakeWeixin]]:
    fake, _base = weixin
    fake.wecom_sent.clear()
    async with wecom_app(tmp_path, db_url, triager, weixin, {"陈老师": "chen"}) as app:
        yield app, fake


async def _deliver(app: App, now: datetime | None = None) -> None:
    """One delivery run, then wait for the sends it started (run_once waits only a second: a loaded machine)."""
    await app.delivery.run_once(now=now)
    await app.delivery.drain()


async def _page_cases(app: App, senders: list[str]) -> list[int]:
    """One red case per sender key given, each paging the counsellor; their ids in that order."""
    ids = []
    async with app.sessions() as session, session.begin():
        chen = (await session.execute(select(Person).where(Person.name.startswith("陈老师")))).scalar_one()
        for key in senders:
            case = await open_case(session=session, school_id=app.school_id, level="red", source="mailbox")
            case.sender_key = key
            text = await page_text(session=session, case=case, summary=f"{RED} {case.id}")
            await page_person(session=session, case=case, person=chen, text=text, reason="step")
            ids.append(case.id)
    return ids


def _cases_in(message: dict) -> list[int]:
    return [int(n) for n in re.findall(r"#(\d+)", message["text"]["content"].splitlines()[0])]


async def test_a_new_senders_page_goes_before_a_floods_tenth(wc) -> None:
    app, fake = wc
    flood = await _page_cases(app, ["sender-a"] * 90)
    other = (await _page_cases(app, ["sender-b"]))[0]
    await _deliver(app)
    first = _cases_in(fake.wecom_sent[0])
    assert other in first[:2]  # among the first pages sent, not 91st in line
    assert first[0] == flood[0] and len(first) == 10
    seen = [c for m in fake.wecom_sent for c in _cases_in(m)]
    assert sorted(seen) == sorted(flood + [other])  # all of them, once each: ten digests within the minute
    async with app.sessions() as session:
        states = dict((await session.execute(select(Page.state, func.count(Page.id)).where(
            Page.channel == "wecom").group_by(Page.state))).all())
    assert states == {"sent": 91}


async def test_waiting_pages_to_one_person_go_as_one_message(wc) -> None:
    app, fake = wc
    ids = await _page_cases(app, ["s1", "s2", "s3"])
    await _deliver(app)
    assert len(fake.wecom_sent) == 1
    content = fake.wecom_sent[0]["text"]["content"]
    assert content.startswith(f"【心桥预警】3 个新的红色案例：#{ids[0]} #{ids[1]} #{ids[2]}")
    assert all(f"「收到 {i}」" in content for i in ids) and "匿名心理信箱" in content and "楼顶" in content
    async with app.sessions() as session:
        rows = (await session.execute(select(OutboxMessage.kind, OutboxMessage.state).where(
            OutboxMessage.channel == "wecom"))).all()
        delivered = (await session.execute(select(func.count(CaseEvent.id)).where(
            CaseEvent.kind == "delivery", CaseEvent.case_id.in_(ids)))).scalar_one()
    assert sorted(rows) == [("digest", "sent")] + [("page", "sent")] * 3
    assert delivered == 6  # on each case's timeline: the web chat page and the digest


async def test_pages_beyond_the_minute_wait_and_none_is_dropped(wc) -> None:
    app, fake = wc
    async with app.sessions() as session, session.begin():
        chen = (await session.execute(select(Person).where(Person.name.startswith("陈老师")))).scalar_one()
        for n in range(29):
            await outbox.to_person(session=session, person_id=chen.id, kind="notice", text=f"通知 {n}")
    await _deliver(app)
    assert len(fake.wecom_sent) == 29
    ids = await _page_cases(app, ["x", "y", "z"])
    await _deliver(app)
    assert len(fake.wecom_sent) == 30 and _cases_in(fake.wecom_sent[-1]) == ids  # the last slot: one digest
    more = await _page_cases(app, ["w"])
    await _deliver(app)
    assert len(fake.wecom_sent) == 30
    await _deliver(app, now=utcnow() + timedelta(seconds=61))
    assert fake.wecom_sent[-1]["text"]["content"].startswith(f"【心桥预警 红色·紧急】案例 #{more[0]}")  # alone


async def test_a_flood_of_red_notes_is_one_flagged_case(wc) -> None:
    """90 red notes from one sender, then one from another: two cases, the other's page among the first."""
    app, fake = wc
    transport = httpx.ASGITransport(app=app.asgi(clock=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://xinqiao.test") as client:
        chat = Chat(client, app)
        codes = set()
        for n in range(90):
            replies = await chat.say("prankster", f"{RED}（{n}）")
            assert "110/120" in replies[0]["text"]
            codes.add(re.search(r"编号 ([A-Z0-9]{8})", replies[0]["text"]).group(1))
        assert len(codes) == 1  # one thread: their notes are in one conversation
        await chat.say("someone", RED)
    await app.tick()
    async with app.sessions() as session:
        cases = list((await session.execute(select(Case).order_by(Case.id))).scalars())
        chains = (await session.execute(select(func.count(Escalation.id)))).scalar_one()
        flagged = list((await session.execute(select(CaseEvent.case_id, CaseEvent.detail).where(
            CaseEvent.kind == "flagged"))).all())
    assert len(cases) == 2 and chains == 2
    assert flagged == [(cases[0].id, {"flag": "flood", "notes": 3, "window_minutes": 10})]
    # the prankster's page, the holder's notice of their second message (from the third the flood flag stops
    # the notices), then the other student's page: far before the tenth message one sender caused
    assert len(fake.wecom_sent) == 3
    first = [c for m in fake.wecom_sent[:3] for c in re.findall(r"#(\d+)", m["text"]["content"])]
    assert str(cases[1].id) in first


@pytest.mark.parametrize(("script", "outcome"), [([502], "sent"), ([81013], "undeliverable")],
                         ids=["retried", "refused"])
async def test_a_digest_hands_its_outcome_to_its_pages(wc, script, outcome) -> None:
    app, fake = wc
    fake.script.extend(script)
    try:
        ids = await _page_cases(app, ["s1", "s2"])
        await _deliver(app)
        await _deliver(app, now=utcnow() + timedelta(seconds=3))  # a retry, when there is one
    finally:
        fake.script.clear()
    async with app.sessions() as session:
        rows = (await session.execute(select(OutboxMessage.kind, OutboxMessage.state).where(
            OutboxMessage.channel == "wecom"))).all()
        pages = list((await session.execute(select(Page.state).where(Page.channel == "wecom"))).scalars())
        events = (await session.execute(select(func.count(CaseEvent.id)).where(
            CaseEvent.kind == "delivery", CaseEvent.case_id.in_(ids), CaseEvent.detail["state"].as_string() == outcome
        ))).scalar_one()
    assert sorted(rows) == [("digest", outcome), ("page", outcome), ("page", outcome)]
    assert pages == [outcome, outcome]
    assert events == 2 + 2 * (outcome == "sent")  # the web chat's pages were delivered too
    assert len(fake.wecom_sent) == (outcome == "sent")


async def _thread_notices(app: App, senders: list[str], about: str = outbox.ABOUT_MESSAGE) -> list[int]:
    """One open red case per sender key, each with an urgent notice to its holder (the on-duty counsellor)
    of a new message in its thread, as the mailbox queues it; the cases' ids."""
    ids = []
    async with app.sessions() as session, session.begin():
        for key in senders:
            case = await open_case(session=session, school_id=app.school_id, level="red", source="mailbox")
            case.sender_key = key
            await tell_holder(session=session, case=case, text=f"匿名对话 T{case.id}（案例 #{case.id}）有新消息：{RED}",
                              zone=app.settings.zone, urgent=True, about=about)
            ids.append(case.id)
    return ids


async def test_urgent_notices_to_a_holder_are_queued_fairly_and_merged_with_pages(wc) -> None:
    """A thread's urgent notices go the way pages go: round-robin by sender, merged into one digest."""
    app, fake = wc
    noisy = await _thread_notices(app, ["sender-a"] * 20)
    other = (await _page_cases(app, ["sender-b"]))[0]
    await _deliver(app)
    first = _cases_in(fake.wecom_sent[0])
    assert len(first) == 10 and first[0] == noisy[0] and other in first[:2]  # not 21st in line
    assert fake.wecom_sent[0]["text"]["content"].startswith("【心桥预警】10 个红色案例有新消息：")
    assert "｜新消息｜匿名对话 T" in fake.wecom_sent[0]["text"]["content"]
    assert sorted(c for m in fake.wecom_sent for c in _cases_in(m)) == sorted(noisy + [other])
    assert len(fake.wecom_sent) == 3  # 21 messages as three, within the minute
    async with app.sessions() as session:
        states = dict((await session.execute(select(OutboxMessage.state, func.count(OutboxMessage.id)).where(
            OutboxMessage.channel == "wecom", OutboxMessage.kind == "notice").group_by(OutboxMessage.state))).all())
    assert states == {"sent": 20}  # each took its digest's outcome


async def test_a_floods_notices_are_folded_on_every_channel_and_kept(wc) -> None:
    """The holder is told of a flooding sender's case once per channel; the rest are kept, merged into it."""
    app, fake = wc
    transport = httpx.ASGITransport(app=app.asgi(clock=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://xinqiao.test") as client:
        chat = Chat(client, app)
        for n in range(6):
            await chat.say("prankster", f"{RED}（{n}）")
        web = [m for m in await chat.inbox("demo-counsellor") if m["kind"] == "notice"]
    assert len(web) == 1 and "（1）" in web[0]["text"]  # the second message's; from the third: folded
    assert len(fake.wecom_sent) == 2  # the page, then that notice
    async with app.sessions() as session:
        rows = list((await session.execute(select(OutboxMessage).where(
            OutboxMessage.kind == "notice").order_by(OutboxMessage.id))).scalars())
    assert len(rows) == 10 and [r.state for r in rows].count("merged") == 8  # 5 notices on 2 channels, none lost
    assert all(r.merged_into is not None for r in rows if r.state == "merged")


def test_a_digest_keeps_each_cases_console_link() -> None:
    """With XINQIAO_PUBLIC_URL set, a digest of pages lists each case with its console link, as the pages did."""
    from bot.services.messaging.page_digest import digest
    from bot.services.school import console_links
    rows = [OutboxMessage(kind="page", case_id=case_id, options=[f"收到 {case_id}"],
                          text=f"【心桥预警】\n来源：初二(3)班\n摘要：{gist}\n在工作台查看：x")
            for case_id, gist in ((12, "楼顶"), (13, "药"))]
    console_links.configure("https://xinqiao.school.example/")
    try:
        text, _ = digest(rows, {12: "red", 13: "red"})
    finally:
        console_links.configure("")
    assert "https://xinqiao.school.example/console/cases/12" in text
    assert "https://xinqiao.school.example/console/cases/13" in text
    assert text.index("\n#12 ") < text.index("/cases/12") < text.index("\n#13 ") < text.index("/cases/13")
    assert "/console/" not in digest(rows, {12: "red", 13: "red"})[0], "no public URL: no links"
