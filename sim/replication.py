"""One replication: the whole organisation simulated from start to the last week, on one seed.

Builds the calendar, the help flow and the services on one simpy environment, plans every day at
midnight, runs to the end and returns each service's metrics by day and by week (aggregates only).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import simpy
from simpy.events import Timeout

from sim.calendar import SimCalendar
from sim.cases import CaseOffice, case_metrics
from sim.home_visits import HomeCare, visit_metrics
from sim.metrics import MetricFunction, PeriodMetrics, Tally, by_day_and_week
from sim.phone import PhoneLine, phone_metrics
from sim.rest_of_staff import AggregateStaff
from sim.scenario import Scenario
from sim.streams import Streams
from sim.support import HelpFlow, support_metrics


class Service(Protocol):
    """What the replication needs of a service model."""

    tally: Tally

    def plan_day(self, day: Any, midnight_minutes: float) -> None: ...

    def finish(self) -> None: ...


ServiceFactory = Callable[[simpy.Environment, SimCalendar, Any, Streams, HelpFlow], Service]

MODELS: dict[str, tuple[ServiceFactory, MetricFunction]] = {
    "phone": (PhoneLine, phone_metrics),
    "cases": (CaseOffice, case_metrics),
    "home_visits": (HomeCare, visit_metrics),
}
"""Each service of the scenario schema: its model and the function computing its metrics."""


@dataclass(frozen=True)
class ReplicationResult:
    """Metrics of one replication: service -> metric -> values by reported day and by week."""

    daily: dict[str, PeriodMetrics]
    weekly: dict[str, PeriodMetrics]


def simulate(scenario: Scenario, seed: np.random.SeedSequence) -> ReplicationResult:
    """Run one replication of `scenario` on the streams of `seed`."""
    env = simpy.Environment()
    calendar = SimCalendar(scenario.calendar)
    streams = Streams(seed)
    help_flow = HelpFlow(env, calendar, scenario, streams)
    services = {name: MODELS[name][0](env, calendar.closing(spec.closed_dates), spec, streams,
                                      help_flow)
                for name, spec in scenario.services.items()}
    planners: list[Any] = [help_flow, *services.values()]
    if scenario.rest_of_staff is not None:
        planners.append(AggregateStaff(env, calendar, scenario.rest_of_staff,
                                       scenario.rest_headcount, streams, help_flow))
    env.process(_plan_every_day(env, calendar, planners))
    with _fewer_collections():
        env.run(until=calendar.end_minutes)

    daily: dict[str, PeriodMetrics] = {}
    weekly: dict[str, PeriodMetrics] = {}
    for name, service in services.items():
        service.finish()
        daily[name], weekly[name] = by_day_and_week(service.tally, MODELS[name][1])
    help_flow.finish()
    daily["support"], weekly["support"] = by_day_and_week(help_flow.tally, support_metrics)
    return ReplicationResult(daily, weekly)


@contextmanager
def _fewer_collections(allocations: int = 10_000) -> Iterator[None]:
    """Run Python's cycle collector every `allocations` container allocations instead of 700.

    A replication allocates millions of short-lived objects (events, processes, visit rows) and
    keeps few of them; at the default the collector took about 7 % of a replication, at 10,000
    it takes almost none (docs/performance.md). Numbers do not depend on it.
    """
    threshold = gc.get_threshold()
    gc.set_threshold(allocations, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def _plan_every_day(env: simpy.Environment, calendar: SimCalendar, planners: list[Any]
                    ) -> Generator[Timeout, None, None]:
    """At each midnight, let every part of the model plan its day (rosters, demand)."""
    for day, midnight in calendar.dates():
        yield env.timeout(midnight - env.now)
        for planner in planners:
            planner.plan_day(day, midnight)
