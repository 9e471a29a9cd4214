"""System faults: nothing without them, every fault and every visit accounted for with them, the
known direction of their rates, and a misrouted case's wait worked out by hand."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

import sim
from sim.scenario import vary
from sim.scenario_file import scenario_from_dict
from sim.verdict import compute_verdict
from tests.test_cases import ROUND_THE_CLOCK, office
from tests.test_home_visits import _visits

VISIT_FAULTS = {"lost_item_share_by_week": [0.02, 0.01], "lost_item_noticed_share": 0.5,
                "medication_discrepancy_share_by_week": [0.03, 0.01],
                "access_problem_share_by_day": [0.5, 0.2]}
"""Faults of home care in the first two weeks, frequent enough to be counted in one week."""


@pytest.fixture(scope="module")
def week(trondheim):
    """Trondheim with one week after go-live."""
    return vary(trondheim, {"calendar.weeks_after": 1})


@pytest.fixture(scope="module")
def faulty_days(week) -> pd.DataFrame:
    results = sim.run(vary(week, {"home_visits.faults": VISIT_FAULTS}), replications=1, seed=4,
                      jobs=1)
    return _visits(results, "daily", "home_visits")


def test_faults_that_never_happen_change_no_number():
    """A faults table whose shares are all zero draws nothing: the run is the same to the bit."""
    zero = {"lost_item_share_by_week": [0.0, 0.0], "lost_item_noticed_share": 1.0,
            "access_problem_share_by_day": [0.0], "misrouted_share_by_week": [0.0],
            "misrouted_delay_days": {"dist": "fixed", "value": 3}}
    plain = sim.run(office(), replications=2, seed=9, jobs=1)
    same = sim.run(office({"cases.faults": zero}), replications=2, seed=9, jobs=1)
    pd.testing.assert_frame_equal(plain.daily, same.daily)
    assert (plain.weekly.loc[plain.weekly.metric.isin(["lost_items", "deviations"]), "value"]
            == 0).all()


def test_every_planned_visit_is_done_postponed_missed_escalated_dropped_or_open(faulty_days):
    days = faulty_days
    assert days["visits_dropped_by_faults"].sum() > 0 and days["visits_escalated"].sum() > 0
    outcomes = (days["visits_done"] + days["visits_postponed"] + days["visits_missed"]
                + days["visits_escalated"] + days["visits_dropped_by_faults"]
                + days["visits_open_at_end"])
    pd.testing.assert_series_equal(days["visits_planned"], outcomes, check_names=False)


def test_every_fault_raised_is_noticed_or_not(faulty_days):
    days = faulty_days
    assert days["lost_items_noticed"].sum() > 0
    pd.testing.assert_series_equal(days["lost_items"],
                                   days["lost_items_noticed"] + days["visits_dropped_by_faults"],
                                   check_names=False)
    assert (days["critical_dropped_by_faults"] <= days["visits_dropped_by_faults"]).all()
    pd.testing.assert_series_equal(days["deviations"],
                                   days["lost_items"] + days["medication_deviations"],
                                   check_names=False)


def test_faults_come_only_in_the_weeks_and_days_given(faulty_days):
    """Shares given for weeks 1-2 and days 1-2: nothing before go-live, access problems only on
    the first two days."""
    days = faulty_days.droplevel("replication")
    assert (days.loc[days.index < 1, ["lost_items", "medication_deviations",
                                      "access_problems"]] == 0).all().all()
    assert days.loc[1, "access_problems"] > 0 and days.loc[2, "access_problems"] > 0
    assert (days.loc[days.index > 2, "access_problems"] == 0).all()


def test_noticing_every_lost_item_drops_none(week):
    noticed = dict(VISIT_FAULTS, lost_item_noticed_share=1.0)
    days = _visits(sim.run(vary(week, {"home_visits.faults": noticed}), replications=1, seed=4,
                           jobs=1), "daily", "home_visits")
    assert days["lost_items"].sum() > 0
    assert days["visits_dropped_by_faults"].sum() == 0
    pd.testing.assert_series_equal(days["lost_items"], days["lost_items_noticed"],
                                   check_names=False)


def test_a_higher_fault_rate_gives_more_deviations_under_common_random_numbers(week):
    """Twice the shares on the same seed: each item meets the same uniform draws (until the two
    runs' plans part, with different visits postponed), so every item the lower share hits the
    higher one hits too, and about twice the deviations follow."""
    def run(scale: float) -> pd.DataFrame:
        faults = {"lost_item_share_by_week": [0.01 * scale], "lost_item_noticed_share": 0.5,
                  "medication_discrepancy_share_by_week": [0.01 * scale]}
        return _visits(sim.run(vary(week, {"home_visits.faults": faults}), replications=1,
                               seed=6, jobs=1), "weekly", "home_visits")
    low, high = run(1.0), run(2.0)
    after = low.index.get_level_values("week") >= 1
    assert (high["deviations"][after] > low["deviations"][after]).all()
    assert (high["deviations_per_1000_visits"][after]
            > 1.5 * low["deviations_per_1000_visits"][after]).all()


def test_access_problems_send_staff_to_the_desk(week):
    """Every nurse starting a route on go-live day is locked out: support gets those requests on
    top of the stuck ones (the desk, or a workaround when it is closed), and the day's visits
    start later."""
    locked = vary(week, {"home_visits.faults.access_problem_share_by_day": [1.0]})
    plain = sim.run(week, replications=1, seed=5, jobs=1)
    faulty = sim.run(locked, replications=1, seed=5, jobs=1)
    visits = _visits(faulty, "daily", "home_visits").droplevel("replication")
    extra = (_visits(faulty, "daily", "support")["requests"]
             - _visits(plain, "daily", "support")["requests"]).droplevel("replication")
    assert visits.loc[1, "access_problems"] > 100
    assert extra.loc[1] > 0.8 * visits.loc[1, "access_problems"]
    assert (visits.loc[visits.index != 1, "access_problems"] == 0).all()
    before = _visits(plain, "daily", "home_visits").droplevel("replication")
    assert visits.loc[1, "mean_delay_minutes"] > before.loc[1, "mean_delay_minutes"]


# --- case handling ---------------------------------------------------------------------------

IDLE_OFFICE = copy.deepcopy(ROUND_THE_CLOCK)
IDLE_OFFICE["calendar"].update({"new_system": True, "weeks_after": 3})
IDLE_OFFICE["cases"].update({"work_hours": {"dist": "fixed", "value": 1.0},
                             "shifts": [{"days": "all", "start": "00:00", "end": "24:00",
                                         "staff": 200}]})
"""Handlers always on duty and never busy, fixed one-hour cases, no slow-down at go-live: a
case arriving at t is decided at t + 1 h exactly, or at t + delay + 1 h if misrouted."""


def test_a_misrouted_case_waits_its_delay_on_top_of_its_work():
    """Every case after go-live misrouted by 2.5 days: each is decided 2.5 days + 1 hour after it
    arrived, and is open (in transit) meanwhile."""
    delay_days = 2.5
    misrouted = vary(scenario_from_dict(copy.deepcopy(IDLE_OFFICE)), {"cases.faults": {
        "misrouted_share_by_week": [1.0] * 3,
        "misrouted_delay_days": {"dist": "fixed", "value": delay_days}}})
    weekly = _visits(sim.run(misrouted, replications=2, seed=3, jobs=1), "weekly", "cases")
    plain = _visits(sim.run(scenario_from_dict(copy.deepcopy(IDLE_OFFICE)), replications=2,
                            seed=3, jobs=1), "weekly", "cases")
    one_hour = 1 / 24
    np.testing.assert_allclose(plain["median_days"], one_hour)
    later = weekly.xs(2, level="week")
    np.testing.assert_allclose(later["median_days"], delay_days + one_hour)
    np.testing.assert_allclose(later["mean_days"], delay_days + one_hour)
    assert (later["cases_misrouted"] == later["cases_arrived"]).all()
    assert (later["backlog"] > 0).all()  # the cases still on their way at the week's end


def test_every_case_is_decided_still_open_or_dropped():
    """initial backlog + arrived = completed + open at the end + dropped by faults, with cases
    lost, misrouted and handlers locked out."""
    faults = {"lost_item_share_by_week": [0.1, 0.1, 0.1], "lost_item_noticed_share": 0.5,
              "misrouted_share_by_week": [0.2, 0.2, 0.2],
              "misrouted_delay_days": {"dist": "exponential", "mean": 2},
              "access_problem_share_by_day": [0.5, 0.5, 0.5]}
    scenario = office({"cases.faults": faults,
                       "support_desk": {"base_agents": 1,
                                        "opening_hours": {"weekdays": ["08:00", "15:30"]},
                                        "handling_time_minutes": {"dist": "fixed", "value": 20},
                                        "workaround_minutes": {"dist": "fixed", "value": 30}}})
    weekly = _visits(sim.run(scenario, replications=2, seed=8, jobs=1), "weekly", "cases")
    for _, weeks in weekly.groupby(level="replication"):
        assert weeks.cases_dropped_by_faults.sum() > 0 and weeks.cases_misrouted.sum() > 0
        assert weeks.access_problems.sum() > 0
        coming = weeks.initial_backlog.sum() + weeks.cases_arrived.sum()
        assert coming == (weeks.cases_completed.sum() + weeks.backlog.iloc[-1]
                          + weeks.cases_dropped_by_faults.sum())
        assert (weeks.lost_items == weeks.lost_items_noticed + weeks.cases_dropped_by_faults).all()


# --- the phone line and the rest of the staff ----------------------------------------------------


def test_phone_agents_locked_out_call_the_desk_before_they_take_calls():
    """Every agent of go-live day's shift (six at Fjordvik, none off sick or released as a
    superuser) cannot log in: each calls the desk, the only access problems that day, and takes
    calls only after: the same first calls (their streams do not move) wait more often and more
    hang up. A share of zero changes no number."""
    fjordvik = vary(sim.load_scenario("scenarios/small/fjordvik-phone.toml"),
                    {"calendar.weeks_after": 1, "phone.staff.sick_leave_share": 0.0,
                     "superusers.release_weeks": 0})
    plain = sim.run(fjordvik, replications=2, seed=6, jobs=1)
    zero = sim.run(vary(fjordvik, {"phone.faults.access_problem_share_by_day": [0.0]}),
                   replications=2, seed=6, jobs=1)
    pd.testing.assert_frame_equal(plain.daily, zero.daily)
    locked = sim.run(vary(fjordvik, {"phone.faults.access_problem_share_by_day": [1.0]}),
                     replications=2, seed=6, jobs=1)
    phone, before = (_visits(r, "daily", "phone") for r in (locked, plain))
    support = _visits(locked, "daily", "support")
    go_live = phone.xs(1, level="day")
    assert (go_live["access_problems"] == 6).all()
    assert (support.xs(1, level="day")["access_problems"] == 6).all()
    assert phone["access_problems"].sum() == support["access_problems"].sum() == 12
    assert (go_live["calls_offered"] == go_live["calls_answered"] + go_live["calls_abandoned"]
            + go_live["calls_waiting_at_end"]).all()
    first_day = before.xs(1, level="day")
    assert (go_live["waited_share"] > first_day["waited_share"]).all()
    assert (go_live["calls_abandoned"] > first_day["calls_abandoned"]).all()


def test_the_rest_of_the_staff_locked_out_call_the_desk_at_their_shifts_start(week):
    """10 % of the rest of the staff starting a shift on go-live day (a Saturday: 2,247 + 1,348
    people) cannot log in: about 360 more desk requests that day, none the next."""
    only_rest = vary(week, {**{f"{group}.faults.access_problem_share_by_day": [] for group in
                               ("home_visits", "cases", "phone")},
                            "rest_of_staff.faults.access_problem_share_by_day": [0.1]})
    support = _visits(sim.run(only_rest, replications=1, seed=7, jobs=1), "daily", "support")
    locked = support["access_problems"].droplevel("replication")
    people = round(7253 * 0.25 * 0.92) + round(7253 * 0.15 * 0.92)
    sd = (people * 0.1 * 0.9) ** 0.5
    assert abs(locked.loc[1] - 0.1 * people) < 4 * sd
    assert (locked.loc[locked.index != 1] == 0).all()


# --- the standard -----------------------------------------------------------------------------


def test_a_deviation_standard_enters_the_verdict_only_when_set():
    faults = {"lost_item_share_by_week": [0.05, 0.05, 0.05]}
    scenario = office({"cases.faults": faults})
    results = sim.run(scenario, replications=2, seed=2, jobs=1)
    assert not any(s["metric"] == "deviations_per_1000_cases"
                   for s in compute_verdict(results.weekly, scenario)["standards"])
    strict = vary(scenario, {"standards.cases": {"max_deviations_per_1000_cases": 1.0}})
    verdict = compute_verdict(results.weekly, strict)
    weeks = {w["week"]: w["services"]["cases"] for w in verdict["weeks"]}
    assert weeks[-1]["status"] == "responsible"  # before go-live: no faults
    assert weeks[1]["status"] == "not_responsible"


# --- the report ---------------------------------------------------------------------------------


def test_the_safety_chart_shows_only_with_deviations_and_keeps_every_standards_panel():
    from sim.report.safety import weekly_deviations
    from sim.report.service_pages import panels_that_fit

    faulty = sim.run(office({"cases.faults.misrouted_share_by_week": [0.2]}), replications=1,
                     seed=2, jobs=1)
    means = weekly_deviations(faulty, "cases")
    assert means is not None and means["cases_misrouted"][0] > 0
    assert (means["cases_misrouted"][1:] == 0).all()  # a share for week 1 only
    assert weekly_deviations(sim.run(office(), replications=1, seed=2, jobs=1), "cases") is None
    five = ["a", "b", "c", "d", "e"]
    assert panels_that_fit(five, {"e"}, 4) == ["a", "b", "c", "e"]
    assert panels_that_fit(five, {"b", "c", "d", "e"}, 3) == ["b", "c", "d", "e"]
    assert panels_that_fit(five[:3], set(), 4) == five[:3]
    assert panels_that_fit(five, set(), 0) == ["a"]


def test_a_comparison_charts_the_deviations_when_a_scenario_has_some():
    """No standard on deviations: the comparison of an office with faults and one without still
    charts cases' deviations per 1,000 side by side; two offices without faults do not."""
    from sim.report.comparison import Comparison, compared_metrics

    faulty = sim.run(office({"cases.faults.misrouted_share_by_week": [0.2]}), replications=1,
                     seed=2, jobs=1)
    plain = sim.run(office(), replications=1, seed=2, jobs=1)
    assert "deviations_per_1000_cases" in compared_metrics(
        Comparison([plain, faulty], [plain.verdict, faulty.verdict], "en"), "cases")
    assert "deviations_per_1000_cases" not in compared_metrics(
        Comparison([plain, plain], [plain.verdict, plain.verdict], "en"), "cases")
