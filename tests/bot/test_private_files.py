"""Files at rest: the data dir 0700, the database files and the key 0600, the key never visible half made;
a database error on a note leaves no trace of the note's text in the log, tracebacks included."""

from __future__ import annotations

import asyncio
import stat
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from bot.config import Settings, read_or_create_key
from bot.db.engine import make_engine
from tests.server import Server, server_env


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_served_files_are_private(tmp_path: Path, db_url: str) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)  # as an older version left it
    env = server_env(data, db_url)
    env.pop("XINQIAO_SECRET_KEY")  # the server generates its key into the data dir
    if not db_url.startswith("postgresql"):
        env.pop("XINQIAO_DATABASE_URL")  # the default: a SQLite file in the data dir
    server = Server(env)
    try:
        server.wait_up()
        server.say("student-1", "你好", "c1")
        assert mode(data) == 0o700
        assert mode(data / "secret.key") == 0o600
        if not db_url.startswith("postgresql"):
            for name in ("xinqiao.db", "xinqiao.db-wal", "xinqiao.db-shm"):
                assert mode(data / name) == 0o600, name
        for path in data.iterdir():  # jieba's cache and everything else the process wrote
            if path.name != server.log.name:
                assert mode(path) & 0o077 == 0, path
    finally:
        server.stop()


def test_an_old_world_readable_database_is_tightened(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "xinqiao.db").write_bytes(b"")
    (data / "xinqiao.db").chmod(0o644)
    data.chmod(0o755)
    Settings(data_dir=data).ensure_data_dir()
    assert mode(data) == 0o700 and mode(data / "xinqiao.db") == 0o600


_watched: list[Path] = []
_seen: list[str] = []


def _watch(event: str, _args: tuple) -> None:
    """An audit hook: at every audited operation, the key (once it exists) must be private and complete."""
    for key in _watched:
        try:
            st = key.stat()  # os.stat raises no audit event: no recursion
        except FileNotFoundError:
            continue
        if stat.S_IMODE(st.st_mode) & 0o077 or st.st_size < 60:
            _seen.append(f"{event}: mode {oct(stat.S_IMODE(st.st_mode))}, {st.st_size} bytes")


sys.addaudithook(_watch)


def test_the_key_is_never_visible_half_made_or_readable_by_others(tmp_path: Path) -> None:
    import os
    old = os.umask(0o022)  # an ordinary umask: the key must not depend on the process's
    try:
        keys = []
        for n in range(20):
            path = tmp_path / f"d{n}" / "secret.key"
            path.parent.mkdir()
            _watched[:] = [path]
            keys.append(read_or_create_key(path))
            _watched.clear()
            assert mode(path) == 0o600 and path.read_text() == keys[-1]
            assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
        assert not _seen, _seen[:3]
        assert len(set(keys)) == 20 and all(len(k) >= 60 for k in keys)
    finally:
        os.umask(old)
        _watched.clear()


def test_workers_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor
    path = tmp_path / "secret.key"
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: read_or_create_key(path), range(8)))
    assert keys == {path.read_text().strip()}


async def _refuse_reports(db_url: str, on: bool) -> None:
    engine = make_engine(db_url)
    async with engine.begin() as conn:
        if db_url.startswith("postgresql"):
            await conn.execute(text("ALTER TABLE reports DROP CONSTRAINT IF EXISTS xq_refuse_all"))
            if on:  # the row's values end up in the error's DETAIL ("Failing row contains ...")
                await conn.execute(text("ALTER TABLE reports ADD CONSTRAINT xq_refuse_all "
                                        "CHECK (length(text) < 0) NOT VALID"))
        else:
            await conn.execute(text("DROP TRIGGER IF EXISTS xq_refuse_all"))
            if on:
                await conn.execute(text("CREATE TRIGGER xq_refuse_all BEFORE INSERT ON reports "
                                        "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"))
    await engine.dispose()


@pytest.mark.parametrize("note", ["我今晚就跳楼，再见了小猫咪", "信箱里的悄悄话：妈妈昨天打我了"])
def test_a_database_error_on_a_note_logs_no_text(tmp_path: Path, db_url: str, note: str) -> None:
    server = Server(server_env(tmp_path / "data", db_url))
    try:
        server.wait_up()
        asyncio.run(_refuse_reports(db_url, True))
        if "跳楼" not in note:
            assert server.say("student-9", "匿名心理信箱", "c0")
        r = httpx.post(server.base + "/chat/api/messages", json={"user": "student-9", "text": note, "client_id": "c1"},
                       timeout=20)
        assert r.status_code == 500  # refused by the database: the error is what we are looking at
    finally:
        server.stop()
        asyncio.run(_refuse_reports(db_url, False))
    log = server.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" in log
    assert "message withheld" in log  # the database error's message, replaced
    for needle in (note, note[:6], note[-6:], note.encode("unicode_escape").decode()[:30]):
        assert needle not in log, needle
