"""The last resort of a chain: when it reached nobody, page every counsellor and leader rather than no one.

Reached means delivered, not queued: a chain whose every page failed (or is still failing after its
retries) when its last step is done has reached nobody. Checked once the last step is done (its wait
is over, or each of its pages proved undeliverable) and at once when no step could queue a page at all.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Case, Escalation, Page
from bot.services.crisis.cases import add_event
from bot.services.crisis.paging import page_all
from bot.services.crisis.roster import staff_with_role

log = logging.getLogger(__name__)


async def anyone_reached(*, session: AsyncSession, esc: Escalation) -> bool:
    """Whether any page of the chain was delivered."""
    return (await session.execute(select(Page.id).where(
        Page.escalation_id == esc.id, Page.state == "sent").limit(1))).first() is not None


async def page_everyone(*, session: AsyncSession, case: Case, esc: Escalation, now: datetime) -> None:
    """Nobody in the chain could be reached: page every counsellor and leader rather than no one."""
    log.error("escalation %s of case %s reached nobody; paging all case staff", esc.id, case.id)
    esc.fallback_at = now
    add_event(session=session, case=case, kind="nobody_reached", now=now, detail={"escalation": esc.id})
    staff = {p.id: p for role in ("counsellor", "leader")
             for p in await staff_with_role(session=session, school_id=case.school_id, role=role)}
    await page_all(session=session, case=case, esc=esc, people=list(staff.values()), reason="fallback", now=now)


async def after_last_step(*, session: AsyncSession, case: Case, esc: Escalation, now: datetime) -> None:
    """The chain's last step is done: page everyone once if no page of the chain was delivered."""
    if esc.fallback_at is None and not await anyone_reached(session=session, esc=esc):
        await page_everyone(session=session, case=case, esc=esc, now=now)
