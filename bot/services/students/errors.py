"""The refusals of the students' services: a reason key and its message (texts.ERRORS), never half-written."""

from __future__ import annotations

from bot.texts import students as SX


class StudentError(Exception):
    """An action on a student's file refused; message says why, in the words staff read."""

    def __init__(self, reason: str, **detail: object) -> None:
        self.reason = reason
        self.detail = detail
        self.message = SX.ERRORS[reason].format(**detail) if detail else SX.ERRORS[reason]
        super().__init__(self.message)


class Forbidden(StudentError):
    """The viewer's role may not open or change the file."""

    def __init__(self) -> None:
        super().__init__("forbidden")
