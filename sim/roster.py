"""Rosters: the people of a service simulated one by one, and who of them works which shift today.

Shared by the services whose staff work `shifts` (the phone line, case handling). Each shift has its
own people: the shift's staff, then room for the most extra staff any week adds. Every day each
person may be off sick; released superusers only help others; the contract week's extra staff join
every running shift; a substitute may stand in for a released or absent person (sim/cover.py).
The service decides what starting and ending a shift means for its people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
import simpy
from simpy.events import Timeout

from sim.calendar import SimCalendar
from sim.cover import Substitutes
from sim.learning import StaffMember
from sim.scenario import Cases, Phone, StaffGroup, extra_staff_in_week, most_extra_staff
from sim.streams import Streams
from sim.support import HelpFlow

Member = TypeVar("Member", bound=StaffMember)


@dataclass(frozen=True, slots=True)
class Duty(Generic[Member]):
    """The people working one shift today, and the clock minute the shift ends."""

    members: list[Member]
    end_minutes: float


DutyAction = Callable[[Duty[Member]], None]
"""What a service does when a shift starts or ends (put its people on or off duty)."""


class Roster(Generic[Member]):
    """A service's people in shift order, hired once per replication and rostered every day.

    Regular staff come first (shift by shift, superusers spread evenly among them), then each
    shift's extra staff (never superusers). Sick leave of the regular staff is drawn on the stream
    `<name>.roster`, that of the extra staff on `<name>.roster.extra`, so that scenarios differing
    only in extra staff share the regular staff's absences (common random numbers).
    """

    def __init__(self, env: simpy.Environment, calendar: SimCalendar, name: str,
                 spec: Phone | Cases, streams: Streams, help_flow: HelpFlow,
                 hire: Callable[[StaffGroup, bool, bool], Member],
                 substitute_shifts: list[float]) -> None:
        self.env = env
        self.calendar = calendar
        self.spec = spec
        regular = sum(shift.staff for shift in spec.shifts)
        self.unit = help_flow.add_unit(name, regular, spec.staff.superuser_share, spec.shifts)
        staff_rng = streams.generator(f"{name}.staff")
        trained = staff_rng.random(spec.headcount) < spec.staff.trained_share
        superuser = self.unit.flags(spec.headcount, regular)
        self.staff = [
            hire(spec.staff, bool(trained[i]), superuser[i]) for i in range(spec.headcount)
        ]
        self._regular = regular
        self._superuser_index = [i for i, member in enumerate(self.staff) if member.superuser]
        firsts = np.cumsum([0, *(shift.staff for shift in spec.shifts)])
        self._regulars = [range(a, b) for a, b in zip(firsts[:-1], firsts[1:], strict=True)]
        most = most_extra_staff(spec.extra_staff)
        self._extras = [range(regular + k * most, regular + (k + 1) * most)
                        for k in range(len(spec.shifts))]
        self.substitutes = Substitutes(spec.cover, spec.staff, regular, hire,
                                       streams.generator(f"{name}.staff.substitutes"),
                                       streams.generator(f"{name}.cover"))
        self._substitute_shifts = substitute_shifts
        self._absence_rng = streams.generator(f"{name}.roster")
        self._extra_absence_rng = streams.generator(f"{name}.roster.extra")

    def plan_day(self, day: dt.date, midnight_minutes: float, start: DutyAction[Member],
                 end: DutyAction[Member]) -> None:
        """Schedule `start` and `end` of each shift running today, with the people at work."""
        spec = self.spec
        sick_share = spec.staff.sick_leave_share
        absent = self._absence_rng.random(self._regular) < sick_share
        if len(self.staff) > self._regular:
            absent = np.concatenate([
                absent, self._extra_absence_rng.random(len(self.staff) - self._regular) < sick_share
            ])
        released = {self._superuser_index[i] for i in self.unit.released}
        stand_ins = self.substitutes.stand_ins(np.flatnonzero(absent[:self._regular]).tolist(),
                                               released)
        extra = extra_staff_in_week(spec.extra_staff, self.calendar.weeks_since_go_live(day))
        kind = self.calendar.kind(day)
        for shift, regulars, extras in zip(spec.shifts, self._regulars, self._extras, strict=True):
            if not shift.runs_on(kind):
                continue
            members = [stand_ins[i] if i in stand_ins else self.staff[i] for i in regulars
                       if (not absent[i] and i not in released) or i in stand_ins]
            members += [self.staff[i] for i in extras[:extra] if not absent[i]]
            duty = Duty(members, midnight_minutes + shift.end_minutes)
            self._substitute_shifts[self.calendar.slot(midnight_minutes + shift.start_minutes)] += (
                sum(i in stand_ins for i in regulars))
            self._at(midnight_minutes + shift.start_minutes, start, duty)
            self._at(duty.end_minutes, end, duty)

    def _at(self, at_minutes: float, action: DutyAction[Member], duty: Duty[Member]) -> None:
        def act(_: Timeout) -> None:
            action(duty)

        Timeout(self.env, at_minutes - self.env.now).callbacks.append(act)
