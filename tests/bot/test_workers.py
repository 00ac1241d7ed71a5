"""Which workers are gone: their claims are taken over at once, a live worker's never."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, time, timedelta

from sqlalchemy import select

from bot.db.base import utcnow
from bot.db.models import Identity, OutboxMessage, Worker
from bot.services.messaging.workers import SAME_HOST_GRACE, STALE_AFTER, Presence


async def test_gone_workers_are_told_from_live_ones(app) -> None:
    now = utcnow()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    quiet = now - SAME_HOST_GRACE - timedelta(seconds=1)
    me = Presence(app.sessions)
    async with app.sessions() as session, session.begin():
        await me.ensure(session, now - STALE_AFTER * 2)
        session.add_all([
            Worker(boot_id="far-fresh", pid=1, host="other-host", started_at=now, heartbeat_at=now),
            Worker(boot_id="far-stale", pid=1, host="other-host", started_at=now,
                   heartbeat_at=now - STALE_AFTER - timedelta(seconds=1)),
            Worker(boot_id="here-dead", pid=int(dead.stdout), host=me.host, started_at=now, heartbeat_at=quiet),
            Worker(boot_id="here-rebooted", pid=os.getpid(), host=me.host, started_at=now, heartbeat_at=quiet),
            Worker(boot_id="here-just-beat", pid=int(dead.stdout), host=me.host, started_at=now, heartbeat_at=now),
            Worker(boot_id="here-alive", pid=os.getppid(), host=me.host, started_at=now,
                   heartbeat_at=now - timedelta(minutes=5)),  # on this host the process table decides
        ])
    async with app.sessions() as session, session.begin():
        live = await me.live_ids(session, now)
    async with app.sessions() as session:
        left = set((await session.execute(select(Worker.boot_id).where(Worker.id.in_(live)))).scalars())
        everyone = set((await session.execute(select(Worker.boot_id))).scalars())
    assert left == everyone == {me.boot_id, "far-fresh", "here-just-beat", "here-alive"}
    await me.leave()


async def test_heartbeats_are_judged_only_after_beating_steadily(app) -> None:
    """After an outage every heartbeat is old, ours too: nobody is taken for gone on that alone."""
    now = utcnow()
    me = Presence(app.sessions)
    async with app.sessions() as session, session.begin():
        await me.ensure(session, now)
        session.add(Worker(boot_id="far", pid=1, host="other-host", started_at=now,
                           heartbeat_at=now - timedelta(minutes=5)))
    async with app.sessions() as session, session.begin():
        assert len(await me.live_ids(session, now)) == 2
    async with app.sessions() as session, session.begin():
        assert len(await me.live_ids(session, now + STALE_AFTER)) == 1
    await me.leave()


async def test_a_taken_over_reminder_in_quiet_hours_waits_as_pending(app) -> None:
    """Taken over from a gone worker at night, a student's reminder waits for the morning, pending again."""
    night = datetime.combine(utcnow().astimezone(app.settings.zone).date(), time(23, 0), app.settings.zone)
    async with app.sessions() as session, session.begin():
        member = (await session.execute(select(Identity).where(Identity.external_id == "demo-member"))).scalar_one()
        session.add(OutboxMessage(channel="web", address="demo-member", person_id=member.person_id, kind="reminder",
                                  text="培训提醒", due_at=night - timedelta(minutes=5), state="sending",
                                  claimed_by=999))
    assert await app.delivery.run_once(now=night) == 0
    async with app.sessions() as session:
        row = (await session.execute(select(OutboxMessage))).scalar_one()
    assert row.state == "pending" and row.due_at == app.settings.quiet.release(night)
