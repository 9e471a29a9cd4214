"""Case handling keeps every case accounted for, obeys Little's law, and responds to its levers.

The scenarios are small offices built from dicts (a few handlers, tens of cases a day) so that the
tests run in seconds; levers are compared on one seed, so scenarios share their demand (common
random numbers) and differ only where the lever acts.
"""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import sim
from sim.scenario import Scenario, vary
from sim.scenario_file import scenario_from_dict
from sim.theory import erlang_c

MINUTES_PER_DAY = 24 * 60
CONFIDENCE = 0.99
"""Level of the t-intervals that sampling error must stay within."""

OFFICE = {
    "name": "small-case-office",
    "calendar": {"start": dt.date(2022, 5, 2), "go_live": dt.datetime(2022, 5, 9, 10, 0),
                 "weeks_after": 3},
    "cases": {
        "shifts": [{"days": "weekdays", "start": "08:00", "end": "15:30", "staff": 6}],
        "cases_per_day": {"weekdays": 40},
        "urgent_share": 0.2,
        "urgent_deadline_days": 2,
        "ordinary_deadline_days": 14,
        "work_hours": {"dist": "lognormal", "mean": 1.0, "sd": 0.8},
        "system_work_share": 0.5,
        "initial_backlog": 60,
        "initial_backlog_age_days": {"dist": "exponential", "mean": 5},
        "staff": {"sick_leave_share": 0.05},
    },
}
"""A weekday office near its capacity (40 h of work a day for 6 x 7.5 h, less sick leave).

Go-live is at 10:00 on a Monday, so the unreported hours before the first reported day already
see cases arrive and get done.
"""

SLOW_START = {
    "multiplier_at_go_live": 4.0, "multiplier_floor": 2.0, "stuck_probability_at_go_live": 0.3,
}
"""A hard go-live: system work four times as slow at first, and often stuck."""


def office(changes: dict[str, object] | None = None) -> Scenario:
    return vary(scenario_from_dict(copy.deepcopy(OFFICE)), changes or {})


def with_go_live(scenario: Scenario) -> Scenario:
    return vary(scenario, {"cases.staff.learning": {"trained": SLOW_START,
                                                    "untrained": SLOW_START}})


def by_metric(table: pd.DataFrame, period: str) -> pd.DataFrame:
    """The case metrics as columns, one row per replication and period."""
    cases = table[table.service == "cases"]
    return cases.pivot_table(index=["replication", period], columns="metric", values="value",
                             dropna=False)


# --- conservation ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def busy_go_live() -> sim.Results:
    """Everything at once: backlog, sick leave, extra staff, stuck handlers helped by superusers
    and a desk that closes at night."""
    scenario = vary(with_go_live(office()), {
        "cases.staff.superuser_share": 0.2,
        "cases.extra_staff": [{"weeks": [1], "staff": 1}],
        "superusers": {"help_time_minutes": {"dist": "exponential", "mean": 10},
                       "resolvable_share": 0.7},
        "support_desk": {"base_agents": 1, "opening_hours": {"weekdays": ["08:00", "15:30"]},
                         "handling_time_minutes": {"dist": "exponential", "mean": 15},
                         "workaround_minutes": {"dist": "fixed", "value": 30}},
    })
    return sim.run(scenario, replications=3, seed=21, jobs=1)


def test_backlog_grows_by_arrivals_less_completions_every_day(busy_go_live):
    """backlog(d) = backlog(d-1) + arrived(d) - completed(d), backlog(0) = initial backlog."""
    support = busy_go_live.daily.query("service == 'support'")
    assert support[support.metric == "requests"].value.sum() > 0
    for _, days in by_metric(busy_go_live.daily, "day").groupby(level="replication"):
        before = np.concatenate([[days.initial_backlog.iloc[0]], days.backlog.iloc[:-1]])
        expected = before + days.cases_arrived - days.cases_completed
        np.testing.assert_array_equal(days.backlog.to_numpy(), expected.to_numpy())


def test_initial_backlog_and_arrivals_are_completed_or_still_open_at_the_end(busy_go_live):
    """initial backlog + arrived = completed + backlog at the end, over the whole run."""
    weekly = by_metric(busy_go_live.weekly, "week")
    for _, weeks in weekly.groupby(level="replication"):
        assert weeks.initial_backlog.iloc[0] > 0 and weeks.initial_backlog.iloc[1:].eq(0).all()
        coming = weeks.initial_backlog.sum() + weeks.cases_arrived.sum()
        assert coming == weeks.cases_completed.sum() + weeks.backlog.iloc[-1]


def test_weekly_backlog_is_the_level_on_the_weeks_last_day(busy_go_live):
    daily = by_metric(busy_go_live.daily, "day").reset_index()
    daily["week"] = np.where(daily.day > 0, (daily.day - 1) // 7 + 1, -((-daily.day - 1) // 7 + 1))
    last_days = daily.groupby(["replication", "week"]).backlog.last()
    weekly = by_metric(busy_go_live.weekly, "week").backlog
    pd.testing.assert_series_equal(weekly, last_days, check_names=False)


# --- Little's law ---------------------------------------------------------------------------

ROUND_THE_CLOCK = {
    "name": "cases-mmc",
    "calendar": {"start": dt.date(2022, 5, 1), "go_live": dt.datetime(2022, 5, 1),
                 "weeks_after": 8, "new_system": False},
    "cases": {
        "shifts": [{"days": "all", "start": "00:00", "end": "24:00", "staff": 4}],
        "cases_per_day": {"weekdays": 40, "saturday": 40, "sunday": 40},
        "arrival_hours": ["00:00", "24:00"],
        "urgent_deadline_days": 1,
        "ordinary_deadline_days": 1,
        "work_hours": {"dist": "exponential", "mean": 2},
    },
}
"""An M/M/4 office: Poisson arrivals around the clock, exponential work, handlers always on duty.

Work handed back at midnight is picked up again at once in arrival order, so this is a FIFO M/M/c
queue with arrival rate 40/day and service rate 12/day per handler (occupancy 0.83).
"""

WARM_UP_WEEKS = 1
REPLICATIONS = 12


@pytest.fixture(scope="module")
def stationary() -> pd.DataFrame:
    """Per replication: mean end-of-day backlog L and mean days in office W after the warm-up."""
    results = sim.run(scenario_from_dict(copy.deepcopy(ROUND_THE_CLOCK)),
                      replications=REPLICATIONS, seed=31, jobs=1)
    daily = by_metric(results.daily, "day").reset_index()
    steady = daily[daily.day > 7 * WARM_UP_WEEKS]
    return steady.groupby("replication").apply(lambda d: pd.Series({
        "L": d.backlog.mean(),
        "W": (d.mean_days * d.cases_completed).sum() / d.cases_completed.sum(),
    }), include_groups=False)


def _half_width(values: np.ndarray) -> float:
    """Half-width of the t-interval of the mean over replications at level CONFIDENCE."""
    n = len(values)
    return stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * values.std(ddof=1) / np.sqrt(n)


def test_mean_backlog_is_arrival_rate_times_mean_time_in_office(stationary):
    """Little's law L = lambda W, checked on D_r = L_r - lambda W_r per replication r.

    L_r is the mean end-of-day backlog after the warm-up week, W_r the mean time in office (days)
    of the cases completed then, lambda the scenario's cases per day. The test passes when
    |mean(D)| <= t(0.995, n-1) sd(D) / sqrt(n), the 99 % t-interval over the n replications.
    """
    rate_per_day = ROUND_THE_CLOCK["cases"]["cases_per_day"]["weekdays"]
    gap = (stationary.L - rate_per_day * stationary.W).to_numpy()
    assert stationary.L.mean() > 1
    assert abs(gap.mean()) <= _half_width(gap), (
        f"L - lambda W = {gap.mean():.3f} ± {_half_width(gap):.3f}, "
        f"L = {stationary.L.mean():.2f}")


def test_mean_time_in_office_matches_erlang_c(stationary):
    """W = C(c, a) / (c mu - lambda) + 1 / mu of the M/M/c queue, within the 99 % t-interval."""
    spec = ROUND_THE_CLOCK["cases"]
    theory = erlang_c(spec["cases_per_day"]["weekdays"] / MINUTES_PER_DAY,
                      spec["work_hours"]["mean"] * 60, spec["shifts"][0]["staff"])
    expected_days = (theory.mean_wait_minutes + theory.mean_service_minutes) / MINUTES_PER_DAY
    w = stationary.W.to_numpy()
    assert abs(w.mean() - expected_days) <= _half_width(w), (
        f"W = {w.mean():.4f} ± {_half_width(w):.4f} days, Erlang C {expected_days:.4f}")


# --- levers and priorities ------------------------------------------------------------------


def test_urgent_cases_are_done_before_ordinary_ones():
    """In an office with a backlog every week (the old one, then a hard go-live), urgent cases
    jump the queue: their median time in office is under a day and below that of ordinary cases."""
    weekly = by_metric(sim.run(with_go_live(office()), replications=3, seed=41, jobs=1).weekly,
                       "week")
    both = weekly.dropna(subset=["urgent_median_days", "ordinary_median_days"])
    assert len(both) == len(weekly)
    assert (both.urgent_median_days < both.ordinary_median_days).all()
    assert (both.urgent_median_days < 1).all()


def test_slow_go_live_raises_the_backlog_from_go_live_on():
    """Same seed with and without the new system: identical before go-live, larger after."""
    hard = with_go_live(office())
    old = vary(hard, {"calendar.new_system": False})
    runs = [by_metric(sim.run(s, replications=3, seed=51, jobs=1).daily, "day").reset_index()
            for s in (hard, old)]
    before = [r[r.day < 0].drop(columns=["day"]) for r in runs]
    pd.testing.assert_frame_equal(*before)
    after = [r[r.day == r.day.max()].backlog.to_numpy() for r in runs]
    assert (after[0] > after[1] + OFFICE["cases"]["cases_per_day"]["weekdays"]).all()


def test_extra_staff_in_a_week_lowers_that_weeks_backlog():
    """Same seed with and without two extra handlers in week 2: identical before, lower then.

    Extra staff join on the dates of their week; go-live is at 10:00, so their first morning still
    belongs to reported day 7, and the runs are identical up to day 6.
    """
    week = 2
    plain = with_go_live(office())
    helped = vary(plain, {"cases.extra_staff": [{"weeks": [week], "staff": 2}]})
    results = [sim.run(s, replications=3, seed=61, jobs=1) for s in (plain, helped)]
    before = [r.daily[(r.daily.service == "cases") & (r.daily.day < 7 * (week - 1))]
              for r in results]
    pd.testing.assert_frame_equal(*before)
    backlog = [by_metric(r.weekly, "week").xs(week, level="week").backlog.to_numpy()
               for r in results]
    assert (backlog[1] < backlog[0]).all()


def test_urgent_backlog_cases_take_their_own_ages():
    """Backlog cases all new (age 0), or the urgent ones 10 days old with their 2-day deadline.
    Urgent cases jump the queue, so in the week before go-live (go-live at midnight, so that it
    reports every hour from the start) the 20 or so old urgent ones are all decided late, among
    about 20 + 0.2 x 40 x 5 = 60 urgent decisions: at least 30 % late, against
    a few percent when they are new. The demand after the backlog is drawn as before (the urgent
    ages have a stream of their own)."""
    base = office({"cases.initial_backlog_age_days": {"dist": "fixed", "value": 0.0},
                   "cases.initial_backlog_urgent_share": 0.5, "cases.initial_backlog": 40,
                   "calendar.go_live": dt.datetime(2022, 5, 9)})  # every hour reported
    aged = vary(base, {"cases.initial_backlog_urgent_age_days": {"dist": "fixed", "value": 10.0}})
    runs = [sim.run(s, replications=2, seed=71, jobs=1) for s in (base, aged)]
    week = [by_metric(r.weekly, "week").xs(-1, level="week") for r in runs]
    assert (week[0].urgent_overdue_share < 0.1).all()
    assert (week[1].urgent_overdue_share > 0.3).all()
    pd.testing.assert_series_equal(week[0].cases_arrived, week[1].cases_arrived)
