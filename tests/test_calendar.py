"""Clock, dates and the results contract's day and week numbering."""

from __future__ import annotations

import datetime as dt

from sim.calendar import SimCalendar, day_label, week_of_day
from sim.scenario import Calendar


def _calendar(**changes) -> SimCalendar:
    values = {"start": dt.date(2022, 4, 30), "go_live": dt.datetime(2022, 5, 7, 3),
              "weeks_after": 2, **changes}
    return SimCalendar(Calendar(**values))


def test_day_one_and_week_one_start_at_go_live():
    cal = _calendar()
    assert cal.go_live_minutes == 7 * 1440 + 180
    assert cal.day_labels()[:8] == [-7, -6, -5, -4, -3, -2, -1, 1]
    assert cal.slot(cal.go_live_minutes) - 1 == cal.days_before
    assert cal.slot(cal.go_live_minutes - 0.001) - 1 == cal.days_before - 1


def test_weeks_before_go_live_count_down_from_minus_one():
    assert [week_of_day(d) for d in (-8, -7, -1, 1, 7, 8, 14, 15)] == [-2, -1, -1, 1, 1, 2, 2, 3]
    assert _calendar().week_labels() == [-1, 1, 2]


def test_day_label_skips_zero():
    assert [day_label(i, 2) for i in range(4)] == [-2, -1, 1, 2]


def test_time_before_the_first_reported_day_goes_to_the_unreported_slot():
    cal = _calendar()
    assert cal.slot(0.0) == 0  # 00:00-03:00 on the start date precedes the first whole day
    assert cal.slot(cal.end_minutes) == cal.days + 1


def test_public_holidays_and_closed_dates_count_as_sundays():
    cal = _calendar(extra_closed_dates=(dt.date(2022, 5, 9),))
    assert cal.kind(dt.date(2022, 5, 17)) == "sunday"  # Grunnlovsdag, a Tuesday
    assert cal.kind(dt.date(2022, 5, 26)) == "sunday"  # Ascension Day 2022
    assert cal.kind(dt.date(2022, 5, 9)) == "sunday"  # closed by the scenario
    assert cal.kind(dt.date(2022, 5, 10)) == "weekday"
    assert cal.kind(dt.date(2022, 5, 7)) == "saturday"


def test_surge_weeks_count_from_go_live_date_and_need_a_new_system():
    cal = _calendar()
    assert not cal.in_first_weeks(dt.date(2022, 5, 6), 3)
    assert cal.in_first_weeks(dt.date(2022, 5, 7), 3)
    assert cal.in_first_weeks(dt.date(2022, 5, 27), 3)
    assert not cal.in_first_weeks(dt.date(2022, 5, 28), 3)
    assert not _calendar(new_system=False).in_first_weeks(dt.date(2022, 5, 7), 3)


def test_dates_cover_the_whole_run():
    cal = _calendar()
    dates = [d for d, _ in cal.dates()]
    assert dates[0] == dt.date(2022, 4, 30) and dates[-1] == dt.date(2022, 5, 21)
