"""The period of a report: a school term, a month, or two dates; school dates, UTC bounds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


class PeriodError(ValueError):
    """A period that cannot be: the message says why."""


@dataclass(frozen=True)
class Period:
    """From the first to the last school date (inclusive), with its name."""

    first: date
    last: date
    label: str

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) in UTC: midnight of the first date to midnight after the last, school time."""
        start = datetime.combine(self.first, time(0), zone)
        end = datetime.combine(self.last + timedelta(days=1), time(0), zone)
        return start, end

    @property
    def text(self) -> str:
        """2026-09-01 至 2027-01-31."""
        return f"{self.first.isoformat()} 至 {self.last.isoformat()}"


def term_of(day: date) -> Period:
    """The school term a date is in: autumn (Sept to Jan) or spring (Feb to Aug)."""
    if day.month >= 9:
        return Period(date(day.year, 9, 1), date(day.year + 1, 1, 31), f"{day.year}-{day.year + 1}学年秋季学期")
    if day.month == 1:
        return Period(date(day.year - 1, 9, 1), date(day.year, 1, 31), f"{day.year - 1}-{day.year}学年秋季学期")
    return Period(date(day.year, 2, 1), date(day.year, 8, 31), f"{day.year - 1}-{day.year}学年春季学期")


def month_of(day: date) -> Period:
    """The calendar month a date is in."""
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return Period(first, last, f"{day.year}年{day.month}月")


def parse_day(text: str, option: str) -> date:
    """An ISO date (2026-09-01); PeriodError naming the option otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise PeriodError(f"{option} {text!r} 不是日期：请写 YYYY-MM-DD，例如 2026-09-01") from exc


def choose(kind: str, today: date, first: str | None, last: str | None) -> Period:
    """term or month around today, or --from/--to (either one replaces that end)."""
    if kind not in ("term", "month"):
        raise PeriodError(f"未知的报告周期 {kind!r}：写 term 或 month")
    base = term_of(today) if kind == "term" else month_of(today)
    start = parse_day(first, "--from") if first else base.first
    end = parse_day(last, "--to") if last else base.last
    if end < start:
        raise PeriodError(f"时间范围结束（{end}）早于开始（{start}）")
    if (end - start).days > 366 * 2:
        raise PeriodError(f"时间范围太长（{start} 至 {end}）：最多两年")
    label = base.label if (first, last) == (None, None) else f"{start.isoformat()} 至 {end.isoformat()}"
    return Period(start, end, label)
