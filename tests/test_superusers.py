"""Superusers who teach, help in their unit's working hours, and whose use is measured."""

from __future__ import annotations

import pandas as pd
import pytest

import sim
from sim.scenario import vary
from tests.conftest import SCENARIOS


def _weekly(scenario: sim.Scenario, replications: int = 2) -> pd.DataFrame:
    weekly = sim.run(scenario, replications=replications, seed=13, jobs=1).weekly
    return weekly.pivot_table(index=["service", "replication", "week"], columns="metric",
                              values="value")


@pytest.fixture(scope="module")
def phone_line() -> sim.Scenario:
    """Fjordvik: one unit of 6 agents on weekdays 08:00-15:00, one of two superusers released a
    day in the first two weeks, none free afterwards."""
    return sim.load_scenario(SCENARIOS / "small" / "fjordvik-phone.toml")


def test_superusers_in_their_units_hours_are_available_only_in_its_shifts(phone_line):
    """Week 1 runs from Tuesday 08:00 to Tuesday 08:00, every date in the release: one superuser
    around the clock is 7 x 24 = 168 hours; in the agents' shift, 5 weekdays x 7 h = 35 hours."""
    clock = _weekly(phone_line).loc["support"]
    shifts = _weekly(vary(phone_line, {"superusers.help_hours": "unit_shifts"})).loc["support"]
    assert (clock.xs(1, level="week")["superuser_available_hours"] == 168).all()
    assert (shifts.xs(1, level="week")["superuser_available_hours"] == 35).all()
    assert (clock.xs(3, level="week")["superuser_available_hours"] == 0).all()
    for weekly in (clock, shifts):
        week = weekly.xs(1, level="week")
        assert (week["superuser_help_hours"] > 0).all()
        assert (week["superuser_utilisation_share"]
                == week["superuser_help_hours"] / week["superuser_available_hours"]).all()
    assert (shifts.xs(1, level="week")["superuser_utilisation_share"]
            > clock.xs(1, level="week")["superuser_utilisation_share"]).all()


def test_superusers_who_teach_make_the_helped_learn_faster(phone_line):
    """Each hour of help counting as ten hands-on hours lowers the helped agents' stuck
    probability, so fewer agents get stuck in week 2 (same calls: common random numbers)."""
    plain = _weekly(phone_line, replications=4).loc["support"]
    teaching = _weekly(vary(phone_line, {"superusers.teaching_hours_per_help_hour": 10.0}),
                       replications=4).loc["support"]
    for week in (2, 3):
        assert teaching.xs(week, level="week")["requests"].mean() < (
            plain.xs(week, level="week")["requests"].mean())
