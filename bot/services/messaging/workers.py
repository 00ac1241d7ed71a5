"""Who is sending: one row per running process with a heartbeat, so a claim names its process and boot.

A row in `sending` is claimed by a worker. When that worker is gone its claims are taken over at once,
not after a timeout: gone means its row is missing (a clean stop deletes it); or it ran on this host
and its process no longer exists, or has our pid under another boot id (a container's pid 1,
restarted), its last beat 2 s old; or it ran on another host and its heartbeat is 6 s old. On this
host the process table decides, not the heartbeat (a live worker whose loop waits on a SQLite lock is
alive). Heartbeats are judged only after this process has itself been beating steadily for 6 s:
after a database outage every heartbeat is old.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import Worker

log = logging.getLogger(__name__)
BEAT_EVERY = timedelta(seconds=1)
STALE_AFTER = timedelta(seconds=6)  # a live worker beats every second, from a job of its own
SAME_HOST_GRACE = timedelta(seconds=2)  # a pid seen gone on this host, and no beat for this long
_HERE: set[str] = set()  # boot ids of the workers in this process (tests run several in one)


def process_alive(pid: int) -> bool:
    """Whether a process with this pid runs on this host (a zombie does not count)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


class Presence:
    """This process's worker row: registered on first use, kept fresh by beat(), deleted by leave()."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self.boot_id = secrets.token_hex(16)
        _HERE.add(self.boot_id)
        self.pid = os.getpid()
        self.host = socket.gethostname()[:255]
        self.id: int | None = None
        self._last_beat: datetime | None = None
        self._beating_since: datetime | None = None

    async def ensure(self, session: AsyncSession, now: datetime) -> int:
        """This worker's id, registering it in the caller's transaction when it has none yet."""
        if self.id is None:
            row = Worker(boot_id=self.boot_id, pid=self.pid, host=self.host, started_at=now, heartbeat_at=now)
            session.add(row)
            await session.flush()
            self.id, self._last_beat, self._beating_since = row.id, now, now
        return self.id

    async def beat(self, now: datetime | None = None) -> None:
        """Refresh the heartbeat (at most once a second); register again if another process removed us."""
        now = now or utcnow()
        if self._last_beat is not None and now - self._last_beat < BEAT_EVERY:
            return
        try:
            async with self._sessions() as session, session.begin():
                if self.id is not None:
                    done = await session.execute(update(Worker).where(Worker.id == self.id)
                                                 .values(heartbeat_at=now))
                    if done.rowcount != 1:  # type: ignore[attr-defined]
                        log.warning("worker %s was taken for gone; registering again", self.id)
                        self.id = None
                await self.ensure(session, now)
        except Exception:  # the database is away: claims wait for it; judging others waits too
            log.exception("worker heartbeat failed")
            self._beating_since = None
            return
        if self._last_beat is None or now - self._last_beat > STALE_AFTER or self._beating_since is None:
            self._beating_since = now
        self._last_beat = now

    async def live_ids(self, session: AsyncSession, now: datetime) -> set[int]:
        """The workers still alive; the rows of those gone are deleted (their claims are free)."""
        steady = self._beating_since is not None and now - self._beating_since >= STALE_AFTER
        live_list: list[int] = []
        gone: list[int] = []
        for row in (await session.execute(select(Worker))).scalars():
            if row.id == self.id or row.boot_id in _HERE:
                live_list.append(row.id)
            elif row.host == self.host:
                dead = row.pid == self.pid or not process_alive(row.pid)
                (gone if dead and now - row.heartbeat_at > SAME_HOST_GRACE else live_list).append(row.id)
            elif steady and now - row.heartbeat_at > STALE_AFTER:
                gone.append(row.id)
            else:
                live_list.append(row.id)
        if gone:
            log.warning("workers %s are gone; their claims are taken over", gone)
            await session.execute(delete(Worker).where(Worker.id.in_(gone)))
        return set(live_list)

    async def leave(self) -> None:
        """A clean stop: remove this worker's row, so that what it had claimed is free at once."""
        _HERE.discard(self.boot_id)
        if self.id is None:
            return
        try:
            async with self._sessions() as session, session.begin():
                await session.execute(delete(Worker).where(Worker.id == self.id))
        except Exception:  # stopping anyway: the heartbeat goes stale instead
            log.exception("could not remove worker %s", self.id)
        self.id = None
