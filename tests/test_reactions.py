"""An organisation that reacts (docs/model.md section 10): extra calls the go-live causes, a
planned reduction of calls and ordinary cases. Each test holds against an outcome worked by hand
or of a known direction, under common random numbers."""

from __future__ import annotations

import pytest

import sim
from sim.scenario import vary
from tests.conftest import SCENARIOS


def _weekly(scenario: sim.Scenario, service: str, replications: int = 4) -> dict[str, dict]:
    """metric -> week -> mean over replications."""
    s = sim.run(scenario, replications=replications, seed=5, jobs=1).summary
    rows = s[s.service == service]
    return {metric: dict(zip(group.week, group["mean"], strict=True))
            for metric, group in rows.groupby("metric")}


@pytest.fixture(scope="module")
def phone_line():
    return sim.load_scenario(SCENARIOS / "small" / "fjordvik-phone.toml")


@pytest.fixture(scope="module")
def case_office():
    return sim.load_scenario(SCENARIOS / "small" / "nordoy-cases.toml")


def test_no_extra_calls_is_today_byte_for_byte(phone_line):
    same = vary(phone_line, {"phone.extra_calls": [{"weeks": [1, 2], "share": 0.0}],
                             "phone.fewer_calls": [{"weeks": [1], "share": 0.0}]})
    assert _weekly(same, "phone") == _weekly(phone_line, "phone")


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
    assert _weekly(more, "phone") == _weekly(old_systems, "phone")


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
