"""`make bench-escalation`: time from a red message received to its first page handed to a channel.

1,000 red messages from different students go through the router at a steady offered rate
(BENCH_RATE, default 10 a second: far more crises than any school sees, sustained for 100 s),
with the scheduler ticking as in `xinqiao serve`; the web chat channel is wrapped to note when
each case's first page reaches it. A second, shorter run sends back to back to find the most
red messages a second the process sustains. Runs on SQLite and, when it answers, on PostgreSQL (a scratch database,
xinqiao_bench, created and dropped here). Prints p50, p99 and max in milliseconds.
"""

from __future__ import annotations

import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

from bot.app import App  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.db.models import Conversation  # noqa: E402
from bot.events import (  # noqa: E402
    Delivery,
    Inbound,  # noqa: E402
    Outbound,
)
from bot.scheduler import make_scheduler  # noqa: E402

N = int(os.environ.get("BENCH_MESSAGES", "1000"))
RATE = float(os.environ.get("BENCH_RATE", "10"))
FLOOD = int(os.environ.get("BENCH_FLOOD", "300"))
PG_ADMIN = os.environ.get("XINQIAO_BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_URL = os.environ.get("XINQIAO_BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/xinqiao_bench")
RED = ["我今晚就从楼顶跳下去", "药我已经攒够了，今晚全吃掉", "我已经写好遗书了", "我现在就在天台上，不想活了"]


class Stopwatch:
    """Wraps the web chat (a local channel, written in the delivery's own transaction, as in
    production) and notes when each case's first page is handed to it."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.first_page: dict[int, float] = {}

    def _note(self, push: Outbound) -> None:
        if push.kind == "page" and push.case_id is not None:
            self.first_page.setdefault(push.case_id, time.perf_counter())

    async def write(self, session: AsyncSession, push: Outbound) -> Delivery:
        self._note(push)
        return await self.inner.write(session, push)

    async def send(self, push: Outbound) -> Delivery:
        self._note(push)
        return await self.inner.send(push)


async def run(db_url: str, data_dir: Path, n: int, rate: float | None) -> tuple[list[float], float]:
    """Send n red messages (at a rate, or back to back); return first-page latencies (ms) and the duration."""
    settings = Settings(data_dir=data_dir, database_url=db_url, secret_key="bench")
    app = App(settings)
    await app.prepare(demo=True)
    watch = Stopwatch(app.channels["web"])
    app.channels["web"] = watch
    scheduler = make_scheduler(app.tick, app.audit)
    scheduler.start()
    sent_at: dict[str, float] = {}
    start = time.perf_counter()
    try:
        for i in range(n):
            if rate:
                await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
            sent_at[f"bench-{i}"] = time.perf_counter()
            await app.router.handle(Inbound(channel="web", sender=f"bench-{i}", text=RED[i % len(RED)],
                                            raw_id=f"r{i}"))
            await asyncio.sleep(0)
        deadline = time.monotonic() + 60
        while len(watch.first_page) < n and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        duration = max(watch.first_page.values(), default=time.perf_counter()) - start
        received = await cases_of(app, sent_at)
    finally:
        scheduler.shutdown(wait=False)
        await app.close()
    missing = set(received) - set(watch.first_page)
    if missing:
        print(f"  {len(missing)} cases got no page within 60 s", flush=True)
    return [(watch.first_page[c] - t) * 1000 for c, t in received.items() if c in watch.first_page], duration


async def cases_of(app: App, sent_at: dict[str, float]) -> dict[int, float]:
    """Each sender's case (the router keeps it on the sender's conversation, sealed), with when it was sent."""
    async with app.sessions() as session:
        rows = (await session.execute(select(Conversation.external_id, Conversation.data)
                                      .where(Conversation.channel == "web"))).all()
    cases = {sender: (app.sealer.open_stored(data) or {}).get("_crisis_case") for sender, data in rows}
    missing = [s for s in sent_at if not cases.get(s)]
    if missing:
        raise SystemExit(f"{len(missing)} red messages opened no case")
    return {cases[s]: t for s, t in sent_at.items()}


def measure(name: str, fresh_db: Callable[[str], str], data_dir: Path) -> None:
    """The paced run (the target) and the back-to-back run (the ceiling), each on a fresh database."""
    latencies, _ = asyncio.run(run(fresh_db("paced"), data_dir, N, RATE))
    ordered = sorted(latencies)
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
    print(f"{name:<11} {RATE:g}/s  n={len(ordered)}  p50 {statistics.median(ordered):6.1f} ms  p99 {p99:6.1f} ms  "
          f"max {ordered[-1]:6.1f} ms  (target p99 < 1000 ms: {'met' if p99 < 1000 else 'NOT met'})", flush=True)
    flood, duration = asyncio.run(run(fresh_db("flood"), data_dir.with_name(data_dir.name + "-flood"), FLOOD, None))
    print(f"{name:<11} back to back: {len(flood) / duration:5.1f} red messages/s sustained, "
          f"p50 {statistics.median(flood):6.1f} ms (a queue forms beyond that rate)", flush=True)


async def pg_database(create: bool) -> bool:
    import asyncpg

    try:
        conn = await asyncpg.connect(PG_ADMIN, timeout=3)
    except (OSError, asyncpg.PostgresError):
        return False
    try:
        await conn.execute("DROP DATABASE IF EXISTS xinqiao_bench")
        if create:
            await conn.execute("CREATE DATABASE xinqiao_bench")
    finally:
        await conn.close()
    return True


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.CRITICAL)
    print(f"first page handed to a channel after a red message: {N} messages at {RATE:g}/s, scheduler ticking",
          flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        measure("SQLite", lambda name: f"sqlite:///{tmp}/{name}.db", Path(tmp) / "data")
        if asyncio.run(pg_database(create=True)):
            try:
                measure("PostgreSQL", lambda _name: PG_URL if asyncio.run(pg_database(create=True)) else "",
                        Path(tmp) / "data-pg")
            finally:
                asyncio.run(pg_database(create=False))
        else:
            print("PostgreSQL  skipped: not reachable at " + PG_ADMIN.split("@")[-1])


if __name__ == "__main__":
    main()
