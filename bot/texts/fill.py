"""Filling the numbers a text names (110/120, the hotline, the school's own) from the settings."""

from __future__ import annotations

from bot.config import Settings


def school_numbers(settings: Settings) -> str:
    """The school's counsellor and any other numbers, as one text."""
    school = settings.school_counsellor_phone
    if settings.school_numbers:
        school += f"，{settings.school_numbers}"
    return school


def fill(template: str, settings: Settings, **extra: object) -> str:
    """Fill the numbers from settings into a text."""
    return template.format(emergency=settings.emergency_numbers, hotline=settings.hotline,
                           school=school_numbers(settings), **extra)
