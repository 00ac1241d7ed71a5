"""The demo school: one class, one dorm, members and staff already bound to the web chat."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import AuditEntry, DutySlot, Identity, KeyPeriod, Person, School
from bot.services.school import audit
from bot.services.school.people import get_or_create_group, group_kind

DEMO_CLASS = "初二(3)班"
DEMO_DORM = "女生宿舍 5-302"
DEMO_PEOPLE = (
    # web chat id, name, roles, group
    ("demo-member", "李小雨（班级心理委员）", "member_class", DEMO_CLASS),
    ("demo-dorm", "王晓晴（寝室心理委员）", "member_dorm", DEMO_DORM),
    ("demo-counsellor", "陈老师（心理教师）", "counsellor", None),
    ("demo-backup", "张老师（备班心理教师）", "counsellor", None),
    ("demo-leader", "刘校长（危机干预小组组长）", "leader", None),
)


async def seed_demo(*, session: AsyncSession, school: School) -> bool:
    """Seed the demo once; return False when it was already there."""
    seeded = (await session.execute(
        select(AuditEntry).where(AuditEntry.action == "demo.seed").limit(1))).scalar_one_or_none()
    if seeded is not None:
        return False
    people: dict[str, Person] = {}
    for web_id, name, roles, group in DEMO_PEOPLE:
        group_id = None
        if group:
            group_id = (await get_or_create_group(session=session, school_id=school.id, name=group,
                                                  kind=group_kind(roles))).id
        person = Person(school_id=school.id, name=name, roles=roles, group_id=group_id)
        session.add(person)
        await session.flush()
        session.add(Identity(person_id=person.id, channel="web", external_id=web_id))
        people[web_id] = person
    for weekday in range(7):
        session.add(DutySlot(school_id=school.id, weekday=weekday, start_minute=0, end_minute=1440,
                             person_id=people["demo-counsellor"].id, backup_person_id=people["demo-backup"].id))
    for name, start, days, rule in demo_periods(utcnow().date()):
        session.add(KeyPeriod(school_id=school.id, name=name, starts_on=start, ends_on=start + timedelta(days=days),
                              checkin=rule))
    audit.record(session, actor="demo", action="demo.seed", target=f"school:{school.id}", school_id=school.id)
    return True


def demo_periods(today: date) -> list[tuple[str, date, int, str | None]]:
    """Example key periods around the seed date: exam week, the week after a holiday, after a disaster."""
    monday = today - timedelta(days=today.weekday())
    return [
        ("期末考试周", monday + timedelta(weeks=6), 6, "Mon,Wed,Fri 16:00"),
        ("寒假开学第一周", monday + timedelta(weeks=11), 6, "Mon,Thu 16:00"),
        ("暴雨灾害后一周（示例，已结束）", monday - timedelta(weeks=3), 6, "Mon,Wed,Fri 16:00"),
    ]
