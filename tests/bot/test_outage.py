"""A database that does not answer loses nothing: messages are spooled, answered with fixed text, replayed once.

Each database is cut under a real `xinqiao serve`: a SQLite write lock held by another process, a
SQLite file made immutable, PostgreSQL behind a loopback proxy that the test stops and starts.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from tests.conftest import PG_URL
from tests.fakes.tcp_proxy import TcpProxy
from tests.server import Server, server_env

RED = "我今晚就从楼顶跳下去"
WAIT = "1.5"  # XINQIAO_DATABASE_WAIT_SECONDS for these servers

HOLD_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
"""


def _health(server: Server) -> tuple[int, dict, float]:
    start = time.monotonic()
    r = httpx.get(server.base + "/healthz", timeout=15)
    return r.status_code, r.json(), time.monotonic() - start


def _until(check: Callable[[], object], timeout: float = 20) -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def _say(server: Server, user: str, text: str, client_id: str) -> tuple[list[dict], float]:
    start = time.monotonic()
    replies = server.say(user, text, client_id)
    return replies, time.monotonic() - start


def _outage_then_recovery(server: Server, cut: Callable[[], None], restore: Callable[[], None]) -> None:
    """Messages during the cut get fixed answers and are spooled; after it, each is filed exactly once."""
    server.wait_up()
    cut()
    try:
        status, body, took = _health(server)
        assert status == 503 and body["database"] == "down" and took < 6, (status, body, took)
        replies, took = _say(server, "s-red", RED, "r1")
        assert took < 6 and "110/120" in replies[0]["text"] and "12356" in replies[0]["text"]
        assert "消息已经保存" in replies[0]["text"]
        again, _ = _say(server, "s-red", RED, "r1")  # the client retries the same message
        assert again == replies
        busy, _ = _say(server, "s-chat", "你好", "c1")
        assert busy[0]["text"].startswith("系统暂时繁忙，请稍后再试；如有紧急危险请拨打110/120或12356")
        status, body, _ = _health(server)
        assert status == 503 and body["spooled"] == 3, body
        spool = Path(server.log.parent) / "spool"
        written = b"".join(p.read_bytes() for p in spool.glob("*.jsonl"))
        assert b"s-red" not in written and b"s-chat" not in written  # senders only sealed
        lines = [json.loads(line) for line in written.splitlines()]
        assert sorted(line["level"] for line in lines) == ["none", "red", "red"]
    finally:
        restore()
    _until(lambda: _health(server)[0] == 200, timeout=30)
    pages = _until(lambda: [m for m in server.inbox("demo-counsellor") if m["kind"] == "page"])
    assert isinstance(pages, list) and len({p["case_id"] for p in pages}) == 1  # one case, not two
    pushed = _until(lambda: server.inbox("s-red"))
    assert isinstance(pushed, list) and "查看" in pushed[0]["text"]  # the thread code follows once filed
    greeting = _until(lambda: server.inbox("s-chat"))
    assert isinstance(greeting, list) and len(greeting) == 1  # the spooled chat message was answered too
    replies, _ = _say(server, "s-red", RED, "r1")  # the same message once more: already handled
    assert "查看" in replies[0]["text"]
    time.sleep(1.5)
    assert len({p["case_id"] for p in server.inbox("demo-counsellor") if p["kind"] == "page"}) == 1
    assert not any(spool.glob("*.jsonl"))


def _sqlite_path(db_url: str) -> Path:
    return Path(db_url.split(":///", 1)[1])


def test_sqlite_lock_held_by_another_process(tmp_path: Path, db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("a SQLite lock")
    server = Server(server_env(tmp_path / "data", db_url, XINQIAO_DATABASE_WAIT_SECONDS=WAIT))
    holder: list[subprocess.Popen[str]] = []

    def cut() -> None:
        proc = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(_sqlite_path(db_url))], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        holder.append(proc)

    def restore() -> None:
        for proc in holder:
            assert proc.stdin is not None
            proc.stdin.write("\n")
            proc.stdin.flush()
            proc.wait(timeout=10)

    try:
        _outage_then_recovery(server, cut, restore)
    finally:
        server.stop()


def test_sqlite_file_made_unwritable(tmp_path: Path, db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("a SQLite file")
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    path = _sqlite_path(db_url)
    files = [path, path.with_name(path.name + "-wal")]
    server = Server(server_env(tmp_path / "data", db_url, XINQIAO_DATABASE_WAIT_SECONDS=WAIT))

    def chattr(flag: str) -> None:
        done = subprocess.run(["chattr", flag, *map(str, files)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"chattr {flag} is not allowed here: {done.stderr.strip()}")

    try:
        _outage_then_recovery(server, lambda: chattr("+i"), lambda: chattr("-i"))
    finally:
        subprocess.run(["chattr", "-i", *map(str, files)], capture_output=True)
        server.stop()


@contextmanager
def _proxied(url: str) -> Iterator[tuple[TcpProxy, str]]:
    parts = urlsplit(url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    netloc = (parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else "") + f"127.0.0.1:{proxy.port}"
    try:
        yield proxy, urlunsplit(parts._replace(netloc=netloc))
    finally:
        proxy.close()


def test_postgresql_cut_behind_a_proxy(tmp_path: Path, db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL (set XINQIAO_TEST_DATABASE_URL)")
    assert PG_URL
    with _proxied(db_url) as (proxy, url):
        server = Server(server_env(tmp_path / "data", url, XINQIAO_DATABASE_WAIT_SECONDS=WAIT))
        try:
            _outage_then_recovery(server, proxy.cut, proxy.restore)
        finally:
            server.stop()


async def test_replay_after_a_crash_files_once_at_the_original_time(app, chat) -> None:
    from datetime import timedelta

    from sqlalchemy import func, select

    from bot.db.base import utcnow
    from bot.db.engine import unavailable
    from bot.db.models import Case, CaseEvent, Report
    from bot.events import Inbound
    from bot.services.messaging.spool import Spooled

    at = utcnow() - timedelta(minutes=3)
    app.spool.append(Spooled(inbound=Inbound("web", "s-late", RED, "s-late:k1"), at=at, level="red"))
    copy = (app.spool.dir / "spool.jsonl").read_bytes()
    assert app.spool.pending() == 1
    assert await app.spool.replay(app.router.replay, unavailable) == 1
    assert app.spool.pending() == 0
    # A crash after the line went through but before its file was deleted: the file is replayed again.
    (app.spool.dir / "replay-00000000000000000001.jsonl").write_bytes(copy)
    assert await app.spool.replay(app.router.replay, unavailable) == 1
    async with app.sessions() as session:
        assert (await session.execute(select(func.count(Report.id)))).scalar_one() == 1
        case = (await session.execute(select(Case))).scalar_one()
        assert abs((case.created_at - at).total_seconds()) < 1  # the original time on the timeline
        kinds = (await session.execute(select(CaseEvent.kind).where(CaseEvent.case_id == case.id))).scalars().all()
        assert "replayed_from_spool" in kinds
    pushed = await chat.inbox("s-late")
    assert len(pushed) == 1 and "查看" in pushed[0]["text"]
    pages = [m for m in await chat.inbox("demo-counsellor") if m["kind"] == "page"]
    assert len(pages) == 1


@pytest.mark.parametrize("level", ["red", "orange"])
def test_outage_crisis_texts_follow_the_safe_reply_rules(level: str) -> None:
    from bot.config import Settings
    from handlers import outage
    from tests.bot.test_safe_replies import AVOID, METHOD_WORDS, PLATITUDE, SECRECY, _first_sentence

    text = outage.reply(level, Settings(secret_key="k")).text
    first = _first_sentence(text)
    assert "12356" in first and (("110/120" in first) if level == "red" else ("心理老师" in first))
    assert "听起来你现在真的很难受" in text and "安全最重要" in text and "帮助是有用的" in text
    assert not (METHOD_WORDS.search(text) or SECRECY.search(text) or PLATITUDE.search(text) or AVOID.search(text))
    busy = outage.reply("none", Settings(secret_key="k")).text
    assert busy == "系统暂时繁忙，请稍后再试；如有紧急危险请拨打110/120或12356"


async def test_spool_replays_urgent_first_keeps_what_it_cannot_read(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from bot.db.engine import unavailable
    from bot.events import Inbound
    from bot.services.messaging.sealing import Sealer
    from bot.services.messaging.spool import Spool, Spooled

    spool = Spool(tmp_path / "spool", Sealer("k"))
    at = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    for n, level in enumerate(["none", "red", "none", "orange"]):
        spool.append(Spooled(inbound=Inbound("web", f"学生{n}", f"text {n}", f"学生{n}:c"), at=at, level=level))
    with (tmp_path / "spool" / "spool.jsonl").open("ab") as f:
        f.write(b'{"v": 1, "channel": "web", "who": "not ours"}\n')
    stored = (tmp_path / "spool" / "spool.jsonl").read_bytes()  # senders sealed: neither raw nor JSON-escaped
    assert "学生1".encode() not in stored and b"\\u5b66\\u751f1" not in stored
    seen: list[str] = []

    async def down(message: Spooled) -> None:
        raise TimeoutError

    async def handle(message: Spooled) -> None:
        seen.append(message.inbound.sender)

    assert await spool.replay(down, unavailable) == 0 and spool.pending() == 5  # the database is still away
    assert not (tmp_path / "spool" / "failed.jsonl").exists()
    assert await spool.replay(handle, unavailable) == 4
    assert seen == ["学生1", "学生3", "学生0", "学生2"]  # red and orange first, then in the order they came
    assert spool.pending() == 1 and (tmp_path / "spool" / "failed.jsonl").read_bytes().count(b"\n") == 1
    assert await spool.replay(handle, unavailable) == 0  # nothing twice
    assert seen == ["学生1", "学生3", "学生0", "学生2"]


async def test_a_delivery_claimed_before_a_cut_goes_out_right_after_it(app, db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("a SQLite lock")
    import sqlite3

    from sqlalchemy import select

    from bot.db.base import utcnow
    from bot.db.models import OutboxMessage, Person
    from bot.services.messaging import outbox

    async with app.sessions() as session, session.begin():
        person = (await session.execute(select(Person).where(Person.name.startswith("陈老师")))).scalar_one()
        (row,) = await outbox.to_person(session=session, person_id=person.id, kind="page", text="page", priority=100)
    claimed, _full = await app.delivery._claim(utcnow())
    assert [row_id for row_id, _lane in claimed] == [row.id]
    holder = sqlite3.connect(_sqlite_path(db_url), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the database stops answering between the claim and the send
    try:
        await asyncio.wait(app.delivery._start(claimed))
        assert app.delivery._paused and list(app.delivery._unfinished) == [row.id]  # kept, not sent
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert await app.delivery.run_once() == 1  # at once, not after the two-minute claim timeout
    async with app.sessions() as session:
        assert (await session.get(OutboxMessage, row.id)).state == "sent"
