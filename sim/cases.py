"""Case handling: applications arrive, wait by urgency and age, and handlers on duty decide them.

Cases arrive on the days the office receives them (a Poisson number a day, spread evenly over the
arrival hours); each is urgent or ordinary, with a deadline in days from its arrival and a work
content in hours, of which a share is system work (x the handler's multiplier after go-live).
The office starts with a backlog of cases of various ages. A handler on duty takes the most
urgent, then the oldest open case. Work left when the shift ends goes back to the queue with the
case, so a case spans shifts and days and is picked up by whoever is next at work (a sick handler
never strands it). A handler stuck on a case asks for help once the work is done; the case is
decided when they can carry on.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Callable
from functools import partial

import numpy as np
import simpy
from simpy.events import Timeout

from sim.calendar import SimCalendar
from sim.faults import FaultStreams, deviation_metrics
from sim.learning import StaffMember
from sim.metrics import Tally, Totals
from sim.roster import Duty, Roster
from sim.scenario import MINUTES_PER_DAY, Cases, Reinforcement, StaffGroup, time_of_day_minutes
from sim.streams import Streams
from sim.support import HelpFlow

MINUTES_PER_HOUR = 60
URGENT_RANK, ORDINARY_RANK = 0, 1
"""Queue ranks: urgent cases sort first."""
Arrival = Callable[[Timeout], None]
"""What the office does when a case arrives (the Timeout's value is the case)."""


class Case:
    """One case, with everything random about it drawn when it arrives."""

    __slots__ = ("arrival_minutes", "deadline_minutes", "urgent", "work_left_minutes",
                 "stuck_draw", "started", "stuck", "returning")

    def __init__(self, arrival_minutes: float, deadline_minutes: float, urgent: bool,
                 work_minutes: float, stuck_draw: float) -> None:
        self.arrival_minutes = arrival_minutes
        self.deadline_minutes = deadline_minutes
        self.urgent = urgent
        self.work_left_minutes = work_minutes  # at multiplier 1 (old-system speed)
        self.stuck_draw = stuck_draw
        self.started = False
        self.stuck = False
        self.returning = False


class Handler(StaffMember):
    """A case handler: a staff member with the end of their current shift and the case in hand."""

    __slots__ = ("off_at_minutes", "case", "idle")

    def __init__(self, group: StaffGroup, trained: bool, superuser: bool) -> None:
        super().__init__(group, trained, superuser)
        self.off_at_minutes = -float("inf")
        self.case: Case | None = None
        self.idle = False


class CaseOffice:
    """The case-handling office of one replication: its handlers, its queue, and its tally."""

    COUNTS = ("initial_backlog", "arrived", "urgent_arrived", "completed", "urgent_completed",
              "overdue", "urgent_overdue", "substitute_shifts", "lost_items",
              "lost_items_noticed", "dropped", "misrouted", "access_problems", "deferred",
              "returned", "overtime_minutes", "temp_minutes")
    SAMPLES = ("days", "urgent_days", "ordinary_days")
    LEVELS = ("backlog", "backlog_overdue")

    def __init__(self, env: simpy.Environment, calendar: SimCalendar, spec: Cases,
                 streams: Streams, help_flow: HelpFlow) -> None:
        self.env = env
        self.calendar = calendar
        self.spec = spec
        self.help_flow = help_flow
        self.tally = Tally(calendar, self.COUNTS, self.SAMPLES, self.LEVELS)
        counts = self.tally.counts
        self._arrived, self._urgent_arrived = counts["arrived"], counts["urgent_arrived"]
        self._completed, self._urgent_completed = counts["completed"], counts["urgent_completed"]
        self._overdue, self._urgent_overdue = counts["overdue"], counts["urgent_overdue"]
        self._days = self.tally.samples["days"]
        self._urgent_days = self.tally.samples["urgent_days"]
        self._ordinary_days = self.tally.samples["ordinary_days"]
        self._arrival_rng = streams.generator("cases.arrivals")
        self._work_rng = streams.generator("cases.work")
        self._fewer_rng = streams.generator("cases.fewer")
        self._deferred, self._returned = counts["deferred"], counts["returned"]
        self._system_share = spec.system_work_share
        self._new_system_from = calendar.new_system_from_minutes
        self._arrival_window = tuple(time_of_day_minutes(t) for t in spec.arrival_hours)
        self.roster = Roster(env, calendar, "cases", spec, streams, help_flow, Handler,
                             self.tally.counts["substitute_shifts"])
        self.unit = self.roster.unit
        self._reinforcement = spec.reinforcement
        self._overtime_minutes = 0.0
        self._temps: list[list[Handler]] = []
        if spec.reinforcement is not None:
            temps = spec.reinforcement.temp_handlers_per_shift
            trained = streams.generator("cases.staff.temps").random(temps * len(spec.shifts))
            self._temps = [[Handler(spec.staff, bool(t < spec.staff.trained_share), False)
                            for t in trained[k * temps:(k + 1) * temps].tolist()]
                           for k in range(len(spec.shifts))]
        self.handlers = (self.roster.staff + self.roster.substitutes.people
                         + [temp for shift in self._temps for temp in shift])
        self._queue: list[tuple[int, float, int, Case]] = []
        self._order = itertools.count()
        self._idle: list[Handler] = []
        self.faults = FaultStreams(spec.faults, "cases", streams)
        self._in_transit: set[Case] = set()
        """Misrouted cases on their way to the office: open, but in nobody's queue."""
        self._day_after_go_live = 0
        self._open_initial_backlog(streams.generator("cases.backlog"),
                                   streams.generator("cases.backlog.urgent_age"))
        for slot in range(calendar.days):
            at = calendar.report_start_minutes + slot * MINUTES_PER_DAY
            Timeout(env, at - env.now, slot).callbacks.append(self._end_of_day)

    def _open_initial_backlog(self, rng: np.random.Generator,
                              urgent_age_rng: np.random.Generator) -> None:
        """The cases open at the start, arrived their age ago (their deadlines count from then).
        Urgent ones take their own ages when `initial_backlog_urgent_age_days` is given."""
        spec = self.spec
        arrivals = -spec.initial_backlog_age_days.draw(rng, spec.initial_backlog) * MINUTES_PER_DAY
        cases = self._cases(arrivals, rng, spec.initial_backlog_urgent_share)
        if spec.initial_backlog_urgent_age_days is not None:
            urgent = [case for case in cases if case.urgent]
            ages = spec.initial_backlog_urgent_age_days.draw(urgent_age_rng, len(urgent))
            for case, age_days in zip(urgent, ages.tolist(), strict=True):
                case.arrival_minutes = -age_days * MINUTES_PER_DAY
                case.deadline_minutes = (case.arrival_minutes
                                         + spec.urgent_deadline_days * MINUTES_PER_DAY)
        for case in cases:
            self._push(case)

    def _cases(self, arrivals: np.ndarray, rng: np.random.Generator,
               urgent_share: float) -> list[Case]:
        """Cases arriving at these clock minutes, their attributes drawn in batches from `rng`."""
        spec, n = self.spec, len(arrivals)
        urgent = rng.random(n) < urgent_share
        work = spec.work_hours.draw(rng, n) * MINUTES_PER_HOUR
        stuck_draw = rng.random(n)
        deadline_days = np.where(urgent, spec.urgent_deadline_days, spec.ordinary_deadline_days)
        deadlines = arrivals + deadline_days * MINUTES_PER_DAY
        return [Case(*values) for values in zip(
            arrivals.tolist(), deadlines.tolist(), urgent.tolist(), work.tolist(),
            stuck_draw.tolist(), strict=True)]

    # --- the day's plan -------------------------------------------------------------------

    def plan_day(self, day: dt.date, midnight_minutes: float) -> None:
        """Roster today's handlers (reinforced when the backlog is above its level) and let
        today's cases arrive."""
        self._day_after_go_live = self.calendar.days_since_go_live(day)
        self.roster.plan_day(day, midnight_minutes, self._start_shift, self._end_shift)
        if self._reinforcement is not None:
            self._reinforce(day, midnight_minutes, self._reinforcement)
        volume = self.spec.cases_per_day.on(self.calendar.kind(day))
        if volume <= 0:
            return
        rng = self._arrival_rng
        opens, closes = self._arrival_window
        n = int(rng.poisson(volume))
        arrivals = midnight_minutes + opens + np.sort(rng.random(n)) * (closes - opens)
        cases = self._cases(arrivals, self._work_rng, self.spec.urgent_share)
        if self.spec.fewer_cases:
            cases = self._accepted(cases, self.calendar.weeks_since_go_live(day))
        arrive: list[Arrival] = [self._arrive] * len(cases)
        if self.faults.active:
            after_go_live = np.array([c.arrival_minutes for c in cases]) >= self._new_system_from
            if after_go_live.any():
                arrive = self._faulty_arrivals(cases, arrive,
                                               self.calendar.weeks_since_go_live(day),
                                               after_go_live)
        for case, on_arrival in zip(cases, arrive, strict=True):
            Timeout(self.env, case.arrival_minutes - self.env.now, case).callbacks.append(
                on_arrival)

    def _faulty_arrivals(self, cases: list[Case], arrive: list[Arrival], week: int,
                         after_go_live: np.ndarray) -> list[Arrival]:
        """What happens to each of today's cases when it arrives in the new system: lost from
        the work list (dropped unless noticed), or misrouted (reaching the office days late)."""
        n = len(cases)
        lost = self.faults.lost(week, n)
        hit = np.zeros(n, dtype=bool)
        if lost is not None:
            lost_items, noticed = lost
            hit = lost_items & after_go_live
            for k in np.flatnonzero(hit).tolist():
                arrive[k] = self._arrive_noticed if noticed[k] else self._arrive_dropped
        misrouted = self.faults.raised("misrouted_share_by_week", week, n)
        if misrouted is not None:
            delays = self.spec.faults.misrouted_delay_days.draw(
                self.faults.generator("misrouted_share_by_week"), n) * MINUTES_PER_DAY
            for k in np.flatnonzero(misrouted & ~hit & after_go_live).tolist():
                arrive[k] = partial(self._arrive_misrouted, float(delays[k]))
        return arrive

    def _accepted(self, cases: list[Case], week: int) -> list[Case]:
        """The cases accepted in a week of planned reduction: each ordinary case is turned away
        with the week's share (drawn on its own stream) and comes back later, or never."""
        entries = [f for f in self.spec.fewer_cases if week in f.weeks]
        share = sum(f.ordinary_share for f in entries)
        if share <= 0:
            return cases
        returns = [f.return_after_days for f in entries if f.return_after_days is not None]
        draws = self._fewer_rng.random(len(cases)).tolist()
        accepted = []
        for case, draw in zip(cases, draws, strict=True):
            if case.urgent or draw >= share:
                accepted.append(case)
                continue
            self._deferred[self.calendar.slot(case.arrival_minutes)] += 1
            if returns:
                case.arrival_minutes += max(returns) * MINUTES_PER_DAY
                case.deadline_minutes = (case.arrival_minutes
                                         + self.spec.ordinary_deadline_days * MINUTES_PER_DAY)
                case.returning = True
                accepted.append(case)
        return accepted

    def _reinforce(self, day: dt.date, midnight_minutes: float, spec: Reinforcement) -> None:
        """If more cases are open now than the level, today's regular handlers work overtime
        and each shift gets its temporary handlers."""
        open_cases = len(self._queue) + sum(h.case is not None for h in self.handlers)
        reinforced = open_cases > spec.backlog_above
        self._overtime_minutes = spec.overtime_minutes_per_shift if reinforced else 0.0
        if not reinforced or not spec.temp_handlers_per_shift:
            return
        kind = self.calendar.kind(day)
        for shift, temps in zip(self.spec.shifts, self._temps, strict=True):
            if not shift.runs_on(kind):
                continue
            start, end = (midnight_minutes + m for m in (shift.start_minutes, shift.end_minutes))
            duty = Duty(temps, end)
            self.tally.counts["temp_minutes"][self.calendar.slot(start)] += (
                len(temps) * (end - start))
            Timeout(self.env, start - self.env.now, duty).callbacks.append(self._temps_start)
            Timeout(self.env, end - self.env.now, duty).callbacks.append(self._temps_end)

    def _temps_start(self, event: Timeout) -> None:
        self._start_shift(event._value, overtime=False)

    def _temps_end(self, event: Timeout) -> None:
        self._stop(event._value)

    def _start_shift(self, duty: Duty[Handler], overtime: bool = True) -> None:
        """Put the shift's handlers to work until its end, plus today's overtime if any."""
        extra = self._overtime_minutes if overtime else 0.0
        if extra:
            self.tally.counts["overtime_minutes"][self.calendar.slot(duty.end_minutes)] += (
                extra * len(duty.members))
        locked_out = self.faults.locked_out(self._day_after_go_live, len(duty.members),
                                            self.env.now >= self._new_system_from)
        for k, handler in enumerate(duty.members):
            handler.on_duty = True
            handler.off_at_minutes = duty.end_minutes + extra
            if not handler.busy and not handler.idle:
                if locked_out is not None and locked_out[k]:
                    self._locked_out(handler)
                else:
                    self._take_next(handler)

    def _locked_out(self, handler: Handler) -> None:
        """An access or printing problem at the start of the shift: the desk, then work."""
        self.tally.counts["access_problems"][self.calendar.slot(self.env.now)] += 1
        handler.busy = True
        self.help_flow.request_desk(self._access_restored, handler)

    def _access_restored(self, handler: Handler) -> None:
        handler.busy = False
        self._take_next(handler)

    def _end_shift(self, duty: Duty[Handler]) -> None:
        """The shift ends: now, or when its overtime does."""
        overtime = max((h.off_at_minutes for h in duty.members), default=0.0) - self.env.now
        if overtime > 0:
            Timeout(self.env, overtime, duty).callbacks.append(self._overtime_over)
        else:
            self._stop(duty)

    def _overtime_over(self, event: Timeout) -> None:
        self._stop(event._value)

    def _stop(self, duty: Duty[Handler]) -> None:
        for handler in duty.members:
            handler.on_duty = handler.idle = False
        self._idle = [handler for handler in self._idle if handler.idle]

    # --- one case -------------------------------------------------------------------------

    def _arrive(self, event: Timeout) -> None:
        self._push(self._count_arrival(event._value))

    def _count_arrival(self, case: Case) -> Case:
        slot = self.calendar.slot(case.arrival_minutes)
        self._arrived[slot] += 1
        if case.returning:
            self._returned[slot] += 1
        if case.urgent:
            self._urgent_arrived[slot] += 1
        return case

    def _arrive_noticed(self, event: Timeout) -> None:
        """A case lost from the work list that someone notices: handled as any other."""
        slot = self.calendar.slot(self.env.now)
        self.tally.counts["lost_items"][slot] += 1
        self.tally.counts["lost_items_noticed"][slot] += 1
        self._arrive(event)

    def _arrive_dropped(self, event: Timeout) -> None:
        """A case lost from the work list that nobody notices: never decided."""
        self._count_arrival(event._value)
        slot = self.calendar.slot(self.env.now)
        self.tally.counts["lost_items"][slot] += 1
        self.tally.counts["dropped"][slot] += 1

    def _arrive_misrouted(self, delay_minutes: float, event: Timeout) -> None:
        """A case whose message went astray: it reaches the queue `delay_minutes` later, its
        age and deadline still counted from its arrival."""
        case = self._count_arrival(event._value)
        self.tally.counts["misrouted"][self.calendar.slot(self.env.now)] += 1
        self._in_transit.add(case)
        Timeout(self.env, delay_minutes, case).callbacks.append(self._rerouted)

    def _rerouted(self, event: Timeout) -> None:
        self._in_transit.discard(event._value)
        self._push(event._value)

    def _push(self, case: Case) -> None:
        """Queue the case by urgency, then age; an idle handler takes the next case at once."""
        rank = URGENT_RANK if case.urgent else ORDINARY_RANK
        heapq.heappush(self._queue, (rank, case.arrival_minutes, next(self._order), case))
        while self._idle and self._queue:
            handler = self._idle.pop()
            handler.idle = False
            self._take_next(handler)

    def _take_next(self, handler: Handler) -> None:
        """A free handler takes the next case, waits idle for one, or stops at the shift's end."""
        if not handler.on_duty or self.env.now >= handler.off_at_minutes:
            return
        if not self._queue:
            handler.idle = True
            self._idle.append(handler)
            return
        handler.busy = True
        handler.case = heapq.heappop(self._queue)[-1]
        self._work(handler, handler.case)

    def _work(self, handler: Handler, case: Case) -> None:
        """Work on the case until it is done, the shift ends, or the new system goes live.

        The multiplier is that at the start of the chunk; the chunk's system work counts towards
        the handler's hands-on hours.
        """
        now = self.env.now
        new_system = now >= self._new_system_from
        if not case.started:
            case.started = True
            case.stuck = new_system and case.stuck_draw < handler.stuck_probability()
        until = handler.off_at_minutes if new_system else min(handler.off_at_minutes,
                                                               self._new_system_from)
        share = self._system_share
        minutes_per_work_minute = 1.0
        if new_system:
            multiplier = handler.proficiency.multiplier(handler.hands_on_hours)
            minutes_per_work_minute = (1.0 - share) + share * multiplier
        needed = case.work_left_minutes * minutes_per_work_minute
        if needed <= until - now:
            done, duration = case.work_left_minutes, needed
        else:
            duration = until - now
            done = duration / minutes_per_work_minute
        if new_system:
            handler.do_system_work(done * share)
        case.work_left_minutes = max(case.work_left_minutes - done, 0.0)
        Timeout(self.env, duration, handler).callbacks.append(self._worked)

    def _worked(self, event: Timeout) -> None:
        handler: Handler = event._value
        case = handler.case
        assert case is not None
        if case.work_left_minutes == 0.0:
            if case.stuck:
                self.help_flow.request(self.unit, self._complete, handler, handler)
            else:
                self._complete(handler)
        elif handler.on_duty and self.env.now < handler.off_at_minutes:
            self._work(handler, case)
        else:
            handler.case, handler.busy = None, False
            self._push(case)

    def _complete(self, handler: Handler) -> None:
        case = handler.case
        assert case is not None
        now = self.env.now
        slot = self.calendar.slot(now)
        overdue = now > case.deadline_minutes
        days = (now - case.arrival_minutes) / MINUTES_PER_DAY
        self._completed[slot] += 1
        self._overdue[slot] += overdue
        self._days[slot].append(days)
        if case.urgent:
            self._urgent_completed[slot] += 1
            self._urgent_overdue[slot] += overdue
            self._urgent_days[slot].append(days)
        else:
            self._ordinary_days[slot].append(days)
        handler.case, handler.busy = None, False
        self._take_next(handler)

    # --- the state at the end of each day -------------------------------------------------

    def _end_of_day(self, event: Timeout) -> None:
        self._record_backlog(event._value)

    def _record_backlog(self, slot: int) -> None:
        """Open cases (queued or in hand) now, at the end of reported day `slot`.

        Slot 0 is the start of the first reported day: the backlog the reported days inherit.
        """
        now = self.env.now
        open_cases = [entry[-1] for entry in self._queue]
        open_cases += [h.case for h in self.handlers if h.case is not None]
        open_cases += self._in_transit
        if slot == 0:
            self.tally.counts["initial_backlog"][1] = float(len(open_cases))
            return
        self.tally.levels["backlog"][slot] = float(len(open_cases))
        self.tally.levels["backlog_overdue"][slot] = float(sum(
            case.deadline_minutes < now for case in open_cases))

    def finish(self) -> None:
        """Record the backlog at the end of the run (the end of the last reported day)."""
        self._record_backlog(self.calendar.days)


def case_metrics(t: Totals) -> dict[str, float]:
    """The case-handling metrics of the results contract, and the counts behind them."""
    return {
        "initial_backlog": t["initial_backlog"],
        "cases_arrived": t["arrived"],
        "urgent_arrived": t["urgent_arrived"],
        "cases_completed": t["completed"],
        "backlog": t.last("backlog"),
        "backlog_overdue_share": t.last_share("backlog_overdue", "backlog"),
        "mean_days": t.mean("days"),
        "median_days": t.quantile("days", 0.5),
        "p90_days": t.quantile("days", 0.9),
        "overdue_share": t.share("overdue", "completed"),
        "urgent_completed": t["urgent_completed"],
        "urgent_overdue_share": t.share("urgent_overdue", "urgent_completed"),
        "urgent_median_days": t.quantile("urgent_days", 0.5),
        "ordinary_median_days": t.quantile("ordinary_days", 0.5),
        "substitute_shifts": t["substitute_shifts"],
        **case_deviations(t),
        "cases_deferred": t["deferred"],
        "cases_returned": t["returned"],
        "handler_overtime_hours": t["overtime_minutes"] / MINUTES_PER_HOUR,
        "temp_handler_hours": t["temp_minutes"] / MINUTES_PER_HOUR,
    }


def case_deviations(t: Totals) -> dict[str, float]:
    """Deviations (avvik) of case handling by kind: cases lost from work lists (noticed or
    not) and messages misrouted; access problems are counted but are no deviation."""
    return deviation_metrics(t, {
        "lost_items": "lost_items", "lost_items_noticed": "lost_items_noticed",
        "cases_dropped_by_faults": "dropped", "cases_misrouted": "misrouted",
        "access_problems": "access_problems",
    }, ("lost_items", "misrouted"), "arrived", "deviations_per_1000_cases")
