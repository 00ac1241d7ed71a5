"""SQLite run inline on the event loop: other processes that hold the write lock are waited for."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select, text

from bot.app import App
from bot.config import Settings, normalise_database_url
from bot.db.models import InboundRecord
from bot.events import Inbound
from keywords import Triager

HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE schools SET name = name")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def test_sqlite_urls_of_every_spelling_mean_the_same_file() -> None:
    for url in ("sqlite:///var/x.db", "sqlite+aiosqlite:///var/x.db", "sqlite+inline:///var/x.db"):
        assert normalise_database_url(url) == "sqlite+inline:///var/x.db"


async def test_a_message_waits_for_another_process_holding_the_write_lock(
        tmp_path: Path, sqlite_template: Path, triager: Triager) -> None:
    path = tmp_path / "xinqiao.db"
    shutil.copy(sqlite_template, path)
    app = App(Settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{path}", secret_key="k"), triager=triager)
    await app.prepare(demo=True)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path), "1.5"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        start = time.monotonic()
        replies = await app.router.handle(Inbound(channel="web", sender="s1", text="你好", raw_id="m1"))
        waited = time.monotonic() - start
        assert replies, "the message was answered"
        assert waited >= 0.5, f"the write did not wait for the other process's lock ({waited:.2f} s)"
        async with app.engine.connect() as conn:  # driver-level statements work too
            assert (await conn.execute(text("SELECT 1"))).scalar_one() == 1
        async with app.sessions() as session:
            stored = (await session.execute(select(func.count(InboundRecord.id)))).scalar_one()
        assert stored == 1
    finally:
        assert holder.wait(timeout=10) == 0
        await app.close()
