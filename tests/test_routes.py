"""The day's routes driven together (sim/routes.py) count exactly what the route loop counts when
it drives them one by one (HomeCare._drive), whatever the documentation put off, the protection
of time-critical visits and the time left in the shift; and one route worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

import sim
from sim.calendar import SimCalendar
from sim.home_visits import DayRoutes, Handout, HomeCare
from sim.routes import Starts, first_legs
from sim.scenario import vary
from sim.streams import Streams
from sim.support import HelpFlow

SHIFT_START, SHIFT_END = 8 * 60.0, 15 * 60.0


@pytest.fixture(scope="module")
def vestdal():
    return sim.load_scenario("scenarios/small/vestdal-home-visits.toml")


def _home_care(scenario) -> HomeCare:
    env = simpy.Environment()
    calendar = SimCalendar(scenario.calendar)
    streams = Streams(np.random.SeedSequence(0))
    help_flow = HelpFlow(env, calendar, scenario, streams)
    return HomeCare(env, calendar, scenario.services["home_visits"], streams, help_flow)


def _handouts(care: HomeCare, seed: int, routes: int) -> list[Handout]:
    """Random visits for the crew of district 0: planned times spread over the shift, a planned
    route each, the visits' minutes, a third time-critical, stuck draws."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(routes, 25 * routes))
    visits = {"route": rng.integers(0, routes, n), "move_draw": rng.random(n),
              "planned": rng.uniform(SHIFT_START, SHIFT_END, n),
              "travel": rng.exponential(8, n), "care": rng.exponential(20, n),
              "documentation": rng.exponential(6, n), "critical": rng.random(n) < 0.3,
              "stuck_draw": rng.random(n)}
    crew = care.districts[0].nurses[:routes]
    return [Handout(care.districts[0], 0, routes, crew, visits, SHIFT_START, SHIFT_END, 1, True,
                    np.zeros(routes, bool))]


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), deferred=st.sampled_from([0.0, 0.5, 1.0]),
       postpone=st.sampled_from([None, 0, 30]), overtime=st.sampled_from([0, 60]),
       routes=st.integers(1, 30))
def test_routes_driven_together_count_what_they_count_one_by_one(
        vestdal, seed, deferred, postpone, overtime, routes):
    scenario = vary(vestdal, {
        "home_visits.deferred_documentation_share": deferred,
        "home_visits.postpone_non_critical_when_late_minutes": postpone,
        "home_visits.allowed_overtime_minutes": overtime})
    together, one_by_one = _home_care(scenario), _home_care(scenario)
    hours = np.random.default_rng(seed).uniform(0, 20, routes)  # stuck 3-8 % at 0 h (vestdal)
    for care in (together, one_by_one):
        for nurse, h in zip(care.districts[0].nurses[:routes], hours.tolist(), strict=True):
            nurse.hands_on_hours = h

    together._start_routes(DayRoutes(_handouts(together, seed, routes), together._last_critical))
    day = DayRoutes(_handouts(one_by_one, seed, routes), one_by_one._last_critical)
    for r in range(len(day)):
        route = day.route(r)
        route.go_on_from(0)
        one_by_one._drive(route, 0, route.start)

    for care in (together, one_by_one):  # up to the shift's start: the nurses' stops are set
        care.env.run(until=SHIFT_START)
    assert together.tally.counts == one_by_one.tally.counts
    assert together.districts[0].postponed == one_by_one.districts[0].postponed
    assert ([nurse.hands_on_hours for nurse in together.districts[0].nurses]
            == [nurse.hands_on_hours for nurse in one_by_one.districts[0].nurses])
    stuck_at = [sorted(event[0] for event in care.env._queue) for care in (together, one_by_one)]
    assert stuck_at[0] == stuck_at[1]  # when each stuck nurse asks for help


def test_a_route_worked_out_by_hand(vestdal):
    """Two visits from 08:00 in a shift ending at 09:00: drive 10, wait for 08:30, care 20,
    notes 10 x 1.5 of which half after the route; drive 10, 17.5 minutes late for 08:50."""
    spec = vary(vestdal, {"home_visits.deferred_documentation_share": 0.5,
                          "home_visits.allowed_earliness_minutes": 0}).services["home_visits"]
    table = np.array([[510.0, 10, 20, 10, 0, 0.9], [530.0, 10, 20, 10, 1, 0.9]])
    legs = first_legs(spec, Starts(table, np.array([0]), np.array([2]), np.array([480.0]),
                                   np.array([540.0]), np.array([1.5]), np.array([0.0]),
                                   np.array([-1])))
    # visit 1: begins 510, ends 510 + 20 + 7.5 = 537.5; visit 2: arrives 547.5, 17.5 late
    assert legs.delay_minutes.tolist() == [17.5]
    assert legs.done.tolist() == [2]
    assert legs.documentation_minutes.tolist() == [30.0]
    # the route ends at 547.5 + 20 + 7.5 = 575, the notes put off take 15 more: 590
    assert legs.clock_minutes.tolist() == [590.0]
    assert legs.overtime_minutes.tolist() == [50.0]
    assert legs.documentation_late.tolist() == [2]
    assert not legs.stuck[0] and not legs.not_started[0]
