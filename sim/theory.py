"""Exact queueing formulas used to validate the simulator's phone line.

Erlang C (M/M/c) and Erlang A (M/M/c+M, exponential patience), implemented from their
definitions with numpy and scipy only, so simulated waits can be checked against theory.
All rates are per minute and all times are in minutes.

Notes
-----
Erlang A waiting-time split. A caller arriving to find all c agents busy and j callers
queued (FIFO) moves up at rate c mu + i theta while i are ahead (one is served or one of
them hangs up) and, at the front, is answered at rate c mu; independently it hangs up at
rate theta. This absorbing chain has a closed-form transient solution: the time V_j it
would need to be answered is a sum of Exp(c mu + i theta), i = 0..j, so
U = exp(-theta V_j) ~ Beta(b, j + 1) with b = c mu / theta. With x = exp(-theta t),

    P(answered by t)      = E[U; U >= x] = b / (b + j + 1) * (1 - I_x(b + 1, j + 1)),
    P(still waiting at t) = x P(U < x)   = x I_x(b, j + 1),

I_x the regularised incomplete beta. This is exact, O(queue length) for any t, and is
checked in the tests against the matrix exponential of the chain's generator.
"""

import math
import operator
from dataclasses import dataclass, field

import numpy as np
from scipy.special import betainc

__all__ = ["ErlangAResult", "ErlangCResult", "erlang_a", "erlang_c"]


def _check_positive(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value) or value <= 0.0:
        raise ValueError(f"{name} must be positive and finite, got {value!r}")
    return value


def _check_agents(agents: int) -> int:
    agents = operator.index(agents)
    if agents < 1:
        raise ValueError(f"agents must be at least 1, got {agents}")
    return agents


def _check_time(t_minutes: float) -> float:
    t_minutes = float(t_minutes)
    if math.isnan(t_minutes) or t_minutes < 0.0:
        raise ValueError(f"t_minutes must be non-negative, got {t_minutes!r}")
    return t_minutes


def _erlang_b(offered_load_erlangs: float, agents: int) -> float:
    """Erlang B blocking probability by the stable recursion B(k) = A B(k-1) / (k + A B(k-1))."""
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = offered_load_erlangs * blocking / (k + offered_load_erlangs * blocking)
    return blocking


@dataclass(frozen=True)
class ErlangCResult:
    """Steady state of an M/M/c queue (Erlang C): Poisson arrivals, exponential service.

    Attributes
    ----------
    arrival_rate_per_minute, mean_service_minutes, agents
        The inputs.
    wait_probability
        Probability an arrival finds every agent busy and has to wait (Erlang C formula).
    mean_wait_minutes
        Mean time in queue over all callers, C / (c mu - lambda).
    """

    arrival_rate_per_minute: float
    mean_service_minutes: float
    agents: int
    wait_probability: float
    mean_wait_minutes: float

    @property
    def _queue_decay_rate_per_minute(self) -> float:
        return self.agents / self.mean_service_minutes - self.arrival_rate_per_minute

    def answered_within(self, t_minutes: float) -> float:
        """Probability a caller waits at most ``t_minutes``: 1 - C exp(-(c mu - lambda) t).

        Everyone is answered in Erlang C, so this is the service level at threshold t.
        """
        t_minutes = _check_time(t_minutes)
        tail = self.wait_probability * math.exp(-self._queue_decay_rate_per_minute * t_minutes)
        return 1.0 - tail


def erlang_c(
    arrival_rate_per_minute: float, mean_service_minutes: float, agents: int
) -> ErlangCResult:
    """Erlang C steady state for M/M/c, computed via the Erlang B recursion for stability.

    Parameters
    ----------
    arrival_rate_per_minute
        Poisson arrival rate lambda.
    mean_service_minutes
        Mean exponential handling time 1/mu.
    agents
        Number of agents c.

    Raises
    ------
    ValueError
        If an input is not positive, or the queue is unstable (lambda >= c mu).
    """
    lam = _check_positive("arrival_rate_per_minute", arrival_rate_per_minute)
    service = _check_positive("mean_service_minutes", mean_service_minutes)
    c = _check_agents(agents)
    load = lam * service
    if load >= c:
        raise ValueError(
            f"unstable: offered load {load:g} Erlangs needs more than {c} agents "
            "(lambda must be below c * mu)"
        )
    blocking = _erlang_b(load, c)
    wait_probability = c * blocking / (c - load * (1.0 - blocking))
    mean_wait = wait_probability / (c / service - lam)
    return ErlangCResult(
        arrival_rate_per_minute=lam,
        mean_service_minutes=service,
        agents=c,
        wait_probability=wait_probability,
        mean_wait_minutes=mean_wait,
    )


@dataclass(frozen=True)
class ErlangAResult:
    """Steady state of an M/M/c+M queue (Erlang A): callers abandon after Exp(patience).

    Attributes
    ----------
    arrival_rate_per_minute, mean_service_minutes, agents, mean_patience_minutes
        The inputs.
    wait_probability
        Probability an arrival finds every agent busy (PASTA).
    abandon_share
        Share of callers who hang up before being answered, theta E[Q] / lambda.
    mean_wait_minutes
        Mean time in queue over all callers, answered or not, E[Q] / lambda (Little).
    mean_queue_length
        Mean number of callers waiting, E[Q].
    ahead_probabilities
        ``ahead_probabilities[j]`` = P(an arrival finds all agents busy and j callers
        already queued); the truncated stationary law seen by arrivals.
    """

    arrival_rate_per_minute: float
    mean_service_minutes: float
    agents: int
    mean_patience_minutes: float
    wait_probability: float
    abandon_share: float
    mean_wait_minutes: float
    mean_queue_length: float
    ahead_probabilities: np.ndarray = field(repr=False, compare=False)

    def _outcome_within(self, t_minutes: float) -> tuple[float, float]:
        """(P(answered with wait <= t), P(abandoned with wait <= t)) for an arriving caller.

        Closed-form transient solution of the tagged caller's absorbing CTMC (see module notes),
        summed over the number of callers ahead with the PASTA weights.
        """
        t_minutes = _check_time(t_minutes)
        weights = self.ahead_probabilities
        theta = 1.0 / self.mean_patience_minutes
        a = np.arange(1, weights.size + 1, dtype=float)  # j + 1 for j callers ahead
        b = self.agents / self.mean_service_minutes / theta  # c mu / theta
        x = math.exp(-theta * t_minutes)
        answered = b / (a + b) * (1.0 - betainc(b + 1.0, a, x))
        still_waiting = x * betainc(b, a, x)
        answered_share = float(np.dot(weights, answered))
        waiting_share = float(np.dot(weights, still_waiting))
        abandoned_share = max(float(weights.sum()) - answered_share - waiting_share, 0.0)
        return 1.0 - self.wait_probability + answered_share, abandoned_share

    def answered_within(self, t_minutes: float) -> float:
        """P(caller is answered and waited at most ``t_minutes``); free-agent arrivals wait 0.

        Exact: tagged-caller absorbing chain, FIFO, weighted by the law seen on arrival.
        """
        return self._outcome_within(t_minutes)[0]

    def abandoned_within(self, t_minutes: float) -> float:
        """P(caller hangs up having waited at most ``t_minutes``)."""
        return self._outcome_within(t_minutes)[1]


def _erlang_a_log_weights(
    lam: float, mu: float, theta: float, c: int, tolerance: float, max_queue_length: int
) -> np.ndarray:
    """Unnormalised log stationary weights of states 0..N, N the first truncation point."""
    log_tolerance = math.log(tolerance)
    n_max = max(2 * c, 256)
    while True:
        n = np.arange(1, n_max + 2, dtype=float)
        deaths = np.minimum(n, c) * mu + np.maximum(n - c, 0.0) * theta
        log_ratio = math.log(lam) - np.log(deaths)  # log(pi_n / pi_{n-1}), n = 1..n_max+1
        log_pi = np.concatenate([[0.0], np.cumsum(log_ratio[:-1])])  # states 0..n_max
        log_mass = np.logaddexp.accumulate(log_pi)
        # Death rates never decrease, so with r = pi_{N+1}/pi_N < 1 the tail beyond N is
        # at most pi_N r / (1 - r).
        next_ratio = np.exp(log_ratio)  # r_{N+1} for N = 0..n_max
        with np.errstate(divide="ignore", invalid="ignore"):
            log_tail = log_pi + np.where(
                next_ratio < 1.0, np.log(next_ratio) - np.log1p(-next_ratio), np.inf
            )
        done = np.flatnonzero(log_tail < log_tolerance + log_mass)
        if done.size:
            last = int(done[0])
            if last - c > max_queue_length:
                break
            return log_pi[: last + 1]
        if n_max - c > max_queue_length:
            break
        n_max *= 2
    raise ValueError(
        f"stationary mass not within tolerance by queue length {max_queue_length}; "
        "raise max_queue_length (patience is very long relative to the overload)"
    )


def erlang_a(
    arrival_rate_per_minute: float,
    mean_service_minutes: float,
    agents: int,
    mean_patience_minutes: float,
    *,
    tolerance: float = 1e-12,
    max_queue_length: int = 1_000_000,
) -> ErlangAResult:
    """Erlang A steady state for M/M/c+M from the exact birth-death chain, truncated.

    State n (callers in system) has birth rate lambda and death rate
    min(n, c) mu + max(n - c, 0) theta, with theta = 1 / mean patience. The chain is cut
    at the first queue length whose remaining stationary mass is below ``tolerance``.
    Stable for any load because callers abandon.

    Parameters
    ----------
    arrival_rate_per_minute
        Poisson arrival rate lambda.
    mean_service_minutes
        Mean exponential handling time 1/mu.
    agents
        Number of agents c.
    mean_patience_minutes
        Mean exponential patience 1/theta of a waiting caller.
    tolerance
        Upper bound on the neglected stationary mass.
    max_queue_length
        Refuse (ValueError) rather than build a longer chain than this.

    Raises
    ------
    ValueError
        If an input is not positive, or the chain needs more than ``max_queue_length``.
    """
    lam = _check_positive("arrival_rate_per_minute", arrival_rate_per_minute)
    service = _check_positive("mean_service_minutes", mean_service_minutes)
    c = _check_agents(agents)
    patience = _check_positive("mean_patience_minutes", mean_patience_minutes)
    tolerance = _check_positive("tolerance", tolerance)
    mu, theta = 1.0 / service, 1.0 / patience

    log_pi = _erlang_a_log_weights(lam, mu, theta, c, tolerance, max_queue_length)
    pi = np.exp(log_pi - np.logaddexp.reduce(log_pi))
    pi /= pi.sum()
    ahead = pi[c:].copy()
    ahead.flags.writeable = False  # keep the frozen result immutable
    mean_queue = float(np.sum(np.arange(ahead.size) * ahead))
    return ErlangAResult(
        arrival_rate_per_minute=lam,
        mean_service_minutes=service,
        agents=c,
        mean_patience_minutes=patience,
        wait_probability=float(ahead.sum()),
        abandon_share=theta * mean_queue / lam,
        mean_wait_minutes=mean_queue / lam,
        mean_queue_length=mean_queue,
        ahead_probabilities=ahead,
    )
