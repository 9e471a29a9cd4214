"""The phone line: citizens and relatives call, wait, are answered by an agent, or give up.

Calls arrive as a non-homogeneous Poisson process (a daily volume by kind of day, spread over the
opening hours by an hourly profile). A caller waits up to their patience, then hangs up and may
redial after a delay. An agent handles a call in talk time + system time x the agent's multiplier;
an agent who gets stuck on the system asks for help while the caller holds (the caller, once
answered, does not hang up), so support staffing shows in phone waits.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import simpy
from simpy.events import Timeout

from sim.calendar import SimCalendar
from sim.daily_profile import DailyProfile
from sim.distributions import Sampler
from sim.faults import FaultStreams
from sim.learning import StaffMember
from sim.metrics import Tally, Totals
from sim.queueing import ServiceQueue
from sim.roster import Duty, Roster
from sim.scenario import Phone
from sim.streams import Streams
from sim.support import HelpFlow


class Call:
    """One call, with everything random about it drawn when it is made."""

    __slots__ = ("arrival_minutes", "slot", "talk_minutes", "system_minutes", "patience_minutes",
                 "stuck_draw", "redial_draw", "waiting")

    def __init__(self, arrival_minutes: float, talk_minutes: float, system_minutes: float,
                 patience_minutes: float, stuck_draw: float, redial_draw: float) -> None:
        self.arrival_minutes = arrival_minutes
        self.slot = 0
        self.talk_minutes = talk_minutes
        self.system_minutes = system_minutes
        self.patience_minutes = patience_minutes
        self.stuck_draw = stuck_draw
        self.redial_draw = redial_draw
        self.waiting = False


class PhoneLine:
    """The phone line of one replication: its agents, its queue, and its daily tally."""

    COUNTS = ("offered", "answered", "answered_at_once", "answered_in_time", "abandoned",
              "waiting_at_end", "redials", "substitute_shifts", "access_problems")

    def __init__(self, env: simpy.Environment, calendar: SimCalendar, spec: Phone,
                 streams: Streams, help_flow: HelpFlow) -> None:
        self.env = env
        self.calendar = calendar
        self.spec = spec
        self.help_flow = help_flow
        self.queue = ServiceQueue(env, self._answer, self._hang_up)
        self.tally = Tally(calendar, self.COUNTS, samples=("wait_minutes",))
        counts = self.tally.counts
        self._offered, self._answered = counts["offered"], counts["answered"]
        self._in_time, self._abandoned = counts["answered_in_time"], counts["abandoned"]
        self._at_once = counts["answered_at_once"]
        self._redials = counts["redials"]
        self._waits = self.tally.samples["wait_minutes"]
        self._service_level_minutes = spec.service_level_seconds / 60.0
        self._new_system_from_minutes = calendar.new_system_from_minutes
        self._arrival_rng = streams.generator("phone.arrivals")
        self._call_rng = streams.generator("phone.calls")
        redial_rng = streams.generator("phone.redials")
        self._redial_delay = Sampler(spec.redial_delay_minutes, redial_rng)
        self._redial_talk = Sampler(spec.talk_time_minutes, redial_rng)
        self._redial_system = Sampler(spec.system_time_minutes, redial_rng)
        self._redial_patience = (
            Sampler(spec.patience_minutes, redial_rng) if spec.patience_minutes else None
        )
        self._redial_rng = redial_rng
        self._open = False
        self._profiles: dict[tuple[int, int], DailyProfile] = {}
        self.roster = Roster(env, calendar, "phone", spec, streams, help_flow, StaffMember,
                             self.tally.counts["substitute_shifts"])
        self.unit = self.roster.unit
        self.agents = self.roster.staff
        self.faults = FaultStreams(spec.faults, "phone", streams)
        self._day_after_go_live = 0

    # --- the day's plan -------------------------------------------------------------------

    def plan_day(self, day: dt.date, midnight_minutes: float) -> None:
        """Roster today's agents and start today's calls."""
        self.roster.plan_day(day, midnight_minutes, self._start_shift, self._end_shift)
        self._day_after_go_live = self.calendar.days_since_go_live(day)
        kind = self.calendar.kind(day)
        hours = self._opening_hours(kind, self.calendar.weeks_since_go_live(day))
        if hours is not None:
            opens, closes = (midnight_minutes + m - self.env.now for m in hours)
            Timeout(self.env, opens, True).callbacks.append(self._set_open)
            Timeout(self.env, closes, False).callbacks.append(self._set_open)
            self._calls(midnight_minutes, *self._draw_day(day, kind, hours))

    def _opening_hours(self, kind: str, week: int) -> tuple[int, int] | None:
        """Today's opening hours: shorter in the weeks a mitigation says so."""
        for reduced in self.spec.reduced_opening:
            if week in reduced.weeks:
                return reduced.opening_hours.on(kind)
        return self.spec.opening_hours.on(kind)

    def _profile(self, hours: tuple[int, int]) -> DailyProfile:
        if hours not in self._profiles:
            self._profiles[hours] = DailyProfile(self.spec.hourly_profile, *hours)
        return self._profiles[hours]

    def _set_open(self, event: Timeout) -> None:
        self._open = event._value

    def _start_shift(self, duty: Duty[StaffMember]) -> None:
        """The shift's agents come on duty; those who cannot log in (a fault) call the desk
        first and take calls when it has helped them."""
        locked_out = self.faults.locked_out(
            self._day_after_go_live, len(duty.members),
            self.env.now >= self._new_system_from_minutes)
        for k, agent in enumerate(duty.members):
            logged_in = agent.on_duty or agent.busy  # still at work from an earlier shift
            if locked_out is not None and locked_out[k] and not logged_in:
                self.tally.counts["access_problems"][self.calendar.slot(self.env.now)] += 1
                agent.on_duty = agent.busy = True
                self.help_flow.request_desk(self.queue.release, agent)
            else:
                self.queue.start_duty(agent)

    def _end_shift(self, duty: Duty[StaffMember]) -> None:
        for agent in duty.members:
            self.queue.end_duty(agent)

    def _draw_day(self, day: dt.date, kind: str, hours: tuple[int, int]):
        """The day's calls: arrival minutes after midnight, sorted, and their random attributes.

        Shorter opening hours keep the calls of the hours still open: the rest of the day's
        callers use other channels (they are not simulated).
        """
        spec = self.spec
        volume = spec.calls_per_day.on(kind)
        if kind == "weekday":
            volume *= spec.weekday_factors[day.weekday()]
        if spec.fewer_calls or spec.extra_calls:
            volume *= self._volume_factor(self.calendar.weeks_since_go_live(day))
        profile = self._profile(hours)
        usual = spec.opening_hours.on(kind)
        if usual is not None and usual != hours:
            volume *= profile.total_weight / self._profile(usual).total_weight
        n = int(self._arrival_rng.poisson(volume)) if profile.total_weight > 0 else 0
        arrivals = profile.draw(self._arrival_rng, n)
        rng = self._call_rng
        talk = spec.talk_time_minutes.draw(rng, n)
        system = spec.system_time_minutes.draw(rng, n)
        patience = (spec.patience_minutes.draw(rng, n) if spec.patience_minutes
                    else np.full(n, math.inf))
        stuck_draw, redial_draw = rng.random(n), rng.random(n)
        return arrivals, talk, system, patience, stuck_draw, redial_draw

    def _volume_factor(self, week: int) -> float:
        """The week's calls as a multiple of the usual: the go-live's extra calls (only when the
        new system goes live) times what the planned reduction leaves."""
        spec = self.spec
        extra = (sum(e.share for e in spec.extra_calls if week in e.weeks)
                 if self.calendar.spec.new_system else 0.0)
        fewer = sum(f.share for f in spec.fewer_calls if week in f.weeks)
        return (1.0 + extra) * max(1.0 - fewer, 0.0)

    def _calls(self, midnight_minutes: float, *columns: np.ndarray) -> None:
        """Offer the day's calls at their times by a chain of timers: each call's timer, when it
        fires, offers the call and sets the next call's (cheaper than resuming a process)."""
        env = self.env
        rows = zip(*(c.tolist() for c in columns), strict=True)

        def ring(event: Timeout | None) -> None:
            now = env.now
            if event is not None:
                _, talk, system, patience, stuck, redial = event._value
                self._offer(Call(now, talk, system, patience, stuck, redial))
            row = next(rows, None)
            if row is not None:
                Timeout(env, midnight_minutes + row[0] - now, row).callbacks.append(ring)

        ring(None)

    # --- one call -------------------------------------------------------------------------

    def _offer(self, call: Call) -> None:
        call.slot = slot = self.calendar.slot(call.arrival_minutes)
        self._offered[slot] += 1
        self.queue.arrive(call, call.patience_minutes)

    def _answer(self, agent: StaffMember, call: Call) -> None:
        now = self.env.now
        wait = now - call.arrival_minutes
        slot = call.slot
        self._answered[slot] += 1
        self._waits[slot].append(wait)
        if wait <= self._service_level_minutes:
            self._in_time[slot] += 1
            if wait == 0.0:
                self._at_once[slot] += 1
        if now >= self._new_system_from_minutes:
            p_stuck, system = agent.stuck_then_system_work(call.system_minutes)
            stuck = call.stuck_draw < p_stuck
        else:
            system, stuck = call.system_minutes, False
        Timeout(self.env, call.talk_minutes + system, agent).callbacks.append(
            self._stuck if stuck else self._done)

    def _done(self, event: Timeout) -> None:
        """The agent has finished the call: next caller."""
        self.queue.release(event._value)

    def _stuck(self, event: Timeout) -> None:
        """The agent got stuck on the call: they ask for help, then take the next caller."""
        agent = event._value
        self.help_flow.request(self.unit, self.queue.release, agent, agent)

    def _hang_up(self, call: Call) -> None:
        self._abandoned[call.slot] += 1
        if call.redial_draw < self.spec.redial_probability:
            Timeout(self.env, self._redial_delay()).callbacks.append(self._redial)

    def _redial(self, _: Timeout) -> None:
        """The caller tries again; if the line has closed meanwhile, they give up for the day."""
        if not self._open:
            return
        patience = self._redial_patience() if self._redial_patience else math.inf
        rng = self._redial_rng
        call = Call(self.env.now, self._redial_talk(), self._redial_system(), patience,
                    float(rng.random()), float(rng.random()))
        self._offer(call)
        self._redials[call.slot] += 1

    def finish(self) -> None:
        """Count the callers still waiting when the run ends."""
        for call in self.queue.still_waiting():
            self.tally.counts["waiting_at_end"][call.slot] += 1


def phone_metrics(t: Totals) -> dict[str, float]:
    """The phone metrics of the results contract, and the counts behind them."""
    return {
        "calls_offered": t["offered"],
        "calls_answered": t["answered"],
        "calls_abandoned": t["abandoned"],
        "calls_waiting_at_end": t["waiting_at_end"],
        "redials": t["redials"],
        "waited_share": 1.0 - t.share("answered_at_once", "offered"),
        "service_level": t.share("answered_in_time", "offered"),
        "asa_seconds": t.mean("wait_minutes") * 60,
        "p90_wait_seconds": t.quantile("wait_minutes", 0.9) * 60,
        "abandon_share": t.share("abandoned", "offered"),
        "substitute_shifts": t["substitute_shifts"],
        "access_problems": t["access_problems"],
    }

