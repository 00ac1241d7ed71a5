"""People, their channel identities, invite codes and binding."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import Group, Identity, InviteCode, Person
from bot.db.models_people import MEMBER_ROLES, ROLES, STAFF_ROLES
from bot.services.school import audit
from bot.services.school.grades import grade_from_name

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class BindError(Exception):
    """Binding refused; the reason is a key into the bind flow's texts."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Who:
    """The person behind an inbound message, if bound."""

    person: Person
    identity: Identity

    @property
    def roles(self) -> set[str]:
        """The person's roles."""
        return self.person.role_set


# Built once: every inbound message runs it.
_IDENTITY = (select(Identity, Person).join(Person, Person.id == Identity.person_id)
             .where(Identity.channel == bindparam("channel"), Identity.external_id == bindparam("external_id")))


async def find_identity(*, session: AsyncSession, channel: str, external_id: str) -> Who | None:
    """Return the bound person for a channel address, or None."""
    row = (await session.execute(_IDENTITY, {"channel": channel, "external_id": external_id})).first()
    return Who(person=row[1], identity=row[0]) if row else None


def group_kind(role: str) -> str:
    """A dorm member's group is a dorm; everyone else's a class."""
    return "dorm" if role == "member_dorm" else "class"


async def get_or_create_group(*, session: AsyncSession, school_id: int, name: str, kind: str) -> Group:
    """Return the school's group of that name, creating it."""
    group = (await session.execute(
        select(Group).where(Group.school_id == school_id, Group.name == name)
    )).scalar_one_or_none()
    if group is None:
        group = Group(school_id=school_id, name=name, kind=kind, grade=grade_from_name(name))
        session.add(group)
        await session.flush()
    return group


async def create_invite(
    *, session: AsyncSession, school_id: int, name: str, role: str, group: str | None,
    valid_days: int = 14, actor: str = "cli", now: datetime | None = None,
) -> tuple[Person, str]:
    """Create (or reuse) the named person with the role and return a one-time invite code."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    if not name.strip():
        raise ValueError("a name is required")
    if role in MEMBER_ROLES and not group:
        raise ValueError("a committee member needs --group (their class or dorm)")
    now = now or utcnow()
    person = (await session.execute(
        select(Person).where(Person.school_id == school_id, Person.name == name.strip())
    )).scalar_one_or_none()
    if person is None:
        person = Person(school_id=school_id, name=name.strip(), roles="")
        session.add(person)
    roles = person.role_set | {role}
    person.roles = ",".join(sorted(roles))
    if group:
        person.group_id = (await get_or_create_group(
            session=session, school_id=school_id, name=group, kind=group_kind(role))).id
    await session.flush()
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    session.add(InviteCode(code=code, person_id=person.id, expires_at=now + timedelta(days=valid_days)))
    audit.record(session, actor=actor, action="invite.create", target=f"person:{person.id}", school_id=school_id)
    return person, code


async def bind(
    *, session: AsyncSession, channel: str, external_id: str, code: str, now: datetime | None = None,
    staff: bool = True,
) -> Person:
    """Bind a channel address to the invited person; the code works once.

    staff=False (the web chat outside the demo): a staff invite is refused and stays unused.
    """
    now = now or utcnow()
    invite = (await session.execute(
        select(InviteCode).where(InviteCode.code == code.strip().upper()).with_for_update()
    )).scalar_one_or_none()
    if invite is None:
        raise BindError("unknown")
    if invite.used_at is not None:
        raise BindError("used")
    if invite.expires_at < now:
        raise BindError("expired")
    if not staff:
        invited = await session.get(Person, invite.person_id)
        if invited is not None and invited.role_set & STAFF_ROLES:
            raise BindError("staff_channel")
    existing = await find_identity(session=session, channel=channel, external_id=external_id)
    if existing is not None:
        if existing.person.id == invite.person_id:
            raise BindError("already")
        raise BindError("taken")
    invite.used_at = now
    session.add(Identity(person_id=invite.person_id, channel=channel, external_id=external_id))
    person = await session.get(Person, invite.person_id)
    assert person is not None
    audit.record(session, actor=f"person:{person.id}", action="identity.bind", target=channel,
                 school_id=person.school_id)
    await session.flush()
    return person


async def identities_of(*, session: AsyncSession, person_id: int) -> list[Identity]:
    """Every channel address a person has bound."""
    return list((await session.execute(
        select(Identity).where(Identity.person_id == person_id).order_by(Identity.id)
    )).scalars())


async def group_name(*, session: AsyncSession, group_id: int | None) -> str:
    """The display name of a class or dorm."""
    if group_id is None:
        return ""
    group = await session.get(Group, group_id)
    return group.name if group else ""


async def find_person(*, session: AsyncSession, school_id: int, ref: str) -> Person:
    """A person by exact name, by id, or by the unique start of a name; ValueError naming the problem."""
    people = list((await session.execute(select(Person).where(Person.school_id == school_id))).scalars())
    ref = ref.strip()
    exact = [p for p in people if p.name == ref or (ref.isdigit() and p.id == int(ref))]
    if exact:
        return exact[0]
    starts = [p for p in people if ref and p.name.startswith(ref)]
    if len(starts) == 1:
        return starts[0]
    if starts:
        raise ValueError(f"{ref!r} matches several people: {', '.join(p.name for p in starts)}")
    raise ValueError(f"nobody called {ref!r} at this school")
