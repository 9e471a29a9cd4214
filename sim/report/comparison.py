"""Several scenarios side by side: each scenario's answer, a verdict table with a column per
scenario under each service, overlaid fan charts per service, and the levers that differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.charts import (
    BAND_ALPHA,
    CLOSED_GREY,
    GO_LIVE_COLOUR,
    SCENARIO_COLOURS,
    fan_chart,
    mark_go_live,
    mark_standard,
    mitigation_rows,
    quantile_bands,
    shade_closed_days,
)
from sim.labels import check_lang, format_percent, label
from sim.report.assumptions import levers, run_rows
from sim.report.layout import Page, Sheet, line_height, wrap, write_pdf
from sim.report.service_pages import chart_metrics, chart_panels, place_legend, y_range
from sim.report.verdict_table import (
    TABLE_GAP_INCHES,
    TABLE_HEADER_INCHES,
    TABLE_ROW_INCHES,
    WEEK_COLUMN_INCHES,
    status_cell,
    status_legend,
    table_axes,
    table_header,
    week_column,
)
from sim.report.verdict_words import (
    SERVICE_ORDER,
    Verdict,
    overall_sentence,
    service_standards,
    service_status,
    verdict_services,
    weakest_standard,
)

if TYPE_CHECKING:
    from sim.experiment import Results


def compare_folders(folders: Sequence[str | Path], out: str | Path, lang: str = "en") -> Path:
    """Render results folders side by side; what `golive-sim compare DIR1 DIR2 ...` does."""
    from sim.results_folder import read_results

    results = [read_results(f) for f in folders]
    return render_comparison(results, [r.verdict for r in results], out, lang)


def letters_for(n: int) -> list[str]:
    return [chr(ord("A") + i) for i in range(n)]


def comparison_table(sheet: Sheet, verdicts: Sequence[Verdict], lang: str) -> None:
    """Weeks down; services (and all services) across, one narrow column per scenario under
    each, in the order of the scenarios' letters."""
    services: list[str | None] = [s for s in SERVICE_ORDER
                                  if any(s in verdict_services(v) for v in verdicts)]
    services.append(None)
    letters = letters_for(len(verdicts))
    by_week = [{w["week"]: w for w in v.get("weeks", [])} for v in verdicts]
    numbers = sorted({n for weeks in by_week for n in weeks})
    reference = [next(weeks[n] for weeks in by_week if n in weeks) for n in numbers]
    group = (sheet.text_width - WEEK_COLUMN_INCHES) / len(services)
    cell = group / len(verdicts)
    header = TABLE_HEADER_INCHES + 0.26
    height = header + TABLE_ROW_INCHES * len(numbers)
    ax = table_axes(sheet, sheet.y, height)
    table_header(ax, services, group, lang)
    for i in range(len(services)):
        for j, letter in enumerate(letters):
            x = WEEK_COLUMN_INCHES + i * group + (j + 0.5) * cell
            ax.text(x, TABLE_HEADER_INCHES + 0.13, letter, ha="center", va="center_baseline",
                    fontsize=10, weight="bold", color=SCENARIO_COLOURS[j % len(SCENARIO_COLOURS)])
    for row, (number, week) in enumerate(zip(numbers, reference, strict=True)):
        y = header + row * TABLE_ROW_INCHES
        week_column(ax, y, TABLE_ROW_INCHES, week, lang)
        for i, service in enumerate(services):
            for j, weeks in enumerate(by_week):
                entry = weeks.get(number)
                status = service_status(entry, service) if entry else None
                weakest = (weakest_standard(service_standards(entry, service)) if entry
                           else None)
                status_cell(ax, WEEK_COLUMN_INCHES + i * group + j * cell, y, cell,
                            TABLE_ROW_INCHES, status,
                            weakest["meets_share"] if weakest else None, lang, words=False)
        if row > 0 and numbers[row - 1] < 0 <= number:
            ax.plot([0, sheet.text_width], [y, y], color="black", linewidth=2.2)
    sheet.y += height + TABLE_GAP_INCHES


def comparison_pages(results_list: Sequence[Results], verdicts: Sequence[Verdict],
                      lang: str) -> list[Page]:
    letters = letters_for(len(results_list))
    colours = [SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)] for i in range(len(results_list))]
    scenarios = [r.scenario for r in results_list]
    reference = scenarios[0]

    def title_page(sheet: Sheet) -> None:
        sheet.paragraph(label("compare.title", lang), 17, "bold", after=0.1)
        for letter, colour, scenario, verdict in zip(letters, colours, scenarios, verdicts,
                                                     strict=True):
            sheet.text(sheet.left, sheet.y, letter, 12, weight="bold", color=colour)
            description = scenario.describe(lang)
            heading = scenario.name + (f": {description}" if description else "")
            y = sheet.y
            sheet.y = y
            lines = wrap(heading, sheet.text_width - 0.3, 10.5, "bold")
            for line in lines:
                sheet.text(sheet.left + 0.3, sheet.y, line, 10.5, weight="bold")
                sheet.y += line_height(10.5)
            for line in wrap(overall_sentence(verdict, lang), sheet.text_width - 0.3, 10):
                sheet.text(sheet.left + 0.3, sheet.y, line, 10)
                sheet.y += line_height(10)
            sheet.y += 0.1
        sheet.heading(label("report.table_title", lang), 12.5)
        comparison_table(sheet, verdicts, lang)
        status_legend(sheet, lang)
        sheet.paragraph(label("compare.table_note", lang) + " "
                        + label("report.table_note", lang).format(
                            confidence=format_percent(verdicts[0].get("confidence", 0.9), lang),
                            at_risk=format_percent(verdicts[0].get("at_risk_share", 0.5), lang)),
                        9, colour="0.2")

    def service_page(service: str, metrics: list[str]) -> Page:
        standards = {s["metric"]: s for s in verdicts[0].get("standards", [])
                     if s["service"] == service}
        rows: list[tuple[str, dt.date, dt.date, str]] = []
        for letter, colour, scenario in zip(letters, colours, scenarios, strict=True):
            rows += [(f"{letter}: {text}", first, end, colour) for text, first, end, _ in
                     mitigation_rows(scenario, lang)]

        def draw(ax: Axes, metric: str) -> None:
            shade_closed_days(ax, reference, lang)
            highs = []
            for results, colour in zip(results_list, colours, strict=True):
                fan_chart(ax, results.daily, service, metric, results.scenario, lang=lang,
                          colour=colour)
                highs.append(float(quantile_bands(results.daily, service, metric)["p95"].max()))
            standard = standards.get(metric)
            if standard is not None:
                mark_standard(ax, metric, standard["rule"], standard["threshold"], lang)
            mark_go_live(ax, reference, lang)
            y_range(ax, metric, highs, standard["threshold"] if standard is not None else None)

        def page(sheet: Sheet) -> None:
            sheet.paragraph(label(service, lang), 17, "bold", after=0.06)
            handles: list[Any] = []
            for letter, colour, scenario in zip(letters, colours, scenarios, strict=True):
                handles.append(Patch(facecolor=colour, alpha=0.45, edgecolor=colour,
                                     label=f"{letter}: {scenario.name}"))
            handles += [
                Line2D([], [], color="0.2", linewidth=1.6, label=label("chart.median", lang)),
                Patch(facecolor="0.2", alpha=BAND_ALPHA["band50"],
                      label=label("chart.band50", lang)),
                Patch(facecolor="0.2", alpha=BAND_ALPHA["band90"],
                      label=label("chart.band90", lang)),
                Patch(facecolor=CLOSED_GREY, edgecolor="0.6", linewidth=0.5,
                      label=label("chart.closed", lang)),
                Line2D([], [], color=GO_LIVE_COLOUR, linestyle="-.", linewidth=1.6,
                       label=label("chart.go_live", lang)),
            ]
            if standards:
                handles.append(Line2D([], [], color="black", linestyle=(0, (5, 3)),
                                      linewidth=1.2, label=label("chart.standard", lang)))
            place_legend(sheet, handles, ncol=2)
            chart_panels(sheet, reference, metrics, draw, lang, None, rows)

        return page

    def levers_page(sheet: Sheet) -> None:
        sheet.paragraph(label("compare.differences", lang), 17, "bold", after=0.1)
        tables = [levers(r.scenario, lang) + run_rows(r, lang) for r in results_list]
        keys = [k for k, _ in tables[0]]
        key_width = 2.3
        column = (sheet.text_width - key_width) / len(scenarios)
        sheet.text(sheet.left, sheet.y, label("compare.lever", lang), 10, weight="bold")
        for j, (letter, colour, scenario) in enumerate(zip(letters, colours, scenarios,
                                                           strict=True)):
            sheet.text(sheet.left + key_width + j * column, sheet.y,
                       f"{letter}: {scenario.name}", 10, weight="bold", color=colour)
        sheet.y += line_height(10) + 0.08
        values = [dict(t) for t in tables]
        for key in keys:
            cells = [v.get(key, "–") for v in values]
            differs = len(set(cells)) > 1
            key_lines = wrap(key, key_width - 0.15, 9, "bold")
            cell_lines = [wrap(c, column - 0.12, 9, "bold" if differs else "normal")
                          for c in cells]
            for i, line in enumerate(key_lines):
                sheet.text(sheet.left, sheet.y + i * line_height(9), line, 9, weight="bold")
            for j, lines in enumerate(cell_lines):
                for i, line in enumerate(lines):
                    sheet.text(sheet.left + key_width + j * column, sheet.y + i * line_height(9),
                               line, 9, weight="bold" if differs else "normal")
            sheet.y += max([len(key_lines)] + [len(c) for c in cell_lines]) * line_height(9)
            sheet.y += 0.05

    pages: list[Page] = [title_page]
    for service in SERVICE_ORDER:
        available = set.intersection(*[
            set(r.daily.loc[r.daily["service"] == service, "metric"]) for r in results_list])
        metrics = chart_metrics(service, verdicts[0], available)
        if metrics:
            pages.append(service_page(service, metrics))
    pages.append(levers_page)
    return pages


def render_comparison(results_list: Sequence[Results], verdicts: Sequence[Verdict],
                      out: str | Path, lang: str = "en") -> Path:
    """Write several scenarios side by side as an A4 portrait PDF; returns its path.

    Pages: each scenario's answer and a verdict table with a column per scenario under each
    service, overlaid fan charts per service (one colour per scenario), and the levers with their
    differences in bold.
    """
    check_lang(lang)
    if not results_list or len(results_list) != len(verdicts):
        raise ValueError("give one verdict per results folder, and at least one of each")
    pages = comparison_pages(results_list, verdicts, lang)
    footer = " · ".join(f"{letter}: {r.scenario.name}"
                        for letter, r in zip(letters_for(len(results_list)), results_list,
                                             strict=True))
    return write_pdf(Path(out), pages, footer, lang)
