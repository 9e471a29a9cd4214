"""How much work a run is, estimated before it starts, so that a typo cannot run for hours.

The estimate counts the entities a run simulates (calls, cases, visits, help requests, staff on
duty), an upper bound from the scenario's volumes. One replication of the Trondheim reference
counts about 1.5 million and takes about 3 s on one core, so `LIMIT_ENTITIES` is some twenty
minutes on two cores; a larger run needs `allow_large` (`--allow-large`).
"""

from __future__ import annotations

from sim.errors import Refused
from sim.scenario import Cases, DayVolumes, HomeVisits, Phone, Scenario

LIMIT_ENTITIES = 1_000_000_000
"""Entities a run may simulate without `allow_large`: about 700 replications of the Trondheim
reference, over twenty times its default forecast (30 replications)."""

MAX_REPLICATIONS = 100_000
"""Replications in one run; more would not fit the result tables in memory."""

MAX_JOBS = 1024
"""Worker processes; more than any machine here has cores."""

MAX_REDIALS_PER_CALL = 10.0
"""Upper bound on the redials one call causes, in the estimate (a redial probability of 1 ends
when the line closes, not after a number of tries)."""


class TooLarge(Refused):
    """A run larger than LIMIT_ENTITIES without `allow_large`."""


def _busiest_day(volumes: DayVolumes, factor: float = 1.0) -> float:
    return max(volumes.weekdays * factor, volumes.saturday, volumes.sunday)


def _phone_per_day(phone: Phone) -> float:
    p = phone.redial_probability
    redials = MAX_REDIALS_PER_CALL if p >= 1 else min(p / (1 - p), MAX_REDIALS_PER_CALL)
    return _busiest_day(phone.calls_per_day, max(phone.weekday_factors)) * (1 + redials)


def _service_per_day(service: Phone | Cases | HomeVisits) -> float:
    if isinstance(service, Phone):
        demand = _phone_per_day(service)
    elif isinstance(service, Cases):
        demand = _busiest_day(service.cases_per_day)
    else:
        demand = _busiest_day(service.visits_per_day)
    return demand + service.headcount


def _help_requests_per_day(scenario: Scenario) -> float:
    rest = scenario.rest_of_staff
    if rest is None:
        return 0.0
    learning = rest.staff.learning
    stuck = 0.0 if learning is None else max(learning.trained.stuck_probability_at_go_live,
                                             learning.untrained.stuck_probability_at_go_live)
    hours = sum((s.end_minutes - s.start_minutes) / 60 * s.headcount_share for s in rest.shifts)
    units = scenario.rest_headcount / rest.unit_headcount
    return scenario.rest_headcount * hours * rest.system_tasks_per_hour * stuck + units


def entities_per_replication(scenario: Scenario) -> float:
    """Upper estimate of the entities one replication simulates and reports."""
    per_day = sum(_service_per_day(s) for s in scenario.services.values())
    per_day += _help_requests_per_day(scenario)
    backlog = scenario.cases.initial_backlog if scenario.cases is not None else 0
    return per_day * scenario.calendar.days + backlog


def sensitivity_runs(scenario: Scenario) -> int:
    """Runs `golive-sim sensitivity` makes of a scenario: each uncertain key at its low and at its
    high value, the central scenario, and the scenario drawing every key."""
    return 2 * len(scenario.uncertainty or {}) + 2


def check_workload(scenario: Scenario, replications: int, allow_large: bool) -> None:
    """Refuse a run whose estimated work is above LIMIT_ENTITIES, unless `allow_large`."""
    total = entities_per_replication(scenario) * replications
    if total > LIMIT_ENTITIES and not allow_large:
        raise TooLarge(
            f"this run would simulate about {total:.2g} calls, cases, visits, help requests and "
            f"staff-days ({replications:,} replications of about "
            f"{total / replications:.2g}), more than the limit of {LIMIT_ENTITIES:.0e} "
            "(some twenty minutes on two cores): check the scenario's volumes, staff and dates, or "
            "pass --allow-large (allow_large=True in Python) if you mean it"
        )
