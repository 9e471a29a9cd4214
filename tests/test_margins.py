"""Margins on the verdict: each standard's weekly mean beside its threshold, and weeks with fewer
working days than usual (public holidays) marked, since a short week can flip a verdict alone."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.report.verdict_words import margin_lines
from sim.scenario_file import load_scenario
from sim.verdict import compute_verdict, working_days
from tests.conftest import SCENARIOS


def test_weeks_with_norwegian_public_holidays_have_four_working_days():
    """Go-live Saturday 7 May 2022: 17 May (Constitution Day, a Tuesday), Ascension Day
    (Thursday 26 May) and Whit Monday (6 June) each take a weekday from weeks 2, 3 and 5."""
    scenario = load_scenario(SCENARIOS / "trondheim-2022.toml")
    verdict_weeks = {week: working_days(scenario, scenario.calendar.go_live.date()
                                        + pd.Timedelta(days=7 * (week - 1)))
                     for week in range(1, 9)}
    assert verdict_weeks == {1: 5, 2: 4, 3: 4, 4: 5, 5: 4, 6: 5, 7: 5, 8: 5}


def test_the_margin_line_gives_each_weeks_mean_and_marks_short_weeks():
    scenario = load_scenario(SCENARIOS / "trondheim-2022.toml")
    rows = [{"replication": r, "week": w, "service": "cases", "metric": "overdue_share",
             "value": v} for w in (1, 2) for r, v in enumerate((0.04, 0.06, np.nan))]
    verdict = compute_verdict(pd.DataFrame(rows), scenario)
    standard = next(s for s in verdict["weeks"][0]["services"]["cases"]["standards"]
                    if s["metric"] == "overdue_share")
    assert standard["mean"] == 0.05  # the undefined replication left out
    (line,) = margin_lines(verdict, "cases", "en")
    assert line == ("Cases decided after their deadline ≤ 5%, weekly mean: week 1 5.0%, "
                    "week 2 5.0% (4 working days).")
