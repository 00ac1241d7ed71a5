"""Training sessions held in the period and attendance, by session, by role and by class (no names)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Group, Person, TrainingParticipant, TrainingSession
from bot.services.supervision.labels import NO_GROUP, ROLE_NAMES, SCHOOL, grade_name
from bot.services.supervision.table import Cell, Section, protected, rate, shown_rate, titled
from bot.texts.school import ATTENDANCE_SPREAD, AUDIENCE_NAMES


def audience_name(audience: str) -> str:
    """all -> 全体心理委员, grade:8 -> 初二心理委员."""
    if audience.startswith("grade:"):
        return grade_name(int(audience[6:])) + "心理委员"
    return AUDIENCE_NAMES.get(audience, audience)


def _session_counts(audience: str, counts: list[int]) -> list[Cell]:
    """A session for all members is the school's own (exact); one for a grade is below it, and its
    invited count is the sum of the others once attendance is taken (protected as a row's total)."""
    if audience == "all":
        return list(counts)
    return protected([counts], row_total=True, column_totals=False)[0]


async def sections(*, session: AsyncSession, school_id: int, start: datetime, end: datetime, zone: ZoneInfo,
                   now: datetime) -> list[Section]:
    """Sessions held (not cancelled, started by now), attendance by role, by class, and per member."""
    held = list((await session.execute(select(TrainingSession).where(
        TrainingSession.school_id == school_id, TrainingSession.state != "cancelled",
        TrainingSession.starts_at >= start, TrainingSession.starts_at < min(end, now))
        .order_by(TrainingSession.starts_at))).scalars())
    rows = (await session.execute(select(TrainingParticipant, Person)
                                  .join(Person, Person.id == TrainingParticipant.person_id)
                                  .where(TrainingParticipant.session_id.in_([s.id for s in held] or [-1])))).all()
    groups = {g.id: g.name for g in (await session.execute(select(Group).where(Group.school_id == school_id)
                                                              .order_by(Group.kind, Group.name))).scalars()}
    by_session: dict[int, list[TrainingParticipant]] = defaultdict(list)
    for part, _person in rows:
        by_session[part.session_id].append(part)
    sessions_out = titled("training_sessions", ["日期", "主题", "对象", "应到", "出席", "请假", "缺席", "未记录"])
    for ts in held:
        parts = by_session[ts.id]
        present = sum(1 for p in parts if p.attended)
        leave = sum(1 for p in parts if not p.attended and p.answer == "leave")
        absent = sum(1 for p in parts if ts.attendance_taken and p.attended is False and p.answer != "leave")
        day = ts.starts_at.astimezone(zone).date().isoformat()
        sessions_out.rows.append([day, ts.title, audience_name(ts.audience),
                                  *_session_counts(ts.audience, [len(parts), present, leave, absent]),
                                  "是" if not ts.attendance_taken else ""])
    role_count: Counter[str] = Counter()
    role_present: Counter[str] = Counter()
    class_count: Counter[str] = Counter()
    class_present: Counter[str] = Counter()
    per_member: dict[int, list[bool]] = defaultdict(list)
    for part, person in rows:
        role = next((r for r in ROLE_NAMES if r in person.role_set), "")
        group = groups.get(person.group_id or 0, NO_GROUP)
        role_count[role] += 1
        class_count[group] += 1
        role_present[role] += bool(part.attended)
        class_present[group] += bool(part.attended)
        per_member[person.id].append(bool(part.attended))
    by_role = titled("training_by_role", ["角色", "应到人次", "出席人次", "出席率"], below_school=True)
    roles = [role for role in ROLE_NAMES if role_count[role]]
    shown = protected([[role_count[role], role_present[role]] for role in roles])
    by_role.rows += [[ROLE_NAMES[role], n, p, shown_rate(p, n)] for role, (n, p) in zip(roles, shown, strict=True)]
    by_class = titled("training_by_class", ["班级或寝室", "应到人次", "出席人次", "出席率"], below_school=True)
    names = [name for name in [*groups.values(), NO_GROUP] if class_count[name]]
    shown = protected([[class_count[name], class_present[name]] for name in names])
    by_class.rows += [[name, n, p, shown_rate(p, n)] for name, (n, p) in zip(names, shown, strict=True)]
    total, present = sum(class_count.values()), sum(class_present.values())
    by_class.rows.append([SCHOOL, total, present, rate(present, total, masked=False)])
    members = titled("training_per_member", ["出席情况", "人数"])
    every, some, never = ATTENDANCE_SPREAD
    members.rows += [[every, sum(1 for v in per_member.values() if all(v))],
                     [some, sum(1 for v in per_member.values() if any(v) and not all(v))],
                     [never, sum(1 for v in per_member.values() if not any(v))]]
    return [sessions_out, by_role, by_class, members]
