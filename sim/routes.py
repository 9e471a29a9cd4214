"""A day's home-visit routes driven together, up to where each route first meets someone else.

Every route of the day starts at its shift's start and runs visit by visit until a nurse gets
stuck and needs help (then the simpy clock takes over, `HomeCare._drive`), the shift's time runs
out, or the route ends. Until that stop nothing a route does affects another, so the day's routes
are computed at once: one step per position in the route, each step a handful of numpy operations
over all routes. The arithmetic is that of `HomeCare._drive`, operation for operation, so a seed
gives the same numbers whichever of the two computes a visit (tests/test_routes.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.scenario import HomeVisits

PLANNED, TRAVEL, CARE, DOCUMENTATION, CRITICAL, STUCK_DRAW = range(6)
"""Columns of a visit table: VISIT_FIELDS of sim/home_visits.py, in that order."""


@dataclass
class Starts:
    """The routes to drive: their visits as rows of `table` and what holds for each route."""

    table: np.ndarray
    """Visits x VISIT_FIELDS, each route's visits in driving order."""
    first_row: np.ndarray
    """Per route: the row of its first visit."""
    visits: np.ndarray
    """Per route: how many visits it has (at least 1)."""
    start_minutes: np.ndarray
    end_minutes: np.ndarray
    """Per route: the shift's end; the last visit may start until this plus the allowed overtime."""
    multiplier: np.ndarray
    stuck_probability: np.ndarray
    last_critical: np.ndarray
    """Per route: index of its last time-critical visit, -1 when none or not protected."""


@dataclass
class Legs:
    """Per route, what the drive up to its stop did (sums in the route's order of visits)."""

    done: np.ndarray
    late: np.ndarray
    critical_late: np.ndarray
    documentation_late: np.ndarray
    """Visits documented after the shift's end (between visits, or with notes put off)."""
    delay_minutes: np.ndarray
    travel_minutes: np.ndarray
    care_minutes: np.ndarray
    documentation_minutes: np.ndarray
    overtime_minutes: np.ndarray
    """After the notes put off to the route's end; 0 for a stuck route (it has not ended)."""
    clock_minutes: np.ndarray
    """When the route stopped: after its stuck visit, else after its last visit and notes."""
    stop: np.ndarray
    """Index of the visit at which the route stopped (stuck after it, or not started from it);
    the number of visits when it ran to its end."""
    stuck: np.ndarray
    not_started: np.ndarray
    """The shift ran out: the visits from `stop` on were not started."""
    put_off: np.ndarray
    """Positions x routes: visits put off for a later time-critical one."""
    done_at: np.ndarray
    """Positions x routes: visits done."""
    deferred_minutes: np.ndarray | None
    """Positions x routes: documentation put off until after the last visit, if any is."""

    def deferred_before_stop(self, route: int) -> list[float]:
        """The notes route `route` has put off up to its stop, visit by visit: what it still
        has to write when it ends (its loop goes on after help from `stop` + 1)."""
        if self.deferred_minutes is None:
            return []
        upto = int(self.stop[route]) + 1
        return self.deferred_minutes[:upto, route][self.done_at[:upto, route]].tolist()


def first_legs(spec: HomeVisits, starts: Starts) -> Legs:
    """Drive every route of `starts` from its first visit to its first stop.

    The loop over positions only moves the clocks; what the visits did is summed after it, in
    each route's order (a cumulative sum adds one visit after the other, as the route loop does).
    """
    routes = len(starts.visits)
    longest = max(int(starts.visits.max(initial=0)), 1)  # no routes: one empty position
    position = np.arange(longest)[:, None]
    on_route = position < starts.visits
    rows = np.where(on_route, starts.first_row + position, 0)  # positions x routes
    planned, travel, care = (starts.table[rows, c] for c in (PLANNED, TRAVEL, CARE))
    critical = starts.table[rows, CRITICAL] != 0
    stuck_after = starts.table[rows, STUCK_DRAW] < starts.stuck_probability
    documentation = starts.table[rows, DOCUMENTATION] * starts.multiplier
    share = spec.deferred_documentation_share
    deferring = share > 0
    deferred = documentation * share if deferring else None
    between = documentation - deferred if deferred is not None else documentation
    earliest = planned - spec.allowed_earliness_minutes
    limit = starts.end_minutes + spec.allowed_overtime_minutes
    late_postpone = spec.postpone_non_critical_when_late_minutes
    protects = ((position < starts.last_critical) & ~critical if late_postpone is not None
                else None)  # non-critical visits before a time-critical one

    t = starts.start_minutes.astype(float)
    driving = on_route[0].copy()
    begins, finishes = np.zeros((longest, routes)), np.zeros((longest, routes))
    done_at, put_off, stops = (np.zeros((longest, routes), dtype=bool) for _ in range(3))
    for k in range(longest):
        arrive = t + travel[k]
        going = driving
        if protects is not None:  # running late: a later time-critical visit goes first
            put_off[k] = driving & protects[k] & (arrive - planned[k] > late_postpone)
            going = driving & ~put_off[k]
        begin = begins[k] = np.maximum(arrive, earliest[k])
        too_late = begin > limit
        done_at[k] = do = going & ~too_late
        finish = finishes[k] = begin + care[k] + between[k]
        t = np.where(do, finish, t)
        stops[k] = stop_here = going & (too_late | stuck_after[k])
        if k + 1 < longest:
            driving = driving & ~stop_here & on_route[k + 1]
            if not driving.any():
                break

    stopped = stops.any(0)
    stop = np.where(stopped, stops.argmax(0), starts.visits)
    stuck = stopped & done_at[stop.clip(max=longest - 1), np.arange(routes)]
    lateness = np.where(done_at, begins - planned, 0.0)
    behind = lateness > 0
    late = (behind & (lateness > spec.late_threshold_minutes)).sum(0)
    critical_late = (behind & critical & (lateness > spec.critical_late_threshold_minutes)).sum(0)
    delay, travel_sum, care_sum, documentation_sum = (
        np.cumsum(np.where(done_at & mask, values, 0.0), axis=0)[-1]
        for values, mask in ((lateness, behind), (travel, True), (care, True),
                             (documentation, True)))
    clock = t
    if deferred is None:
        documentation_late = (done_at & (finishes > starts.end_minutes)).sum(0)
    else:  # notes written after the last visit, one visit's after the other
        finished = np.cumsum(np.vstack((t, np.where(done_at, deferred, 0.0))), axis=0)
        after_end = (done_at & (finished[1:] > starts.end_minutes)).sum(0)
        documentation_late = np.where(stuck, 0, after_end)
        clock = np.where(stuck, t, finished[-1])
    overtime = np.where(stuck, 0.0, np.maximum(0.0, clock - starts.end_minutes))
    return Legs(done_at.sum(0), late, critical_late, documentation_late, delay, travel_sum,
                care_sum, documentation_sum, overtime, clock, stop, stuck, stopped & ~stuck,
                put_off, done_at, deferred)
