"""Getting unstuck: a superuser of the unit first, then the support desk, else a workaround.

A stuck employee asks a free superuser of their unit. If none is free, or the superuser cannot
solve it (some questions need the desk), they call the support desk: a queue served by desk agents
during opening hours (base agents, plus surge agents in the first weeks). If the desk is closed,
or they run out of patience, they give up and use a slower workaround. Whatever happens, the
minutes from getting stuck to carrying on are lost from the employee's own work (docs/model.md,
"Getting unstuck").
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

import simpy
from simpy.events import Timeout

from sim.calendar import SimCalendar
from sim.distributions import Fixed, Sampler, uniforms
from sim.learning import StaffMember
from sim.metrics import Tally, Totals
from sim.queueing import ServiceQueue
from sim.scenario import OpeningHours, Scenario, Superusers, TimeBlock
from sim.streams import Streams

Resolved = Callable[[Any], None]
"""What to do when the employee can carry on; called with the payload given to `request`."""

NO_SUPERUSERS = Superusers(release_weeks=0, help_time_minutes=Fixed(dist="fixed", value=0.0))


def carry_on(payload: Any) -> None:
    """Continuation of a help request nobody waits on (the aggregate staff)."""


AT_ANY_HOUR = (-math.inf, math.inf)
"""The help hours of superusers who help around the clock."""

NOBODY: frozenset[int] = frozenset()
"""No superuser released."""

GOLDEN_FRACTION = 0.6180339887498949
"""Offsets fractional capacities unit by unit, so that many small units add up to the expected."""


def _never() -> float:
    """The patience of someone who never gives up."""
    return math.inf


class SuperuserUnit:
    """The superusers of one unit: how many help today, and which of them are released."""

    __slots__ = ("name", "count", "capacity", "busy", "released", "hours_today", "_offset")

    def __init__(self, name: str, headcount: int, superuser_share: float, index: int) -> None:
        self._offset = (index * GOLDEN_FRACTION) % 1.0
        self.name = name
        self.count = self._dithered(headcount * superuser_share)
        self.capacity = 0
        self.busy = 0
        self.released = NOBODY
        self.hours_today: tuple[float, ...] = AT_ANY_HOUR
        """Starts and ends of the clock intervals in which the superusers help today, in order:
        a moment is inside when an odd number of them are at or before it."""

    def _dithered(self, expected: float) -> int:
        """`expected` rounded up or down by a per-unit offset, so that many small units add up
        to the expected total (4 x 0.1 is 0 in some units and 1 in others, not always 0)."""
        return math.floor(expected + self._offset)

    def flags(self, headcount: int, regular: int) -> list[bool]:
        """Which of `headcount` people are this unit's superusers: spread evenly over the first
        `regular` (the unit's own staff), never among the extra staff after them."""
        return [i < regular and (i * self.count) // regular != ((i + 1) * self.count) // regular
                for i in range(headcount)]

    def _rota(self, share: float, day_index: int) -> tuple[int, int]:
        """(first, k): today's `k` superusers of a rota that takes `count * share` a day on
        average, from superuser `first` on. The running total is dithered by the unit's offset,
        so a unit of one superuser with a share of 0.5 takes its turn every other day."""
        expected = self.count * share
        first = self._dithered(day_index * expected)
        return first, min(self.count, self._dithered((day_index + 1) * expected) - first)

    def plan_day(self, spec: Superusers, releasing: bool, day_index: int) -> None:
        """Set today's released superusers (a rota over the unit's superusers, on days of
        `releasing`) and capacity."""
        if releasing:
            first, k = self._rota(spec.released_share_per_day, day_index)
            self.released = frozenset((first + j) % self.count for j in range(k))
            self.capacity = k
        else:
            self.released = NOBODY
            self.capacity = self._rota(spec.available_share_after_release, day_index)[1]


def working_hours(shifts: tuple[TimeBlock, ...], kind: str) -> tuple[tuple[int, int], ...]:
    """Working hours on a kind of day: the union of the shifts worked, as (start, end) minutes
    after midnight."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((s.start_minutes, s.end_minutes) for s in shifts if s.runs_on(kind)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


MIDDAY_MINUTES = 12 * 60
"""A date's intensive support is counted on the reported day that holds its midday."""


class IntensiveSupportEnd:
    """Whether intensive support (desk surge, superusers' release) runs on a date: on the fixed
    weeks of `surge_weeks` and `release_weeks`, or, with `[intensive_support]`, from go-live
    until the desk's last `window_days` open days fall below the levels given (never before
    `min_days`, never after `max_days`). The help flow counts the desk's requests and waits of
    the current date into `requests`, `answered` and `wait_minutes`."""

    __slots__ = ("calendar", "rule", "desk_hours", "surge_weeks", "release_weeks", "requests",
                 "answered", "wait_minutes", "_window", "_desk_open_yesterday", "_ended")

    def __init__(self, calendar: SimCalendar, scenario: Scenario) -> None:
        self.calendar = calendar
        self.rule = scenario.intensive_support
        desk = scenario.support_desk
        self.desk_hours = desk.opening_hours if desk else OpeningHours()
        self.surge_weeks = desk.surge_weeks if desk else 0
        self.release_weeks = scenario.superusers.release_weeks if scenario.superusers else 0
        self.requests = self.answered = 0
        self.wait_minutes = 0.0
        self._window: list[tuple[int, int, float]] = []
        self._desk_open_yesterday = False
        self._ended = False

    def today(self, day: dt.date) -> tuple[bool, bool]:
        """(the desk's surge agents are on duty, superusers are released) on this date."""
        if self.rule is None:
            return (self.calendar.in_first_weeks(day, self.surge_weeks),
                    self.calendar.in_first_weeks(day, self.release_weeks))
        on = self._still_on(day)
        return on, on

    def _still_on(self, day: dt.date) -> bool:
        rule, calendar = self.rule, self.calendar
        assert rule is not None
        if self._desk_open_yesterday:
            self._window = [*self._window, (self.requests, self.answered, self.wait_minutes)
                            ][-rule.window_days:]
        self.requests = self.answered = 0
        self.wait_minutes = 0.0
        day_number = (day - calendar.spec.go_live.date()).days + 1
        live = calendar.spec.new_system and day_number >= 1
        self._desk_open_yesterday = live and self.desk_hours.on(calendar.kind(day)) is not None
        if not live or self._ended:
            return False
        if day_number > rule.max_days or (day_number > rule.min_days and self._quiet()):
            self._ended = True
            return False
        return True

    def _quiet(self) -> bool:
        """Whether the desk's last `window_days` open days are below every level given."""
        rule = self.rule
        assert rule is not None
        if len(self._window) < rule.window_days:
            return False
        requests = sum(r for r, _, _ in self._window) / len(self._window)
        answered = sum(a for _, a, _ in self._window)
        wait = sum(w for _, _, w in self._window) / answered if answered else 0.0
        return ((rule.desk_requests_per_day_below is None
                 or requests < rule.desk_requests_per_day_below)
                and (rule.desk_wait_minutes_below is None
                     or wait < rule.desk_wait_minutes_below))


class HelpRequest:
    """One stuck employee's search for help beyond a superuser (the desk, or a workaround); a
    superuser's help carries the same parts in its event's value, as most requests end there."""

    __slots__ = ("slot", "stuck_minutes", "desk_arrival_minutes", "on_resolved", "payload",
                 "waiting", "number_left_minutes")

    def __init__(self, slot: int, now: float, on_resolved: Resolved, payload: Any) -> None:
        self.slot = slot
        self.stuck_minutes = now
        self.desk_arrival_minutes = now
        self.on_resolved = on_resolved
        self.payload = payload
        self.waiting = False
        self.number_left_minutes: float | None = None
        """When the employee left a number for a callback (None: they did not)."""


class DeskAgent:
    """An agent of the support desk (experienced: no learning curve)."""

    __slots__ = ("on_duty", "busy")

    def __init__(self) -> None:
        self.on_duty = False
        self.busy = False


class HelpFlow:
    """Superuser units and the support desk, shared by every stuck employee of the scenario."""

    COUNTS = ("requests", "resolved_by_superuser", "resolved_by_desk", "given_up", "open_at_end",
              "escalating", "desk_requests", "desk_answered", "desk_abandoned",
              "staff_minutes_lost", "superuser_busy_minutes", "superuser_available_minutes",
              "intensive_support_days", "desk_callbacks_requested", "desk_callbacks",
              "desk_callbacks_unmade", "desk_callbacks_pending_at_end", "access_problems")

    def __init__(self, env: simpy.Environment, calendar: SimCalendar, scenario: Scenario,
                 streams: Streams) -> None:
        self.env = env
        self.calendar = calendar
        self.superusers = scenario.superusers or NO_SUPERUSERS
        self.desk = scenario.support_desk
        self.units: list[SuperuserUnit] = []
        self._units_by_shifts: dict[int, tuple[tuple[TimeBlock, ...], list[SuperuserUnit]]] = {}
        """Units by the identity of their shifts (a service's units share its spec's), so their
        working hours are worked out once a day, and without hashing the shifts."""
        self.tally = Tally(calendar, self.COUNTS,
                           samples=("desk_wait_minutes", "desk_callback_wait_minutes"))
        counts = self.tally.counts
        self._requests, self._by_superuser = counts["requests"], counts["resolved_by_superuser"]
        self._by_desk, self._given_up = counts["resolved_by_desk"], counts["given_up"]
        self._desk_requests, self._desk_answered = counts["desk_requests"], counts["desk_answered"]
        self._desk_abandoned, self._lost = counts["desk_abandoned"], counts["staff_minutes_lost"]
        self._desk_waits = self.tally.samples["desk_wait_minutes"]
        help_rng = streams.generator("support.superusers")
        self._help_minutes = Sampler(self.superusers.help_time_minutes, help_rng)
        self._solves = uniforms(help_rng)
        self._escalating = counts["escalating"]
        self._superuser_busy = counts["superuser_busy_minutes"]
        self._resolvable_share = self.superusers.resolvable_share
        self._teaching_per_help_minute = self.superusers.teaching_hours_per_help_hour / 60.0
        self._around_the_clock = self.superusers.help_hours == "around_the_clock"
        self._queue = ServiceQueue(env, self._serve, self._desk_give_up)
        self._desk_open = False
        self._agents: list[DeskAgent] = []
        self._intensive = IntensiveSupportEnd(calendar, scenario)
        if self.desk is not None:
            desk_rng = streams.generator("support.desk")
            self._handling_minutes = Sampler(self.desk.handling_time_minutes, desk_rng)
            patience = self.desk.patience_minutes
            self._patience_minutes = Sampler(patience, desk_rng) if patience else _never
            self._workaround_minutes = Sampler(self.desk.workaround_minutes, desk_rng)
            most = self.desk.base_agents + self.desk.surge_agents
            self._leaves_number = uniforms(streams.generator("support.callbacks"))
            self._callback_share = self.desk.callback_share
            self._agents = [DeskAgent() for _ in range(most)]
        else:
            # no desk: whoever finds no superuser works around at once, in no time we can know
            self._workaround_minutes = Sampler(Fixed(dist="fixed", value=0.0), help_rng)

    def add_unit(self, name: str, headcount: int, superuser_share: float,
                 shifts: tuple[TimeBlock, ...]) -> SuperuserUnit:
        """Register a unit whose stuck staff ask its own superusers first; `shifts` are its
        working hours (when its superusers help, with `help_hours = "unit_shifts"`)."""
        unit = SuperuserUnit(name, headcount, superuser_share, len(self.units))
        self.units.append(unit)
        self._units_by_shifts.setdefault(id(shifts), (shifts, []))[1].append(unit)
        return unit

    def plan_day(self, day: dt.date, midnight_minutes: float) -> None:
        """Today's superuser rota and desk staffing."""
        day_index = int(midnight_minutes // (24 * 60))
        kind = self.calendar.kind(day)
        surge, releasing = self._intensive.today(day)
        if surge or releasing:
            self.tally.counts["intensive_support_days"][
                self.calendar.slot(midnight_minutes + MIDDAY_MINUTES)] += 1
        available: dict[tuple[tuple[int, int], ...], int] = {}
        for shifts, units in self._units_by_shifts.values():
            windows = ((0, 24 * 60),) if self._around_the_clock else working_hours(shifts, kind)
            hours_today = (AT_ANY_HOUR if self._around_the_clock
                           else tuple(midnight_minutes + m for window in windows for m in window))
            capacity = 0
            for unit in units:
                unit.plan_day(self.superusers, releasing, day_index)
                unit.hours_today = hours_today
                capacity += unit.capacity
            available[windows] = available.get(windows, 0) + capacity
        for windows, capacity in available.items():
            for start, end in windows:
                self.tally.add_over("superuser_available_minutes", midnight_minutes + start,
                                    midnight_minutes + end, capacity)
        if self.desk is None:
            return
        hours = self.desk.opening_hours.on(self.calendar.kind(day))
        if hours is None:
            return
        agents = self.desk.base_agents
        if surge:
            agents += self.desk.surge_agents
        on_duty = self._agents[:agents]
        opens, closes = (midnight_minutes + m - self.env.now for m in hours)
        Timeout(self.env, opens, on_duty).callbacks.append(self._open)
        Timeout(self.env, closes, on_duty).callbacks.append(self._close)

    def _open(self, event: Timeout) -> None:
        self._desk_open = True
        for agent in event._value:
            self._queue.start_duty(agent)

    def _close(self, event: Timeout) -> None:
        self._desk_open = False
        for agent in event._value:
            self._queue.end_duty(agent)
        unmade = self.tally.counts["desk_callbacks_unmade"]
        for request in self._queue.drop_callbacks():
            unmade[request.slot] += 1
            self._work_around(request)

    def request(self, unit: SuperuserUnit, on_resolved: Resolved, payload: Any,
                learner: StaffMember | None = None) -> None:
        """An employee of `unit` is stuck now; `on_resolved(payload)` when they can carry on.
        A superuser's help counts towards the `learner`'s hands-on hours (none for the
        aggregate staff)."""
        now = self.env.now
        slot = self.calendar.slot(now)
        self._requests[slot] += 1
        if unit.busy < unit.capacity and bisect_right(unit.hours_today, now) & 1:
            unit.busy += 1
            solves = self._solves() < self._resolvable_share
            (self._by_superuser if solves else self._escalating)[slot] += 1
            minutes = self._help_minutes()
            self._superuser_busy[slot] += minutes
            if learner is not None and self._teaching_per_help_minute:
                learner.hands_on_hours += minutes * self._teaching_per_help_minute
            help_event = Timeout(self.env, minutes, (unit, solves, slot, now, on_resolved, payload))
            help_event.callbacks.append(self._superuser_done)
        else:
            self._call_desk(HelpRequest(slot, now, on_resolved, payload))

    def request_desk(self, on_resolved: Resolved, payload: Any) -> None:
        """Someone needs the desk now whatever their training (an access or printing problem,
        sim/faults.py): no superuser can solve it; `on_resolved(payload)` when they carry on."""
        now = self.env.now
        request = HelpRequest(self.calendar.slot(now), now, on_resolved, payload)
        self._requests[request.slot] += 1
        self.tally.counts["access_problems"][request.slot] += 1
        self._call_desk(request)

    def _superuser_done(self, event: Timeout) -> None:
        unit, solved, slot, stuck_minutes, on_resolved, payload = event._value
        unit.busy -= 1
        if solved:  # no HelpRequest made: most requests end here
            self._carry_on(slot, stuck_minutes, on_resolved, payload)
        else:
            self._escalating[slot] -= 1
            self._call_desk(HelpRequest(slot, stuck_minutes, on_resolved, payload))

    def _call_desk(self, request: HelpRequest) -> None:
        """No superuser could help: queue for the desk if it is open, else work around."""
        if self._desk_open:
            request.desk_arrival_minutes = self.env.now
            self._desk_requests[request.slot] += 1
            self._intensive.requests += 1
            self._queue.arrive(request, self._patience_minutes())
        else:
            self._work_around(request)

    def _serve(self, agent: DeskAgent, request: HelpRequest) -> None:
        now = self.env.now
        self._by_desk[request.slot] += 1
        if request.number_left_minutes is not None:
            self.tally.counts["desk_callbacks"][request.slot] += 1
            self.tally.samples["desk_callback_wait_minutes"][request.slot].append(
                now - request.number_left_minutes)
        else:
            self._desk_answered[request.slot] += 1
            wait = now - request.desk_arrival_minutes
            self._desk_waits[request.slot].append(wait)
            self._intensive.answered += 1
            self._intensive.wait_minutes += wait
        Timeout(self.env, self._handling_minutes(), (agent, request)).callbacks.append(
            self._desk_done
        )

    def _desk_done(self, event: Timeout) -> None:
        agent, request = event._value
        self._carry_on(request.slot, request.stuck_minutes, request.on_resolved, request.payload)
        self._queue.release(agent)

    def _desk_give_up(self, request: HelpRequest) -> None:
        """Out of patience on the line: leave a number (`callback_share`), or work around."""
        if self._callback_share and self._leaves_number() < self._callback_share:
            request.number_left_minutes = self.env.now
            self.tally.counts["desk_callbacks_requested"][request.slot] += 1
            self._queue.leave_number(request)
            return
        self._desk_abandoned[request.slot] += 1
        self._work_around(request)

    def _work_around(self, request: HelpRequest) -> None:
        self._given_up[request.slot] += 1
        Timeout(self.env, self._workaround_minutes(), request).callbacks.append(self._worked_around)

    def _worked_around(self, event: Timeout) -> None:
        request = event._value
        self._carry_on(request.slot, request.stuck_minutes, request.on_resolved, request.payload)

    def _carry_on(self, slot: int, stuck_minutes: float, on_resolved: Resolved,
                  payload: Any) -> None:
        """The stuck employee goes on: the minutes since they got stuck are lost to work."""
        self._lost[slot] += self.env.now - stuck_minutes
        on_resolved(payload)

    def finish(self) -> None:
        """Count the requests still open when the run ends: waiting for the desk or escalating."""
        open_at_end = self.tally.counts["open_at_end"]
        pending = self.tally.counts["desk_callbacks_pending_at_end"]
        for request in self._queue.still_waiting():
            open_at_end[request.slot] += 1
            pending[request.slot] += request.number_left_minutes is not None
        for slot, count in enumerate(self._escalating):
            open_at_end[slot] += count


def support_metrics(t: Totals) -> dict[str, float]:
    """The support metrics of the results contract, and the counts behind them."""
    return {
        "requests": t["requests"],
        "resolved_by_superuser": t["resolved_by_superuser"],
        "resolved_by_desk": t["resolved_by_desk"],
        "given_up": t["given_up"],
        "open_at_end": t["open_at_end"],
        "desk_requests": t["desk_requests"],
        "desk_asa_minutes": t.mean("desk_wait_minutes"),
        "desk_abandon_share": t.share("desk_abandoned", "desk_requests"),
        "superuser_resolved_share": t.share("resolved_by_superuser", "requests"),
        "staff_hours_lost": t["staff_minutes_lost"] / 60.0,
        "superuser_help_hours": t["superuser_busy_minutes"] / 60.0,
        "superuser_available_hours": t["superuser_available_minutes"] / 60.0,
        "superuser_utilisation_share": t.share("superuser_busy_minutes",
                                               "superuser_available_minutes"),
        "intensive_support_days": t["intensive_support_days"],
        "desk_callbacks_requested": t["desk_callbacks_requested"],
        "desk_callbacks": t["desk_callbacks"],
        "desk_callbacks_unmade": t["desk_callbacks_unmade"],
        "desk_callbacks_pending_at_end": t["desk_callbacks_pending_at_end"],
        "desk_callback_wait_minutes": t.mean("desk_callback_wait_minutes"),
        "access_problems": t["access_problems"],
    }

