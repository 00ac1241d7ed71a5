"""What the router keeps of a conversation from one message to the next, beside the flow's own data.

A conversation's sealed data holds the flow's keys and, under keys that start with an underscore, the
router's memory: the options shown last (so that `2` picks the second on a channel without buttons), the
anonymous note thread the student is writing in (joined again within the idle window), and the crisis
case whose resources stay under every reply. A flow sees only its own keys. Also here: the replies a
message already got, read back from its inbound record, and the crisis footer under the last reply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.events import Reply
from bot.safe_input import whole_number
from handlers.base import NoteThread, Result

_OPTIONS = "_options"
_THREAD = "_thread"
_CRISIS_CASE = "_crisis_case"


@dataclass(frozen=True)
class Memory:
    """The router's memory of a conversation as read when a message arrives, and the flow's data."""

    flow_data: dict[str, Any]  # what the step sees (Context.data): the keys without an underscore
    shown: list[str]  # the options of the last reply
    thread: dict[str, Any] | None  # {"code", "asked", "at"}: the note thread, if written in within the window
    crisis_case: Any  # the case the last crisis message filed, while its resources are remembered

    @property
    def note_thread(self) -> NoteThread | None:
        """The note thread this conversation is in, for the step."""
        if not self.thread:
            return None
        return NoteThread(str(self.thread["code"]), bool(self.thread.get("asked")))

    def pick_numbered(self, text: str) -> str:
        """`2` means the second option shown last time, on channels without buttons."""
        number = whole_number(text, max_digits=3)
        if number is not None and 1 <= number <= len(self.shown):
            return str(self.shown[number - 1])
        return text


def recall(data: dict[str, Any], *, now: datetime, idle: timedelta) -> Memory:
    """Read the router's memory from a conversation's data (a note thread left for longer than idle is gone)."""
    return Memory(flow_data={k: v for k, v in data.items() if not k.startswith("_")},
                  shown=[str(o) for o in data.get(_OPTIONS) or []],
                  thread=_thread_memory(data.get(_THREAD), now, idle),
                  crisis_case=data.get(_CRISIS_CASE))


def remember(memory: Memory, result: Result, replies: Sequence[Reply], *, crisis_case: Any,
             now: datetime) -> dict[str, Any]:
    """The conversation's data to save: the step's data, and the router's memory of this message.

    crisis_case: the case whose resources stay under the replies (None once the crisis is forgotten).
    """
    data = dict(result.data)
    if replies:
        data[_OPTIONS] = list(replies[-1].options)
    if crisis_case:
        data[_CRISIS_CASE] = crisis_case
    if result.note_thread is not None:  # what the student writes next joins this thread
        data[_THREAD] = {"code": result.note_thread.code, "asked": result.note_thread.asked, "at": now.isoformat()}
    elif memory.thread and not result.forget_thread:
        data[_THREAD] = memory.thread
    return data


def with_footer(replies: list[Reply], footer: str) -> list[Reply]:
    """Keep the crisis resources visible under the last reply."""
    if not replies:
        return [Reply(footer)]
    last = replies[-1]
    return replies[:-1] + [Reply(f"{last.text}\n{footer}", last.options)]


def stored_replies(stored: list[dict[str, Any]]) -> list[Reply]:
    """The replies a message already got, as stored with its inbound record."""
    return [Reply(r["text"], tuple(r["options"])) for r in stored]


def _thread_memory(stored: Any, now: datetime, idle: timedelta) -> dict[str, Any] | None:
    """The note thread this conversation is in, if the student wrote in it within the idle window."""
    if not isinstance(stored, dict) or not stored.get("code"):
        return None
    try:
        at = datetime.fromisoformat(str(stored.get("at")))
    except ValueError:
        return None
    return stored if at.tzinfo is not None and now - at <= idle else None
