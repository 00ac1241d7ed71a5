"""Page the on-duty counsellor about a case through the outbox (the full chain is escalation's)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import Case, Person
from bot.services import outbox
from bot.services.cases import add_event
from bot.services.duty import on_duty, staff_with_role
from bot.services.people import group_name

LEVEL_NAMES = {"red": "红色·紧急", "orange": "橙色·今日处理", "yellow": "黄色·关注", "none": "无风险"}
PAGE_TEXT = (
    "【心桥预警 {level_name}】案例 #{case_id}\n"
    "来源：{where}\n"
    "摘要：{excerpt}\n"
    "请尽快处理。回复「收到 {case_id}」或点下方按钮确认接手。"
)
ACK_OPTION = "收到 {case_id}"


def excerpt(text: str, limit: int = 60) -> str:
    """A short one-line excerpt of a message for a page."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


async def page_text(*, session: AsyncSession, case: Case, summary: str) -> str:
    """The page: case id, level, class or dorm (never an anonymous sender), excerpt, how to acknowledge."""
    if case.source == "mailbox":
        where = "匿名心理信箱"
    else:
        where = await group_name(session=session, group_id=case.group_id) or "心理委员报告"
        if case.subject:
            where += f"（{case.subject}）"
    return PAGE_TEXT.format(level_name=LEVEL_NAMES[case.level], case_id=case.id, where=where,
                            excerpt=excerpt(summary))


async def page_on_duty(*, session: AsyncSession, case: Case, summary: str, zone: ZoneInfo,
                       now: datetime | None = None) -> list[Person]:
    """Page whoever is on duty (falling back to backup, then counsellors, then leaders)."""
    now = now or utcnow()
    person, backup = await on_duty(session=session, school_id=case.school_id, at=now, zone=zone)
    candidates = [p for p in (person, backup) if p is not None]
    if not candidates:
        add_event(session=session, case=case, kind="duty_gap", now=now)
        candidates = (await staff_with_role(session=session, school_id=case.school_id, role="counsellor")
                      or await staff_with_role(session=session, school_id=case.school_id, role="leader"))
    text = await page_text(session=session, case=case, summary=summary)
    paged = []
    for target in candidates:
        rows = await outbox.to_person(
            session=session, person_id=target.id, kind="page", text=text,
            options=[ACK_OPTION.format(case_id=case.id)], case_id=case.id, priority=outbox.PRIORITY_PAGE,
        )
        if rows:
            add_event(session=session, case=case, kind="paged", now=now,
                      detail={"person": target.name, "person_id": target.id,
                              "channels": sorted({r.channel or "" for r in rows})})
            paged.append(target)
            break
        add_event(session=session, case=case, kind="unreachable", detail={"person": target.name}, now=now)
    return paged


async def page_unless_held(*, session: AsyncSession, case: Case, level_rose: bool, summary: str, zone: ZoneInfo,
                           now: datetime | None = None) -> None:
    """Page about an urgent case unless someone already holds it and its level did not rise."""
    if level_rose or case.acknowledged_by_id is None:
        await page_on_duty(session=session, case=case, summary=summary, zone=zone, now=now)
