"""The database's bound (XINQIAO_DATABASE_WAIT_SECONDS) covers the database's work only: a slow triage of a
long message files it as usual, it is never spooled while the database answers."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.config import Settings
from bot.db.models import Case, Report
from keywords import Triager, Verdict
from tests.conftest import Chat

WAIT = 0.5  # the database's bound in these tests
SLOW = 1.5  # seconds a long text's triage takes (three bounds)
RED = "我今晚就从楼顶跳下去"


class SlowTriager:
    """The shipped triager, but a long text takes SLOW seconds on the loop (as a CPU-bound triage would)."""

    def __init__(self, real: Triager) -> None:
        self.real = real
        self.slow_calls = 0

    def triage(self, text: str) -> Verdict:
        if len(text) > 200:
            self.slow_calls += 1
            time.sleep(SLOW)
        return self.real.triage(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@pytest.fixture
async def slow(tmp_path: Path, db_url: str, triager: Triager) -> AsyncIterator[tuple[App, Chat, SlowTriager]]:
    settings = Settings(data_dir=tmp_path / "data", database_url=db_url, secret_key="k",
                        database_wait_seconds=WAIT)
    slow_triager = SlowTriager(triager)
    app = App(settings, triager=slow_triager)  # type: ignore[arg-type]
    await app.prepare(demo=True)
    app.checkins_on_tick = False
    transport = httpx.ASGITransport(app=app.asgi(clock=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://xinqiao.test") as client:
        yield app, Chat(client, app), slow_triager
    await app.close()


async def test_a_slow_triage_of_a_long_red_message_is_filed_not_spooled(slow) -> None:
    app, chat, triager = slow
    long_text = "我想了很久，" + "最近每天都睡不着，上课也听不进去，" * 12 + RED
    replies = await chat.say("student-long", long_text)
    assert triager.slow_calls >= 1
    assert "12356" in replies[0]["text"] and "编号" in replies[0]["text"]  # the filed answer, with its thread code
    assert app.spool.pending() == 0
    async with app.sessions() as session:
        assert (await session.execute(select(Case.level))).scalar_one() == "red"
        assert (await session.execute(select(func.count(Report.id)))).scalar_one() == 1
    pages = [m for m in await chat.inbox("demo-counsellor") if m["kind"] == "page"]
    assert len(pages) == 1


async def test_a_slow_triage_in_a_step_is_not_counted_either(slow) -> None:
    """A member's long report is triaged again when confirmed (in the step, inside the transaction)."""
    app, chat, triager = slow
    detail = "他最近总是一个人待着，" * 25
    for step in ("报告同学情况", "后排小张", "1", "完成", detail):
        await chat.say("demo-member", step)
    calls = triager.slow_calls
    done = await chat.say("demo-member", "确认提交")
    assert triager.slow_calls > calls and "案例" in done[0]["text"]
    assert app.spool.pending() == 0
    async with app.sessions() as session:
        assert (await session.execute(select(func.count(Report.id)))).scalar_one() == 1
