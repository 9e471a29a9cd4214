"""Cover: substitutes who stand in for released superusers and for absent staff."""

from __future__ import annotations

import pandas as pd
import pytest

import sim
from sim.scenario import vary
from tests.conftest import SCENARIOS

SAME_SPEED = {"multiplier_at_go_live": 1.5, "multiplier_floor": 1.5}
"""Everyone equally slow and never stuck: who works a position makes no difference."""


def _weekly(scenario: sim.Scenario, service: str, replications: int = 3) -> pd.DataFrame:
    weekly = sim.run(scenario, replications=replications, seed=11, jobs=1).weekly
    rows = weekly[weekly.service == service]
    return rows.pivot_table(index=["replication", "week"], columns="metric", values="value")


@pytest.fixture(scope="module")
def home_care() -> sim.Scenario:
    """Vestdal home care with superusers, half of them released a day in weeks 1-3."""
    scenario = sim.load_scenario(SCENARIOS / "small" / "vestdal-home-visits.toml")
    return vary(scenario, {"home_visits.staff.superuser_share": 0.2,
                           "superusers": {"release_weeks": 3, "released_share_per_day": 0.5,
                                          "help_time_minutes": {"dist": "fixed", "value": 10}}})


@pytest.fixture(scope="module")
def phone_line() -> sim.Scenario:
    """The Fjordvik phone line: two superusers of six agents, one released a day in weeks 1-2."""
    return sim.load_scenario(SCENARIOS / "small" / "fjordvik-phone.toml")


@pytest.mark.parametrize(("fixture", "service", "metric"), [
    ("home_care", "home_visits", "late_share"), ("phone_line", "phone", "service_level")])
def test_full_cover_by_substitutes_as_fast_as_the_staff_gives_the_numbers_of_no_release(
        request, fixture, service, metric):
    """The substitute drives the released nurse's route (takes the agent's place), so with
    everyone equally fast the service cannot tell them apart."""
    base = vary(request.getfixturevalue(fixture), {
        f"{service}.staff.learning": {"trained": SAME_SPEED, "untrained": SAME_SPEED},
        f"{service}.cover.released_share": 1.0})
    covered = _weekly(base, service)
    no_release = _weekly(vary(base, {"superusers.release_weeks": 0}), service)
    uncovered = _weekly(vary(base, {f"{service}.cover.released_share": 0.0}), service)
    pd.testing.assert_series_equal(covered[metric], no_release[metric])
    assert covered.xs(1, level="week")["substitute_shifts"].min() > 0
    assert no_release["substitute_shifts"].sum() == uncovered["substitute_shifts"].sum() == 0
    week_one = (covered.xs(1, level="week")[metric], uncovered.xs(1, level="week")[metric])
    better, worse = week_one if metric == "service_level" else week_one[::-1]
    assert better.mean() > worse.mean()


def test_untrained_substitutes_make_home_care_later_than_trained_ones(home_care):
    """Every absence covered: the substitutes' own training state shows in week 1."""
    cover = {"absent_share": 1.0, "released_share": 1.0}
    trained = _weekly(vary(home_care, {"home_visits.cover": {**cover, "trained_share": 1.0}}),
                      "home_visits")
    untrained = _weekly(vary(home_care, {"home_visits.cover": {**cover, "trained_share": 0.0}}),
                        "home_visits")
    week_one = (trained.xs(1, level="week"), untrained.xs(1, level="week"))
    assert week_one[0]["late_share"].mean() < week_one[1]["late_share"].mean()
    pd.testing.assert_series_equal(week_one[0]["substitute_shifts"],
                                   week_one[1]["substitute_shifts"])


def test_covered_absences_number_about_the_sick_leave_of_the_shifts_worked(phone_line):
    """Before go-live nobody is released: each of the 6 agents' 5 weekday shifts is covered
    when the agent is off sick (7 %), so about 0.07 x 30 = 2.1 shifts a week."""
    weekly = _weekly(vary(phone_line, {"phone.cover.absent_share": 1.0}), "phone",
                     replications=8)
    before = weekly.xs(-1, level="week")
    assert before["substitute_shifts"].mean() == pytest.approx(0.07 * 30, abs=1.0)
    plain = _weekly(phone_line, "phone", replications=8).xs(-1, level="week")
    assert before["service_level"].mean() > plain["service_level"].mean()
