"""Nothing is lost: every call and every help request ends in exactly one recorded outcome.

Outcomes are counted at different places in the code (answer, hang-up, end-of-run queue scan), so
these identities fail if a path drops, duplicates or misattributes a call or a request.
"""

from __future__ import annotations

import pandas as pd
import pytest

import sim
from sim.scenario import vary
from tests.conftest import SCENARIOS


@pytest.fixture(scope="module")
def daily(trondheim) -> pd.DataFrame:
    # A go-live with a short tail keeps the test quick; desk closed at night, surge ends in week 3.
    scenario = vary(trondheim, {"calendar.weeks_after": 4})
    results = sim.run(scenario, replications=3, seed=3, jobs=1)
    return results.daily.pivot_table(index=["replication", "day", "service"], columns="metric",
                                     values="value")


def test_every_call_is_answered_abandoned_or_still_waiting_each_day(daily):
    phone = daily.xs("phone", level="service")
    assert phone["calls_offered"].sum() > 10_000
    outcomes = phone["calls_answered"] + phone["calls_abandoned"] + phone["calls_waiting_at_end"]
    pd.testing.assert_series_equal(phone["calls_offered"], outcomes, check_names=False)


def test_every_help_request_is_resolved_given_up_or_still_open_each_day(daily):
    support = daily.xs("support", level="service")
    assert support["requests"].sum() > 1_000
    assert support["given_up"].sum() > 0 and support["resolved_by_desk"].sum() > 0
    outcomes = (support["resolved_by_superuser"] + support["resolved_by_desk"]
                + support["given_up"] + support["open_at_end"])
    pd.testing.assert_series_equal(support["requests"], outcomes, check_names=False)


def test_calls_left_waiting_at_the_end_of_the_run_are_counted():
    """Around the clock some callers are still queued when the run stops: they count as waiting."""
    scenario = sim.load_scenario(SCENARIOS / "validation" / "erlang-c.toml")
    weekly = sim.run(scenario, replications=4, seed=7, jobs=1).weekly.query("service == 'phone'")
    phone = weekly.pivot_table(index="replication", columns="metric", values="value")
    assert phone["calls_waiting_at_end"].sum() > 0
    outcomes = phone["calls_answered"] + phone["calls_abandoned"] + phone["calls_waiting_at_end"]
    pd.testing.assert_series_equal(phone["calls_offered"], outcomes, check_names=False)
