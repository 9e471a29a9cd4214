"""The scenario: every lever and assumption of one simulated go-live, read from a TOML file.

The schema is strict (unknown keys are errors), immutable, and names units in its field names.
`scenarios/README.md` documents every key; `sim.scenario_errors` turns validation failures into
messages that name the file and the dotted key path.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from sim.distributions import Distribution, Exponential, Fixed, arrays_as_tuples
from sim.uncertainty import (
    MAX_UNCERTAIN_KEYS,
    Plausible,
    check_uncertain_keys,
    still_uncertain,
)

MINUTES_PER_DAY = 24 * 60


class Strict(BaseModel):
    """Base of every scenario table: immutable, strictly typed, refusing keys it does not know.

    Strict types keep `"yes"` from passing as true and `"1200"` as a number; TOML's arrays are
    read as tuples so that tables stay immutable.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, strict=True)

    @model_validator(mode="before")
    @classmethod
    def _arrays_as_tuples(cls, data: object) -> object:
        return arrays_as_tuples(data)


Share = Annotated[float, Field(ge=0, le=1)]
"""A proportion between 0 and 1."""

# -- limits: values beyond these are typos, not organisations (reasons in scenarios/README.md) --

MAX_PER_DAY = 1_000_000
"""Calls, cases or visits a day: a hundred times the home visits of Trondheim (8,500 staff)."""

MAX_STAFF = 10_000
"""People in one shift, one district, or added in one week: more than any one service has."""

MAX_SHIFTS = 48
"""Shifts of one service: one starting every half hour of the day."""

MAX_DISTRICTS = 1_000
"""Home-care districts: fifty times Trondheim's twenty."""

MAX_STAFF_SWITCHING = 1_000_000
"""Staff switching systems at once: more than Norway's whole health and care workforce."""

MAX_TASKS_PER_HOUR = 60.0
"""System tasks per person-hour: one a minute is already frantic."""

MAX_WEIGHT = 1e6
MIN_WEIGHT = 1e-6
"""Relative weights (hourly profiles, weekday factors) are 0 or between these: outside them the
sum over- or underflows and the profile stops being a profile."""

EARLIEST_YEAR, LATEST_YEAR = 1990, 2100
"""Calendar years a go-live can be in (the holiday rules and a sane future)."""

MAX_DAYS_BEFORE = 52 * 7
"""Days simulated before go-live: a year of the old systems is more than any chart needs."""

MAX_TEXT_CHARACTERS = 500
"""A description's length: what page 1 of the report holds beside its answer and verdict table."""

MIN_REDIAL_CYCLE_MINUTES = 1.0
"""Mean patience plus mean redial delay, at least, when callers redial: a shorter cycle makes a
caller redial hundreds of times an hour (and a zero one at one instant, forever)."""

NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
NAME_RULE = "letters, digits, - and _ only, 1 to 64 characters"
"""A scenario name is a slug: it names the results folder `out/<name>`."""


def _check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name):
        raise ValueError(f"not a name; accepted: {NAME_RULE} (a display title goes in "
                         "description)")
    return name


def _check_weight(weight: float) -> float:
    if 0 < weight < MIN_WEIGHT:
        raise ValueError(f"too small; accepted: 0 or a weight from {MIN_WEIGHT:g} to "
                         f"{MAX_WEIGHT:g}")
    return weight


Weight = Annotated[float, Field(ge=0, le=MAX_WEIGHT), AfterValidator(_check_weight)]
"""A relative weight: 0, or from MIN_WEIGHT to MAX_WEIGHT."""

NonNegative = Annotated[float, Field(ge=0)]
PerDay = Annotated[float, Field(ge=0, le=MAX_PER_DAY)]
Headcount = Annotated[int, Field(ge=0, le=MAX_STAFF)]
Text = Annotated[str, Field(max_length=MAX_TEXT_CHARACTERS)]


def time_of_day_minutes(text: str) -> int:
    """Minutes after midnight of an "HH:MM" time of day ("24:00" is the end of the day)."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _check_time_of_day(text: str) -> str:
    parts = text.split(":")
    if (
        len(parts) != 2
        or not all(p.isdigit() and len(p) == 2 for p in parts)
        or int(parts[1]) > 59
        or time_of_day_minutes(text) > MINUTES_PER_DAY
    ):
        raise ValueError(f"'{text}' is not a time of day in the form HH:MM between 00:00 and 24:00")
    return text


TimeOfDay = Annotated[str, AfterValidator(_check_time_of_day)]


def _check_range_order(hours: tuple[str, str]) -> tuple[str, str]:
    if time_of_day_minutes(hours[1]) <= time_of_day_minutes(hours[0]):
        raise ValueError(f"closes at {hours[1]}, not after it opens at {hours[0]}")
    return hours


TimeRange = Annotated[tuple[TimeOfDay, TimeOfDay], AfterValidator(_check_range_order)]
"""Opening and closing time of one day, e.g. ["08:00", "15:30"]."""

DayKind = Literal["weekday", "saturday", "sunday"]
"""How a date is treated: public holidays and extra closed dates count as Sundays."""

DaySelector = Literal["weekdays", "saturday", "sunday", "weekends", "all"]

SELECTED_DAY_KINDS: dict[str, frozenset[str]] = {
    "weekdays": frozenset({"weekday"}),
    "saturday": frozenset({"saturday"}),
    "sunday": frozenset({"sunday"}),
    "weekends": frozenset({"saturday", "sunday"}),
    "all": frozenset({"weekday", "saturday", "sunday"}),
}


def _datetime_from_date(value: object) -> object:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value


class Calendar(Strict):
    """When the simulation starts, when the new system goes live, and how long we follow it."""

    start: dt.date
    go_live: Annotated[dt.datetime, BeforeValidator(_datetime_from_date)]
    weeks_after: int = Field(ge=1, le=104)
    new_system: bool = True
    extra_closed_dates: tuple[dt.date, ...] = Field(default=(), max_length=366)

    @field_validator("start")
    @classmethod
    def _start_in_sane_years(cls, start: dt.date) -> dt.date:
        if not EARLIEST_YEAR <= start.year <= LATEST_YEAR:
            raise ValueError(f"accepted: a date from {EARLIEST_YEAR} to {LATEST_YEAR}")
        return start

    @field_validator("go_live")
    @classmethod
    def _go_live_not_before_start(cls, go_live: dt.datetime, info: ValidationInfo) -> dt.datetime:
        if go_live.tzinfo is not None:
            raise ValueError("give go-live as local time without a UTC offset, "
                             "e.g. 2022-05-07T03:00:00")
        if not EARLIEST_YEAR <= go_live.year <= LATEST_YEAR:
            raise ValueError(f"accepted: a date from {EARLIEST_YEAR} to {LATEST_YEAR}")
        start = info.data.get("start")
        if start is not None and go_live.date() < start:
            raise ValueError(f"go-live {go_live.date()} is before start {start}")
        if start is not None and (go_live.date() - start).days > MAX_DAYS_BEFORE:
            raise ValueError(f"go-live {go_live.date()} is {(go_live.date() - start).days} days "
                             f"after start {start}; accepted: at most {MAX_DAYS_BEFORE} days "
                             "(52 weeks) of the old systems before go-live")
        return go_live

    @property
    def days_before(self) -> int:
        """Whole reported days before go-live (reporting starts at go-live's time of day)."""
        return (self.go_live.date() - self.start).days

    @property
    def days(self) -> int:
        """Simulated days in all, before and after go-live."""
        return self.days_before + 7 * self.weeks_after


class OpeningHours(Strict):
    """Hours a service is open by kind of day; a missing entry means closed that kind of day."""

    weekdays: TimeRange | None = None
    saturday: TimeRange | None = None
    sunday: TimeRange | None = None

    def on(self, kind: str) -> tuple[int, int] | None:
        """Opening and closing minute after midnight on a day of this kind, or None if closed."""
        hours = self.weekdays if kind == "weekday" else getattr(self, kind)
        if hours is None:
            return None
        return time_of_day_minutes(hours[0]), time_of_day_minutes(hours[1])


class TimeBlock(Strict):
    """Working time on the selected kinds of day, from `start` to `end` (same day)."""

    days: DaySelector = "weekdays"
    start: TimeOfDay
    end: TimeOfDay

    @field_validator("end")
    @classmethod
    def _ends_after_start(cls, end: str, info: ValidationInfo) -> str:
        start = info.data.get("start")
        if start is not None and time_of_day_minutes(end) <= time_of_day_minutes(start):
            raise ValueError(
                f"the shift ends at {end}, not after it starts at {start} "
                "(split a night shift at midnight)"
            )
        return end

    @property
    def start_minutes(self) -> int:
        return time_of_day_minutes(self.start)

    @property
    def end_minutes(self) -> int:
        return time_of_day_minutes(self.end)

    def runs_on(self, kind: str) -> bool:
        """Whether the block is worked on a day of this kind."""
        return kind in SELECTED_DAY_KINDS[self.days]


class Shift(TimeBlock):
    """A shift worked by `staff` people of a group simulated one by one."""

    staff: Headcount


class RestShift(TimeBlock):
    """A shift of the aggregate staff, as a share of their headcount."""

    headcount_share: Share


class DayVolumes(Strict):
    """Expected demand on each kind of day."""

    weekdays: PerDay
    saturday: PerDay = 0.0
    sunday: PerDay = 0.0

    def on(self, kind: str) -> float:
        return self.weekdays if kind == "weekday" else float(getattr(self, kind))


def _not_week_zero(weeks: tuple[int, ...]) -> tuple[int, ...]:
    if 0 in weeks:
        raise ValueError("there is no week 0: week 1 starts at go-live, the week before is -1")
    return weeks


WeekList = Annotated[tuple[Annotated[int, Field(ge=-52, le=104)], ...],
                     AfterValidator(_not_week_zero)]
"""Contract week numbers (1 = the first week from go-live, -1 the week before)."""


class ExtraStaff(Strict):
    """People added to every shift of a service in the given weeks (temps, overtime, loans)."""

    weeks: WeekList = Field(min_length=1)
    staff: int = Field(ge=1, le=MAX_STAFF)


class ReducedOpening(Strict):
    """Shorter opening hours of the phone line in the given weeks (a planned mitigation)."""

    weeks: WeekList = Field(min_length=1)
    opening_hours: OpeningHours


class FewerVisits(Strict):
    """A share of the non-critical home visits left out of the plan in the given weeks."""

    weeks: WeekList = Field(min_length=1)
    non_critical_share: Share


class FewerCalls(Strict):
    """A share of the phone line's calls planned away in the given weeks (activity reduction)."""

    weeks: WeekList = Field(min_length=1)
    share: Share


MAX_EXTRA_CALLS_SHARE = 10.0
"""Extra calls in a week as a share of the usual: eleven times the usual volume is a typo."""


class ExtraCalls(Strict):
    """Calls the go-live itself causes in the given weeks, as a share of the usual volume."""

    weeks: WeekList = Field(min_length=1)
    share: float = Field(ge=0, le=MAX_EXTRA_CALLS_SHARE)


MAX_RETURN_AFTER_DAYS = 365
"""Days before a case not accepted comes back: a year, beyond which it is another case."""


class FewerCases(Strict):
    """A share of the ordinary (non-urgent) cases not accepted in the given weeks; they come
    back `return_after_days` later, or never (handled elsewhere) when it is not given."""

    weeks: WeekList = Field(min_length=1)
    ordinary_share: Share
    return_after_days: float | None = Field(default=None, ge=0, le=MAX_RETURN_AFTER_DAYS)


class Cover(Strict):
    """Substitutes (vikarer) who take the shifts of released superusers and of absent staff.

    Each regular position has its own substitute, with their own training state and hands-on
    hours; a shift left by a released superuser or by an absent person is covered with the share
    given (0: nobody replaces them, today's default).
    """

    released_share: Share = 0.0
    absent_share: Share = 0.0
    trained_share: Share | None = None

    @property
    def active(self) -> bool:
        """Whether anyone is ever covered."""
        return self.released_share > 0 or self.absent_share > 0


MAX_FAULT_PERIODS = 104
"""Weeks (or days) after go-live a fault rate can be given for: two years."""
FaultShares = Annotated[tuple[Share, ...], Field(max_length=MAX_FAULT_PERIODS)]
"""Shares by week (or day) after go-live, the first for week (day) 1; none after the last."""
PERIOD_SUFFIXES = ("_by_week", "_by_day")
"""Endings of the keys of a faults table that give a share per week (or day) after go-live."""


def share_after_go_live(shares: tuple[float, ...], period: int) -> float:
    """The share of week (or day) `period` after go-live (1 = the first), 0 outside the list."""
    return shares[period - 1] if 1 <= period <= len(shares) else 0.0


class AccessFaults(Strict):
    """System faults that are not user errors, from go-live on (docs/model.md, "System faults"):
    a person starting a shift meets an access or printing problem with the day's share and needs
    the support desk, however well trained. The default raises none. The faults of the phone
    line and of the rest of the staff."""

    access_problem_share_by_day: FaultShares = ()

    @property
    def active(self) -> bool:
        """Whether any fault is ever raised."""
        return any(any(value > 0 for value in shares) for name, shares in self
                   if name.endswith(PERIOD_SUFFIXES))


class Faults(AccessFaults):
    """Faults of a service with a work list: also a work-list item (a visit, a case) lost with
    the week's share and dropped unless someone notices."""

    lost_item_share_by_week: FaultShares = ()
    lost_item_noticed_share: Share = 0.0


class VisitFaults(Faults):
    """Faults of home care: also discrepancies in a visit's medication list."""

    medication_discrepancy_share_by_week: FaultShares = ()


class CaseFaults(Faults):
    """Faults of case handling: also messages misrouted, which delay a case's start."""

    misrouted_share_by_week: FaultShares = ()
    misrouted_delay_days: Distribution = Fixed(dist="fixed", value=0.0)


def extra_staff_in_week(extras: tuple[ExtraStaff, ...], week: int) -> int:
    """People added to each shift in contract week `week`."""
    return sum(e.staff for e in extras if week in e.weeks)


def most_extra_staff(extras: tuple[ExtraStaff, ...]) -> int:
    """The most people added to each shift in any one week (sizes the pool of people)."""
    return max((extra_staff_in_week(extras, w) for e in extras for w in e.weeks), default=0)


class LearningCurve(Strict):
    """Where a person's slowness and chance of getting stuck start at go-live and where they end."""

    multiplier_at_go_live: float = Field(ge=1, le=20)
    multiplier_floor: float = Field(default=1.0, ge=1, le=20)
    stuck_probability_at_go_live: Share = 0.0
    stuck_probability_floor: Share = 0.0

    @field_validator("multiplier_floor", "stuck_probability_floor")
    @classmethod
    def _floor_not_above_go_live(cls, floor: float, info: ValidationInfo) -> float:
        start_key = info.field_name.replace("_floor", "_at_go_live") if info.field_name else ""
        start = info.data.get(start_key)
        if start is not None and floor > start:
            raise ValueError(f"the floor {floor} is above the go-live value {start} "
                             f"({start_key}): nobody gets worse with practice")
        return floor


class Learning(Strict):
    """How proficiency on the new system grows with a person's own hands-on hours."""

    curve: Literal["exponential", "power"] = "exponential"
    half_life_hours: float = Field(default=10.0, gt=0)
    power_exponent: float = Field(default=0.4, gt=0, le=3)
    power_scale_hours: float = Field(default=1.0, gt=0)
    trained: LearningCurve
    untrained: LearningCurve


class StaffGroup(Strict):
    """What the people of one group share: training, superusers, absence and how they learn."""

    trained_share: Share = 1.0
    superuser_share: Share = 0.0
    sick_leave_share: Share = 0.0
    learning: Learning | None = None


class Phone(Strict):
    """The phone line for citizens and relatives."""

    staff: StaffGroup = StaffGroup()
    shifts: tuple[Shift, ...] = Field(min_length=1, max_length=MAX_SHIFTS)
    opening_hours: OpeningHours
    calls_per_day: DayVolumes
    weekday_factors: tuple[Weight, Weight, Weight, Weight, Weight] = (1.0, 1.0, 1.0, 1.0, 1.0)
    hourly_profile: tuple[Weight, ...] = Field(
        default=(1.0,) * 24, min_length=24, max_length=24
    )
    talk_time_minutes: Distribution
    system_time_minutes: Distribution = Fixed(dist="fixed", value=0.0)
    patience_minutes: Distribution | None = None
    redial_probability: Share = 0.0
    redial_delay_minutes: Distribution = Exponential(dist="exponential", mean=10.0)
    service_level_seconds: float = Field(default=120.0, gt=0)
    extra_staff: tuple[ExtraStaff, ...] = ()
    reduced_opening: tuple[ReducedOpening, ...] = ()
    fewer_calls: tuple[FewerCalls, ...] = ()
    extra_calls: tuple[ExtraCalls, ...] = ()
    closed_dates: tuple[dt.date, ...] = ()
    """Dates this service alone treats as Sundays (the calendar's extra_closed_dates: all)."""
    cover: Cover = Cover()
    faults: AccessFaults = AccessFaults()

    @property
    def headcount(self) -> int:
        """Agents simulated one by one: the shifts' staff plus the most extra staff ever added."""
        return _headcount(self.shifts, self.extra_staff)

    @field_validator("hourly_profile")
    @classmethod
    def _profile_not_all_zero(cls, profile: tuple[float, ...]) -> tuple[float, ...]:
        if sum(profile) <= 0:
            raise ValueError("the hourly profile must have some positive weight")
        return profile

    @model_validator(mode="after")
    def _redials_take_time(self) -> Phone:
        if self.redial_probability > 0 and self.patience_minutes is not None:
            cycle = self.patience_minutes.mean_value + self.redial_delay_minutes.mean_value
            if cycle < MIN_REDIAL_CYCLE_MINUTES:
                raise ValueError(
                    f"redial_delay_minutes with patience_minutes: a caller who hangs up and "
                    f"redials takes {cycle:g} minutes on average (mean patience + mean redial "
                    f"delay); accepted: at least {MIN_REDIAL_CYCLE_MINUTES:g} minute, or "
                    "redial_probability = 0")
        return self


def _headcount(shifts: tuple[Shift, ...], extras: tuple[ExtraStaff, ...]) -> int:
    return sum(shift.staff for shift in shifts) + most_extra_staff(extras) * len(shifts)


MAX_OVERTIME_MINUTES = 240
"""Overtime a case handler works after one shift: half a shift more is already a long day."""


class Reinforcement(Strict):
    """Overtime and temporary handlers for the case office on each day that starts with more
    than `backlog_above` cases open."""

    backlog_above: int = Field(ge=0, le=MAX_PER_DAY)
    overtime_minutes_per_shift: float = Field(default=0.0, ge=0, le=MAX_OVERTIME_MINUTES)
    temp_handlers_per_shift: Headcount = 0


class Cases(Strict):
    """Case handling: applications for services and the decisions on them."""

    staff: StaffGroup = StaffGroup()
    shifts: tuple[Shift, ...] = Field(min_length=1, max_length=MAX_SHIFTS)
    cases_per_day: DayVolumes
    arrival_hours: TimeRange = ("08:00", "16:00")
    urgent_share: Share = 0.0
    urgent_deadline_days: float = Field(gt=0)
    ordinary_deadline_days: float = Field(gt=0)
    work_hours: Distribution
    system_work_share: Share = 0.5
    initial_backlog: int = Field(default=0, ge=0, le=MAX_PER_DAY)
    initial_backlog_age_days: Distribution = Fixed(dist="fixed", value=0.0)
    initial_backlog_urgent_age_days: Distribution | None = None
    """Ages of the urgent cases of the initial backlog (default: initial_backlog_age_days, which
    then gives the ordinary cases' ages)."""
    initial_backlog_urgent_share: Share = 0.0
    extra_staff: tuple[ExtraStaff, ...] = ()
    fewer_cases: tuple[FewerCases, ...] = ()
    reinforcement: Reinforcement | None = None
    closed_dates: tuple[dt.date, ...] = ()
    """Dates this service alone treats as Sundays (the calendar's extra_closed_dates: all)."""
    cover: Cover = Cover()
    faults: CaseFaults = CaseFaults()

    @property
    def headcount(self) -> int:
        """Handlers simulated one by one, extra staff and temporary handlers included."""
        temps = self.reinforcement.temp_handlers_per_shift if self.reinforcement else 0
        return _headcount(self.shifts, self.extra_staff) + temps * len(self.shifts)


class VisitShift(TimeBlock):
    """A home-care shift: routes per district and the share of the day's visits it carries."""

    routes_per_district: Headcount
    visit_share: Share


class HomeVisits(Strict):
    """Home nursing and home care: a daily plan of visits per route, run by nurses in order."""

    staff: StaffGroup = StaffGroup()
    districts: int = Field(ge=1, le=MAX_DISTRICTS)
    nurses_per_district: Headcount
    shifts: tuple[VisitShift, ...] = Field(min_length=1, max_length=MAX_SHIFTS)
    visits_per_day: DayVolumes
    planned_start_profile: tuple[Weight, ...] = Field(
        default=(1.0,) * 24, min_length=24, max_length=24
    )
    critical_share: Share = 0.0
    travel_minutes: Distribution
    care_minutes: Distribution
    documentation_minutes: Distribution
    allowed_earliness_minutes: float = Field(default=15.0, ge=0)
    allowed_overtime_minutes: float = Field(default=30.0, ge=0)
    late_threshold_minutes: float = Field(default=30.0, gt=0)
    critical_late_threshold_minutes: float = Field(default=30.0, gt=0)
    deferred_documentation_share: Share = 0.0
    postpone_non_critical_when_late_minutes: float | None = Field(default=None, ge=0)
    escalated_visits_per_shift: int = Field(default=0, ge=0)
    extra_staff: tuple[ExtraStaff, ...] = ()
    fewer_visits: tuple[FewerVisits, ...] = ()
    closed_dates: tuple[dt.date, ...] = ()
    """Dates this service alone treats as Sundays (the calendar's extra_closed_dates: all)."""
    cover: Cover = Cover()
    faults: VisitFaults = VisitFaults()

    @field_validator("shifts")
    @classmethod
    def _shifts_fit_the_district(cls, shifts: tuple[VisitShift, ...], info: ValidationInfo
                                 ) -> tuple[VisitShift, ...]:
        nurses = info.data.get("nurses_per_district")
        for kind in ("weekday", "saturday", "sunday"):
            running = [s for s in shifts if s.runs_on(kind)]
            total = sum(s.visit_share for s in running)
            if total and abs(total - 1.0) > 1e-6:
                raise ValueError(f"the visit_share of the shifts running on a {kind} add up to "
                                 f"{total:g}, not 1")
            routes = sum(s.routes_per_district for s in running)
            if nurses is not None and routes > nurses:
                raise ValueError(f"a {kind} needs {routes} nurses for its routes, more than the "
                                 f"{nurses} nurses_per_district")
        return shifts

    @model_validator(mode="after")
    def _every_visit_has_a_shift_and_an_hour(self) -> HomeVisits:
        for kind in ("weekday", "saturday", "sunday"):
            running = [s for s in self.shifts if s.runs_on(kind)]
            if self.visits_per_day.on(kind) > 0 and not running:
                raise ValueError(f"visits are planned on a {kind} but no shift runs then")
        for shift in self.shifts:
            window = self.planned_start_profile[shift.start_minutes // 60:
                                                -(-shift.end_minutes // 60)]
            if not any(window):
                raise ValueError(f"planned_start_profile has no weight in the shift "
                                 f"{shift.start}-{shift.end}")
        return self

    @property
    def headcount(self) -> int:
        """Nurses simulated one by one, extra staff included."""
        extra = most_extra_staff(self.extra_staff) * len(self.shifts)
        return self.districts * (self.nurses_per_district + extra)


class Superusers(Strict):
    """Colleagues trained further who help others on the spot."""

    release_weeks: int = Field(default=3, ge=0, le=52)
    released_share_per_day: Share = 1.0
    available_share_after_release: Share = 0.0
    resolvable_share: Share = 1.0
    help_time_minutes: Distribution
    teaching_hours_per_help_hour: float = Field(default=0.0, ge=0, le=10)
    help_hours: Literal["around_the_clock", "unit_shifts"] = "around_the_clock"


class SupportDesk(Strict):
    """The support centre: a queue of stuck employees served by desk agents."""

    base_agents: Headcount
    surge_agents: Headcount = 0
    surge_weeks: int = Field(default=0, ge=0, le=52)
    opening_hours: OpeningHours
    handling_time_minutes: Distribution
    patience_minutes: Distribution | None = None
    workaround_minutes: Distribution
    callback_share: Share = 0.0


MAX_INTENSIVE_SUPPORT_DAYS = 364
"""Days intensive support may last at most: a year is no longer a go-live."""


class IntensiveSupport(Strict):
    """A rule that ends intensive support (the desk's surge agents and the superusers' release)
    when the desk is quiet enough, instead of on the fixed dates of `surge_weeks` and
    `release_weeks`: never before `min_days` and never after `max_days` (days from go-live's
    date, which is day 1)."""

    min_days: int = Field(ge=1, le=MAX_INTENSIVE_SUPPORT_DAYS)
    max_days: int = Field(ge=1, le=MAX_INTENSIVE_SUPPORT_DAYS)
    window_days: int = Field(default=3, ge=1, le=28)
    desk_requests_per_day_below: float | None = Field(default=None, ge=0, le=MAX_PER_DAY)
    desk_wait_minutes_below: float | None = Field(default=None, ge=0, le=MINUTES_PER_DAY)

    @model_validator(mode="after")
    def _a_level_in_order(self) -> IntensiveSupport:
        if self.max_days < self.min_days:
            raise ValueError(f"max_days {self.max_days} is before min_days {self.min_days}")
        if self.desk_requests_per_day_below is None and self.desk_wait_minutes_below is None:
            raise ValueError("give desk_requests_per_day_below, desk_wait_minutes_below or both: "
                             "the level the desk must fall below for intensive support to end")
        return self


class RestOfStaff(Strict):
    """The staff not simulated one by one: an aggregate stream of help requests."""

    staff: StaffGroup
    shifts: tuple[RestShift, ...] = Field(min_length=1, max_length=MAX_SHIFTS)
    unit_headcount: int = Field(default=50, ge=1, le=MAX_STAFF_SWITCHING)
    system_work_hours_per_shift: float = Field(gt=0, le=24)
    system_tasks_per_hour: float = Field(gt=0, le=MAX_TASKS_PER_HOUR)
    faults: AccessFaults = AccessFaults()


class Organisation(Strict):
    """The organisation that switches systems."""

    staff_switching: int = Field(ge=0, le=MAX_STAFF_SWITCHING)


class ServiceStandards(Strict):
    """Thresholds a service must meet each week to be responsible; `min_<metric>` is a floor,
    `max_<metric>` a ceiling on the weekly value of that metric. Unset keys are not standards."""

    def rules(self) -> list[tuple[str, str, float]]:
        """(metric, "at_least" or "at_most", threshold) for every standard that is set."""
        return [(name[4:], "at_least" if name.startswith("min_") else "at_most", value)
                for name, value in self if value is not None]


class PhoneStandards(ServiceStandards):
    min_service_level: Share | None = None
    max_abandon_share: Share | None = None


class CaseStandards(ServiceStandards):
    max_overdue_share: Share | None = None
    max_urgent_overdue_share: Share | None = None
    max_deviations_per_1000_cases: float | None = Field(default=None, ge=0)


class VisitStandards(ServiceStandards):
    max_late_share: Share | None = None
    max_critical_late_share: Share | None = None
    max_missed_share: Share | None = None
    max_deviations_per_1000_visits: float | None = Field(default=None, ge=0)


class SupportStandards(ServiceStandards):
    max_desk_asa_minutes: float | None = Field(default=None, ge=0)
    max_desk_abandon_share: Share | None = None


class Standards(Strict):
    """What "responsible" (forsvarlig) means for this scenario, service by service.

    A week is responsible for a standard when the share of replications meeting it is at least
    `confidence`, at risk when at least `at_risk_share`, and not responsible below (design 3).
    """

    confidence: float = Field(default=0.9, gt=0.5, le=1)
    at_risk_share: float = Field(default=0.5, ge=0, le=1)
    phone: PhoneStandards | None = None
    cases: CaseStandards | None = None
    home_visits: VisitStandards | None = None
    support: SupportStandards | None = None

    def rules(self) -> list[tuple[str, str, str, float]]:
        """(service, metric, rule, threshold) of every standard, service by service."""
        return [(service, *rule) for service in ("phone", "cases", "home_visits", "support")
                if (standards := getattr(self, service)) is not None
                for rule in standards.rules()]


MAX_LEVERS = 12
"""Levers of one scenario: more than a page can list."""


def _check_key_path(path: str) -> str:
    from sim.paths import PathError, parse_path

    try:
        steps = parse_path(path)
    except PathError as e:
        raise ValueError(str(e)) from None
    if steps[0] == "levers":
        raise ValueError("a lever cannot change the [levers] table itself")
    return path


class LeverRange(Strict):
    """A lever the forecast works through ("What would make it responsible"): a scenario key by
    path, the range of values to try, and the cost of one unit of it."""

    path: Annotated[str, AfterValidator(_check_key_path)]
    min: float
    max: float
    step: float | None = Field(default=None, gt=0)
    unit_cost: NonNegative | None = None
    label: Text = ""
    label_nb: Text = ""

    @field_validator("max")
    @classmethod
    def _max_not_below_min(cls, high: float, info: ValidationInfo) -> float:
        low = info.data.get("min")
        if low is not None and high < low:
            raise ValueError(f"max {high:g} is below min {low:g}")
        return high


SERVICES = ("phone", "cases", "home_visits")
"""The services a scenario may simulate, in the order they are reported."""


class Scenario(Strict):
    """One simulated go-live: calendar, support, the services it runs, and its organisation."""

    name: Annotated[str, AfterValidator(_check_name)]
    title: Text = ""
    title_nb: Text = ""
    description: Text = ""
    description_nb: Text = ""
    calendar: Calendar
    superusers: Superusers | None = None
    support_desk: SupportDesk | None = None
    intensive_support: IntensiveSupport | None = None
    rest_of_staff: RestOfStaff | None = None
    phone: Phone | None = None
    cases: Cases | None = None
    home_visits: HomeVisits | None = None
    standards: Standards = Standards()
    organisation: Organisation = Field(default=Organisation(staff_switching=0),
                                       validate_default=True)
    levers: Annotated[dict[Annotated[str, AfterValidator(_check_name)], LeverRange],
                      Field(min_length=1, max_length=MAX_LEVERS)] | None = None
    uncertainty: dict[str, Plausible] | None = Field(default=None,
                                                     max_length=MAX_UNCERTAIN_KEYS)
    """Keys whose values are uncertain, by path, with their plausible values (sim.uncertainty):
    each replication draws its own."""

    @field_validator("organisation")
    @classmethod
    def _headcount_covers_simulated_staff(
        cls, organisation: Organisation, info: ValidationInfo
    ) -> Organisation:
        individual = sum(service.headcount for name in SERVICES
                         if (service := info.data.get(name)) is not None)
        if info.data.get("rest_of_staff") is not None and organisation.staff_switching < individual:
            raise ValueError(
                f"staff_switching {organisation.staff_switching} is less than the "
                f"{individual} staff simulated one by one in the services"
            )
        return organisation

    @model_validator(mode="after")
    def _has_a_service(self) -> Scenario:
        if not self.services:
            raise ValueError("the scenario simulates no service: add a [phone], [cases] or "
                             "[home_visits] table")
        return self

    @model_validator(mode="after")
    def _intensive_support_watches_a_desk(self) -> Scenario:
        if self.intensive_support is not None and self.support_desk is None:
            raise ValueError("intensive_support: the rule ends by what the support desk sees; "
                             "add a [support_desk] table, or remove [intensive_support]")
        return self

    @model_validator(mode="after")
    def _levers_name_keys(self) -> Scenario:
        from sim.paths import PathError, get_path

        if not self.levers:
            return self
        data = self.model_dump(mode="python", exclude_none=True)
        for name, lever in self.levers.items():
            try:
                get_path(data, lever.path)
            except PathError as e:
                raise ValueError(f"levers.{name}.path: {e}; a lever changes a key the scenario "
                                 "has") from None
        return self

    @model_validator(mode="after")
    def _uncertain_keys_are_numbers(self) -> Scenario:
        if self.uncertainty:
            check_uncertain_keys(self)
        return self

    def display_title(self, lang: str) -> str:
        """The title a report prints: `title_nb` in Norwegian, else `title`, else the name."""
        return (self.title_nb if lang == "nb" and self.title_nb else "") or self.title or self.name

    def describe(self, lang: str) -> str:
        """The description in the report's language, English where no translation is given."""
        return self.description_nb if lang == "nb" and self.description_nb else self.description

    @property
    def services(self) -> dict[str, Phone | Cases | HomeVisits]:
        """The services this scenario simulates, by name, in a fixed order."""
        return {name: service for name in SERVICES
                if (service := getattr(self, name)) is not None}

    @property
    def individual_headcount(self) -> int:
        """Staff simulated one by one, across the services."""
        return sum(service.headcount for service in self.services.values())

    @property
    def rest_headcount(self) -> int:
        """Staff represented by the aggregate help-request stream."""
        return max(self.organisation.staff_switching - self.individual_headcount, 0)


def vary(scenario: Scenario, changes: dict[str, object]) -> Scenario:
    """A new, validated scenario with values replaced by key path (`phone.staff.trained_share`,
    list entries by index: `phone.shifts[0].staff`; grammar in `sim.paths`).

    The original is left as it was (scenarios are immutable), so sweeps never share state. A key
    given a value here (or inside a table given here) leaves the `[uncertainty]` table: it is no
    longer drawn, so the value holds.
    """
    from sim.paths import PathError, lists_writable, parse_path, set_path
    from sim.scenario_file import Problem, ScenarioError, key_path_hint, scenario_from_dict

    data = lists_writable(scenario.model_dump(mode="python", exclude_none=True))
    new_tables = []
    for path, value in changes.items():
        try:
            hint = key_path_hint(parse_path(path))
            if hint:
                raise PathError(f"{path}: {hint}")
            new_tables.append(set_path(data, path, value))
        except PathError as e:
            raise ScenarioError("vary", [Problem(path, str(e).removeprefix(f"{path}: "))]) from None
    if isinstance(data.get("uncertainty"), dict):  # a key given a value is no longer drawn
        data["uncertainty"] = still_uncertain(data["uncertainty"], list(changes)) or None
    try:
        return scenario_from_dict(data, source=f"vary of {scenario.name!r}")
    except ScenarioError as e:
        for table in dict.fromkeys(t for t in new_tables if t is not None):
            if any(p.path.startswith(f"{table}.") for p in e.problems):
                e.problems.append(Problem(table, (
                    f"the scenario has no [{table}] table, so one key alone cannot make it: set "
                    f"the whole table as an inline table ({table}={{...}}), or add it to a "
                    "scenario file that extends this one")))
        raise
