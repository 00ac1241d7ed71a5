"""All the figures of a period for one school, as titled sections (the console and the CLI render them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import School
from bot.services.school import audit
from bot.services.supervision import (
    acknowledgement,
    cases,
    checkins,
    committee,
    followups,
    referrals,
    reports,
    training,
)
from bot.services.supervision.period import Period
from bot.services.supervision.table import HIDDEN_TEXT, SMALL, Section
from bot.texts import school as texts

RULE = texts.FIGURES_RULE
assert str(SMALL) in RULE and f"“{HIDDEN_TEXT}”" in RULE


@dataclass
class Figures:
    """The report: which school, which period, when made, and its sections."""

    school: str
    period: Period
    generated_at: datetime
    zone: ZoneInfo
    sections: list[Section]

    def as_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {"school": self.school, "period": {"label": self.period.label, "from": self.period.first.isoformat(),
                                                  "to": self.period.last.isoformat()},
                "generated_at": self.generated_at.astimezone(self.zone).isoformat(timespec="minutes"),
                "rule": RULE, "sections": [s.as_dict() for s in self.sections]}


async def compute(*, session: AsyncSession, school_id: int, period: Period, zone: ZoneInfo,
                  now: datetime | None = None, actor: str = "cli", address: str | None = None) -> Figures:
    """Every section for the period (audited: who made which report)."""
    now = now or utcnow()
    start, end = period.bounds(zone)
    school = await session.get(School, school_id)
    out: list[Section] = []
    out += await reports.sections(session=session, school_id=school_id, start=start, end=end)
    out += await cases.sections(session=session, school_id=school_id, start=start, end=end)
    out.append(await acknowledgement.section(session=session, school_id=school_id, start=start, end=end))
    out.append(await followups.section(session=session, school_id=school_id, first=period.first, last=period.last,
                                       zone=zone, now=now))
    out.append(await checkins.section(session=session, school_id=school_id, start=start, end=end))
    out += await training.sections(session=session, school_id=school_id, start=start, end=end, zone=zone, now=now)
    out += await referrals.sections(session=session, school_id=school_id, start=start, end=end,
                                    today=now.astimezone(zone).date())
    out += await committee.sections(session=session, school_id=school_id)
    audit.record(session, actor=actor, action="report.supervision", target=f"period:{period.first}..{period.last}",
                 school_id=school_id, address=address)
    return Figures(school=school.name if school else "", period=period, generated_at=now, zone=zone, sections=out)
