"""Real processes on real time: SIGKILL mid-chain and restart; two servers on one PostgreSQL page once."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.db.engine import make_engine, make_sessionmaker
from bot.db.models import Identity, OutboxMessage, Page, Person, WebChatMessage
from tests.conftest import PG_URL, _truncate_pg, run_cli
from tests.fakes.serve import serving
from tests.fakes.weixin_api import FakeWeixin
from tests.server import Server, server_env

RED = "我今晚就从楼顶跳下去"


def _pages(server: Server, user: str, case_id: int | None = None) -> list[dict]:
    return [m for m in server.inbox(user) if m["kind"] == "page" and (case_id is None or m["case_id"] == case_id)]


def _wait_for(predicate, timeout: float, what: str) -> float:
    start = time.monotonic()
    while not predicate():
        assert time.monotonic() - start < timeout, f"{what} did not happen within {timeout} s"
        time.sleep(0.1)
    return time.monotonic()


async def _page_rows(db_url: str) -> tuple[Counter, int, int, int]:
    engine = make_engine(db_url)
    async with make_sessionmaker(engine)() as session:
        keys = Counter((await session.execute(select(
            Page.escalation_id, Page.step, Page.round, Page.person_id, Page.channel, Page.reason))).all())
        sent = (await session.execute(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.kind == "page", OutboxMessage.state == "sent"))).scalar_one()
        shown = (await session.execute(select(func.count(WebChatMessage.id)).where(
            WebChatMessage.kind == "page"))).scalar_one()
        queued = (await session.execute(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.kind == "page"))).scalar_one()
    await engine.dispose()
    return keys, queued, sent, shown


def test_sigkill_mid_chain_loses_and_doubles_nothing(tmp_path: Path, db_url: str) -> None:
    env = server_env(tmp_path / "data", db_url)
    policy = run_cli(["policy", "set", "red", "--steps", "on_duty:3s,backup:3s,leaders:3s"], env)
    assert policy.returncode == 0, policy.stderr
    server = Server(env)
    try:
        server.wait_up()
        assert "110/120" in server.say("s1", RED, "k1")[0]["text"]
        _wait_for(lambda: _pages(server, "demo-counsellor"), 5, "the first page")
        server.kill()
        time.sleep(5)  # the backup step falls due while nobody is running
        server = Server(env)
        up = server.wait_up()
        backup_at = _wait_for(lambda: _pages(server, "demo-backup"), 10, "the backup page after restart")
        assert backup_at - up < 5
        _wait_for(lambda: _pages(server, "demo-leader"), 10, "the leaders page")
        time.sleep(2)
        counts = [len(_pages(server, u)) for u in ("demo-counsellor", "demo-backup", "demo-leader")]
        assert counts == [1, 1, 1]
    finally:
        server.stop()
    keys, queued, sent, shown = asyncio.run(_page_rows(db_url))
    assert sorted(k[1] for k in keys) == [0, 1, 2] and set(keys.values()) == {1}
    assert queued == sent == shown == 3


async def _bind_wecom(db_url: str, name_start: str, user: str) -> None:
    engine = make_engine(db_url)
    async with make_sessionmaker(engine)() as session, session.begin():
        person = (await session.execute(select(Person).where(Person.name.startswith(name_start)))).scalar_one()
        session.add(Identity(person_id=person.id, channel="wecom", external_id=user))
    await engine.dispose()


async def _states(db_url: str, channel: str) -> list[str]:
    engine = make_engine(db_url)
    async with make_sessionmaker(engine)() as session:
        states = list((await session.execute(select(OutboxMessage.state).where(
            OutboxMessage.kind == "page", OutboxMessage.channel == channel))).scalars())
    await engine.dispose()
    return states


WECOM_AES = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


def test_sigkill_mid_send_is_taken_over_at_restart(tmp_path: Path, db_url: str) -> None:
    """A page in `sending` when its process died goes out within seconds of the restart, not 2 minutes."""
    fake = FakeWeixin()
    with serving(fake.app()) as base:
        env = server_env(tmp_path / "data", db_url, XINQIAO_WECOM_CORP_ID=fake.corp_id,
                         XINQIAO_WECOM_AGENT_ID="1000002", XINQIAO_WECOM_SECRET=fake.corp_secret,
                         XINQIAO_WECOM_TOKEN="t", XINQIAO_WECOM_AES_KEY=WECOM_AES, XINQIAO_WECOM_API_BASE=base)
        server = Server(env)
        try:
            server.wait_up()
            asyncio.run(_bind_wecom(db_url, "陈老师", "chen"))
            fake.hold = True
            assert "110/120" in server.say("s1", RED, "k1")[0]["text"]
            _wait_for(lambda: fake.wecom_arrived >= 1, 10, "the WeCom page in flight")
            server.kill()
            assert asyncio.run(_states(db_url, "wecom")) == ["sending"]
            fake.hold = False
            server = Server(env)
            up = server.wait_up()
            sent_at = _wait_for(lambda: len(fake.wecom_sent) >= 1, 20, "the WeCom page after restart")
            assert sent_at - up < 5
            _wait_for(lambda: _pages(server, "demo-counsellor"), 5, "the web chat page")
        finally:
            server.stop()
    assert asyncio.run(_states(db_url, "wecom")) == ["sent"]
    assert [m["touser"] for m in fake.wecom_sent] == ["chen"]


@pytest.fixture
def pg_url(pg_ready: bool) -> str:
    if not PG_URL:
        pytest.skip("PostgreSQL is not configured: set XINQIAO_TEST_DATABASE_URL to run the two-process test")
    asyncio.run(_truncate_pg())
    return PG_URL


def test_two_servers_on_one_postgresql_page_exactly_once(tmp_path: Path, pg_url: str) -> None:
    env = server_env(tmp_path / "data", pg_url)
    policy = run_cli(["policy", "set", "red", "--steps", "on_duty:2s,backup:2s,leaders:2s", "--repeat-every", "2s"],
                     env)
    assert policy.returncode == 0, policy.stderr
    first = Server(env)
    second = None
    try:
        first.wait_up()  # the demo is seeded once, by the first
        second = Server(env)
        second.wait_up()
        for n in range(20):
            server = first if n % 2 else second
            assert "110/120" in server.say(f"s{n}", RED, f"m{n}")[0]["text"]
        time.sleep(9)  # three steps and a couple of repeat rounds, with both processes ticking
    finally:
        first.stop()
        if second:
            second.stop()
    keys, queued, sent, shown = asyncio.run(_page_rows(pg_url))
    doubled = {k: v for k, v in keys.items() if v > 1}
    assert not doubled, doubled
    steps = Counter(k[1] for k in keys if k[5] == "step")
    assert steps[0] == steps[1] == 20 and steps[2] == 20  # every case climbed every step once
    assert sum(1 for k in keys if k[5] == "repeat") >= 20
    assert queued == len(keys)  # one outbox row per page
    assert sent == shown and sent >= 60  # each sent row reached the chat once (the rest were still queued)
