"""Escalation policies: parse, validate, read (with the defaults of escalation_policy.py) and set, per school
and level."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import EscalationPolicy, Person
from bot.services.crisis.escalation_policy import DEFAULTS, PAGED_LEVELS, ROLE_TARGETS

_WAIT = re.compile(r"^\s*(\d{1,6})\s*([smh])\s*$")
_UNIT = {"s": 1, "m": 60, "h": 3600}


class PolicyError(ValueError):
    """A policy that cannot be used, with a message for the person who wrote it; kind (level, step, wait,
    target) and the offending value let the console say it in Chinese."""

    def __init__(self, message: str, kind: str = "", value: str = "") -> None:
        super().__init__(message)
        self.kind, self.value = kind, value


@dataclass(frozen=True)
class Policy:
    """Steps of (target, wait seconds) and an optional repeat interval in seconds."""

    level: str
    steps: tuple[tuple[str, int], ...]
    repeat_every: int | None

    def steps_json(self) -> list[dict[str, Any]]:
        """The steps as stored on a policy and copied onto each escalation."""
        return [{"target": t, "wait": w} for t, w in self.steps]

    def describe(self) -> str:
        """The policy written the way `policy set` takes it."""
        text = ",".join(f"{t}:{format_wait(w)}" for t, w in self.steps)
        return text + (f" --repeat-every {format_wait(self.repeat_every)}" if self.repeat_every else "")


def parse_wait(text: str) -> int:
    """`30s`, `5m`, `2h` -> seconds."""
    m = _WAIT.match(text)
    if not m or int(m.group(1)) == 0:
        raise PolicyError(f"wait {text!r} must be a positive number with s, m or h, e.g. 30s, 5m, 2h",
                          kind="wait", value=text.strip())
    return int(m.group(1)) * _UNIT[m.group(2)]


def format_wait(seconds: int) -> str:
    """Seconds -> the shortest of `2h`, `5m`, `30s`."""
    for unit in ("h", "m"):
        if seconds % _UNIT[unit] == 0:
            return f"{seconds // _UNIT[unit]}{unit}"
    return f"{seconds}s"


def parse_policy(level: str, steps: str, repeat_every: str | None) -> Policy:
    """Parse `on_duty:5m,backup:5m,leaders:10m` (targets are checked against people separately)."""
    if level not in PAGED_LEVELS:
        raise PolicyError(f"level {level!r}: only red and orange cases page (use red or orange)",
                          kind="level", value=level)
    parsed = []
    for raw in steps.split(","):
        target, sep, wait = raw.strip().rpartition(":")
        if not sep or not target.strip():
            raise PolicyError(f"step {raw.strip()!r} must be <target>:<wait>, e.g. on_duty:5m",
                              kind="step", value=raw.strip())
        parsed.append((target.strip(), parse_wait(wait)))
    return Policy(level, tuple(parsed), parse_wait(repeat_every) if repeat_every else None)


async def check_targets(*, session: AsyncSession, school_id: int, policy: Policy) -> None:
    """Every target is a role target or the name of a person at the school."""
    for target, _wait in policy.steps:
        if target in ROLE_TARGETS:
            continue
        person = (await session.execute(select(Person).where(
            Person.school_id == school_id, Person.name == target))).scalar_one_or_none()
        if person is None:
            raise PolicyError(f"target {target!r} is neither one of {', '.join(ROLE_TARGETS)} nor a person's name",
                              kind="target", value=target)


async def current(*, session: AsyncSession, school_id: int, level: str) -> Policy:
    """The school's policy for a level, or the default."""
    row = (await session.execute(select(EscalationPolicy).where(
        EscalationPolicy.school_id == school_id, EscalationPolicy.level == level))).scalar_one_or_none()
    if row is None:
        steps, repeat = DEFAULTS[level]
        return parse_policy(level, steps, repeat)
    return Policy(level, tuple((s["target"], int(s["wait"])) for s in row.steps), row.repeat_every)


async def set_policy(*, session: AsyncSession, school_id: int, policy: Policy,
                     now: datetime | None = None) -> None:
    """Store a school's policy for a level; cases opened from now on use it."""
    await check_targets(session=session, school_id=school_id, policy=policy)
    row = (await session.execute(select(EscalationPolicy).where(
        EscalationPolicy.school_id == school_id, EscalationPolicy.level == policy.level))).scalar_one_or_none()
    if row is None:
        row = EscalationPolicy(school_id=school_id, level=policy.level)
        session.add(row)
    row.steps, row.repeat_every, row.updated_at = policy.steps_json(), policy.repeat_every, now or utcnow()
    await session.flush()
