"""An organisation that reacts (docs/model.md section 10): extra calls the go-live causes, a
planned reduction of calls and ordinary cases. Each test holds against an outcome worked by hand
or of a known direction, under common random numbers."""

from __future__ import annotations

import pandas as pd
import pytest

import sim
from sim.scenario import vary
from sim.scenario_file import scenario_from_dict
from tests.conftest import SCENARIOS


def _weekly(scenario: sim.Scenario, service: str, replications: int = 4) -> dict[str, dict]:
    """metric -> week -> mean over replications."""
    s = sim.run(scenario, replications=replications, seed=5, jobs=1).summary
    rows = s[s.service == service]
    return {metric: dict(zip(group.week, group["mean"], strict=True))
            for metric, group in rows.groupby("metric")}


def _same_weeks(a: sim.Scenario, b: sim.Scenario) -> None:
    """Every weekly value of every service identical, NaN where NaN (common random numbers)."""
    first, second = (sim.run(s, replications=4, seed=5, jobs=1).weekly for s in (a, b))
    pd.testing.assert_frame_equal(first, second)


@pytest.fixture(scope="module")
def phone_line():
    return sim.load_scenario(SCENARIOS / "small" / "fjordvik-phone.toml")


@pytest.fixture(scope="module")
def case_office():
    return sim.load_scenario(SCENARIOS / "small" / "nordoy-cases.toml")


def test_no_extra_calls_is_today_byte_for_byte(phone_line):
    same = vary(phone_line, {"phone.extra_calls": [{"weeks": [1, 2], "share": 0.0}],
                             "phone.fewer_calls": [{"weeks": [1], "share": 0.0}]})
    _same_weeks(same, phone_line)


def test_a_quarter_more_calls_in_the_weeks_named_and_none_elsewhere(phone_line):
    """+25 % of the expected volume (sources: help desk calls +25 % after an Epic go-live): the
    first-offer calls of weeks 1-2 rise by 25 % within sampling error (Poisson, ~1,300 a week x
    16 replications); weeks before go-live do not move at all, and week 3 only by sampling (its
    arrivals are drawn on the same stream after more draws)."""
    more = vary(phone_line, {"phone.extra_calls": [{"weeks": [1, 2], "share": 0.25}]})
    usual, extra = (_weekly(s, "phone", 16) for s in (phone_line, more))
    first = {w: extra["calls_offered"][w] - extra["redials"][w] for w in (1, 2)}
    before = {w: usual["calls_offered"][w] - usual["redials"][w] for w in (1, 2)}
    assert extra["calls_offered"][-1] == usual["calls_offered"][-1]
    for week in (1, 2):
        assert first[week] == pytest.approx(1.25 * before[week], rel=0.03)
    assert extra["calls_offered"][3] == pytest.approx(usual["calls_offered"][3], rel=0.03)


def test_extra_calls_need_a_go_live(phone_line):
    old_systems = vary(phone_line, {"calendar.new_system": False})
    more = vary(old_systems, {"phone.extra_calls": [{"weeks": [1, 2], "share": 0.25}]})
    _same_weeks(more, old_systems)


def test_fewer_calls_planned_away_lower_the_week_and_raise_its_service_level(phone_line):
    fewer = vary(phone_line, {"phone.fewer_calls": [{"weeks": [1], "share": 0.4}]})
    usual, planned = (_weekly(s, "phone", 8) for s in (phone_line, fewer))
    first = planned["calls_offered"][1] - planned["redials"][1]
    assert first == pytest.approx(0.6 * (usual["calls_offered"][1] - usual["redials"][1]),
                                  rel=0.04)
    assert planned["service_level"][1] > usual["service_level"][1]
    assert planned["calls_offered"][-1] == usual["calls_offered"][-1]


def test_ordinary_cases_not_accepted_are_counted_and_urgent_ones_kept(case_office):
    """40 % of ordinary cases turned away in weeks 1-3 (Vanderbilt's outpatient cut): in week 2,
    wholly inside them (weeks of dates and of reported days differ by the go-live's 22:00), that
    is 40 % of its ordinary arrivals; urgent arrivals do not move."""
    fewer = vary(case_office, {"cases.fewer_cases": [{"weeks": [1, 2, 3],
                                                      "ordinary_share": 0.4}]})
    usual, planned = (_weekly(s, "cases", 16) for s in (case_office, fewer))
    assert planned["urgent_arrived"] == usual["urgent_arrived"]
    deferred, arrived = planned["cases_deferred"][2], usual["cases_arrived"][2]
    assert deferred == pytest.approx(0.4 * (arrived - usual["urgent_arrived"][2]), rel=0.1)
    assert planned["cases_arrived"][2] + deferred == arrived
    assert sum(planned["cases_returned"].values()) == 0
    assert planned["backlog"][2] < usual["backlog"][2]


def test_cases_not_accepted_come_back_after_the_days_given(case_office):
    """Returning 14 days later: the cases turned away in week 2 arrive again in week 4, and
    nothing comes back that was not turned away."""
    later = vary(case_office, {"cases.fewer_cases": [
        {"weeks": [2], "ordinary_share": 0.4, "return_after_days": 14}]})
    planned = _weekly(later, "cases")
    assert planned["cases_returned"][4] == planned["cases_deferred"][2] > 0
    assert sum(planned["cases_returned"].values()) == sum(planned["cases_deferred"].values())


def test_an_end_rule_that_never_fires_gives_the_fixed_dates_byte_for_byte(phone_line):
    """Surge and release both last 2 weeks in fjordvik-phone: a rule whose level is never
    reached (a wait below 0 minutes) and whose latest day is day 14 ends them as the dates do."""
    never = vary(phone_line, {"intensive_support": {
        "min_days": 3, "max_days": 14, "desk_wait_minutes_below": 0.0}})
    _same_weeks(never, phone_line)
    fixed = _weekly(phone_line, "support")
    assert sum(fixed["intensive_support_days"].values()) == 14


def test_an_end_rule_always_met_ends_intensive_support_on_its_earliest_day(phone_line):
    """A level no desk day reaches ends intensive support on min_days, in every replication:
    the surge agents and the released superusers are gone from day 6 on."""
    early = vary(phone_line, {"intensive_support": {
        "min_days": 5, "max_days": 30, "window_days": 2, "desk_requests_per_day_below": 1e6}})
    s = sim.run(early, replications=3, seed=5, jobs=1).weekly
    days = s[(s.service == "support") & (s.metric == "intensive_support_days")]
    assert days.groupby("replication").value.sum().tolist() == [5, 5, 5]
    assert days.set_index("week").value.loc[1].tolist() == [5, 5, 5]


@pytest.fixture(scope="module")
def busy_desk(trondheim):
    """The reference's desk, phone line and case office for five weeks, with 3,000 staff
    switching (a few hundred desk requests a day) and no home care: quick, and a desk open every
    day from 07:00 or 08:00 (each reported day, from 03:00, holds one desk day)."""
    data = vary(trondheim, {"calendar.weeks_after": 5, "organisation.staff_switching": 3000}
                ).model_dump(mode="python", exclude_none=True)
    for table in ("home_visits", "levers", "uncertainty"):
        data.pop(table)
    return scenario_from_dict(data, source="busy_desk")


def test_the_end_rule_ends_on_the_day_worked_out_from_the_desk_it_saw(busy_desk):
    """Until the rule ends it, a run with the rule is the run whose surge and release last its
    latest day (common random numbers). From that run's daily desk requests the end is worked
    out by hand: the first day D after min_days whose last 3 desk days had fewer than 150
    requests a day on average ends intensive support after day D - 1."""
    rule = {"min_days": 7, "max_days": 28, "window_days": 3, "desk_requests_per_day_below": 150}
    longest = vary(busy_desk, {"support_desk.surge_weeks": 4, "superusers.release_weeks": 4})
    ruled = vary(busy_desk, {"intensive_support": rule})
    daily = sim.run(longest, replications=3, seed=5, jobs=1).daily
    desk = daily[(daily.service == "support") & (daily.metric == "desk_requests")].pivot(
        index="day", columns="replication", values="value")
    expected = []
    for replication in desk.columns:
        requests = desk[replication]
        end = rule["max_days"]
        for day in range(rule["min_days"] + 1, rule["max_days"] + 1):
            if requests.loc[day - rule["window_days"]:day - 1].mean() < 150:
                end = day - 1
                break
        expected.append(end)
    weekly = sim.run(ruled, replications=3, seed=5, jobs=1).weekly
    days_on = weekly[(weekly.service == "support") & (weekly.metric == "intensive_support_days")]
    assert days_on.groupby("replication").value.sum().tolist() == expected
    assert all(rule["min_days"] < end < rule["max_days"] for end in expected)


def _totals(scenario: sim.Scenario) -> pd.DataFrame:
    """The support counts summed over the run's weeks, by replication; `desk_abandoned` from
    each week's share of its desk requests."""
    weekly = sim.run(scenario, replications=3, seed=5, jobs=1).weekly
    weeks = weekly[weekly.service == "support"].pivot_table(
        index=["replication", "week"], columns="metric", values="value")
    weeks["desk_abandoned"] = (weeks["desk_abandon_share"] * weeks["desk_requests"]).fillna(0.0)
    return weeks.groupby(level="replication").sum().round(6)


def test_callbacks_lower_abandonment_and_lose_nobody(busy_desk):
    """After the surge (weeks 4-5) many give up in the desk queue. With callbacks some leave a
    number instead: fewer abandon, and the more the share, the fewer. Nobody is lost: every
    number left is called back, dropped at closing (then worked around) or still due; every desk
    request is answered on the line, abandoned or left a number (the run ends at 03:00 with the
    desk closed, so nobody is on the line); every help request still ends in one outcome."""
    usual = _totals(busy_desk)
    half, every = (_totals(vary(busy_desk, {"support_desk.callback_share": share}))
                   for share in (0.5, 1.0))
    assert (usual["desk_callbacks_requested"] == 0).all() and (usual["desk_abandoned"] > 100).all()
    assert (half["desk_abandoned"] < usual["desk_abandoned"]).all()
    assert (every["desk_abandoned"] == 0).all()
    for totals in (half, every):
        assert (totals["desk_callbacks"] > 0).all() and (totals["desk_callback_wait_minutes"] > 0
                                                         ).all()
        pd.testing.assert_series_equal(
            totals["desk_callbacks_requested"],
            totals["desk_callbacks"] + totals["desk_callbacks_unmade"]
            + totals["desk_callbacks_pending_at_end"], check_names=False)
        pd.testing.assert_series_equal(
            totals["desk_requests"], totals["resolved_by_desk"] - totals["desk_callbacks"]
            + totals["desk_abandoned"] + totals["desk_callbacks_requested"], check_names=False)
        pd.testing.assert_series_equal(
            totals["requests"], totals["resolved_by_superuser"] + totals["resolved_by_desk"]
            + totals["given_up"] + totals["open_at_end"], check_names=False)


def test_a_backlog_level_never_reached_changes_nothing(case_office):
    unreachable = vary(case_office, {"cases.reinforcement": {
        "backlog_above": 1_000_000, "overtime_minutes_per_shift": 60,
        "temp_handlers_per_shift": 2}})
    _same_weeks(unreachable, case_office)


def test_overtime_and_temporary_handlers_lower_the_backlog(case_office):
    """Reinforced every day that starts with a case open (level 0; Nordøy's office never empties):
    two temporary handlers a shift work 2 x 7.5 h on each of week 2's 5 working days, 75 h; an
    hour's overtime a day at most adds the 6 handlers' 30 h a week; both lower the backlog."""
    temps = vary(case_office, {"cases.reinforcement": {"backlog_above": 0,
                                                       "temp_handlers_per_shift": 2}})
    overtime = vary(case_office, {"cases.reinforcement": {"backlog_above": 0,
                                                          "overtime_minutes_per_shift": 60}})
    usual, helped, longer = (_weekly(s, "cases") for s in (case_office, temps, overtime))
    assert helped["temp_handler_hours"][2] == 75
    assert sum(helped["handler_overtime_hours"].values()) == 0
    assert 0 < longer["handler_overtime_hours"][2] <= 30
    assert sum(usual["temp_handler_hours"].values()) == sum(
        usual["handler_overtime_hours"].values()) == 0
    for reinforced in (helped, longer):
        assert reinforced["backlog"][6] < usual["backlog"][6]
        assert reinforced["cases_completed"][2] > usual["cases_completed"][2]


def test_the_assumptions_page_states_each_reaction(trondheim):
    """Every reaction set in a scenario shows on the levers table, in both languages."""
    from sim.report.assumptions import levers

    reacting = vary(trondheim, {
        "intensive_support": {"min_days": 14, "max_days": 35, "desk_wait_minutes_below": 2},
        "support_desk.callback_share": 0.5,
        "phone.fewer_calls": [{"weeks": [1], "share": 0.4}],
        "phone.extra_calls": [{"weeks": [1, 2, 3], "share": 0.25}],
        "cases.fewer_cases": [{"weeks": [1, 2], "ordinary_share": 0.1}],
        "cases.reinforcement": {"backlog_above": 225, "overtime_minutes_per_shift": 60,
                                "temp_handlers_per_shift": 2}})
    rows = {row.key: row.value for row in levers(reacting)}
    assert rows["Support desk agents on duty"] == "3 + 6, until the desk quietens (day 14 to 35)"
    assert rows["Support desk: callers out of patience who leave a number"] == "50%"
    assert "40% of calls planned away in week 1" in rows["Phone line: planned reduction"]
    assert rows["Phone line: extra calls caused by the go-live"] == "+25% in weeks 1–3"
    assert rows["Case handling: planned reduction"].startswith("10% of ordinary cases")
    assert "60 min overtime a handler, +2 temporary" in rows[
        "Case handling: overtime and temporary staff"]
    assert len(levers(reacting, "nb")) == len(rows)


def test_the_timeline_shows_intensive_support_to_its_latest_end_when_a_rule_ends_it():
    """Without a rule the bars end with surge_weeks and release_weeks; with one they reach the
    rule's max_days (day 1 is go-live's date) and say between which days it ends."""
    import datetime as dt

    from sim.charts import mitigation_rows
    from sim.scenario_file import load_scenario

    reference = load_scenario(SCENARIOS / "trondheim-2022.toml")
    go_live = reference.calendar.go_live.date()
    fixed = mitigation_rows(reference)
    assert [end for _, _, end, _ in fixed] == [go_live + dt.timedelta(weeks=3)] * 2
    ruled = mitigation_rows(vary(reference, {"intensive_support": {
        "min_days": 14, "max_days": 35, "desk_requests_per_day_below": 450}}), "nb")
    assert [end for _, _, end, _ in ruled] == [go_live + dt.timedelta(days=35)] * 2
    assert all(text.endswith("(slutter etter regel, dag 14-35)") for text, *_ in ruled)
