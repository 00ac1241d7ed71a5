"""The console's texts as one namespace (`texts.NAME` in code, `t.NAME` in templates).

The texts themselves live in the catalogues bot/texts/console*.py (so `xinqiao texts list|check` and a
school's texts.toml cover them); this view reads each name from its catalogue at call time, so an override
applies. What a student or a paged colleague receives is the chat's own text, read from the chat's
catalogue, so an action from the console reads exactly as from chat.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from bot.texts import console, console_schedules, console_school, console_students
from bot.texts import counsellor as counsellor_texts
from bot.texts import mailbox as mailbox_texts
from handlers.bind import ROLE_NAMES
from handlers.crisis import closing_text
from handlers.staff_text import STATUS_NAMES

CATALOGUES: tuple[ModuleType, ...] = (console, console_school, console_students, console_schedules)
# Names the console shares with the chat: read from their own homes, never copied into a console catalogue.
_SHARED: dict[str, Any] = {"ROLE_NAMES": ROLE_NAMES, "STATUS_NAMES": STATUS_NAMES, "closing_text": closing_text,
                           "counsellor_texts": counsellor_texts, "mailbox_texts": mailbox_texts}


def __getattr__(name: str) -> Any:
    if name == "OUTCOME_NAMES":
        return counsellor_texts.OUTCOME_NAMES
    if name in _SHARED:
        return _SHARED[name]
    for module in CATALOGUES:
        if name in vars(module):
            return getattr(module, name)
    raise AttributeError(f"no console text {name!r}")
