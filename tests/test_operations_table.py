"""The service pages' table of what the go-live asks of the staff (issue 10's operations metrics:
substitute shifts, overtime, late documentation, postponed and escalated visits, superusers' time
helping): each week's mean over the futures as weekly.csv has them, rows that are zero in every
week left out, printed in both languages without overprinting."""

from __future__ import annotations

import pytest

from sim.labels import format_number, label, metric_title
from sim.report.forecast import forecast_footer
from sim.report.front_page import Forecast
from sim.report.layout import page_figures, report_style
from sim.report.operations_table import OPERATIONS_METRICS, operations_rows
from sim.report.service_pages import chart_metrics, service_pages, simulated_metrics
from sim.results_folder import read_results, with_source
from tests.conftest import ROOT, SCENARIOS
from tests.page_geometry import outside, overlaps, text_boxes

RESULTS_SMALL = ROOT / "tests" / "data" / "results-small"


@pytest.fixture(scope="module")
def results():
    return with_source(read_results(RESULTS_SMALL), SCENARIOS / "trondheim-2022.toml")


def test_each_row_is_the_weeks_mean_over_the_futures_and_zero_rows_are_left_out(results):
    f = Forecast(results, results.verdict, "en")
    weeks, rows = operations_rows(f, "home_visits")
    weekly = results.weekly[results.weekly["service"] == "home_visits"]
    assert weeks == sorted(weekly["week"].unique())
    shown = dict(rows)
    for metric in OPERATIONS_METRICS["home_visits"]:
        values = weekly[weekly["metric"] == metric]
        means = values.groupby("week")["value"].mean()
        if metric in shown:
            assert shown[metric] == pytest.approx([means[w] for w in weeks])
        else:  # left out: no value or zero in every week
            assert values.empty or (means.fillna(0) == 0).all(), metric
    assert {"overtime_hours", "visits_postponed"} <= set(shown)


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_the_home_visits_page_prints_the_table_without_overprinting(results, lang):
    f = Forecast(results, results.verdict, lang)
    metrics = chart_metrics("home_visits", f.verdict, simulated_metrics(results, "home_visits"))
    with report_style():
        (fig,) = page_figures(service_pages(f, "home_visits", metrics)[:1], forecast_footer(f),
                              lang)
        boxes = text_boxes(fig)
    assert overlaps(boxes) == [] and outside(fig, boxes) == []
    texts = [text for text, _ in boxes]
    assert label("operations.title", lang) in texts
    assert metric_title("overtime_hours", lang) in texts
    _, rows = operations_rows(f, "home_visits")
    overtime = dict(rows)["overtime_hours"]
    assert format_number(overtime[1], lang) in texts



@pytest.mark.parametrize("least_inches", [None, 1.5])
def test_a_page_too_full_for_legible_charts_continues_and_every_panel_stays_legible(
        results, monkeypatch, least_inches):
    """No fan-chart panel is lower than MIN_PANEL_INCHES; when the text, the table and the bars
    leave too little room for the panels that carry a standard (forced here by asking for 1.5
    inches a panel), the charts continue on a second page instead of being squeezed."""
    from sim.report import service_pages as pages_module
    from sim.report.layout import A4_INCHES

    if least_inches is not None:
        monkeypatch.setattr(pages_module, "MIN_PANEL_INCHES", least_inches)
    least = pages_module.MIN_PANEL_INCHES
    f = Forecast(results, results.verdict, "en")
    metrics = chart_metrics("home_visits", f.verdict, simulated_metrics(results, "home_visits"))
    pages = service_pages(f, "home_visits", metrics)
    with report_style():
        panels = [ax for fig in page_figures(pages, forecast_footer(f), "en")
                  for ax in fig.axes if len(ax.get_shared_x_axes().get_siblings(ax)) > 1]
        heights = [ax.get_position().height * A4_INCHES[1] for ax in panels]
    assert len(pages) == (1 if least_inches is None else 2)
    assert len(panels) >= 3 and min(heights) >= least
