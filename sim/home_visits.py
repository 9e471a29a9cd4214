"""Home visits: each day a plan of visits per route; nurses run their routes in planned order.

Every morning each district's visits are planned on its routes, with planned start times spread
over the shift by a time-of-day profile (the morning medication peak) and spaced so that a route is
feasible at the expected visit length. Nurses who are off sick or released as superusers leave
their routes to the colleagues at work. A nurse drives to each visit, does not start earlier than
the planned time minus the allowed earliness, gives care, then documents in the record system
(x their multiplier; a stuck nurse asks a superuser of the district, else the desk). A visit not
started by the end of the shift plus the allowed overtime is postponed to the next day, or missed
if it is time-critical.

A route touches the simpy clock only where it meets someone else: when the nurse gets stuck and
needs help. Up to there, the day's routes are computed together (sim/routes.py); after help, the
route goes on visit by visit (`_drive`). That keeps a day's 10,000 visits cheap.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate

import numpy as np
import simpy
from simpy.events import Timeout

from sim.calendar import SimCalendar
from sim.cover import Substitutes
from sim.daily_profile import DailyProfile
from sim.faults import FaultStreams, deviation_metrics
from sim.learning import StaffMember
from sim.metrics import Tally, Totals
from sim.routes import CRITICAL, Starts, first_legs
from sim.scenario import HomeVisits, VisitShift, extra_staff_in_week, most_extra_staff
from sim.streams import Streams
from sim.support import HelpFlow, SuperuserUnit

COUNTS = ("planned", "done", "late", "postponed", "missed", "reduced", "open_at_end",
          "critical_planned", "critical_late", "critical_missed", "delay_minutes",
          "overtime_minutes", "travel_minutes", "care_minutes", "documentation_minutes",
          "substitute_shifts", "escalated", "postponed_for_critical", "documentation_late",
          "lost_items", "lost_items_noticed", "dropped", "critical_dropped",
          "medication_deviations", "access_problems")


class District:
    """One district: its nurses, its superusers, and the visits it carries over to tomorrow."""

    def __init__(self, index: int, nurses: list[StaffMember], unit: SuperuserUnit,
                 shifts: int, substitutes: Substitutes[StaffMember]) -> None:
        self.index = index
        self.nurses = nurses
        self.unit = unit
        self.substitutes = substitutes
        self.superuser_index = [i for i, nurse in enumerate(nurses) if nurse.superuser]
        self.postponed: list[list[Visit]] = [[] for _ in range(shifts)]
        self.escalations_left = [0] * shifts
        """Missed time-critical visits a reserve can still take, per shift, at its last run."""


class HomeCare:
    """The home-care service of one replication: districts, nurses, daily plans, routes."""

    def __init__(self, env: simpy.Environment, calendar: SimCalendar, spec: HomeVisits,
                 streams: Streams, help_flow: HelpFlow) -> None:
        self.env = env
        self.calendar = calendar
        self.spec = spec
        self.help_flow = help_flow
        self.tally = Tally(calendar, COUNTS)
        self._plan_rng = streams.generator("home_visits.plan")
        self._carry_over_rng = streams.generator("home_visits.carry_over")
        self._work_rng = streams.generator("home_visits.work")
        self._roster_rng = streams.generator("home_visits.roster")
        self._extra_roster_rng = streams.generator("home_visits.roster.extra")
        staff_rng = streams.generator("home_visits.staff")
        extra_staff_rng = streams.generator("home_visits.staff.extra")
        substitute_rng = streams.generator("home_visits.staff.substitutes")
        cover_rng = streams.generator("home_visits.cover")
        regular, pool = spec.nurses_per_district, spec.headcount // spec.districts
        self.districts = []
        for d in range(spec.districts):
            unit = help_flow.add_unit(f"home_visits.{d}", regular, spec.staff.superuser_share,
                                     spec.shifts)
            trained = np.concatenate((staff_rng.random(regular), extra_staff_rng.random(
                pool - regular))) < spec.staff.trained_share
            superuser = unit.flags(pool, regular)
            nurses = [StaffMember(spec.staff, bool(trained[i]), superuser[i]) for i in range(pool)]
            substitutes = Substitutes(spec.cover, spec.staff, regular, StaffMember,
                                      substitute_rng, cover_rng)
            self.districts.append(District(d, nurses, unit, len(spec.shifts), substitutes))
        self._profiles = [DailyProfile(spec.planned_start_profile, s.start_minutes, s.end_minutes)
                          for s in spec.shifts]
        self._expected_visit_minutes = (  # documentation put off to the route's end excluded
            spec.travel_minutes.mean_value + spec.care_minutes.mean_value
            + (1.0 - spec.deferred_documentation_share) * spec.documentation_minutes.mean_value)
        self._route_plans: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        late = spec.postpone_non_critical_when_late_minutes
        self._postpone_after_minutes = float("inf") if late is None else late
        self.faults = FaultStreams(spec.faults, "home_visits", streams)
        self._week = self._day_after_go_live = 0

    # --- the day's plan -------------------------------------------------------------------

    def plan_day(self, day: dt.date, midnight_minutes: float) -> None:
        """Plan today's visits on each district's routes and send the nurses out."""
        spec = self.spec
        kind = self.calendar.kind(day)
        week = self.calendar.weeks_since_go_live(day)
        self._week, self._day_after_go_live = week, self.calendar.days_since_go_live(day)
        extra = extra_staff_in_week(spec.extra_staff, week)
        fewer = sum(f.non_critical_share for f in spec.fewer_visits if week in f.weeks)
        volume_per_district = spec.visits_per_day.on(kind) / spec.districts
        running = [(i, shift) for i, shift in enumerate(spec.shifts) if shift.runs_on(kind)]
        handouts = []
        for district in self.districts:
            crews = self._crews(district, running, extra, int(midnight_minutes // (24 * 60)))
            for (i, shift), (crew, covered) in zip(running, crews, strict=True):
                self.tally.counts["substitute_shifts"][self.calendar.slot(
                    midnight_minutes + shift.start_minutes)] += covered
                visits = self._plan_shift(district, i, shift, volume_per_district, fewer,
                                          midnight_minutes)
                handout = self._hand_out(district, i, shift, crew, visits, midnight_minutes)
                if handout is not None:
                    handouts.append(handout)
        if handouts:
            self._start_routes(DayRoutes(handouts, self._last_critical))

    def _crews(self, district: District, running: list[tuple[int, VisitShift]],
               extra: int, day_index: int) -> list[tuple[list[StaffMember], int]]:
        """Who works each running shift today, and how many of them are substitutes: the nurses
        scheduled by a daily rotation, those off sick or released as superusers replaced by
        their substitutes where covered (sim/cover.py), plus the extra staff."""
        spec = self.spec
        regular = spec.nurses_per_district
        sick = spec.staff.sick_leave_share
        absent = np.concatenate((  # the extras' own stream keeps the regulars' absences alike
            self._roster_rng.random(regular) < sick,  # across scenarios (common random numbers)
            self._extra_roster_rng.random(len(district.nurses) - regular) < sick))
        released = {district.superuser_index[i] for i in district.unit.released}
        away = set(np.flatnonzero(absent).tolist())
        stand_ins = district.substitutes.stand_ins(sorted(a for a in away if a < regular),
                                                   released)
        away.update(released)
        needed = sum(shift.routes_per_district for _, shift in running)
        first = (day_index * needed) % max(regular, 1)
        most = most_extra_staff(spec.extra_staff)
        crews = []
        for i, shift in running:
            scheduled = [(first + j) % regular for j in range(shift.routes_per_district)]
            first += shift.routes_per_district
            extras = range(regular + i * most, regular + i * most + extra)
            crew = [stand_ins[i] if i in stand_ins else district.nurses[i]
                    for i in (*scheduled, *extras) if i not in away or i in stand_ins]
            crews.append((crew, sum(i in stand_ins for i in scheduled)))
        return crews

    def _plan_shift(self, district: District, i: int, shift: VisitShift, volume: float,
                    fewer_share: float, midnight: float) -> dict[str, np.ndarray]:
        """The shift's visits on its planned routes, with planned times and what each takes."""
        spec, rng = self.spec, self._plan_rng
        expected = volume * shift.visit_share
        n = int(expected) + int(rng.random() < expected - int(expected))
        route, planned = self._route_plan(i, shift, n)
        work = self._work_rng
        travel = spec.travel_minutes.draw(work, n)
        care = spec.care_minutes.draw(work, n)
        documentation = spec.documentation_minutes.draw(work, n)
        critical, stuck_draw, move_draw, reduce_draw = work.random((4, n))  # 4 x random(n)
        visits = {
            "planned": midnight + planned, "route": route, "travel": travel, "care": care,
            "documentation": documentation, "critical": critical < spec.critical_share,
            "stuck_draw": stuck_draw, "move_draw": move_draw, "reduce_draw": reduce_draw,
        }
        if fewer_share > 0:  # else every visit is kept (a draw is never below 0)
            keep = visits["critical"] | (visits["reduce_draw"] >= fewer_share)
            self.tally.counts["reduced"][self.calendar.slot(midnight + shift.start_minutes)] += (
                int(n - keep.sum()))
            visits = {name: values[keep] for name, values in visits.items()}
        return self._with_postponed(visits, district.postponed[i], midnight)

    def _route_plan(self, i: int, shift: VisitShift, n: int) -> tuple[np.ndarray, np.ndarray]:
        """The planned route and minute after midnight of each of `n` visits of shift `i`:
        the same every day with as many visits, so worked out once per shift and count."""
        key = (i, n)
        if key not in self._route_plans:
            routes = max(shift.routes_per_district, 1)
            position = np.arange(n)
            route, k = position % routes, position // routes
            per_route = np.bincount(route, minlength=routes)[route] if n else route
            planned = self._profiles[i].quantile((k + 0.5) / np.maximum(per_route, 1))
            planned = _feasible(route, k, planned, self._expected_visit_minutes)
            route.flags.writeable = planned.flags.writeable = False  # shared by every day
            self._route_plans[key] = route, planned
        return self._route_plans[key]

    def _with_postponed(self, visits: dict[str, np.ndarray], postponed: list[Visit],
                        midnight: float) -> dict[str, np.ndarray]:
        """Today's planned visits plus those postponed from yesterday, at the same time of day,
        each handed to a nurse at random."""
        if not postponed:
            return visits
        old = np.array(postponed, dtype=float)
        carried = {name: old[:, j] for j, name in enumerate(VISIT_FIELDS)}
        carried["planned"] = midnight + np.mod(carried["planned"], 24 * 60)
        carried["critical"] = carried["critical"].astype(bool)
        n = len(old)
        carried["route"] = np.full(n, NO_ROUTE)
        carried["move_draw"] = self._carry_over_rng.random(n)
        carried["reduce_draw"] = np.ones(n)
        return {name: np.concatenate((visits[name], carried[name])) for name in visits}

    def _hand_out(self, district: District, i: int, shift: VisitShift,
                  crew: list[StaffMember], visits: dict[str, np.ndarray],
                  midnight: float) -> Handout | None:
        """The shift's visits less those lost to faults, for the crew's routes, which start at
        the shift's start with the rest of the day's routes (`_start_routes`); None when there
        is nothing to drive (no visit, or no nurse: then no visit is started)."""
        slot = self.calendar.slot(midnight + shift.start_minutes)
        counts = self.tally.counts
        n = len(visits["planned"])
        counts["planned"][slot] += n
        counts["critical_planned"][slot] += int(visits["critical"].sum())
        district.postponed[i] = []
        district.escalations_left[i] = self.spec.escalated_visits_per_shift
        start = midnight + shift.start_minutes
        new_system = start >= self.calendar.new_system_from_minutes
        if new_system and self.faults.active:
            visits = self._without_lost(visits, slot)
            n = len(visits["planned"])
        if n == 0:
            return None
        if not crew:
            self._not_started(district, i, _table(visits, np.arange(n)).tolist(), slot)
            return None
        locked_out = self.faults.locked_out(self._day_after_go_live, len(crew), new_system)
        return Handout(district, i, shift.routes_per_district, crew, visits, start,
                       midnight + shift.end_minutes, slot, new_system,
                       np.zeros(len(crew), bool) if locked_out is None else locked_out)

    def _start_routes(self, day: DayRoutes) -> None:
        """Drive the day's routes to their first stop together (sim/routes.py), count what they
        did, then, route by route in the order they were handed out: visits not started,
        visits put off, and when a nurse who is stuck or locked out asks for help."""
        columns = day.columns
        locked = columns["locked"]
        legs = first_legs(self.spec, day.starts(~locked))
        index = np.flatnonzero(~locked)
        slots = columns["slot"][index]
        counts = self.tally.counts
        put_off = legs.put_off.sum(0)
        summed = ("done", "late", "critical_late", "documentation_late", "delay_minutes",
                  "travel_minutes", "care_minutes", "documentation_minutes", "overtime_minutes")
        _add_in_order([counts[name] for name in (*summed, "postponed_for_critical")], slots,
                      np.vstack([*(getattr(legs, name) for name in summed), put_off]))
        learning = columns["new_system"][index]
        for nurse, hours in zip([day.nurse(r) for r in index[learning].tolist()],
                                (legs.documentation_minutes[learning] / 60.0).tolist(),
                                strict=True):
            nurse.hands_on_hours += hours
        eventful = locked.copy()
        eventful[index] = legs.stuck | legs.not_started | (put_off > 0)
        leg_of = np.full(len(eventful), -1)
        leg_of[index] = np.arange(len(index))
        stops: list[tuple[Route, int, float]] = []
        for r in np.flatnonzero(eventful).tolist():
            route, h = day.route(r), int(leg_of[r])
            if h < 0:
                counts["access_problems"][route.slot] += 1
                route.go_on_from(0)
                route.locked_out = True
                stops.append((route, 0, route.start))
                continue
            stop = int(legs.stop[h])
            if legs.not_started[h]:
                self._not_started(route.district, route.shift_index, route.table[stop:].tolist(),
                                  route.slot)
            if put_off[h]:
                self._postpone(route.district, route.shift_index,
                               route.table[legs.put_off[:len(route.table), h]].tolist(),
                               route.slot)
            if legs.stuck[h]:
                route.go_on_from(stop + 1)
                route.deferred_minutes = legs.deferred_before_stop(h)
                stops.append((route, 0, float(legs.clock_minutes[h])))
        if stops:  # set once the other services' processes have started (the order of ties)
            Timeout(self.env, 0.0, stops).callbacks.append(self._stop_all)

    def _without_lost(self, visits: dict[str, np.ndarray], slot: int) -> dict[str, np.ndarray]:
        """The shift's visits less those lost from the work lists that nobody noticed; counts
        the lost ones and the medication lists found wrong among the visits handed out."""
        counts, week = self.tally.counts, self._week
        lost = self.faults.lost(week, len(visits["planned"]))
        if lost is not None:
            lost_items, noticed = lost
            dropped = lost_items & ~noticed
            counts["lost_items"][slot] += int(lost_items.sum())
            counts["lost_items_noticed"][slot] += int(noticed.sum())
            counts["dropped"][slot] += int(dropped.sum())
            counts["critical_dropped"][slot] += int((dropped & visits["critical"]).sum())
            visits = {name: values[~dropped] for name, values in visits.items()}
        wrong = self.faults.raised("medication_discrepancy_share_by_week", week,
                                   len(visits["planned"]))
        if wrong is not None:
            counts["medication_deviations"][slot] += int(wrong.sum())
        return visits

    def _last_critical(self, critical: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        """Per route (visits in route order, route r from bounds[r] to bounds[r + 1]): the index
        within the route of its last time-critical visit, -1 if none or if nobody protects them."""
        if self._postpone_after_minutes == float("inf"):
            return np.full(len(bounds) - 1, -1)
        last_so_far = np.maximum.accumulate(np.where(critical, np.arange(len(critical)), -1))
        last = last_so_far[np.maximum(bounds[1:] - 1, 0)]  # the route has visits: see _dispatch
        return np.where(last >= bounds[:-1], last - bounds[:-1], -1)

    # --- one route ------------------------------------------------------------------------

    def _drive(self, route: Route, first: int, t: float) -> None:
        """Run the route from visit `first` at time `t` (after help) until its end or until the
        nurse is stuck again; then she asks for help at that moment and drives on from
        there. The same arithmetic as sim/routes.py, which drives the day's routes to their first
        stop (tests/test_routes.py holds the two to the same counts)."""
        spec, counts, slot = self.spec, self.tally.counts, route.slot
        earliness = spec.allowed_earliness_minutes
        end = route.end
        limit = end + spec.allowed_overtime_minutes
        late_after = spec.late_threshold_minutes
        critical_late_after = spec.critical_late_threshold_minutes
        postpone_after, last_critical = self._postpone_after_minutes, route.last_critical
        deferred_share = spec.deferred_documentation_share
        deferring = deferred_share > 0
        multiplier, p_stuck = route.multiplier, route.stuck_probability
        visits, deferred = route.visits, route.deferred_minutes
        done = late = critical_late = documentation_late = 0
        delay = travel_sum = care_sum = documentation_sum = 0.0
        put_off: list[int] = []  # visits put off for a time-critical one
        stuck_at = None
        for j in range(first, len(visits)):
            planned, travel, care, documentation, critical, stuck_draw = visits[j]
            arrive = t + travel
            if j < last_critical and arrive - planned > postpone_after and not critical:
                put_off.append(j)  # running late: a later time-critical visit goes first
                continue
            begin = arrive if arrive > planned - earliness else planned - earliness
            if begin > limit:
                self._not_started(route.district, route.shift_index, visits[j:], slot)
                break
            lateness = begin - planned
            done += 1
            if lateness > 0:
                delay += lateness
                if lateness > late_after:
                    late += 1
                if critical and lateness > critical_late_after:
                    critical_late += 1
            documentation *= multiplier
            travel_sum += travel
            care_sum += care
            documentation_sum += documentation
            if deferring:  # part of the notes kept for after the last visit
                deferred.append(documentation * deferred_share)
                documentation -= documentation * deferred_share
            t = begin + care + documentation
            if t > end and not deferring:
                documentation_late += 1
            if stuck_draw < p_stuck:
                stuck_at = j
                break
        if route.new_system:
            route.nurse.hands_on_hours += documentation_sum / 60.0
        counts["done"][slot] += done
        counts["late"][slot] += late
        counts["critical_late"][slot] += critical_late
        counts["delay_minutes"][slot] += delay
        counts["travel_minutes"][slot] += travel_sum
        counts["care_minutes"][slot] += care_sum
        counts["documentation_minutes"][slot] += documentation_sum
        if put_off:
            self._postpone(route.district, route.shift_index, [visits[j] for j in put_off], slot)
            counts["postponed_for_critical"][slot] += len(put_off)
        if stuck_at is not None:
            counts["documentation_late"][slot] += documentation_late
            self._stop(route, stuck_at + 1, t)
            return
        if deferred:  # the documentation put off until after the last visit, visit by visit
            finished = list(accumulate(deferred, initial=t))
            documentation_late += len(finished) - bisect_right(finished, end, 1)
            t = finished[-1]
        counts["documentation_late"][slot] += documentation_late
        counts["overtime_minutes"][slot] += max(0.0, t - end)

    def _stop_all(self, event: Timeout) -> None:
        """The day's stops, in the order the routes were handed out (just after midnight: a stop
        at a shift's start then comes after everything else planned for that moment)."""
        for route, resume_at, t in event._value:
            self._stop(route, resume_at, t)

    def _stop(self, route: Route, resume_at: int, t: float) -> None:
        """The nurse will be stuck at `t` after a visit (or cannot log in or print at the start
        of the route): the visits from `resume_at` on are open until help comes."""
        route.resume_at = resume_at
        self.tally.counts["open_at_end"][route.slot] += len(route.visits) - resume_at
        Timeout(self.env, t - self.env.now, route).callbacks.append(self._ask_for_help)

    def _ask_for_help(self, event: Timeout) -> None:
        route = event._value
        if route.locked_out:  # no superuser can solve an access or printing problem
            route.locked_out = False
            self.help_flow.request_desk(self._helped, route)
        else:
            self.help_flow.request(route.district.unit, self._helped, route, route.nurse)

    def _helped(self, route: Route) -> None:
        """Help has come (or the nurse has worked around it): drive on."""
        self.tally.counts["open_at_end"][route.slot] -= len(route.visits) - route.resume_at
        self._drive(route, route.resume_at, self.env.now)

    def _not_started(self, district: District, shift_index: int,
                     visits: list[Visit], slot: int) -> None:
        """Visits the shift could not start: critical ones are escalated to a reserve while the
        shift's escalations last, else missed; the rest are postponed."""
        counts = self.tally.counts
        critical = [visit for visit in visits if visit[4]]
        escalated = min(len(critical), district.escalations_left[shift_index])
        district.escalations_left[shift_index] -= escalated
        counts["escalated"][slot] += escalated
        counts["missed"][slot] += len(critical) - escalated
        counts["critical_missed"][slot] += len(critical) - escalated
        self._postpone(district, shift_index, [visit for visit in visits if not visit[4]], slot)

    def _postpone(self, district: District, shift_index: int,
                  visits: list[Visit], slot: int) -> None:
        """Non-critical visits carried to the next run of the shift."""
        self.tally.counts["postponed"][slot] += len(visits)
        district.postponed[shift_index].extend(visits)

    def finish(self) -> None:
        """Nothing to count at the end: visits of routes still waiting for help are open."""


class Handout:
    """One district's visits of one shift for its crew, and what holds for the whole shift."""

    __slots__ = ("district", "shift_index", "planned_routes", "crew", "visits", "start", "end",
                 "slot", "new_system", "locked_out")

    def __init__(self, district: District, shift_index: int, planned_routes: int,
                 crew: list[StaffMember], visits: dict[str, np.ndarray], start: float,
                 end: float, slot: int, new_system: bool, locked_out: np.ndarray) -> None:
        self.district, self.shift_index, self.planned_routes = district, shift_index, planned_routes
        self.crew, self.visits = crew, visits
        self.start, self.end, self.slot, self.new_system = start, end, slot, new_system
        self.locked_out = locked_out
        """Per nurse of the crew: cannot log in or print at the start, and calls the desk."""


class Route:
    """One nurse's route that meets the simpy clock: it waits for help, then goes on visit by
    visit (the routes that never wait are driven together by sim/routes.py)."""

    __slots__ = ("district", "shift_index", "nurse", "table", "visits", "start", "end", "slot",
                 "new_system", "multiplier", "stuck_probability", "deferred_minutes",
                 "last_critical", "resume_at", "locked_out")

    def __init__(self, handout: Handout, nurse: StaffMember, table: np.ndarray,
                 multiplier: float, stuck_probability: float, last_critical: int) -> None:
        self.district, self.shift_index = handout.district, handout.shift_index
        self.nurse = nurse
        self.table = table
        """The route's visits in driving order, one row of VISIT_FIELDS each."""
        self.visits: list[list[float]] = []
        """The rows of `table` still to drive as lists, made when the route goes on visit by
        visit (`go_on_from`); the loop's indices count from the first of them."""
        self.start, self.end, self.slot = handout.start, handout.end, handout.slot
        self.new_system = handout.new_system
        self.multiplier, self.stuck_probability = multiplier, stuck_probability
        """The nurse's proficiency at the start of the route, which holds for the whole route."""
        self.deferred_minutes: list[float] = []
        """Documentation put off until after the last visit, visit by visit."""
        self.last_critical = last_critical
        """Index of the route's last time-critical visit (-1 when none, or not protected)."""
        self.resume_at = 0
        """The visit to go on from after help."""
        self.locked_out = False
        """Waiting for the desk at the start: cannot log in or print."""

    def go_on_from(self, first: int) -> None:
        """Keep the visits from `first` on, as lists, for the loop after help (only those: the
        rows before were driven with the day's routes)."""
        self.visits = self.table[first:].tolist()
        self.last_critical -= first


class DayRoutes:
    """The day's routes with visits, in the order they are handed out (district by district,
    shift by shift, nurse by nurse): every handout's visits handed to its crew's routes at once,
    and what each route needs as columns, one value per route."""

    def __init__(self, handouts: list[Handout],
                 last_critical: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> None:
        sizes = np.array([len(h.crew) for h in handouts])
        visits = np.array([len(h.visits["planned"]) for h in handouts])
        cat = {name: np.concatenate([h.visits[name] for h in handouts])
               for name in ("route", "move_draw", "planned", *VISIT_FIELDS[1:])}
        nurses = np.repeat(sizes, visits)
        planned_routes = np.repeat([h.planned_routes for h in handouts], visits)
        first_route = np.repeat(np.cumsum(sizes) - sizes, visits)
        key = first_route + _final_routes(cat["route"], cat["move_draw"], planned_routes, nurses)
        order = np.lexsort((cat["planned"], key))  # handout, nurse, planned time
        bounds = np.searchsorted(key[order], np.arange(sizes.sum() + 1))
        self.table = _table(cat, order)
        per_route = np.diff(bounds)
        has = per_route > 0
        self._which = np.flatnonzero(has)
        self._nurses = [nurse for h in handouts for nurse in h.crew]
        self._handout_of = np.repeat(np.arange(len(handouts)), sizes)
        self._handouts = handouts
        proficiency = [nurse.proficiency.multiplier_and_stuck(nurse.hands_on_hours)
                       if h.new_system else (1.0, 0.0) for h in handouts for nurse in h.crew]
        shift = {name: np.repeat([getattr(h, name) for h in handouts], sizes)
                 for name in ("start", "end", "slot", "new_system")}
        columns = {
            "first_row": bounds[:-1], "visits": per_route,
            "multiplier": np.array([m for m, _ in proficiency]),
            "stuck_probability": np.array([p for _, p in proficiency]),
            "last_critical": last_critical(self.table[:, CRITICAL] != 0, bounds),
            "locked": np.concatenate([h.locked_out for h in handouts]), **shift}
        self.columns = {name: values[has] for name, values in columns.items()}
        """Each column with one value per route that has visits."""

    def __len__(self) -> int:
        return len(self._which)

    def starts(self, which: np.ndarray) -> Starts:
        """The chosen routes (a mask over the day's routes) for sim/routes.py."""
        c = self.columns
        return Starts(self.table, *(c[name][which] for name in (
            "first_row", "visits", "start", "end", "multiplier", "stuck_probability",
            "last_critical")))

    def nurse(self, r: int) -> StaffMember:
        """The nurse of route `r` of the day."""
        return self._nurses[self._which[r]]

    def route(self, r: int) -> Route:
        """Route `r` of the day, to go on visit by visit."""
        c = self.columns
        first = int(c["first_row"][r])
        return Route(self._handouts[self._handout_of[self._which[r]]], self.nurse(r),
                     self.table[first:first + int(c["visits"][r])], float(c["multiplier"][r]),
                     float(c["stuck_probability"][r]), int(c["last_critical"][r]))


Visit = list[float]
"""A visit as the route loop reads it: the values of VISIT_FIELDS."""

VISIT_FIELDS = ("planned", "travel", "care", "documentation", "critical", "stuck_draw")
"""What a route needs of a visit, in the order of the tuples it runs through."""

NO_ROUTE = np.iinfo(np.int64).max // 2
"""Route number of a carried-over visit: on no planned route, so it is handed to any nurse."""


def _table(visits: dict[str, np.ndarray], order: np.ndarray) -> np.ndarray:
    """The visits in `order` as rows of VISIT_FIELDS (time-critical as 1.0 or 0.0)."""
    return np.column_stack([visits[name][order] for name in VISIT_FIELDS]).astype(float)


def _add_in_order(counts: list[list[float]], slots: np.ndarray, values: np.ndarray) -> None:
    """Add each route's values (one row per count, one column per route) to the counts of its
    day, one route after the other in route order: a cumulative sum adds in order, so the sums
    are those of routes added one by one."""
    for slot in np.unique(slots).tolist():
        start = [[count[slot]] for count in counts]
        sums = np.cumsum(np.hstack((start, values[:, slots == slot])), axis=1)[:, -1].tolist()
        for count, total in zip(counts, sums, strict=True):
            count[slot] = total


def _final_routes(route: np.ndarray, draw: np.ndarray, planned_routes: np.ndarray,
                  nurses: np.ndarray) -> np.ndarray:
    """The nurse (index in the crew) who drives each visit, given per visit its crew's size and
    number of planned routes.

    Fewer nurses than planned routes: the visits of the routes nobody drives go to a nurse at
    random. More nurses (extra staff): each route hands a share (nurses - routes) / nurses of its
    visits to the extra nurses, so that everyone ends with about the same number.
    """
    spill = np.maximum(0.0, (nurses - planned_routes) / nurses)
    uncovered = route >= nurses
    to_extra = ~uncovered & (draw < spill)
    final = route.copy()
    final[uncovered] = draw[uncovered] * nurses[uncovered]
    final[to_extra] = planned_routes[to_extra] + draw[to_extra] / spill[to_extra] * (
        nurses[to_extra] - planned_routes[to_extra])
    return np.minimum(final, nurses - 1)


def _feasible(route: np.ndarray, k: np.ndarray, planned: np.ndarray,
              visit_minutes: float) -> np.ndarray:
    """Planned times pushed apart so that each route allows `visit_minutes` per visit.

    p'_k = max(p_k, p'_(k-1) + e) = k e + max_(j <= k) (p_j - j e), within each route: a running
    maximum, computed for all routes at once by offsetting each route far above the previous.
    """
    if len(planned) == 0:
        return planned
    order = np.lexsort((k, route))
    slack = planned[order] - k[order] * visit_minutes
    offset = route[order] * (slack.max() - slack.min() + 1.0)
    running = np.maximum.accumulate(slack + offset) - offset
    feasible = np.empty_like(planned)
    feasible[order] = running + k[order] * visit_minutes
    return feasible


def visit_metrics(t: Totals) -> dict[str, float]:
    """The home-visit metrics of the results contract, and the counts behind them."""
    working = t["travel_minutes"] + t["care_minutes"] + t["documentation_minutes"]
    return {
        "visits_planned": t["planned"],
        "visits_done": t["done"],
        "visits_postponed": t["postponed"],
        "visits_missed": t["missed"],
        "visits_reduced": t["reduced"],
        "visits_open_at_end": t["open_at_end"],
        "late_share": t.share("late", "done"),
        "visits_escalated": t["escalated"],
        "visits_postponed_for_critical": t["postponed_for_critical"],
        "critical_late_share": ((t["critical_late"] + t["critical_missed"] + t["escalated"]
                                 + t["critical_dropped"])
                                / t["critical_planned"] if t["critical_planned"] else np.nan),
        "mean_delay_minutes": t.share("delay_minutes", "done"),
        "missed_share": t.share("missed", "planned"),
        "postponed_share": t.share("postponed", "planned"),
        "overtime_hours": t["overtime_minutes"] / 60.0,
        "documentation_late_share": t.share("documentation_late", "done"),
        "documentation_share": t["documentation_minutes"] / working if working else np.nan,
        "care_share": t["care_minutes"] / working if working else np.nan,
        "substitute_shifts": t["substitute_shifts"],
        **visit_deviations(t),
    }


def visit_deviations(t: Totals) -> dict[str, float]:
    """Deviations (avvik) of home care by kind: work-list items lost (noticed or not) and
    medication lists found wrong; access problems are counted but are no deviation."""
    return deviation_metrics(t, {
        "lost_items": "lost_items", "lost_items_noticed": "lost_items_noticed",
        "visits_dropped_by_faults": "dropped", "critical_dropped_by_faults": "critical_dropped",
        "medication_deviations": "medication_deviations", "access_problems": "access_problems",
    }, ("lost_items", "medication_deviations"), "planned", "deviations_per_1000_visits")
