"""Home visits: conservation, a route computed by hand, and responses to extreme values."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import sim
from sim.scenario import vary
from sim.scenario_file import scenario_from_dict


def _visits(results: sim.Results, period: str = "weekly",
            service: str = "home_visits") -> pd.DataFrame:
    """A service's metrics as columns, one row per replication and day (or week)."""
    table = getattr(results, period)
    rows = table[table.service == service]
    return rows.pivot_table(index=["replication", rows.columns[1]], columns="metric",
                            values="value")


@pytest.fixture(scope="module")
def short(trondheim):
    """Trondheim with two weeks after go-live: enough for the first weeks' shapes."""
    return vary(trondheim, {"calendar.weeks_after": 2})


@pytest.fixture(scope="module")
def as_planned(short):
    """The same, with every visit's documentation between visits, no visit put off for a
    critical one and no reserve: the routes exactly as planned."""
    return vary(short, {"home_visits.deferred_documentation_share": 0.0,
                        "home_visits.postpone_non_critical_when_late_minutes": None,
                        "home_visits.escalated_visits_per_shift": 0})


def test_every_planned_visit_is_done_postponed_missed_or_open_each_day(short):
    daily = _visits(sim.run(short, replications=2, seed=4, jobs=1), "daily")
    assert daily["visits_planned"].sum() > 100_000
    assert daily["visits_postponed"].sum() > 0 and daily["visits_escalated"].sum() > 0
    outcomes = (daily["visits_done"] + daily["visits_postponed"] + daily["visits_missed"]
                + daily["visits_escalated"] + daily["visits_dropped_by_faults"]
                + daily["visits_open_at_end"])
    pd.testing.assert_series_equal(daily["visits_planned"], outcomes, check_names=False)


def test_every_visit_is_accounted_for_with_deferral_protection_and_escalation(short):
    """The new flows keep the identity: postponed for a critical visit is postponed, escalated is
    an outcome of its own; and every one of them happens."""
    run_as_run = vary(short, {"home_visits.deferred_documentation_share": 0.5,
                              "home_visits.postpone_non_critical_when_late_minutes": 20,
                              "home_visits.escalated_visits_per_shift": 2})
    daily = _visits(sim.run(run_as_run, replications=1, seed=4, jobs=1), "daily")
    assert daily["visits_escalated"].sum() > 0
    assert daily["visits_postponed_for_critical"].sum() > 0
    assert (daily["visits_postponed_for_critical"] <= daily["visits_postponed"]).all()
    outcomes = (daily["visits_done"] + daily["visits_postponed"] + daily["visits_missed"]
                + daily["visits_escalated"] + daily["visits_dropped_by_faults"]
                + daily["visits_open_at_end"])
    pd.testing.assert_series_equal(daily["visits_planned"], outcomes, check_names=False)


ONE_ROUTE = {
    "name": "one-route",
    "calendar": {"start": dt.date(2022, 5, 2), "go_live": dt.datetime(2022, 5, 2),
                 "weeks_after": 1},
    "home_visits": {
        "districts": 1, "nurses_per_district": 1, "visits_per_day": {"weekdays": 4},
        "shifts": [{"days": "weekdays", "start": "08:00", "end": "12:00",
                    "routes_per_district": 1, "visit_share": 1.0}],
        "travel_minutes": {"dist": "fixed", "value": 30},
        "care_minutes": {"dist": "fixed", "value": 40},
        "documentation_minutes": {"dist": "fixed", "value": 10},
        "allowed_earliness_minutes": 15, "allowed_overtime_minutes": 30,
        "late_threshold_minutes": 15,
        "staff": {"learning": {
            "trained": {"multiplier_at_go_live": 2.0, "multiplier_floor": 2.0},
            "untrained": {"multiplier_at_go_live": 2.0, "multiplier_floor": 2.0}}},
    },
}


def test_a_fixed_route_gives_the_lateness_computed_by_hand():
    """08:00-12:00, 4 visits of 30 + 40 + 10 x 2 min, planned 80 min apart from 08:30.

    Planned starts: flat profile quantiles 08:30, 09:30, 10:30, 11:30, pushed 80 min apart
    (the expected visit at the old speed): 08:30, 09:50, 11:10, 12:30. The nurse starts visits at
    08:30, 10:00, 11:30 (10 and 20 min late) and reaches the fourth at 13:00, after 12:00 + 30 min
    of allowed overtime: it is postponed. She finishes the third at 12:30: 30 min overtime.
    """
    day_one = _visits(sim.run(scenario_from_dict(ONE_ROUTE), replications=1, seed=1, jobs=1),
                      "daily").xs(1, level="day").iloc[0]
    assert day_one["visits_planned"] == 4
    assert day_one["visits_done"] == 3 and day_one["visits_postponed"] == 1
    assert day_one["mean_delay_minutes"] == pytest.approx((0 + 10 + 20) / 3)
    assert day_one["late_share"] == pytest.approx(1 / 3)
    assert day_one["overtime_hours"] == pytest.approx(0.5)
    assert day_one["documentation_share"] == pytest.approx(60 / (90 + 120 + 60))
    assert day_one["documentation_late_share"] == pytest.approx(1 / 3)  # the third, at 12:30


def test_documentation_deferred_to_the_end_of_the_route_is_overtime_not_lateness():
    """The route above with all documentation after the last visit: the plan spaces visits by
    30 + 40 min (08:30, 09:40, 10:50, 12:00), and the nurse starts each on time; the last ends at
    12:40, then 4 x 20 min of notes until 14:00: 2 h of overtime, every visit documented after
    12:00, no visit late and none postponed."""
    deferred = {**ONE_ROUTE, "home_visits": {**ONE_ROUTE["home_visits"],
                                             "deferred_documentation_share": 1.0}}
    day_one = _visits(sim.run(scenario_from_dict(deferred), replications=1, seed=1, jobs=1),
                      "daily").xs(1, level="day").iloc[0]
    assert day_one["visits_done"] == 4 and day_one["visits_postponed"] == 0
    assert day_one["late_share"] == 0 and day_one["mean_delay_minutes"] == 0
    assert day_one["overtime_hours"] == pytest.approx(2.0)
    assert day_one["documentation_late_share"] == 1.0
    assert day_one["documentation_share"] == pytest.approx(80 / (120 + 160 + 80))


def test_escalation_turns_missed_time_critical_visits_into_escalated_ones(as_planned):
    """A reserve with room for every missed visit: the routes are unchanged, so each visit that
    was missed is escalated instead; with room for one a shift, at most one per district and
    shift run is."""
    week = vary(as_planned, {"calendar.weeks_after": 1})
    plain = _visits(sim.run(week, replications=1, seed=9, jobs=1), "daily")
    reserve = _visits(sim.run(vary(week, {"home_visits.escalated_visits_per_shift": 10_000}),
                              replications=1, seed=9, jobs=1), "daily")
    one = _visits(sim.run(vary(week, {"home_visits.escalated_visits_per_shift": 1}),
                          replications=1, seed=9, jobs=1), "daily")
    assert plain["visits_missed"].sum() > 100
    pd.testing.assert_series_equal(reserve["visits_escalated"], plain["visits_missed"],
                                   check_names=False)
    assert reserve["visits_missed"].sum() == 0
    pd.testing.assert_series_equal(reserve["critical_late_share"], plain["critical_late_share"])
    assert (one["visits_escalated"] <= 20 * 2).all()
    pd.testing.assert_series_equal(one["visits_escalated"] + one["visits_missed"],
                                   plain["visits_missed"], check_names=False)


def test_protecting_time_critical_visits_puts_off_non_critical_ones_first(as_planned):
    """A nurse more than 15 min late skips non-critical visits while a critical one is still
    ahead: fewer critical visits late or missed, more visits postponed. With no critical visits
    there is nothing to protect and nothing changes."""
    week = vary(as_planned, {"calendar.weeks_after": 1})
    protect = {"home_visits.postpone_non_critical_when_late_minutes": 15}
    plain = _visits(sim.run(week, replications=1, seed=9, jobs=1)).xs(1, level="week")
    protected = _visits(sim.run(vary(week, protect), replications=1, seed=9,
                                jobs=1)).xs(1, level="week")
    assert protected["critical_late_share"].iloc[0] < plain["critical_late_share"].iloc[0] - 0.02
    assert protected["visits_postponed"].iloc[0] > plain["visits_postponed"].iloc[0]
    assert protected["visits_postponed_for_critical"].iloc[0] > 0
    no_critical = vary(week, {"home_visits.critical_share": 0.0})
    pd.testing.assert_frame_equal(
        _visits(sim.run(no_critical, replications=1, seed=9, jobs=1)),
        _visits(sim.run(vary(no_critical, protect), replications=1, seed=9, jobs=1)))


def test_without_a_go_live_week_one_is_as_late_as_the_week_before(no_golive):
    weekly = _visits(sim.run(vary(no_golive, {"calendar.weeks_after": 1}), replications=4,
                             seed=8, jobs=1))
    late = weekly["late_share"].unstack("week")
    difference = late[1] - late[-1]
    assert abs(difference.mean()) < 3 * difference.std(ddof=1) / len(difference) ** 0.5 + 0.005


def test_a_fivefold_documentation_time_raises_late_and_missed_visits(as_planned):
    slow = {"multiplier_at_go_live": 5.0, "multiplier_floor": 5.0}
    slower = vary(as_planned, {"home_visits.staff.learning.trained": slow,
                               "home_visits.staff.learning.untrained": slow})
    base = _visits(sim.run(as_planned, replications=2, seed=5, jobs=1)).xs(1, level="week")
    worse = _visits(sim.run(slower, replications=2, seed=5, jobs=1)).xs(1, level="week")
    assert worse["late_share"].mean() > base["late_share"].mean() + 0.1
    assert worse["missed_share"].mean() > 2 * base["missed_share"].mean()


def test_fewer_planned_visits_leave_out_only_non_critical_ones(short):
    fewer = vary(short, {"home_visits.fewer_visits": [{"weeks": [1], "non_critical_share": 0.3}]})
    weekly = _visits(sim.run(fewer, replications=1, seed=6, jobs=1))
    week_one, week_two = weekly.xs(1, level="week").iloc[0], weekly.xs(2, level="week").iloc[0]
    assert week_one["visits_reduced"] == pytest.approx(0.3 * 0.75 * 70_000, rel=0.05)
    assert week_two["visits_reduced"] == 0
    assert week_one["late_share"] < week_two["late_share"]


def test_extra_nurses_take_an_even_share_of_the_routes_visits():
    """4 planned routes of 100 visits, 8 nurses: each nurse drives about 50 visits."""
    from sim.home_visits import _final_routes

    rng = np.random.default_rng(3)
    route = np.repeat(np.arange(4), 100)
    final = _final_routes(route, rng.random(400), np.full(400, 4), np.full(400, 8))
    per_nurse = np.bincount(final, minlength=8)
    assert per_nurse.sum() == 400 and per_nurse.min() > 30 and per_nurse.max() < 70


def test_visits_of_routes_nobody_drives_go_to_the_nurses_at_work():
    from sim.home_visits import _final_routes

    route = np.repeat(np.arange(4), 100)
    final = _final_routes(route, np.random.default_rng(4).random(400), np.full(400, 4),
                          np.full(400, 2))
    assert set(final.tolist()) == {0, 1}
    assert (final[route < 2] == route[route < 2]).all()
