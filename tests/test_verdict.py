"""The verdict at its boundaries: thresholds, confidence, one replication, no demand, headline."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import sim
from sim.experiment import summarise
from sim.scenario import vary
from sim.verdict import AT_RISK, NOT_RESPONSIBLE, RESPONSIBLE, compute_verdict, with_standards
from tests.conftest import SCENARIOS


@pytest.fixture(scope="module")
def scenario():
    base = sim.load_scenario(SCENARIOS / "validation" / "erlang-a.toml")
    return vary(base, {"calendar.weeks_after": 4, "standards": {
        "confidence": 0.9, "phone": {"min_service_level": 0.8, "max_abandon_share": 0.1}}})


def _weekly(values: dict[int, list[float]], metric: str = "service_level",
            other: float = 0.0) -> pd.DataFrame:
    """A weekly table: `metric` takes the given values per week, one per replication; the other
    standard's metric is always met."""
    rows = []
    for week, per_replication in values.items():
        for replication, value in enumerate(per_replication):
            rows.append((replication, week, "phone", metric, value))
            rows.append((replication, week, "phone", "abandon_share", other))
    return pd.DataFrame(rows, columns=["replication", "week", "service", "metric", "value"])


def _phone(verdict, week):
    entry = next(w for w in verdict["weeks"] if w["week"] == week)["services"]["phone"]
    return entry, entry["standards"][0]


def test_a_value_exactly_at_the_threshold_meets_the_standard(scenario):
    verdict = compute_verdict(_weekly({1: [0.8] * 10}), scenario)
    assert _phone(verdict, 1)[1]["meets_share"] == 1.0
    ceiling = compute_verdict(_weekly({1: [0.9] * 10}, other=0.1), scenario)
    assert _phone(ceiling, 1)[1]["meets_share"] == 1.0 and _phone(ceiling, 1)[0]["status"] == (
        RESPONSIBLE)


def test_a_meets_share_exactly_at_the_confidence_is_responsible(scenario):
    nine_of_ten = compute_verdict(_weekly({1: [0.9] * 9 + [0.5]}), scenario)
    assert _phone(nine_of_ten, 1)[1]["meets_share"] == pytest.approx(0.9)
    assert _phone(nine_of_ten, 1)[0]["status"] == RESPONSIBLE
    eight_of_ten = compute_verdict(_weekly({1: [0.9] * 8 + [0.5] * 2}), scenario)
    assert _phone(eight_of_ten, 1)[0]["status"] == AT_RISK


def test_half_of_the_futures_is_at_risk_and_fewer_not_responsible(scenario):
    assert _phone(compute_verdict(_weekly({1: [0.9, 0.5]}), scenario), 1)[0]["status"] == AT_RISK
    fewer = compute_verdict(_weekly({1: [0.9, 0.5, 0.5]}), scenario)
    assert _phone(fewer, 1)[0]["status"] == NOT_RESPONSIBLE


def test_one_replication_gives_all_or_nothing(scenario):
    assert _phone(compute_verdict(_weekly({1: [0.85]}), scenario), 1)[0]["status"] == RESPONSIBLE
    assert _phone(compute_verdict(_weekly({1: [0.75]}), scenario), 1)[0]["status"] == (
        NOT_RESPONSIBLE)


def test_every_replication_failing_is_not_responsible_with_no_future_meeting_it(scenario):
    entry, standard = _phone(compute_verdict(_weekly({1: [0.1] * 20}), scenario), 1)
    assert standard["meets_share"] == 0.0 and entry["status"] == NOT_RESPONSIBLE


def test_a_week_with_no_demand_gets_no_verdict_rather_than_a_false_one(scenario):
    """A holiday week closing the phone line: service level is undefined (NaN) in every future."""
    weekly = _weekly({1: [0.9] * 5, 2: [math.nan] * 5}, other=math.nan)
    verdict = compute_verdict(weekly, scenario)
    entry, standard = _phone(verdict, 2)
    assert standard["meets_share"] is None and entry["status"] is None
    assert next(w for w in verdict["weeks"] if w["week"] == 2)["status"] is None
    assert verdict["headline"]["phone"]["first_at_risk_week"] is None


def test_some_futures_without_demand_are_left_out_of_the_share(scenario):
    verdict = compute_verdict(_weekly({1: [0.9, 0.9, 0.5, math.nan]}), scenario)
    assert _phone(verdict, 1)[1]["meets_share"] == pytest.approx(2 / 3)


def test_the_headline_names_first_worst_and_recovery_week(scenario):
    weekly = _weekly({-1: [0.9] * 4, 1: [0.7, 0.9, 0.9, 0.9], 2: [0.1] * 4, 3: [0.85] * 4,
                      4: [0.9] * 4})
    headline = compute_verdict(weekly, scenario)["headline"]
    assert headline["phone"] == {"first_at_risk_week": 1, "worst_week": 2, "recovery_week": 3}
    assert headline["overall"] == headline["phone"]


def test_a_service_that_never_recovers_has_no_recovery_week(scenario):
    headline = compute_verdict(_weekly({1: [0.9] * 4, 2: [0.1] * 4}), scenario)["headline"]
    assert headline["phone"] == {"first_at_risk_week": 2, "worst_week": 2, "recovery_week": None}


def test_summary_rows_carry_their_standard_and_meets_share(scenario):
    weekly = _weekly({1: [0.9, 0.5]})
    summary = with_standards(summarise(weekly), compute_verdict(weekly, scenario))
    row = summary[(summary.metric == "service_level") & (summary.week == 1)].iloc[0]
    assert row["standard"] == ">= 0.8" and row["meets_share"] == 0.5
    assert (summary[summary.metric == "calls_offered"]["standard"] == "").all()
