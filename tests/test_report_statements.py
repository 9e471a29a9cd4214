"""What the forecast says, against cases worked by hand: a scenario without standards, one whose
every week is fully responsible, and one whose first week before go-live holds a single day; and
that the intervals of shares in summary.csv stay within [0, 1].

Each case builds the weekly table by hand (no simulation), so the expected headline, bullets and
verdict.json can be read off the table.
"""

from __future__ import annotations

import pandas as pd
import pytest

import sim
from sim.experiment import summarise
from sim.labels import label
from sim.report import answer_sentences, overall_sentence
from sim.scenario import vary
from sim.verdict import compute_verdict
from tests.conftest import ROOT

FAMILY = ROOT / "tests" / "scenarios"


@pytest.fixture(scope="module")
def phone_only():
    """The phone line alone, with one standard: at least 80 % answered in time."""
    return sim.load_scenario(FAMILY / "fjordvik-phone-spring.toml")


def _weekly(values: dict[int, list[float]], metric: str = "service_level") -> pd.DataFrame:
    """A weekly table of the phone line: `metric` per week, one value per replication."""
    return pd.DataFrame([(replication, week, "phone", metric, value)
                         for week, per_replication in values.items()
                         for replication, value in enumerate(per_replication)],
                        columns=["replication", "week", "service", "metric", "value"])


def test_without_standards_nothing_is_judged_and_the_forecast_says_so(phone_only):
    scenario = vary(phone_only, {"standards": {}})
    verdict = compute_verdict(_weekly({-1: [0.9], 1: [0.1], 2: [0.95]}), scenario)
    assert verdict["standards"] == []
    assert all(w["status"] is None and w["services"] == {} for w in verdict["weeks"])
    assert verdict["headline"] == {"overall": {"first_at_risk_week": None, "worst_week": None,
                                               "recovery_week": None}}
    for lang in ("en", "nb"):
        # one sentence, no claim that anything is responsible, no per-service "no standard" bullet
        assert answer_sentences(verdict, lang, ["phone"]) == [label("report.no_verdict", lang)]
    assert "responsible or not" in overall_sentence(verdict, "en")
    assert "stays responsible" not in overall_sentence(verdict, "en")


def test_every_week_fully_responsible_has_no_worst_week(phone_only):
    """Every future meets the standard in every week: no week is worse than another."""
    verdict = compute_verdict(_weekly({-1: [0.9, 0.95], 1: [0.85, 1.0], 2: [0.8, 0.9]}),
                              phone_only)
    assert [w["status"] for w in verdict["weeks"]] == ["responsible"] * 3
    quiet = {"first_at_risk_week": None, "worst_week": None, "recovery_week": None}
    assert verdict["headline"] == {"overall": quiet, "phone": quiet}
    assert answer_sentences(verdict, "en", ["phone"]) == [
        "Every service with a standard stays responsible in every week after go-live.",
        "Phone line: responsible in every week after go-live."]


def test_a_responsible_week_met_less_often_is_still_the_worst(phone_only):
    """Week 2 is responsible (9 in 10 futures) but met less often than week 1 (all): worst."""
    verdict = compute_verdict(_weekly({1: [0.9] * 10, 2: [0.9] * 9 + [0.5]}), phone_only)
    assert verdict["headline"]["phone"] == {"first_at_risk_week": None, "worst_week": 2,
                                            "recovery_week": None}


def test_a_week_before_go_live_of_one_day_gets_no_verdict_row(phone_only):
    """Start eight days before go-live: week -1 holds seven days, week -2 one; the one-day week
    stays in the tables but gets no verdict, so the front page cannot call it short."""
    go_live = phone_only.calendar.go_live
    scenario = vary(phone_only, {"calendar.start": go_live.date() - pd.Timedelta(days=8)})
    assert scenario.calendar.days_before == 8
    verdict = compute_verdict(_weekly({-2: [0.1], -1: [0.9], 1: [0.3], 2: [0.9]}), scenario)
    assert [w["week"] for w in verdict["weeks"]] == [-1, 1, 2]
    sentences = answer_sentences(verdict, "en", ["phone"])
    assert sentences == [
        "Not every service stays responsible after go-live: the first week that falls short is "
        "week 1 (from 8 March 2027), the worst is week 1, and every service is responsible again "
        "from week 2.",
        "Phone line: not responsible in week 1, responsible again from week 2. In week 1 the "
        "standard “Calls answered in time ≥ 80%” is met in 0% of simulated futures."]
    assert not any("Before go-live" in s for s in sentences)


def test_a_whole_week_before_go_live_that_falls_short_is_reported(phone_only):
    verdict = compute_verdict(_weekly({-1: [0.1], 1: [0.9]}), phone_only)
    assert answer_sentences(verdict, "en", ["phone"])[-1] == (
        "Before go-live (week −1), on the old systems, the standards are already not met for: "
        "phone line.")


def test_a_simulated_service_without_a_standard_gets_its_own_sentence(phone_only):
    verdict = compute_verdict(_weekly({1: [0.9]}), phone_only)
    sentences = answer_sentences(verdict, "en", ["phone", "cases", "support"])
    assert sentences[-2:] == ["Case handling: no standard set, so not judged.",
                              "Support desk and superusers: no standard set, so not judged."]


def test_summary_intervals_of_shares_stay_between_zero_and_one():
    """Three futures at 0.99, 1 and 1: the t interval of the mean (0.997 ± 0.014) would pass 1."""
    weekly = pd.concat([_weekly({1: [0.99, 1.0, 1.0]}),
                        _weekly({1: [0.01, 0.0, 0.0]}, "abandon_share"),
                        _weekly({1: [100.0, 120.0, 80.0]}, "calls_offered")])
    summary = summarise(weekly).set_index("metric")
    assert summary.loc["service_level", "ci_high"] == 1.0
    assert summary.loc["service_level", "ci_low"] < summary.loc["service_level", "mean"]
    assert summary.loc["abandon_share", "ci_low"] == 0.0
    assert summary.loc["calls_offered", "ci_low"] == pytest.approx(100 - 49.68, abs=0.01)
