"""The phone line reduced to textbook queues matches queueing theory (Erlang C and Erlang A).

Both reduced lines are shipped scenarios (scenarios/validation/), so anyone can rerun them with
`golive-sim run`. The tolerance is the 99 % t-interval of the replications' mean: a mismatch larger
than the simulation's own sampling error fails the test.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import sim
from sim.theory import erlang_a, erlang_c
from tests.conftest import SCENARIOS

REPLICATIONS = 12


def _week_one(results: sim.Results, metric: str) -> np.ndarray:
    weekly = results.weekly
    rows = weekly[(weekly.service == "phone") & (weekly.metric == metric) & (weekly.week == 1)]
    return rows["value"].to_numpy()


def _assert_within_interval(values: np.ndarray, expected: float, what: str) -> None:
    n = len(values)
    half = stats.t.ppf(0.995, n - 1) * values.std(ddof=1) / np.sqrt(n)
    assert abs(values.mean() - expected) <= half, (
        f"{what}: simulated {values.mean():.4f} ± {half:.4f} (99 % CI), theory {expected:.4f}"
    )


@pytest.fixture(scope="module")
def erlang_c_run():
    scenario = sim.load_scenario(SCENARIOS / "validation" / "erlang-c.toml")
    return scenario, sim.run(scenario, replications=REPLICATIONS, seed=11, jobs=1)


@pytest.fixture(scope="module")
def erlang_a_run():
    scenario = sim.load_scenario(SCENARIOS / "validation" / "erlang-a.toml")
    return scenario, sim.run(scenario, replications=REPLICATIONS, seed=12, jobs=1)


def _rates(scenario: sim.Scenario) -> tuple[float, float, int]:
    phone = scenario.phone
    return (phone.calls_per_day.weekdays / 1440, phone.talk_time_minutes.mean_value,
            phone.shifts[0].staff)


def test_mmc_probability_of_waiting_matches_erlang_c(erlang_c_run):
    """P(wait > 0) = C(c, a), the Erlang C formula."""
    scenario, results = erlang_c_run
    theory = erlang_c(*_rates(scenario))
    _assert_within_interval(_week_one(results, "waited_share"), theory.wait_probability,
                            "P(wait)")


def test_mmc_mean_wait_matches_erlang_c(erlang_c_run):
    """E[W] = C(c, a) / (c mu - lambda) for M/M/c with patient callers."""
    scenario, results = erlang_c_run
    theory = erlang_c(*_rates(scenario))
    _assert_within_interval(_week_one(results, "asa_seconds") / 60, theory.mean_wait_minutes,
                            "mean wait (min)")


def test_mmc_every_caller_is_answered_when_nobody_gives_up(erlang_c_run):
    _, results = erlang_c_run
    assert (_week_one(results, "abandon_share") == 0).all()


def test_mmcm_abandonment_matches_erlang_a(erlang_a_run):
    """Abandon share = theta E[Q] / lambda of the M/M/c+M birth-death chain."""
    scenario, results = erlang_a_run
    theory = erlang_a(*_rates(scenario), scenario.phone.patience_minutes.mean_value)
    _assert_within_interval(_week_one(results, "abandon_share"), theory.abandon_share,
                            "abandon share")


def test_mmcm_answered_within_threshold_matches_erlang_a(erlang_a_run):
    """Service level = P(answered and wait <= t) of the M/M/c+M chain, t = service_level_seconds."""
    scenario, results = erlang_a_run
    theory = erlang_a(*_rates(scenario), scenario.phone.patience_minutes.mean_value)
    t_minutes = scenario.phone.service_level_seconds / 60
    _assert_within_interval(_week_one(results, "service_level"),
                            theory.answered_within(t_minutes), "P(answered within t)")


def test_mmcm_probability_of_waiting_matches_erlang_a(erlang_a_run):
    scenario, results = erlang_a_run
    theory = erlang_a(*_rates(scenario), scenario.phone.patience_minutes.mean_value)
    _assert_within_interval(_week_one(results, "waited_share"), theory.wait_probability,
                            "P(wait)")
