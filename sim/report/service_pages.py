"""A page per service: fan charts by day of its headline metrics under a timeline of the weeks
(shaded by the verdict) and the first weeks' mitigations.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.charts import (
    BAND_ALPHA,
    CLOSED_GREY,
    FAN_COLOUR,
    GO_LIVE_COLOUR,
    fan_chart,
    format_date_axis,
    mark_go_live,
    mark_standard,
    mitigation_rows,
    quantile_bands,
    shade_closed_days,
    text_width,
    timeline,
)
from sim.labels import format_futures, format_number, label, metric_title, unit
from sim.report.front_page import Forecast
from sim.report.layout import A4_INCHES, Page, Sheet
from sim.report.operations_table import operations_table
from sim.report.safety import safety_chart
from sim.report.verdict_words import (
    Verdict,
    margin_lines,
    service_sentence,
    service_status,
    verdict_services,
)
from sim.scenario import Scenario

if TYPE_CHECKING:
    from sim.experiment import Results

CHART_METRICS = {
    "phone": ("service_level", "asa_seconds", "abandon_share", "calls_offered"),
    "cases": ("backlog", "overdue_share", "urgent_overdue_share", "median_days"),
    "home_visits": ("late_share", "critical_late_share", "missed_share", "documentation_share"),
    "support": ("requests", "desk_asa_minutes", "desk_abandon_share", "staff_hours_lost"),
}
"""The metrics a director looks at first, per service; a metric with a standard is always shown."""
MAX_PANELS = 5
MIN_PANEL_INCHES = 0.6
"""The lowest fan-chart panel whose four tick labels do not overprint at 8 pt."""
STRIP_ROW_INCHES, STRIP_GAP_INCHES = 0.26, 0.12
"""A row of the timeline strip above the panels, and the gap below the strip."""
PANEL_TITLE_INCHES, PANEL_GAP_INCHES, X_LABELS_INCHES, BELOW_PANELS_INCHES = 0.3, 0.16, 0.32, 0.3
"""Room for a panel's title, between panels, for the dates, and for the note under them."""


DESK_METRICS = frozenset({"desk_requests", "desk_asa_minutes", "desk_abandon_share"})
"""Support metrics that exist only when the scenario has a support desk."""


def simulated_metrics(results: Results, service: str) -> set[str]:
    """The metrics of a service in the results, without the desk's when there is no desk."""
    daily = results.daily
    metrics = set(daily.loc[daily["service"] == service, "metric"])
    if service == "support" and results.scenario.support_desk is None:
        metrics -= DESK_METRICS
    return metrics


def page_title(service: str, scenario: Scenario, lang: str) -> str:
    """A service page's title: the service, or "Superusers" for support without a desk."""
    if service == "support" and scenario.support_desk is None:
        return label("support.superusers", lang)
    return label(service, lang)


def chart_metrics(service: str, verdict: Verdict, available: set[str]) -> list[str]:
    """The service's headline metrics, plus any metric it has a standard on, that exist."""
    metrics = list(CHART_METRICS.get(service, ()))
    for s in verdict.get("standards", []):
        if s["service"] == service and s["metric"] not in metrics:
            metrics.append(s["metric"])
    return [m for m in metrics if m in available][:MAX_PANELS]


def legend(sheet: Sheet, lang: str, scenario: Scenario, standard: bool) -> None:
    handles: list[Any] = [
        Patch(facecolor=FAN_COLOUR, alpha=BAND_ALPHA["band90"], label=label("chart.band90", lang)),
        Patch(facecolor=FAN_COLOUR, alpha=BAND_ALPHA["band50"], label=label("chart.band50", lang)),
        Line2D([], [], color=FAN_COLOUR, linewidth=1.6, label=label("chart.median", lang)),
        Patch(facecolor=CLOSED_GREY, edgecolor="0.6", linewidth=0.5,
              label=label("chart.closed", lang)),
    ]
    if scenario.calendar.new_system:
        handles.append(Line2D([], [], color=GO_LIVE_COLOUR, linestyle="-.", linewidth=1.6,
                              label=label("chart.go_live", lang)))
    if standard:
        handles.append(Line2D([], [], color="black", linestyle=(0, (5, 3)), linewidth=1.2,
                              label=label("chart.standard", lang)))
    place_legend(sheet, handles, ncol=3)


LEGEND_HANDLE_INCHES = 0.55
"""A legend entry's room besides its words: the sample line or patch and the gaps."""


def place_legend(sheet: Sheet, handles: list[Any], ncol: int) -> None:
    """The legend across the text width at the cursor, in at most `ncol` columns: fewer when an
    entry's words would not fit its column."""
    widest = max(text_width(h.get_label(), 9) for h in handles) + LEGEND_HANDLE_INCHES
    ncol = max(1, min(ncol, int(sheet.text_width // widest)))
    rows = -(-len(handles) // ncol)
    height = rows * 0.22 + 0.08
    ax = sheet.axes(sheet.left, sheet.y, sheet.text_width, height)
    ax.axis("off")
    ax.legend(handles=handles, loc="upper left", ncol=ncol, frameon=False, fontsize=9,
              borderaxespad=0, handlelength=2.2, columnspacing=1.5, mode="expand")
    sheet.y += height + 0.05


def chart_panels(sheet: Sheet, scenario: Scenario, metrics: list[str],
                 draw: Callable[[Axes, str], None], lang: str,
                 statuses: dict[int, str | None] | None,
                 rows: list[tuple[str, dt.date, dt.date, str]] | None = None,
                 week_ticks: bool = False, essential: frozenset[str] | set[str] = frozenset()
                 ) -> None:
    """A timeline strip and one panel per metric down the rest of the page, sharing dates (or
    labelled by go-live week with `week_ticks`); as many panels as fit at a legible height,
    the `essential` ones (those with a standard) kept first."""
    bars = rows if rows is not None else mitigation_rows(scenario, lang)
    strip = STRIP_ROW_INCHES * (1 + len(bars))
    axes_left = sheet.left + 0.62
    axes_width = sheet.text_width - 0.62
    top_strip = sheet.axes(axes_left, sheet.y, axes_width, strip)
    sheet.y += strip + STRIP_GAP_INCHES
    title_gap, panel_gap, x_labels = PANEL_TITLE_INCHES, PANEL_GAP_INCHES, X_LABELS_INCHES
    room = sheet.bottom - sheet.y - x_labels - BELOW_PANELS_INCHES
    metrics = panels_that_fit(metrics, essential,
                              int(room // (MIN_PANEL_INCHES + title_gap + panel_gap)))
    height = room / len(metrics) - title_gap - panel_gap
    panels: list[Axes] = []
    for metric in metrics:
        ax = sheet.axes(axes_left, sheet.y + title_gap, axes_width, height,
                        sharex=panels[0] if panels else None)
        sheet.text(sheet.left, sheet.y + 0.04, metric_title(metric, lang, per_day=True), 10.5,
                   weight="bold")
        draw(ax, metric)
        format_date_axis(ax, scenario, lang, weeks=week_ticks)
        panels.append(ax)
        sheet.y += title_gap + height + panel_gap
    for ax in panels[:-1]:
        ax.tick_params(axis="x", labelbottom=False)
    timeline(top_strip, scenario, lang, statuses, bars)
    sheet.y += x_labels


def panels_that_fit(metrics: list[str], essential: frozenset[str] | set[str], fitting: int
                    ) -> list[str]:
    """The metrics to chart when only `fitting` panels fit: the last ones without a standard
    leave first, and at least one panel (or every essential one) stays."""
    kept = list(metrics)
    for metric in reversed(metrics):
        if len(kept) <= max(fitting, 1):
            break
        if metric not in essential:
            kept.remove(metric)
    return kept


def y_range(ax: Axes, metric: str, highs: list[float], threshold: float | None) -> None:
    """From zero to a little above the highest band or the standard (at most 100 % for a share
    that reaches it)."""
    top = max([h for h in highs if not math.isnan(h)] + [threshold or 0.0, 0.0])
    if top <= 0:
        top = 1.0
    ceiling = top * 1.15
    if unit(metric) == "share" and top <= 1.0:
        ceiling = min(ceiling, 1.04)
    ax.set_ylim(0, ceiling)


def service_pages(f: Forecast, service: str, metrics: list[str]) -> list[Page]:
    """The service's page, or two when its text, tables and bars leave too little room for
    legible charts of the metrics that carry a standard: then the charts that fit below the
    text stay on the first page and the rest go on the second."""
    lang, scenario, verdict = f.lang, f.scenario, f.verdict
    standards = {s["metric"]: s for s in verdict.get("standards", []) if s["service"] == service}
    statuses = ({w["week"]: service_status(w, service) for w in verdict.get("weeks", [])}
                if service in verdict_services(verdict) else None)

    def draw(ax: Axes, metric: str) -> None:
        shade_closed_days(ax, scenario, lang, service)
        fan_chart(ax, f.results.daily, service, metric, scenario, lang=lang)
        standard = standards.get(metric)
        if standard is not None:
            mark_standard(ax, metric, standard["rule"], standard["threshold"], lang)
        mark_go_live(ax, scenario, lang)
        bands = quantile_bands(f.results.daily, service, metric)
        y_range(ax, metric, [float(bands["p95"].max())],
                 standard["threshold"] if standard is not None else None)

    def head(sheet: Sheet) -> None:
        sheet.paragraph(page_title(service, scenario, lang), 17, "bold", after=0.06)
        sentence = service_sentence(verdict, service, lang)
        if sentence is None:
            sentence = label("report.no_standard", lang).format(service=label(service, lang))
        if sentence:
            sentence = sentence.removeprefix(f"{label(service, lang)}: ")
            sheet.paragraph(sentence[:1].upper() + sentence[1:], 10.5)
        for line in margin_lines(verdict, service, lang):
            sheet.paragraph(line, 9, colour="0.25", after=0.03)
        operations_table(sheet, f, service)
        safety_chart(sheet, f.results, service, lang, f.replications)

    def charts(sheet: Sheet, shown: list[str]) -> None:
        legend(sheet, lang, scenario, bool(standards))
        chart_panels(sheet, scenario, shown, draw, lang, statuses, essential=set(standards))
        sheet.paragraph(label("chart.daily_note", lang).format(
            futures=format_futures(f.replications, lang), first=format_number(1, lang)), 9,
            colour="0.25")

    scratch = Sheet(Figure(figsize=A4_INCHES))
    head(scratch)
    legend(scratch, lang, scenario, bool(standards))
    room = scratch.bottom - scratch.y
    essential = max(1, len(set(metrics) & set(standards)))
    if room >= charts_inches(scenario, lang, essential):
        def whole(sheet: Sheet) -> None:
            head(sheet)
            charts(sheet, metrics)
        return [whole]
    fitting = sum(charts_inches(scenario, lang, k) <= room for k in range(1, len(metrics)))
    first, rest = metrics[:fitting], metrics[fitting:]  # as many as fit below the text

    def head_and_charts(sheet: Sheet) -> None:
        head(sheet)
        if first:
            charts(sheet, first)

    def continued(sheet: Sheet) -> None:
        sheet.paragraph(label("report.continued", lang).format(
            title=page_title(service, scenario, lang)), 17, "bold", after=0.12)
        charts(sheet, rest)

    return [head_and_charts, continued]


def charts_inches(scenario: Scenario, lang: str, panels: int) -> float:
    """Height that `chart_panels` needs below the legend for `panels` panels of legible
    height."""
    strip = STRIP_ROW_INCHES * (1 + len(mitigation_rows(scenario, lang)))
    return (strip + STRIP_GAP_INCHES + X_LABELS_INCHES + BELOW_PANELS_INCHES
            + panels * (MIN_PANEL_INCHES + PANEL_TITLE_INCHES + PANEL_GAP_INCHES))

