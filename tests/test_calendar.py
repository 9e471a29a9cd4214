"""Clock, dates and the results contract's day and week numbering."""

from __future__ import annotations

import datetime as dt

from sim import load_scenario, run
from sim.calendar import SimCalendar, day_label, week_of_day
from sim.scenario import Calendar, vary
from tests.conftest import ROOT


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


def test_a_services_own_closed_date_is_a_sunday_for_it_alone():
    cal = _calendar()
    wednesday = dt.date(2022, 5, 11)
    phone = cal.closing([wednesday])
    assert phone.kind(wednesday) == "sunday" and cal.kind(wednesday) == "weekday"
    assert phone.kind(dt.date(2022, 5, 12)) == "weekday"
    assert cal.closing([]) is cal


def test_a_phone_line_closed_on_a_date_leaves_home_care_running():
    """The family's autumn go-live with its phone line alone closed on Wednesday 15 October 2025:
    day 2 (15 October 08:00 to 16 October 08:00) has no calls, while home care plans the same
    visits; the phone line's days before it are as without the closure."""
    open_ = vary(load_scenario(ROOT / "tests" / "scenarios" / "fjordvik-autumn.toml"),
                 {"calendar.weeks_after": 1})
    closed = vary(open_, {"phone.closed_dates": [dt.date(2025, 10, 15)]})
    runs = [run(s, replications=1, seed=3, jobs=1).daily for s in (open_, closed)]
    daily = [d.set_index(["service", "metric", "day"]).sort_index()["value"] for d in runs]
    calls = [d.loc[("phone", "calls_offered")] for d in daily]
    assert calls[0][2] > 100 and calls[1][2] == 0
    assert calls[0][calls[0].index < 2].equals(calls[1][calls[1].index < 2])
    visits = [d.loc[("home_visits", "visits_planned")] for d in daily]
    assert visits[0].equals(visits[1])
