"""Backups that restore: SQLite's online backup API, PostgreSQL's pg_dump/pg_restore (custom format).

The server key is never part of a backup (it is not in the database): sealed addresses, sealed
conversation data and sealed stored replies can be read only with it, so after a restore the key
in the data dir is checked against the sealed rows the backup holds.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.db.models import Conversation, InboundRecord, SealedAddress
from bot.services.messaging.sealing import Sealer

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the admin."""


def sqlite_copy(*, source: Path, target: Path) -> None:
    """Copy a live SQLite database page by page with the online backup API (writers may keep writing)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst, pages=1024)
    finally:
        dst.close()
        src.close()


def _pg_args(url: str) -> tuple[list[str], dict[str, str]]:
    """libpq arguments for a database URL; the password goes in the environment, not the command line."""
    u = make_url(url)
    args = [f"--host={u.host or '127.0.0.1'}", f"--port={u.port or 5432}", f"--dbname={u.database}"]
    if u.username:
        args.append(f"--username={u.username}")
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = u.password
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"找不到 {name}：PostgreSQL 的备份和恢复需要它"
                          "（Debian/Ubuntu：apt install postgresql-client，版本不低于数据库服务器）")
    return found


def pg_dump(*, url: str, target: Path) -> None:
    """pg_dump in custom format (-Fc) into target."""
    args, env = _pg_args(url)
    done = subprocess.run([_tool("pg_dump"), "-Fc", "--no-owner", f"--file={target}", *args], env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"pg_dump 失败：{done.stderr.strip()}")


def pg_restore(*, url: str, source: Path) -> None:
    """pg_restore a custom-format dump into the (empty) database, in one transaction."""
    args, env = _pg_args(url)
    done = subprocess.run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                           "--exit-on-error", *args, str(source)], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"pg_restore 失败：{done.stderr.strip()}")


def kind_of(path: Path) -> str:
    """'sqlite' or 'postgresql' from the file's first bytes; BackupError when it is neither."""
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise BackupError(f"读不了备份文件 {path}：{exc.strerror}") from exc
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} 不是 xinqiao 的备份（既不是 SQLite 数据库，也不是 pg_dump -Fc 文件）")


async def filled_tables(*, engine: AsyncEngine) -> dict[str, int]:
    """Tables that hold rows (alembic's version table aside), with their row counts."""
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        counts = {}
        for name in names:
            if name == "alembic_version":
                continue
            count = (await conn.execute(text(f'SELECT count(*) FROM "{name}"'))).scalar_one()
            if count:
                counts[name] = int(count)
    return counts


async def key_check(*, session: AsyncSession, sealer: Sealer) -> tuple[int, int]:
    """How many sealed rows were tried (up to 20 of each kind) and how many the key opened."""
    tried = opened = 0
    for (sealed,) in (await session.execute(select(SealedAddress.sealed).limit(20))).all():
        tried += 1
        opened += sealer.unseal(sealed) is not None
    for column in (Conversation.data, InboundRecord.replies):
        for (value,) in (await session.execute(select(column).limit(200))).all():
            if isinstance(value, dict) and set(value) == {"sealed"} and tried < 60:
                tried += 1
                opened += sealer.open_stored(value) is not None
    return tried, opened
