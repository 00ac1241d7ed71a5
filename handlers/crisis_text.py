"""The crisis replies, built from the fixed texts of bot/texts/crisis.py (docs/SAFE_REPLIES.md).

Every text is fixed: the same message gets the same words every time. None names a method,
promises secrecy, doubts the sender or lectures them (bot/texts/safe_rules.py checks each).
"""

from __future__ import annotations

import re

from bot.config import Settings
from bot.events import Reply
from bot.texts import crisis as T
from bot.texts.fill import fill
from bot.texts.mailbox import view_button
from bot.texts.menu import OPT_HOTLINE, OPT_MENU

__all__ = ["DENIAL", "answer_no_reply", "closing_text", "fill", "footer", "member_reply", "student_reply"]

DENIAL = re.compile(r"(开玩笑|开个玩笑|说着玩|逗你|骗你的|假的|闹着玩|没事了|我没事|不是真的|随便说说)")


def footer(settings: Settings) -> str:
    """The resources line that stays under every reply after a crisis message."""
    return fill(T.FOOTER, settings)


def student_reply(level: str, code: str, settings: Settings) -> Reply:
    """The fixed crisis reply to a student (anonymous note) for red or orange."""
    return Reply(fill(T.STUDENT[level], settings, code=code), (view_button(code), OPT_HOTLINE))


def member_reply(level: str, case_id: int, settings: Settings) -> Reply:
    """The fixed crisis reply to a committee member who reported a classmate in danger."""
    return Reply(fill(T.MEMBER[level], settings, case_id=case_id), (OPT_HOTLINE, OPT_MENU))


def answer_no_reply(code: str, settings: Settings) -> Reply:
    """What a student hears after answering no to the direct question."""
    return Reply(fill(T.ANSWER_NO, settings, code=code), (view_button(code), OPT_HOTLINE))


def closing_text(settings: Settings) -> str:
    """The closing message of a thread, numbers filled in, {code} left for the thread's code."""
    return fill(T.CLOSING, settings, code="{code}")
