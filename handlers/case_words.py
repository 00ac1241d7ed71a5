"""A case's timeline in words, for people reading it in chat: never raw JSON or event names."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.db.models import CaseEvent
from bot.services.crisis.paging import excerpt
from bot.services.schedule.schedule_text import day_text
from bot.texts import cases as T
from bot.texts import counsellor as counsellor_texts
from bot.texts import paging as paging_texts
from bot.texts import student_chat as ST
from bot.texts.counsellor import OUTCOME_NAMES


def event_text(event: CaseEvent, names: dict[int, str]) -> str:
    """One timeline line in words."""
    detail: dict[str, Any] = dict(event.detail or {})
    on = detail.get("on")
    values = {
        "level": paging_texts.LEVEL_NAMES.get(str(detail.get("level")), ""),
        "from": paging_texts.LEVEL_NAMES.get(str(detail.get("from")), ""),
        "to": paging_texts.LEVEL_NAMES.get(str(detail.get("to")), ""),
        "person": detail.get("person") or "", "reminders": detail.get("reminders", 0),
        "actor": names.get(event.actor_id or 0) or detail.get("by") or "",
        "text": excerpt(str(detail.get("text") or ""), 80),
        "on": day_text(date.fromisoformat(on)) if isinstance(on, str) else "",
        "answer": T.ANSWERS.get(str(detail.get("answer")), ""),
        "outcome": OUTCOME_NAMES.get(str(detail.get("outcome")), ""),
        "note": "：" + excerpt(str(detail["text"]), 80) if detail.get("text") else "",
        "state": T.DELIVERY.get(str(detail.get("state")), T.DELIVERY_UNKNOWN),
        "reason": excerpt(str(detail.get("reason") or ""), 80), "case": detail.get("case", ""),
        "status": counsellor_texts.STATUS_NAMES.get(str(detail.get("to")), ""),
    }
    template = T.WORDS.get(event.kind) or ST.CASE_EVENT_WORDS.get(event.kind)
    return template.format(**values).rstrip() if template else T.OTHER
