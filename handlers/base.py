"""What a handler step gets (Context) and gives back (Result). Handlers never commit or send."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.db.models_people import CASE_ROLES, MEMBER_ROLES
from bot.events import Inbound, Reply
from bot.services.messaging.sealing import Sealer
from bot.services.school.people import Who
from keywords import Verdict


class State(StrEnum):
    """Where a conversation is."""

    MENU = "menu"
    BIND_CODE = "bind.code"
    REPORT_WHO = "report.who"
    REPORT_SIGNS = "report.signs"
    REPORT_DETAIL = "report.detail"
    REPORT_CONFIRM = "report.confirm"
    MAILBOX_TEXT = "mailbox.text"
    MAILBOX_PUSH = "mailbox.push"
    MAILBOX_OFFER = "mailbox.offer"
    THREAD_ANSWER = "thread.answer"
    CHECKIN = "checkin"
    REPORT_MATCH = "report.match"
    DISCLOSE_CONFIRM = "disclose.confirm"
    DISCLOSE_WHO = "disclose.who"


@dataclass(frozen=True)
class NoteThread:
    """The anonymous thread a student's conversation is in, kept for the idle window."""

    code: str
    asked: bool = False  # the bot asked the direct question (SAFE_REPLIES rule 4) and waits for the answer


@dataclass
class Result:
    """What a step says and where the conversation goes next."""

    replies: list[Reply]
    state: State = State.MENU
    data: dict[str, Any] = field(default_factory=dict)
    crisis_level: str | None = None  # set when the replies carry crisis resources
    crisis_case: int | None = None
    note_thread: NoteThread | None = None  # set when this step wrote into a note's thread
    forget_thread: bool = False  # the thread is gone: free text no longer joins it


@dataclass
class Context:
    """Everything a step may use."""

    session: AsyncSession
    inbound: Inbound
    text: str
    who: Who | None
    data: dict[str, Any]
    verdict: Verdict
    settings: Settings
    sealer: Sealer
    school_id: int
    now: datetime
    triage: Callable[[str], Verdict]
    note_thread: NoteThread | None = None  # the note this conversation is about, within the idle window

    @property
    def roles(self) -> set[str]:
        """The sender's roles (empty when unbound)."""
        return self.who.roles if self.who else set()

    @property
    def is_member(self) -> bool:
        """A bound class or dorm committee member."""
        return bool(self.roles & set(MEMBER_ROLES))

    @property
    def handles_cases(self) -> bool:
        """A counsellor or crisis-group leader: may use the case commands."""
        return bool(self.roles & set(CASE_ROLES))


Step = Callable[[Context], Awaitable[Result]]


@dataclass(frozen=True)
class Command:
    """A command that works from any state, e.g. `收到 12`."""

    pattern: re.Pattern[str]
    run: Callable[[Context, re.Match[str]], Awaitable[Result]]
    staff_only: bool = False  # staff commands carry case text: never read as a crisis of the sender


@dataclass(frozen=True)
class Flow:
    """A flow's steps and commands, as registered in bot/app.py."""

    name: str
    steps: dict[State, Step] = field(default_factory=dict)
    commands: tuple[Command, ...] = ()
    # Steps that take free text and file it themselves (crisis text included).
    files_text: frozenset[State] = frozenset()
