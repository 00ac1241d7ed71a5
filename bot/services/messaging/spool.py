"""The outage spool: inbound messages kept in an fsynced file while the database does not answer.

One JSON line per message in `<data dir>/spool/spool.jsonl`: channel, the original time, the text,
the triage level, and the sender's address with the message's dedupe key sealed with the server key
(never in clear). Appends take an exclusive lock on the file and are fsynced before the sender is
answered. Replay (one process at a time, under `replay.lock`) first renames the file aside, so
that new appends start a fresh one, then hands every line to the router, red and orange first,
the rest paced (PACE) so that live messages keep their share of the database; a line whose
message was already handled (its dedupe key recorded) is a no-op there, so a crash in the middle of
a replay doubles nothing. A replayed file is deleted only when every line went through.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.events import Inbound
from bot.services.messaging.sealing import Sealer

log = logging.getLogger(__name__)
LIVE = "spool.jsonl"
FAILED = "failed.jsonl"  # lines that could not be read or that failed for a reason other than the database
URGENT = ("red", "orange")
PACE = 0.02  # seconds between replayed non-urgent messages: live traffic keeps its share of the database


@dataclass(frozen=True)
class Spooled:
    """One spooled message: the inbound as it arrived, when, and the level triage gave it then."""

    inbound: Inbound
    at: datetime
    level: str


Handle = Callable[[Spooled], Awaitable[None]]
Unavailable = Callable[[BaseException], bool]


class Spool:
    """The spool directory of one data dir (shared by every worker on it)."""

    def __init__(self, directory: Path, sealer: Sealer) -> None:
        self.dir = directory
        self._sealer = sealer
        self._paused = False  # the last replay stopped because the database was away (logged once)

    def append(self, message: Spooled) -> None:
        """Write one message and fsync it before returning (raises OSError if the disk refuses)."""
        inbound = message.inbound
        line = json.dumps({
            "v": 1, "channel": inbound.channel, "at": message.at.isoformat(), "level": message.level,
            "text": inbound.text, "choice": inbound.choice,
            "who": self._sealer.seal_json({"sender": inbound.sender, "key": inbound.raw_id}),
        }, ensure_ascii=False) + "\n"
        self.dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self.dir / LIVE
        while True:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                if _same_file(fd, path):  # not renamed aside by a replay while we waited for the lock
                    os.write(fd, line.encode("utf-8"))
                    os.fsync(fd)
                    break
            finally:
                os.close(fd)
        _fsync_dir(self.dir)

    def pending(self) -> int:
        """How many messages wait in the spool (not yet replayed, or not readable)."""
        if not self.dir.is_dir():
            return 0
        total = 0
        for path in self.dir.glob("*.jsonl"):
            try:
                with path.open("rb") as f:
                    total += sum(1 for line in f if line.strip())
            except FileNotFoundError:
                continue
        return total

    def waiting(self) -> bool:
        """Whether anything waits to be replayed (cheap: no file is read)."""
        return self.dir.is_dir() and any(p.name != FAILED for p in self.dir.glob("*.jsonl"))

    async def replay(self, handle: Handle, unavailable: Unavailable) -> int:
        """Hand every spooled message to handle, oldest first; return how many went through.

        Stops (keeping the rest) when handle fails because the database is still away; a line that
        fails for any other reason is moved to failed.jsonl, logged, and counted by pending().
        """
        if not self.waiting():
            return 0
        lock = os.open(self.dir / "replay.lock", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return 0  # another worker is replaying
            self._set_aside()
            paths = sorted(self.dir.glob("replay-*.jsonl"))
            started = time.monotonic()
            done, finished = await self._replay_files(paths, handle, unavailable)
            if finished:
                for path in paths:
                    path.unlink()
                _fsync_dir(self.dir)
            if done:
                log.warning("replayed %d spooled messages in %.1f s%s", done, time.monotonic() - started,
                            "" if finished else " (paused: the database went away again)")
            return done
        finally:
            os.close(lock)

    def _set_aside(self) -> None:
        """Rename the live file to a replay file, under its lock, so that appends start a new one."""
        path = self.dir / LIVE
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if _same_file(fd, path) and os.fstat(fd).st_size > 0:
                os.rename(path, self.dir / f"replay-{time.time_ns():020d}.jsonl")
                _fsync_dir(self.dir)
        finally:
            os.close(fd)

    async def _replay_files(self, paths: list[Path], handle: Handle, unavailable: Unavailable) -> tuple[int, bool]:
        """Red and orange lines first (their pages must not wait behind the chatter), then the rest, each
        group in the order it arrived; whether every line went through."""
        done = 0
        lines: list[tuple[int, bytes, Spooled]] = []
        failed: list[bytes] = []  # kept in failed.jsonl once the whole replay went through
        for path in paths:
            for number, raw in enumerate(path.read_bytes().splitlines(), start=1):
                if not raw.strip():
                    continue
                message = self._read(raw)
                if message is None:
                    log.error("spool %s line %d is unreadable: kept in %s", path.name, number, FAILED)
                    failed.append(raw)
                    continue
                lines.append((len(lines), raw, message))
        lines.sort(key=lambda line: (line[2].level not in URGENT, line[0]))
        for number, raw, message in lines:
            try:
                await handle(message)
            except Exception as exc:
                if unavailable(exc):
                    if not self._paused:
                        log.warning("spool replay paused: the database is unavailable (%s)", type(exc).__name__)
                    self._paused = True
                    return done, False
                log.exception("spool line %d (of this replay) failed: kept in %s", number, FAILED)
                failed.append(raw)
                continue
            done += 1
            if message.level not in URGENT:
                await asyncio.sleep(PACE)
        for raw in failed:
            self._keep_failed(raw)
        self._paused = False
        return done, True

    def _read(self, raw: bytes) -> Spooled | None:
        try:
            entry: Any = json.loads(raw)
            who = self._sealer.unseal_json(str(entry["who"]))
            inbound = Inbound(channel=str(entry["channel"]), sender=str(who["sender"]), text=str(entry["text"]),
                              raw_id=str(who["key"]), choice=entry.get("choice"))
            return Spooled(inbound=inbound, at=datetime.fromisoformat(entry["at"]), level=str(entry["level"]))
        except (ValueError, KeyError, TypeError):
            return None

    def _keep_failed(self, raw: bytes) -> None:
        fd = os.open(self.dir / FAILED, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, raw.rstrip(b"\n") + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), path.stat())
    except FileNotFoundError:
        return False


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
