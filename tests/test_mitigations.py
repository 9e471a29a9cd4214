"""Mitigations by week: extra staff and shorter phone opening hours act in their weeks only."""

from __future__ import annotations

import pytest

import sim
from sim.scenario import vary


def _weekly(scenario: sim.Scenario, service: str, metric: str) -> dict[int, float]:
    s = sim.run(scenario, replications=2, seed=9, jobs=1).summary
    rows = s[(s.service == service) & (s.metric == metric)]
    return dict(zip(rows.week, rows["mean"], strict=True))


@pytest.fixture(scope="module")
def short(trondheim):
    return vary(trondheim, {"calendar.weeks_after": 2})


def test_shorter_opening_hours_take_only_the_calls_of_the_hours_still_open(short):
    """Open 08:00-12:00 instead of 08:00-15:30 in week 1: the profile's weight of 08-12 is
    (1.4 + 1.4 + 1.2 + 1.0) / (1.4 + 1.4 + 1.2 + 1.0 + 0.9 + 0.9 + 0.8 + 0.5 x 0.6) of the calls."""
    shorter = vary(short, {"phone.reduced_opening": [
        {"weeks": [1], "opening_hours": {"weekdays": ("08:00", "12:00")}}]})
    usual, reduced = (_weekly(s, "phone", "calls_offered") for s in (short, shorter))
    kept = 5.0 / (5.0 + 0.9 + 0.9 + 0.8 + 0.3)
    assert reduced[-1] == usual[-1] and reduced[2] == pytest.approx(usual[2], rel=0.05)
    assert reduced[1] == pytest.approx(usual[1] * kept, rel=0.1)


def test_extra_phone_agents_in_week_one_raise_its_service_level_only(short):
    helped = vary(short, {"phone.extra_staff": [{"weeks": [1], "staff": 4}]})
    usual, extra = (_weekly(s, "phone", "service_level") for s in (short, helped))
    assert extra[-1] == usual[-1]
    assert extra[1] > usual[1] + 0.05


def test_extra_nurses_in_week_one_lower_its_late_share(short):
    helped = vary(short, {"home_visits.extra_staff": [{"weeks": [1], "staff": 3}]})
    usual, extra = (_weekly(s, "home_visits", "late_share") for s in (short, helped))
    assert extra[-1] == usual[-1]
    assert extra[1] < usual[1] - 0.02
