"""Getting unstuck: who resolves a stuck employee's request under extreme staffing."""

from __future__ import annotations

import datetime as dt

import pytest

import sim
from sim.scenario import vary
from tests.conftest import SCENARIOS


def _week_one(scenario: sim.Scenario, seed: int = 2) -> dict[str, float]:
    weekly = sim.run(scenario, replications=1, seed=seed, jobs=1).weekly
    rows = weekly[(weekly.service == "support") & (weekly.week == 1)]
    return dict(zip(rows.metric, rows.value, strict=True))


@pytest.fixture(scope="module")
def one_week(trondheim):
    return vary(trondheim, {"calendar.start": dt.date(2022, 5, 7), "calendar.weeks_after": 1})


def test_without_desk_agents_or_superusers_every_request_ends_in_a_workaround(one_week):
    scenario = vary(one_week, {"support_desk.base_agents": 0, "support_desk.surge_agents": 0,
                               "rest_of_staff.staff.superuser_share": 0.0,
                               "phone.staff.superuser_share": 0.0,
                               "home_visits.staff.superuser_share": 0.0,
                               "cases.staff.superuser_share": 0.0})
    week = _week_one(scenario)
    assert week["requests"] > 1000
    assert week["given_up"] == week["requests"]
    assert week["resolved_by_desk"] == week["resolved_by_superuser"] == 0


def test_zero_desk_agents_send_those_no_superuser_helps_to_the_workaround(one_week):
    week = _week_one(vary(one_week, {"support_desk.base_agents": 0,
                                     "support_desk.surge_agents": 0}))
    assert week["resolved_by_superuser"] > 0
    assert week["resolved_by_desk"] == 0
    assert week["given_up"] == week["requests"] - week["resolved_by_superuser"] - week[
        "open_at_end"]


def test_superusers_who_can_resolve_everything_leave_nothing_for_the_desk(one_week):
    """Access and printing problems (system faults) need the desk whatever the superusers can do,
    so they are switched off here."""
    scenario = vary(one_week, {"superusers.resolvable_share": 1.0,
                               "superusers.released_share_per_day": 1.0,
                               "superusers.help_hours": "around_the_clock",
                               "rest_of_staff.staff.superuser_share": 1.0,
                               "phone.staff.superuser_share": 1.0,
                               **{f"{group}.faults.access_problem_share_by_day": [] for group in
                                  ("home_visits", "cases", "phone", "rest_of_staff")}})
    week = _week_one(scenario)
    assert week["requests"] > 1000
    assert week["superuser_resolved_share"] == 1.0


def test_the_old_system_generates_no_help_requests(no_golive):
    week = _week_one(vary(no_golive, {"calendar.weeks_after": 1}))
    assert week["requests"] == 0 and week["staff_hours_lost"] == 0


def test_a_stuck_phone_agent_spends_the_desk_time_while_the_caller_holds():
    """Every call leaves its agent stuck; a desk agent is always free: 10 min lost per call."""
    base = sim.load_scenario(SCENARIOS / "validation" / "erlang-c.toml")
    always_stuck = {"multiplier_at_go_live": 1.0, "stuck_probability_at_go_live": 1.0,
                    "stuck_probability_floor": 1.0}
    around_the_clock = {"weekdays": ("00:00", "24:00"), "saturday": ("00:00", "24:00"),
                        "sunday": ("00:00", "24:00")}
    scenario = vary(base, {
        "calendar.new_system": True,
        "phone.calls_per_day": {"weekdays": 720, "saturday": 720, "sunday": 720},
        "phone.staff": {"learning": {"trained": always_stuck, "untrained": always_stuck}},
        "support_desk": {"base_agents": 10, "opening_hours": around_the_clock,
                         "handling_time_minutes": {"dist": "fixed", "value": 10},
                         "patience_minutes": {"dist": "fixed", "value": 1000},
                         "workaround_minutes": {"dist": "fixed", "value": 0}},
    })
    weekly = sim.run(scenario, replications=1, seed=1, jobs=1).weekly
    week = dict(zip(weekly.metric, weekly.value, strict=True))
    assert week["requests"] == pytest.approx(week["calls_answered"], abs=10)
    assert week["resolved_by_desk"] == week["requests"] - week["open_at_end"]
    assert week["desk_asa_minutes"] == 0
    assert week["staff_hours_lost"] == pytest.approx(week["resolved_by_desk"] * 10 / 60, abs=2)


@pytest.mark.parametrize(("superusers", "share", "index"), [(1, 0.5, 0), (7, 0.5, 3), (7, 0.1, 5)])
def test_the_release_rota_releases_each_superuser_their_share_of_the_days(superusers, share,
                                                                          index):
    """Whatever the unit's offset, over 3 weeks each superuser is released on about `share` of
    the days (a unit of one with 0.5 every other day, not never), and all take their turns."""
    from sim.calendar import SimCalendar
    from sim.scenario import Calendar, Superusers
    from sim.support import SuperuserUnit

    calendar = SimCalendar(Calendar(start=dt.date(2022, 5, 7), go_live=dt.datetime(2022, 5, 7),
                                    weeks_after=3))
    spec = Superusers(release_weeks=3, released_share_per_day=share,
                      help_time_minutes={"dist": "fixed", "value": 10})
    unit = SuperuserUnit("unit", superusers, 1.0, index)
    days_released = [0] * superusers
    for day_index, (day, _) in enumerate(calendar.dates()):
        unit.plan_day(spec, calendar.in_first_weeks(day, spec.release_weeks), day_index)
        assert unit.capacity == len(unit.released)
        for i in unit.released:
            days_released[i] += 1
    assert sum(days_released) == pytest.approx(21 * superusers * share, abs=1)
    assert max(days_released) - min(days_released) <= 1
