"""Checks of the exact Erlang C / Erlang A formulas against independent derivations."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, linalg, stats

from sim.theory import erlang_a, erlang_c


def textbook_erlang_c(load_erlangs: float, agents: int) -> float:
    """Erlang C by the textbook sum: (A^c/c! c/(c-A)) / (sum_{k<c} A^k/k! + A^c/c! c/(c-A))."""
    queued = load_erlangs**agents / math.factorial(agents) * agents / (agents - load_erlangs)
    free = math.fsum(load_erlangs**k / math.factorial(k) for k in range(agents))
    return queued / (free + queued)


def tagged_caller_answer_probability(ahead: int, served_rate: float, theta: float, t: float):
    """P(answered by t), P(abandoned by t) from scipy.linalg.expm of the tagged-caller chain."""
    size = ahead + 1
    answered, abandoned = size, size + 1
    generator = np.zeros((size + 2, size + 2))
    for i in range(size):
        if i == 0:
            generator[0, answered] = served_rate
        else:
            generator[i, i - 1] = served_rate + i * theta
        generator[i, abandoned] = theta
        generator[i, i] = -(served_rate + (i + 1) * theta)
    transition = linalg.expm(generator * t)
    return transition[ahead, answered], transition[ahead, abandoned]


# --- Erlang C -------------------------------------------------------------------------------


def test_erlang_c_for_8_erlangs_on_9_agents_matches_textbook_sum_formula():
    # lambda = 2/min, 4 min handling -> A = 8 Erlangs; sum formula gives C = 0.653327.
    result = erlang_c(2.0, 4.0, 9)
    assert result.wait_probability == pytest.approx(textbook_erlang_c(8.0, 9), rel=1e-12)
    assert result.wait_probability == pytest.approx(0.653327, abs=1e-6)
    # Mean wait C / (c mu - lambda) with c mu = 9/4 per minute.
    assert result.mean_wait_minutes == pytest.approx(result.wait_probability / 0.25, rel=1e-12)


def test_erlang_c_reproduces_classic_table_value_for_10_erlangs_on_12_agents():
    # Classic Erlang C table: A = 10 Erlangs, 12 agents -> C = 0.4494 (sum formula: 0.449388).
    result = erlang_c(10.0, 1.0, 12)
    assert result.wait_probability == pytest.approx(0.4494, abs=5e-5)
    assert result.wait_probability == pytest.approx(textbook_erlang_c(10.0, 12), rel=1e-12)


def test_erlang_c_single_agent_is_mm1_where_wait_probability_is_utilisation():
    # M/M/1: P(wait) = rho and mean wait = rho / (mu - lambda).
    result = erlang_c(0.6, 1.0, 1)
    assert result.wait_probability == pytest.approx(0.6, rel=1e-12)
    assert result.mean_wait_minutes == pytest.approx(0.6 / 0.4, rel=1e-12)


def test_erlang_c_service_level_is_exponential_tail_whose_integral_is_mean_wait():
    # P(W <= t) = 1 - C exp(-(c mu - lambda) t); E[W] = integral of P(W > t).
    result = erlang_c(2.0, 4.0, 9)
    assert result.answered_within(0.0) == pytest.approx(1.0 - result.wait_probability)
    expected = 1.0 - result.wait_probability * math.exp(-0.25 * 3.0)
    assert result.answered_within(3.0) == pytest.approx(expected, rel=1e-12)
    assert result.answered_within(math.inf) == 1.0
    mean_wait, _ = integrate.quad(lambda t: 1.0 - result.answered_within(t), 0.0, np.inf)
    assert mean_wait == pytest.approx(result.mean_wait_minutes, rel=1e-8)


@pytest.mark.parametrize(
    ("arrival_rate", "service", "agents"),
    [
        (2.25, 4.0, 9),  # lambda == c mu: unstable
        (3.0, 4.0, 9),  # lambda > c mu
        (0.0, 4.0, 9),
        (-1.0, 4.0, 9),
        (2.0, 0.0, 9),
        (2.0, math.nan, 9),
        (2.0, 4.0, 0),
    ],
)
def test_erlang_c_rejects_unstable_or_non_positive_inputs(arrival_rate, service, agents):
    with pytest.raises(ValueError):
        erlang_c(arrival_rate, service, agents)


def test_erlang_c_rejects_negative_threshold():
    with pytest.raises(ValueError):
        erlang_c(2.0, 4.0, 9).answered_within(-1.0)


@settings(max_examples=60, deadline=None)
@given(
    agents=st.integers(min_value=1, max_value=100),
    utilisation=st.floats(min_value=0.01, max_value=0.99),
)
def test_erlang_c_b_recursion_agrees_with_sum_formula_and_falls_with_agents(agents, utilisation):
    # The stable Erlang B recursion must equal the direct sum; an extra agent never hurts.
    load = utilisation * agents
    wait = erlang_c(load, 1.0, agents).wait_probability
    assert wait == pytest.approx(textbook_erlang_c(load, agents), rel=1e-9)
    assert 0.0 < wait < 1.0
    assert erlang_c(load, 1.0, agents + 1).wait_probability <= wait


# --- Erlang A -------------------------------------------------------------------------------


def test_erlang_a_with_very_long_patience_converges_to_erlang_c():
    # theta -> 0 removes abandonment, so M/M/c+M -> M/M/c.
    c_result = erlang_c(2.0, 4.0, 9)
    a_result = erlang_a(2.0, 4.0, 9, mean_patience_minutes=1e7)
    assert a_result.wait_probability == pytest.approx(c_result.wait_probability, rel=1e-5)
    assert a_result.mean_wait_minutes == pytest.approx(c_result.mean_wait_minutes, rel=1e-5)
    assert a_result.abandon_share < 1e-6
    for t in (0.0, 0.5, 2.0, 10.0):
        assert a_result.answered_within(t) == pytest.approx(c_result.answered_within(t), abs=1e-5)


def test_erlang_a_with_patience_equal_to_service_is_poisson_occupancy():
    # theta == mu makes the death rate n mu in every state: N ~ Poisson(lambda / mu), as in
    # M/M/infinity, so P(wait) = P(N >= c) and E[Q] = E[(N - c)^+].
    arrival_rate, service, agents = 2.0, 4.0, 9
    load = arrival_rate * service
    result = erlang_a(arrival_rate, service, agents, mean_patience_minutes=service)
    occupancy = stats.poisson(load)
    assert result.wait_probability == pytest.approx(occupancy.sf(agents - 1), rel=1e-10)
    queue = occupancy.expect(lambda n: np.maximum(n - agents, 0.0))
    assert result.mean_queue_length == pytest.approx(queue, rel=1e-9)
    assert result.abandon_share == pytest.approx(queue / service / arrival_rate, rel=1e-9)


def test_erlang_a_arrival_law_solves_birth_death_balance_equations():
    # Independent route: null vector of the truncated generator, solved densely.
    arrival_rate, service, agents, patience = 3.0, 4.0, 9, 2.0  # overloaded: A = 12 > 9
    states = 120
    n = np.arange(states)
    deaths = np.minimum(n, agents) / service + np.maximum(n - agents, 0) / patience
    generator = np.diag(np.full(states - 1, arrival_rate), 1) + np.diag(deaths[1:], -1)
    generator -= np.diag(generator.sum(axis=1))
    system = np.vstack([generator.T, np.ones(states)])
    rhs = np.zeros(states + 1)
    rhs[-1] = 1.0
    stationary = np.linalg.lstsq(system, rhs, rcond=None)[0]
    result = erlang_a(arrival_rate, service, agents, patience)
    ahead = result.ahead_probabilities
    np.testing.assert_allclose(ahead, stationary[agents : agents + ahead.size], atol=1e-12)
    assert result.wait_probability == pytest.approx(stationary[agents:].sum(), abs=1e-12)


def test_erlang_a_answered_within_zero_is_share_finding_a_free_agent():
    result = erlang_a(3.0, 4.0, 9, 2.0)
    assert result.answered_within(0.0) == pytest.approx(1.0 - result.wait_probability, rel=1e-12)
    assert result.abandoned_within(0.0) == 0.0


def test_erlang_a_answered_within_long_time_is_one_minus_abandon_share():
    # Every caller is eventually answered or abandons; abandon share from Little's law.
    result = erlang_a(3.0, 4.0, 9, 2.0)
    for t in (200.0, math.inf):
        assert result.answered_within(t) == pytest.approx(1.0 - result.abandon_share, abs=1e-10)
        assert result.abandoned_within(t) == pytest.approx(result.abandon_share, abs=1e-10)


@pytest.mark.parametrize("t", [0.1, 0.7, 2.5, 9.0])
def test_erlang_a_answered_within_matches_matrix_exponential_of_tagged_caller_chain(t):
    # P(answered by t) = sum_j P(j ahead on arrival) [expm(Q t)]_{j, answered}, plus free agents.
    arrival_rate, service, agents, patience = 3.0, 4.0, 9, 2.0
    result = erlang_a(arrival_rate, service, agents, patience)
    served_rate, theta = agents / service, 1.0 / patience
    answered = 1.0 - result.wait_probability
    abandoned = 0.0
    for ahead, weight in enumerate(result.ahead_probabilities):
        p_answered, p_abandoned = tagged_caller_answer_probability(ahead, served_rate, theta, t)
        answered += weight * p_answered
        abandoned += weight * p_abandoned
    assert result.answered_within(t) == pytest.approx(answered, abs=1e-12)
    assert result.abandoned_within(t) == pytest.approx(abandoned, abs=1e-12)


def test_erlang_a_tagged_caller_chain_agrees_with_littles_law_mean_wait():
    # Monte Carlo-free consistency: E[W] by Little (E[Q] / lambda) must equal the integral of
    # P(W > t) = 1 - P(answered by t) - P(abandoned by t) from the tagged-caller chain.
    result = erlang_a(2.0, 4.0, 9, 3.0)

    def still_waiting(t: float) -> float:
        return 1.0 - result.answered_within(t) - result.abandoned_within(t)

    mean_wait, _ = integrate.quad(still_waiting, 0.0, np.inf, epsabs=1e-12, epsrel=1e-10)
    assert mean_wait == pytest.approx(result.mean_wait_minutes, rel=1e-7)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"mean_patience_minutes": 0.0},
        {"mean_patience_minutes": -2.0},
        {"mean_patience_minutes": math.inf},
        {"agents": 0},
        {"arrival_rate_per_minute": 0.0},
        {"mean_service_minutes": -1.0},
    ],
)
def test_erlang_a_rejects_non_positive_inputs(kwargs):
    args = {
        "arrival_rate_per_minute": 2.0,
        "mean_service_minutes": 4.0,
        "agents": 9,
        "mean_patience_minutes": 2.0,
    }
    args.update(kwargs)
    with pytest.raises(ValueError):
        erlang_a(**args)


def test_erlang_a_refuses_chain_longer_than_max_queue_length():
    # Overloaded with near-infinite patience: queue of order (lambda - c mu) / theta ~ 1e6.
    with pytest.raises(ValueError, match="max_queue_length"):
        erlang_a(3.0, 4.0, 9, 1e6, max_queue_length=1000)


M_M_C_M = {
    "arrival_rate": st.floats(min_value=0.05, max_value=5.0),
    "service": st.floats(min_value=0.5, max_value=15.0),
    "agents": st.integers(min_value=1, max_value=40),
    "patience": st.floats(min_value=0.2, max_value=30.0),
}
"""Queues the property tests draw: arrivals per minute, service and patience minutes, agents."""


@settings(max_examples=40, deadline=None)
@given(**M_M_C_M)
def test_erlang_a_abandon_share_is_a_probability_that_falls_with_agents(
    arrival_rate, service, agents, patience
):
    # Answered throughput can never exceed agent capacity: lambda (1 - abandon) <= c mu.
    result = erlang_a(arrival_rate, service, agents, patience)
    more_agents = erlang_a(arrival_rate, service, agents + 1, patience)
    assert 0.0 <= result.abandon_share <= 1.0
    assert arrival_rate * (1.0 - result.abandon_share) <= agents / service * (1.0 + 1e-9)
    assert more_agents.abandon_share <= result.abandon_share + 1e-12
    assert more_agents.wait_probability <= result.wait_probability + 1e-12


@settings(max_examples=40, deadline=None)
@given(
    **M_M_C_M,
    thresholds=st.lists(st.floats(min_value=0.0, max_value=60.0), min_size=2, max_size=5),
)
def test_erlang_a_answered_and_abandoned_within_grow_with_threshold(
    arrival_rate, service, agents, patience, thresholds
):
    # Both are distribution functions (defective) in t; their sum never exceeds 1.
    result = erlang_a(arrival_rate, service, agents, patience)
    answered = [result.answered_within(t) for t in sorted(thresholds)]
    abandoned = [result.abandoned_within(t) for t in sorted(thresholds)]
    assert all(a <= b + 1e-12 for a, b in zip(answered, answered[1:], strict=False))
    assert all(a <= b + 1e-12 for a, b in zip(abandoned, abandoned[1:], strict=False))
    assert all(a + b <= 1.0 + 1e-12 for a, b in zip(answered, abandoned, strict=True))
    assert answered[-1] <= 1.0 - result.abandon_share + 1e-9
