"""Margins on the verdict: each standard's weekly mean beside its threshold, and weeks with fewer
working days than usual (public holidays) marked, since a short week can flip a verdict alone."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from sim.charts import text_width
from sim.labels import label
from sim.report.forecast import forecast_footer
from sim.report.front_page import Forecast, front_pages, levers_hint
from sim.report.layout import page_figures, report_style
from sim.report.verdict_table import SHORT_WEEK_MARK, margin_form, margin_texts
from sim.report.verdict_words import (
    margin_lines,
    margin_value,
    service_standards,
    weakest_standard,
)
from sim.results_folder import read_results, with_source
from sim.scenario_file import load_scenario
from sim.verdict import compute_verdict, working_days
from tests.conftest import ROOT, SCENARIOS
from tests.page_geometry import outside, overlaps, text_boxes

RESULTS_SMALL = ROOT / "tests" / "data" / "results-small"


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


@pytest.fixture(scope="module")
def reference_pages():
    """Page 1 and the verdict table's continuation pages of the reference forecast (the stored
    small results, their verdict recomputed so that it carries the weekly means), drawn in both
    languages and measured with matplotlib's renderer."""
    results = with_source(read_results(RESULTS_SMALL), SCENARIOS / "trondheim-2022.toml")
    reference = load_scenario(SCENARIOS / "trondheim-2022.toml")
    verdict = compute_verdict(results.weekly, results.scenario)
    drawn = {}
    with report_style():
        for lang in ("en", "nb"):
            f = Forecast(results, verdict, lang)
            # the reference scenario lists levers (the stored results predate them): one line more
            hint = levers_hint(Forecast(dataclasses.replace(results, scenario=reference), verdict,
                                        lang))
            pages = front_pages(f, hint)
            drawn[lang] = [(fig, text_boxes(fig)) for fig in
                           page_figures(pages, forecast_footer(f), lang)]
    return verdict, drawn


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_the_verdict_table_of_the_reference_prints_margins_without_overprinting(
        reference_pages, lang):
    verdict, drawn = reference_pages
    texts = [text for _, boxes in drawn[lang] for text, _ in boxes]
    assert any("--levers" in text for text in texts)
    for fig, boxes in drawn[lang]:
        assert not overlaps(boxes)
        assert not outside(fig, boxes)
    # each service's cell of each week: its weakest standard's mean against its threshold
    for week in verdict["weeks"]:
        for service in ("phone", "cases", "home_visits"):
            weakest = weakest_standard(service_standards(week, service))
            mean = margin_value(weakest["metric"], weakest["mean"], lang)
            assert any(mean in text and label(weakest["rule"], lang) in text for text in texts)
    # a week with a public holiday (week 2, 17 May) is marked in the week column and explained
    short = [w for w in verdict["weeks"] if w["working_days"] < 5]
    assert [w["week"] for w in short] == [2]
    marks = [t for t in texts if t.startswith(SHORT_WEEK_MARK + " ")]
    assert marks.count(f"{SHORT_WEEK_MARK} {label('margins.short', lang).format(days=4)}") == 1
    assert len(marks) == 2


def test_a_column_names_its_standard_in_every_week_or_in_none():
    """Home visits' weakest standard changes from week to week: a narrow column drops the names
    in all its weeks, a wide one keeps them in all."""
    late = {"metric": "late_share", "rule": "at_most", "threshold": 0.2, "mean": 0.158}
    critical = {**late, "metric": "critical_late_share", "mean": 0.184}
    assert margin_texts(late, "en")[0] == "late 15.8% against at most 20%"
    narrow = text_width(margin_texts(critical, "en")[1], 9) + 0.1
    assert margin_form([late, critical], narrow, "en") == 2
    assert margin_form([late, critical], narrow + 0.2, "en") == 1
    assert margin_form([late, critical], 3.0, "en") == 0


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_every_standard_a_scenario_can_set_has_its_margin_words(lang):
    """Page 1 names the weakest standard's metric and rule; a standard added to the schema
    without its margin label would stop the report."""
    from sim.scenario import ServiceStandards

    keys = [name for cls in ServiceStandards.__subclasses__() for name in cls.model_fields]
    assert "max_deviations_per_1000_visits" in keys
    for key in keys:
        assert label(f"margins.{key[4:]}", lang)
        assert label(f"margins.{'at_least' if key.startswith('min_') else 'at_most'}", lang)


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_a_margin_too_wide_for_its_cell_wraps_before_its_threshold_not_inside_it(lang):
    """'0 (≤ 10 minutes)' in a narrow support column: the threshold in brackets goes to the next
    line whole, not '(≤' on one line and '10 minutes)' on the next; '1 000' is never split."""
    from sim.report.verdict_table import wrap_margin

    wait = {"metric": "desk_asa_minutes", "rule": "at_most", "threshold": 10.0, "mean": 0.2}
    deviations = {"metric": "deviations_per_1000_visits", "rule": "at_most", "threshold": 20.0,
                  "mean": 26.0}
    last = margin_form([wait], 0.0, lang)
    limit = margin_texts(wait, lang)[last].split(" ", 1)[1]
    room = text_width(limit, 9) + 0.01
    assert wrap_margin(wait, last, room, lang)[-1] == limit
    for width in (0.6, 0.8, 1.0, 1.2):
        lines = wrap_margin(deviations, last, width, lang)
        assert not any(line.endswith(("(≤", "(≥", " 1")) for line in lines), lines
