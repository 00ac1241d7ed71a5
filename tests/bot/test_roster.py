"""The duty roster in memory: who is on duty, overrides, overnight ranges, gaps across midnight."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.db.models import DutyOverride, DutySlot
from bot.services.crisis.roster import Roster, split_range

SH = ZoneInfo("Asia/Shanghai")


def slot(weekday: int, start: str, end: str, person: int, backup: int | None = None) -> DutySlot:
    def minute(t: str) -> int:
        h, m = t.split(":")
        return int(h) * 60 + int(m)

    return DutySlot(id=weekday * 100 + minute(start), school_id=1, weekday=weekday, start_minute=minute(start),
                    end_minute=minute(end), person_id=person, backup_person_id=backup)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def test_weekly_pattern_in_school_time() -> None:
    roster = Roster([slot(0, "08:00", "18:00", 1, 2), slot(0, "18:00", "24:00", 3)], [], SH)
    # 2026-11-30 is a Monday
    assert roster.at(at("2026-11-30T08:00")).person_id == 1
    assert roster.at(at("2026-11-30T17:59")).backup_id == 2
    assert roster.at(at("2026-11-30T18:00")).person_id == 3
    assert roster.at(at("2026-11-30T07:59")) is None
    # the same moment given in UTC is read in school time: 00:30 UTC is 08:30 in Shanghai
    assert roster.at(datetime.fromisoformat("2026-11-30T00:30+00:00")).person_id == 1


def test_override_wins_for_whole_dates_and_newest_wins() -> None:
    overrides = [
        DutyOverride(id=1, school_id=1, starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 3), person_id=7),
        DutyOverride(id=2, school_id=1, starts_on=date(2026, 12, 3), ends_on=date(2026, 12, 3), person_id=8,
                     backup_person_id=9),
    ]
    roster = Roster([slot(1, "08:00", "18:00", 1)], overrides, SH)
    assert roster.at(at("2026-12-01T03:00")).person_id == 7  # all day, even outside the pattern
    assert roster.at(at("2026-12-01T03:00")).source == "override"
    assert roster.at(at("2026-12-03T12:00")).person_id == 8 and roster.at(at("2026-12-03T12:00")).backup_id == 9
    assert roster.at(at("2026-12-04T12:00")) is None  # a Friday without a slot


def test_overnight_range_splits_at_midnight() -> None:
    assert split_range(6, 22 * 60, 8 * 60) == [(6, 1320, 1440), (0, 0, 480)]
    assert split_range(0, 0, 1440) == [(0, 0, 1440)]


def test_gaps_are_merged_across_midnight_and_clipped_to_the_window() -> None:
    day_shift = [slot(d, "08:00", "18:00", 1) for d in range(7)]
    roster = Roster(day_shift, [], SH)
    gaps = roster.gaps(at("2026-11-30T12:00"), 2)
    assert [(g.start.strftime("%d %H:%M"), g.end.strftime("%d %H:%M")) for g in gaps] == [
        ("30 18:00", "01 08:00"), ("01 18:00", "02 08:00")]
    full = Roster([slot(d, "00:00", "24:00", 1) for d in range(7)], [], SH)
    assert full.gaps(at("2026-11-30T12:00"), 14) == []
    with_leave = Roster(day_shift, [DutyOverride(id=1, school_id=1, starts_on=date(2026, 12, 1),
                                                 ends_on=date(2026, 12, 1), person_id=2)], SH)
    first = with_leave.gaps(at("2026-11-30T12:00"), 2)[0]
    assert first.start == at("2026-11-30T18:00") and first.end == at("2026-12-01T00:00")
    assert sum(((g.end - g.start) for g in with_leave.gaps(at("2026-11-30T12:00"), 2)), timedelta()) == \
        timedelta(hours=6 + 8)
