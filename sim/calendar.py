"""The simulated calendar: clock minutes, dates, kinds of day, and the contract's day and week.

The simulation clock counts minutes from midnight of the scenario's start date. Reported days run
from go-live's time of day to the same time the next day, so day 1 and week 1 start exactly at
go-live (design section 5); the minutes before the first whole day are simulated but not reported.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Iterator

from sim.holidays import is_public_holiday
from sim.scenario import MINUTES_PER_DAY, Calendar

MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY


def day_label(slot: int, days_before: int) -> int:
    """Contract day number of reported day `slot` (0-based): ..., -2, -1, then 1, 2, ..."""
    offset = slot - days_before
    return offset + 1 if offset >= 0 else offset


def week_of_day(day: int) -> int:
    """Contract week number of a contract day number: days 1-7 are week 1, days -7..-1 week -1."""
    return (day - 1) // 7 + 1 if day > 0 else -((-day - 1) // 7 + 1)


class SimCalendar:
    """Converts between the simulation clock and the scenario's dates, days and weeks."""

    def __init__(self, calendar: Calendar) -> None:
        self.spec = calendar
        self.origin = dt.datetime.combine(calendar.start, dt.time())
        self.go_live_minutes = (calendar.go_live - self.origin).total_seconds() / 60
        self.days_before = calendar.days_before
        self.days = calendar.days
        self.report_start_minutes = self.go_live_minutes - self.days_before * MINUTES_PER_DAY
        self.end_minutes = self.go_live_minutes + calendar.weeks_after * MINUTES_PER_WEEK
        self.new_system_from_minutes = (
            self.go_live_minutes if calendar.new_system else float("inf")
        )
        self._closed = frozenset(calendar.extra_closed_dates)

    def slot(self, minutes: float) -> int:
        """Index of the reported day holding this clock time, offset by one.

        0 is the unreported time before the first whole day, `days + 1` anything after the end;
        counters are sized `days + 2` so the hot path needs no bounds check.
        """
        return int((minutes - self.report_start_minutes) // MINUTES_PER_DAY) + 1

    def day_labels(self) -> list[int]:
        """Contract day numbers of the reported days, in order."""
        return [day_label(i, self.days_before) for i in range(self.days)]

    def week_labels(self) -> list[int]:
        """Contract week numbers that have at least one reported day, in order."""
        return sorted({week_of_day(d) for d in self.day_labels()})

    def dates(self) -> Iterator[tuple[dt.date, float]]:
        """Every calendar date the simulation touches, with the clock minute of its midnight."""
        last = (self.origin + dt.timedelta(minutes=self.end_minutes)).date()
        day = self.spec.start
        while day <= last:
            yield day, (day - self.spec.start).days * MINUTES_PER_DAY
            day += dt.timedelta(days=1)

    def closing(self, dates: Iterable[dt.date]) -> SimCalendar:
        """This calendar with `dates` counted as Sundays too: a service's own closed dates, which
        leave the other services' days as they are."""
        dates = frozenset(dates)
        if not dates:
            return self
        other = copy.copy(self)
        other._closed = self._closed | dates
        return other

    def kind(self, day: dt.date) -> str:
        """'weekday', 'saturday' or 'sunday'; public holidays and closed dates count as Sundays."""
        if day in self._closed or is_public_holiday(day) or day.weekday() == 6:
            return "sunday"
        return "saturday" if day.weekday() == 5 else "weekday"

    def weeks_since_go_live(self, day: dt.date) -> int:
        """Contract week of a date counted from go-live's date (1 = first week, < 0 before)."""
        return week_of_day(day_label((day - self.spec.go_live.date()).days, 0))

    def days_since_go_live(self, day: dt.date) -> int:
        """Day of a date counted from go-live's date (1 = go-live's date, < 1 before)."""
        return (day - self.spec.go_live.date()).days + 1

    def in_first_weeks(self, day: dt.date, weeks: int) -> bool:
        """Whether a date lies in the first `weeks` weeks from go-live's date (surge, release)."""
        return self.spec.new_system and 1 <= self.weeks_since_go_live(day) <= weeks
