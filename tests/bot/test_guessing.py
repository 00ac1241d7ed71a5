"""Codes cannot be guessed by trying (issue 12, point 2): five failures in ten minutes and the sender waits."""

from __future__ import annotations

import itertools
import logging
from datetime import timedelta

from sqlalchemy import func, select

from bot.app import App
from bot.db.base import utcnow
from bot.db.models import Case, Identity, InviteCode, RateCounter
from bot.services.messaging import guesses
from bot.services.school.people import create_invite
from tests.channels import everywhere

RED = "我今晚就从楼顶跳下去"


async def texts(every, user: str, text: str) -> str:
    response = await every.web(user, text)
    assert response.status_code == 200, response.text
    return "\n".join(r["text"] for r in response.json()["replies"])


async def test_five_wrong_thread_codes_and_the_sender_waits(every, caplog) -> None:
    note = await every.web("writer", "匿名心理信箱")
    assert note.status_code == 200
    filed = (await every.web("writer", "最近和室友闹矛盾，很难受")).json()["replies"][0]["text"]
    code = filed.split("编号是 ")[1][:8]
    caplog.set_level(logging.INFO)
    for n in range(guesses.LIMIT):
        assert "没有找到" in await texts(every, "guesser", f"查看 ZZZZZZZ{n}")
    wait = await texts(every, "guesser", f"查看 {code}")  # even the right code: they must wait first
    assert "尝试的次数太多了" in wait and "分钟后再试" in wait and "12356" in wait and "室友" not in wait
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "guessing" in r.getMessage()]
    assert len(warnings) == 1
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "guesser" not in logged and "ZZZZZZZ" not in logged and code not in logged
    assert "室友" in await texts(every, "writer", f"查看 {code}")  # another sender is not held up
    assert "12356" in await texts(every, "guesser", RED)  # a crisis is never blocked: filed as ever
    async with every.app.sessions() as session:
        assert (await session.execute(select(func.count(Case.id)).where(Case.level == "red"))).scalar_one() == 1
        keys = (await session.execute(select(RateCounter.key))).scalars().all()
    assert all("guesser" not in k for k in keys)


async def test_wrong_invite_codes_count_and_a_good_code_waits_too(every) -> None:
    async with every.app.sessions() as session, session.begin():
        _person, code = await create_invite(session=session, school_id=every.app.school_id, name="新委员",
                                            role="member_class", group="初一(1)班")
    for bad in ("ZZZZ2345", "ABC", "YYYY2345", "XXXX2345", "VVVV2345"):  # ABC is no code: not counted
        assert "不存在" in await texts(every, "binder", f"绑定 {bad}")
    assert "不存在" in await texts(every, "binder", "绑定心理委员")  # words typed at the code prompt: not counted
    assert "不存在" in await texts(every, "binder", "WWWW2345")  # the fifth wrong code, typed at the prompt
    assert "尝试的次数太多了" in await texts(every, "binder", f"绑定 {code}")
    async with every.app.sessions() as session:
        assert (await session.execute(select(InviteCode.used_at).where(InviteCode.code == code))).scalar_one() is None
        assert (await session.execute(select(func.count(Identity.id)).where(
            Identity.external_id == "binder"))).scalar_one() == 0
    assert "绑定成功" in await texts(every, "someone-else", f"绑定 {code}")


async def test_the_count_is_shared_by_every_worker_and_ends_with_its_window(every, tmp_path, db_url, triager,
                                                                           platform_fakes) -> None:
    weixin, telegram = platform_fakes
    for n in range(3):
        await texts(every, "guesser", f"查看 ZZZZZZZ{n}")
    async with everywhere(tmp_path / "second", db_url, triager, weixin, telegram) as second:  # another process
        second._ids = itertools.count(1000)  # its own client ids
        for n in range(2):
            assert "没有找到" in await texts(second, "guesser", f"查看 YYYYYYY{n}")
        assert "尝试的次数太多了" in await texts(second, "guesser", "查看 YYYYYYY9")
    assert "尝试的次数太多了" in await texts(every, "guesser", "查看 ZZZZZZZ9")
    app: App = every.app
    async with app.sessions() as session:
        now = utcnow()
        assert await guesses.wait_minutes(session=session, sealer=app.sealer, channel="web", external_id="guesser",
                                          now=now) in range(1, 11)
        later = now + timedelta(minutes=10)
        assert await guesses.wait_minutes(session=session, sealer=app.sealer, channel="web", external_id="guesser",
                                          now=later) == 0
