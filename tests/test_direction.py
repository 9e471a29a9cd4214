"""Levers move results the right way, under common random numbers (same seed, shared demand)."""

from __future__ import annotations

import pandas as pd
import pytest

import sim
from sim.scenario import vary
from tests.conftest import SCENARIOS

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


HEADLINES = [("phone", "service_level"), ("cases", "backlog"), ("home_visits", "late_share")]
"""Each service's headline metric for the week-one comparisons."""


def _week_one_headlines(scenario: sim.Scenario) -> dict[tuple[str, str], float]:
    results = sim.run(vary(scenario, {"calendar.weeks_after": 1}), replications=3, seed=SEED,
                      jobs=1)
    return {key: _week_mean(results, *key, 1) for key in HEADLINES}


@pytest.fixture(scope="module")
def week_one(trondheim, no_golive):
    prepared = sim.load_scenario(SCENARIOS / "well-prepared.toml")
    return {s.name: _week_one_headlines(s) for s in (trondheim, no_golive, prepared)}


def _worse(key: tuple[str, str], a: float, b: float) -> bool:
    """Whether value `a` of headline `key` is worse for citizens than `b`."""
    return a < b if key == ("phone", "service_level") else a > b


@pytest.mark.parametrize("key", HEADLINES, ids=".".join)
def test_go_live_is_worse_than_no_go_live_in_week_one(week_one, key):
    assert _worse(key, week_one["trondheim-2022"][key], week_one["no-golive"][key])


@pytest.mark.parametrize("key", HEADLINES, ids=".".join)
def test_well_prepared_is_better_than_trondheim_in_week_one(week_one, key):
    assert _worse(key, week_one["trondheim-2022"][key], week_one["well-prepared"][key])


def test_adding_services_leaves_the_phone_line_unchanged(no_golive):
    """Streams are keyed by name: the phone line of the full organisation, without a go-live to
    couple it to the others through the desk, is the phone-only organisation's to the last digit."""
    short = vary(no_golive, {"calendar.weeks_after": 1})
    data = short.model_dump(mode="python", exclude_none=True)
    for name in ("cases", "home_visits", "rest_of_staff", "levers"):  # levers name those keys
        data.pop(name)
    # the phone line's uncertain keys stay: each draws on a stream of its own, so the same values
    data["uncertainty"] = {path: spec for path, spec in data.get("uncertainty", {}).items()
                           if path.startswith("phone.")}
    phone_only = sim.Scenario.model_validate(data)
    full = sim.run(short, replications=2, seed=SEED, jobs=1).daily
    alone = sim.run(phone_only, replications=2, seed=SEED, jobs=1).daily
    phone = [table[table.service == "phone"].reset_index(drop=True) for table in (full, alone)]
    pd.testing.assert_frame_equal(phone[0], phone[1])
