"""Invite codes in bulk: one for every committee member and staff person who has none (and is not bound),
reissued on demand (the old unused codes stop working), and the cards of the printable sheet."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import Group, Identity, InviteCode, Person
from bot.db.models_people import MEMBER_ROLES, STAFF_ROLES
from bot.services.school import audit
from bot.services.school.people import _CODE_ALPHABET

log = logging.getLogger(__name__)
DEFAULT_DAYS = 14
SceneQr = Callable[[str, int], Awaitable[str]]  # (code, seconds valid) -> the URL WeChat's QR code encodes


def new_code() -> str:
    """Eight letters and digits that cannot be mistaken for one another."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def invited(person: Person) -> bool:
    """Committee members and staff get invites."""
    return bool(person.role_set & (set(MEMBER_ROLES) | STAFF_ROLES))


async def _state(session: AsyncSession, school_id: int,
                 now: datetime) -> tuple[list[Person], set[int], dict[int, InviteCode]]:
    people = [p for p in (await session.execute(select(Person).where(Person.school_id == school_id)
                                                .order_by(Person.group_id, Person.name))).scalars() if invited(p)]
    ids = [p.id for p in people] or [-1]
    bound = {pid for (pid,) in (await session.execute(select(Identity.person_id).where(
        Identity.person_id.in_(ids)))).all()}
    valid: dict[int, InviteCode] = {}
    for code in (await session.execute(select(InviteCode).where(
            InviteCode.person_id.in_(ids), InviteCode.used_at.is_(None), InviteCode.expires_at > now)
            .order_by(InviteCode.id))).scalars():
        valid[code.person_id] = code  # the newest valid one
    return people, bound, valid


async def issue_missing(*, session: AsyncSession, school_id: int, days: int = DEFAULT_DAYS, actor: str = "cli",
                        now: datetime | None = None, address: str | None = None) -> list[tuple[Person, str]]:
    """A code for every member and staff person who is not bound and has no valid code; returns them."""
    now = now or utcnow()
    people, bound, valid = await _state(session, school_id, now)
    issued = []
    for person in people:
        if person.id in bound or person.id in valid:
            continue
        code = new_code()
        session.add(InviteCode(code=code, person_id=person.id, expires_at=now + timedelta(days=days), created_at=now))
        audit.record(session, actor=actor, action="invite.create", target=f"person:{person.id}", school_id=school_id,
                     address=address)
        issued.append((person, code))
    await session.flush()
    return issued


async def reissue(*, session: AsyncSession, school_id: int, person: Person, days: int = DEFAULT_DAYS,
                  actor: str = "cli", now: datetime | None = None, address: str | None = None) -> str:
    """A new code for the person; their unused codes expire now."""
    now = now or utcnow()
    await session.execute(update(InviteCode).where(InviteCode.person_id == person.id, InviteCode.used_at.is_(None),
                                                   InviteCode.expires_at > now).values(expires_at=now))
    code = new_code()
    session.add(InviteCode(code=code, person_id=person.id, expires_at=now + timedelta(days=days), created_at=now))
    audit.record(session, actor=actor, action="invite.reissue", target=f"person:{person.id}", school_id=school_id,
                 address=address)
    await session.flush()
    return code


@dataclass(frozen=True)
class Card:
    """One person's card on the sheet: name, class or dorm, role words, their code, and what the QR encodes."""

    name: str
    group: str
    roles: set[str]
    code: str | None
    expires_at: datetime | None
    bound: bool
    qr_text: str | None  # WeChat's URL, or `绑定 <code>`
    qr_from_wechat: bool
    qr_error: str = ""

    @property
    def staff(self) -> bool:
        """Staff bind in WeCom or Telegram."""
        return bool(self.roles & STAFF_ROLES)


async def cards(*, session: AsyncSession, school_id: int, scene_qr: SceneQr | None = None,
                now: datetime | None = None, actor: str = "cli") -> list[Card]:
    """Every member's and staff person's card: bound ones marked, the rest with their valid code and its QR.

    scene_qr: WeChat's parametrised QR (kept on the code, asked once); without it the QR encodes `绑定 <code>`.
    """
    now = now or utcnow()
    people, bound, valid = await _state(session, school_id, now)
    groups = {g.id: g.name for g in (await session.execute(
        select(Group).where(Group.school_id == school_id))).scalars()}
    out = []
    for person in people:
        code = valid.get(person.id)
        qr_text, from_wechat, error = None, False, ""
        if code is not None and person.id not in bound:
            qr_text = f"绑定 {code.code}"
            if scene_qr is not None and not (person.role_set & STAFF_ROLES):
                if code.qr_url is None:
                    try:
                        code.qr_url = await scene_qr(code.code, int((code.expires_at - now).total_seconds()))
                    except Exception as exc:  # noqa: BLE001 - one card falls back to text; the sheet goes on
                        error = str(exc)[:200]
                        log.warning("WeChat QR for invite of person %s failed: %s", person.id, error)
                qr_text, from_wechat = (code.qr_url, True) if code.qr_url else (qr_text, False)
        out.append(Card(name=person.name, group=groups.get(person.group_id or 0, ""), roles=person.role_set,
                        code=code.code if code else None, expires_at=code.expires_at if code else None,
                        bound=person.id in bound, qr_text=qr_text, qr_from_wechat=from_wechat, qr_error=error))
    audit.record(session, actor=actor, action="invite.sheet", target=f"cards:{len(out)}", school_id=school_id)
    await session.flush()
    return out
