"""Is the school ready? One line per check, green or red, with what to do: channels, the duty roster,
a bound member in every class and dorm, the crisis numbers, the key backed up, a recent backup, the
database. Returns data (the console's page and `xinqiao doctor` render the same lines)."""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.db.base import utcnow
from bot.db.models import AuditEntry, Group
from bot.services.crisis.roster import Roster
from bot.services.school import audit
from bot.services.supervision.committee import unbound_groups
from bot.texts import school as t

KEY_CONFIRMED = "doctor.key_backup_confirmed"
DUTY_DAYS = 14
BACKUP_MAX_AGE = timedelta(hours=24)
DEFAULT_COUNSELLOR = Settings.model_fields["school_counsellor_phone"].default


class ChannelLike(Protocol):
    """What the doctor needs of a channel probe (bot/channels/probes.py gives ChannelStatus)."""

    @property
    def name(self) -> str: ...

    @property
    def configured(self) -> bool: ...

    @property
    def reachable(self) -> bool: ...

    @property
    def detail(self) -> str: ...


@dataclass(frozen=True)
class Check:
    """One line of the doctor: green or red, what was found, and what to do when red."""

    title: str
    ok: bool
    found: str
    fix: str = ""

    def line(self) -> str:
        """`✓ 值班表：…` or `✗ 值班表：… → 怎么办`."""
        mark = t.DOCTOR_OK if self.ok else t.DOCTOR_BAD
        return f"{mark} {self.title}：{self.found}" + ("" if self.ok or not self.fix else f" → {self.fix}")


def key_fingerprint(key: str) -> str:
    """A fingerprint of the server key that does not reveal it (a keyed hash of a fixed label)."""
    return hmac.new(key.encode("utf-8"), b"xinqiao key backup", hashlib.sha256).hexdigest()[:16]


def confirm_key_backup(session: AsyncSession, *, school_id: int, key: str, actor: str = "cli",
                       address: str | None = None, now: datetime | None = None) -> None:
    """An admin says the key is kept apart (audited, with the key's fingerprint)."""
    audit.record(session, actor=actor, action=KEY_CONFIRMED, target=f"key:{key_fingerprint(key)}",
                 school_id=school_id, address=address, at=now)


def channels(statuses: Sequence[ChannelLike]) -> list[Check]:
    """A reachable channel for members and one for staff; each configured one reachable."""
    on = [s for s in statuses if s.configured]
    out = [Check(t.DR_CHANNELS, False, t.DR_CHANNEL_DOWN.format(name=s.name, detail=s.detail), t.DR_CHANNEL_DOWN_FIX)
           for s in on if not s.reachable]
    if not on:
        return [Check(t.DR_CHANNELS, False, t.DR_NO_CHANNEL, t.DR_NO_CHANNEL_FIX)]
    if not any(s.name in ("wecom", "telegram") for s in on):
        out.append(Check(t.DR_CHANNELS, False, t.DR_NO_STAFF_CHANNEL, t.DR_NO_STAFF_CHANNEL_FIX))
    if not out:
        out.append(Check(t.DR_CHANNELS, True, t.DR_CHANNEL_OK.format(names="、".join(s.name for s in on))))
    return out


async def duty(*, session: AsyncSession, school_id: int, settings: Settings, now: datetime) -> Check:
    """The duty roster without gaps in the next 14 days (as `duty check`)."""
    gaps = (await Roster.load(session=session, school_id=school_id, zone=settings.zone)).gaps(now, DUTY_DAYS)
    if not gaps:
        return Check(t.DR_DUTY, True, t.DR_DUTY_OK.format(days=DUTY_DAYS))
    first = f"{gaps[0].start:%Y-%m-%d %a %H:%M} → {gaps[0].end:%Y-%m-%d %a %H:%M}"
    return Check(t.DR_DUTY, False, t.DR_DUTY_GAPS.format(days=DUTY_DAYS, count=len(gaps), first=first), t.DR_DUTY_FIX)


async def classes(*, session: AsyncSession, school_id: int) -> Check:
    """Every class and dorm has a bound committee member."""
    count = len((await session.execute(select(Group.id).where(Group.school_id == school_id))).all())
    if not count:
        return Check(t.DR_CLASSES, False, t.DR_NO_CLASSES, t.DR_NO_CLASSES_FIX)
    missing = await unbound_groups(session=session, school_id=school_id)
    if not missing:
        return Check(t.DR_CLASSES, True, t.DR_CLASSES_OK.format(count=count))
    names = "、".join(g.name for g in missing[:10]) + ("……" if len(missing) > 10 else "")
    return Check(t.DR_CLASSES, False, t.DR_CLASSES_MISSING.format(count=len(missing), names=names), t.DR_CLASSES_FIX)


def numbers(settings: Settings) -> Check:
    """The hotline, the emergency numbers and the school's own counsellor contact are set."""
    named = (("全国心理援助热线 XINQIAO_HOTLINE", settings.hotline),
             ("紧急电话 XINQIAO_EMERGENCY_NUMBERS", settings.emergency_numbers),
             ("学校心理老师 XINQIAO_SCHOOL_COUNSELLOR_PHONE", settings.school_counsellor_phone))
    empty = [what for what, value in named
             if not any(ch.isdigit() for ch in value)
             and not (what.startswith("学校") and value == DEFAULT_COUNSELLOR)]
    if empty:
        return Check(t.DR_NUMBERS, False, t.DR_NUMBERS_BAD.format(what="、".join(empty)), t.DR_NUMBERS_FIX)
    if settings.school_counsellor_phone == DEFAULT_COUNSELLOR:
        return Check(t.DR_NUMBERS, False, t.DR_NUMBERS_DEFAULT.format(value=DEFAULT_COUNSELLOR), t.DR_NUMBERS_FIX)
    return Check(t.DR_NUMBERS, True, t.DR_NUMBERS_OK.format(
        hotline=settings.hotline, emergency=settings.emergency_numbers, school=settings.school_counsellor_phone))


async def key_backup(*, session: AsyncSession, school_id: int, settings: Settings) -> Check:
    """An admin confirmed the key is kept apart, and it is still the same key."""
    where = "XINQIAO_SECRET_KEY" if settings.secret_key else str(settings.data_dir / "secret.key")
    found = await audit.entries(session=session, school_id=school_id, action_prefix=KEY_CONFIRMED, limit=1)
    if not found:
        return Check(t.DR_KEY, False, t.DR_KEY_NEVER.format(where=where), t.DR_KEY_FIX)
    entry: AuditEntry = found[0]
    when = entry.at.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M")
    if entry.target != f"key:{key_fingerprint(settings.key)}":
        return Check(t.DR_KEY, False, t.DR_KEY_CHANGED.format(when=when), t.DR_KEY_FIX)
    return Check(t.DR_KEY, True, t.DR_KEY_OK.format(when=when))


def backups(*, folder: Path, settings: Settings, now: datetime) -> Check:
    """A backup file (`xinqiao backup`) written in the last 24 hours."""
    files = sorted((p for pattern in ("xinqiao-*.db", "xinqiao-*.dump") for p in folder.glob(pattern) if p.is_file()),
                   key=lambda p: p.stat().st_mtime)
    if not files:
        return Check(t.DR_BACKUP, False, t.DR_BACKUP_NONE.format(where=folder), t.DR_BACKUP_FIX)
    newest = files[-1]
    at = datetime.fromtimestamp(newest.stat().st_mtime, tz=settings.zone)
    when = at.strftime("%Y-%m-%d %H:%M")
    if now - at > BACKUP_MAX_AGE:
        return Check(t.DR_BACKUP, False, t.DR_BACKUP_OLD.format(when=when, hours=(now - at) / timedelta(hours=1)),
                     t.DR_BACKUP_FIX)
    return Check(t.DR_BACKUP, True, t.DR_BACKUP_OK.format(when=when, name=newest.name))


async def database(*, session: AsyncSession, settings: Settings) -> list[Check]:
    """SQLite: WAL, foreign keys, private files. PostgreSQL: connections for the pool, durable commits."""
    bad: list[str] = []
    good: list[str] = []
    if session.bind.dialect.name == "sqlite":
        mode = (await session.execute(text("PRAGMA journal_mode"))).scalar_one()
        keys = (await session.execute(text("PRAGMA foreign_keys"))).scalar_one()
        if str(mode).lower() == "wal" and int(keys) == 1:
            good.append("SQLite（WAL、外键检查已开启）")
        else:
            bad.append(f"SQLite journal_mode={mode}、foreign_keys={keys}（应为 wal 和 1）")
        db_file = Path(settings.db_url.split(":///", 1)[1])
        for path, want in ((settings.data_dir, 0o700), (db_file, 0o600)):
            if path.exists() and os.stat(path).st_mode & 0o077:
                bad.append(f"{path} 权限 {oct(os.stat(path).st_mode & 0o777)}（应为 {oct(want)}）")
        good.append("适合单台服务器，多台请用 PostgreSQL")
    else:
        max_conn = int((await session.execute(text("SHOW max_connections"))).scalar_one())
        fsync = (await session.execute(text("SHOW fsync"))).scalar_one()
        sync = (await session.execute(text("SHOW synchronous_commit"))).scalar_one()
        version = int((await session.execute(text("SHOW server_version_num"))).scalar_one())
        need = settings.database_pool_size * 2 + 5
        (good if max_conn >= need else bad).append(
            f"max_connections={max_conn}（两个 worker 各 {settings.database_pool_size} 个连接加 CLI，至少 {need}）")
        (good if fsync == "on" else bad).append(f"fsync={fsync}（应为 on）")
        (good if sync != "off" else bad).append(f"synchronous_commit={sync}（不应为 off：已确认的消息不能丢）")
        (good if version >= 120000 else bad).append(f"PostgreSQL {version // 10000}（至少 12）")
    if bad:
        return [Check(t.DR_DATABASE, False, "；".join(bad), t.DR_DB_FIX)]
    return [Check(t.DR_DATABASE, True, t.DR_DB_OK.format(what="；".join(good)))]


async def run_checks(*, session: AsyncSession, school_id: int, settings: Settings, statuses: Sequence[ChannelLike],
                     backup_dir: Path | None = None, now: datetime | None = None) -> list[Check]:
    """Every check, in the order the doctor prints them."""
    now = now or utcnow()
    out = channels(statuses)
    out.append(await duty(session=session, school_id=school_id, settings=settings, now=now))
    out.append(await classes(session=session, school_id=school_id))
    out.append(numbers(settings))
    out.append(await key_backup(session=session, school_id=school_id, settings=settings))
    out.append(backups(folder=backup_dir or settings.data_dir / "backups", settings=settings, now=now))
    out += await database(session=session, settings=settings)
    return out
