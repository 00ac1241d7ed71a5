"""Links to the console in what staff receive: with XINQIAO_PUBLIC_URL set, every page and notice about a
case to a member of staff ends with the case's console address (WeCom and Telegram render it as a link; on
WeChat it is a plain URL). Students and committee members never get one."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Person
from bot.db.models_people import STAFF_ROLES
from bot.texts import paging as T

_base = {"url": ""}  # set once by the composition root (App) from the settings


def configure(public_url: str) -> None:
    """Where staff reach the console (empty: no links)."""
    _base["url"] = public_url.strip().rstrip("/")


def case_url(case_id: int) -> str:
    """The console address of a case, or '' when no public URL is configured."""
    return f"{_base['url']}/console/cases/{case_id}" if _base["url"] else ""


async def with_link(*, session: AsyncSession, person_id: int, case_id: int | None, text: str) -> str:
    """The text with the case's console link when it goes to a member of staff about a case."""
    if case_id is None or not _base["url"]:
        return text
    person = await session.get(Person, person_id)
    if person is None or not person.role_set & STAFF_ROLES:
        return text
    return text + "\n" + T.CONSOLE_LINK.format(url=case_url(case_id))
