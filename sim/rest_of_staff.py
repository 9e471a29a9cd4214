"""The staff not simulated one by one: their help requests as one aggregate stream.

The rest of the organisation's headcount works its shifts and does system tasks; each task leaves
the person stuck with the probability of the learning curve at the average hands-on hours of that
headcount so far (mixing trained and untrained by the trained share). Their requests reach the
same superusers-then-desk flow as everyone else's, so they load the desk the individuals call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator

import numpy as np
import simpy
from simpy.events import Timeout

from sim.calendar import SimCalendar
from sim.distributions import uniforms
from sim.faults import FaultStreams
from sim.learning import proficiency
from sim.scenario import RestOfStaff
from sim.streams import Streams
from sim.support import HelpFlow, carry_on


class AggregateStaff:
    """Help requests of `headcount` staff, drawn per shift as a Poisson count at uniform times."""

    def __init__(self, env: simpy.Environment, calendar: SimCalendar, spec: RestOfStaff,
                 headcount: int, streams: Streams, help_flow: HelpFlow) -> None:
        self.env = env
        self.calendar = calendar
        self.spec = spec
        self.headcount = headcount
        self.help_flow = help_flow
        n_units = max(1, round(headcount / spec.unit_headcount))
        self.units = [
            help_flow.add_unit(f"rest_of_staff.{i}", size, spec.staff.superuser_share, spec.shifts)
            for i, size in enumerate(_split(headcount, n_units))
        ]
        self._trained = proficiency(spec.staff, trained=True)
        self._untrained = proficiency(spec.staff, trained=False)
        self._rng = streams.generator("rest_of_staff.requests")
        self._which_unit = uniforms(self._rng)
        self.hands_on_hours = 0.0
        """Average hands-on hours per person on the new system so far."""
        self.faults = FaultStreams(spec.faults, "rest_of_staff", streams)

    def stuck_probability(self) -> float:
        """Chance a system task leaves someone stuck, averaged over trained and untrained."""
        share = self.spec.staff.trained_share
        h = self.hands_on_hours
        return (share * self._trained.stuck_probability(h)
                + (1 - share) * self._untrained.stuck_probability(h))

    def plan_day(self, day: dt.date, midnight_minutes: float) -> None:
        """Draw today's help requests, then add today's hands-on hours to the average."""
        if midnight_minutes + 24 * 60 <= self.calendar.new_system_from_minutes:
            return
        at_work_share = 1.0 - self.spec.staff.sick_leave_share
        times: list[np.ndarray] = []
        shifts_worked = 0.0
        p_stuck = self.stuck_probability()
        for shift in self.spec.shifts:
            if not shift.runs_on(self.calendar.kind(day)):
                continue
            start = max(midnight_minutes + shift.start_minutes,
                        self.calendar.new_system_from_minutes)
            end = midnight_minutes + shift.end_minutes
            if end <= start:
                continue
            people = self.headcount * shift.headcount_share * at_work_share
            expected = people * self.spec.system_tasks_per_hour * (end - start) / 60 * p_stuck
            n = int(self._rng.poisson(expected))
            times.append(start + self._rng.random(n) * (end - start))
            shifts_worked += shift.headcount_share * at_work_share
            if start == midnight_minutes + shift.start_minutes:  # (begun before: logged in)
                self._locked_out(day, start, round(people))
        self.hands_on_hours += shifts_worked * self.spec.system_work_hours_per_shift
        if times:
            self.env.process(self._requests(np.sort(np.concatenate(times))))

    def _locked_out(self, day: dt.date, start_minutes: float, people: int) -> None:
        """Those of the `people` starting a shift at `start_minutes` who cannot log in or print
        (a fault): each calls the support desk at the shift's start, whatever their training."""
        locked_out = self.faults.locked_out(self.calendar.days_since_go_live(day), people, True)
        if locked_out is not None and locked_out.any():
            Timeout(self.env, start_minutes - self.env.now, int(locked_out.sum())
                    ).callbacks.append(self._call_desk)

    def _call_desk(self, event: Timeout) -> None:
        for _ in range(event._value):
            self.help_flow.request_desk(carry_on, None)

    def _requests(self, times: np.ndarray) -> Generator[Timeout, None, None]:
        env, units, which_unit = self.env, self.units, self._which_unit
        n_units, request = len(units), self.help_flow.request
        for at_minutes in times.tolist():
            yield Timeout(env, at_minutes - env.now)
            request(units[int(which_unit() * n_units)], carry_on, None)


def _split(total: int, parts: int) -> list[int]:
    """`total` people in `parts` units whose sizes differ by at most one."""
    return [total * (i + 1) // parts - total * i // parts for i in range(parts)]
