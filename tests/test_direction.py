"""Levers move results the right way, under common random numbers (same seed, shared demand)."""

from __future__ import annotations

import pytest

import sim
from sim.scenario import vary

REPLICATIONS = 4
SEED = 21


def _week_mean(results: sim.Results, service: str, metric: str, week: int) -> float:
    s = results.summary
    row = s[(s.service == service) & (s.metric == metric) & (s.week == week)]
    return float(row["mean"].iloc[0])


@pytest.fixture(scope="module")
def short(trondheim):
    return vary(trondheim, {"calendar.weeks_after": 2})


def test_go_live_lowers_week_one_phone_service_level(short, no_golive):
    control = vary(no_golive, {"calendar.weeks_after": 2})
    with_go_live = sim.run(short, replications=REPLICATIONS, seed=SEED, jobs=1)
    without = sim.run(control, replications=REPLICATIONS, seed=SEED, jobs=1)
    assert _week_mean(with_go_live, "phone", "service_level", 1) < _week_mean(
        without, "phone", "service_level", 1)
    # the control differs only by the switch: the week before go-live is the same future
    assert _week_mean(with_go_live, "phone", "service_level", -1) == _week_mean(
        without, "phone", "service_level", -1)


def test_more_surge_agents_shorten_the_desk_wait(short):
    waits = []
    for surge in (2, 6, 12):
        scenario = vary(short, {"support_desk.surge_agents": surge})
        results = sim.run(scenario, replications=REPLICATIONS, seed=SEED, jobs=1)
        waits.append(_week_mean(results, "support", "desk_asa_minutes", 1))
    assert waits[0] > waits[1] > waits[2], waits
