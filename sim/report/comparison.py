"""Several scenarios side by side: each scenario's answer, what is not comparable between them
(go-live moments, lengths, services, standards), a verdict table with a row per scenario under
each week, overlaid fan charts per service aligned at go-live (week 1 over week 1), and the
levers that differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
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
from sim.labels import check_lang, format_date, format_percent, join_words, label
from sim.report.assumptions import levers, run_rows
from sim.report.layout import (
    A4_INCHES,
    MARGIN_INCHES,
    Page,
    Sheet,
    flow,
    line_height,
    wrap,
    write_pdf,
)
from sim.report.safety import weekly_deviations
from sim.report.service_pages import (
    MAX_PANELS,
    chart_metrics,
    chart_panels,
    place_legend,
    simulated_metrics,
    y_range,
)
from sim.report.verdict_table import (
    TABLE_GAP_INCHES,
    TableLayout,
    go_live_rule,
    split_weeks,
    status_legend,
    table_axes,
    table_header,
    table_layout,
    week_cells,
    week_column,
    week_group_height,
)
from sim.report.verdict_words import (
    SERVICE_ORDER,
    Verdict,
    overall_sentence,
    verdict_services,
)
from sim.scenario import Scenario, vary

if TYPE_CHECKING:
    from sim.experiment import Results


def compare_folders(folders: Sequence[str | Path], out: str | Path, lang: str = "en") -> Path:
    """Render results folders side by side; what `golive-sim compare DIR1 DIR2 ...` does."""
    from sim.results_folder import read_results

    results = [read_results(f) for f in folders]
    return render_comparison(results, [r.verdict for r in results], out, lang)


def letters_for(n: int) -> list[str]:
    """The letters that name the scenarios of a comparison: A, B, C, ..."""
    return [chr(ord("A") + i) for i in range(n)]


@dataclass(frozen=True)
class Comparison:
    """The scenarios compared, their letters and colours, and what makes them comparable."""

    results: Sequence[Results]
    verdicts: Sequence[Verdict]
    lang: str

    @property
    def letters(self) -> list[str]:
        return letters_for(len(self.results))

    @property
    def colours(self) -> list[str]:
        return [SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)] for i in range(len(self.results))]

    @property
    def scenarios(self) -> list[Scenario]:
        return [r.scenario for r in self.results]

    def same_calendar(self) -> bool:
        """Whether every scenario goes live at the same moment with the same closed days, so that
        their dates line up as well as their go-live weeks."""
        first = self.scenarios[0].calendar
        return all(s.calendar.go_live == first.go_live
                   and s.calendar.extra_closed_dates == first.extra_closed_dates
                   for s in self.scenarios)

    def axis(self) -> Scenario:
        """The scenario whose dates the charts are drawn on: the first one, stretched to cover
        every scenario's weeks before and after go-live (they are aligned at go-live)."""
        first = self.scenarios[0]
        before = max(s.calendar.days_before for s in self.scenarios)
        return vary(first, {
            "calendar.start": first.calendar.go_live.date() - dt.timedelta(days=before),
            "calendar.weeks_after": max(s.calendar.weeks_after for s in self.scenarios)})

    def services(self) -> list[str]:
        """Every service any scenario simulates, in report order."""
        present = {name for s in self.scenarios for name in s.services}
        if any(s.support_desk is not None or s.superusers is not None for s in self.scenarios):
            present.add("support")
        return [s for s in SERVICE_ORDER if s in present]

    def without(self, service: str) -> list[str]:
        """The letters of the scenarios that do not simulate `service`."""
        return [letter for letter, s in zip(self.letters, self.scenarios, strict=True)
                if not (service in s.services or (service == "support" and (
                    s.support_desk is not None or s.superusers is not None)))]

    def caveats(self) -> list[str]:
        """What is not comparable, in words: different go-live moments, lengths, services and
        standards."""
        lang, letters, scenarios = self.lang, self.letters, self.scenarios
        notes = []
        if not self.same_calendar():
            notes.append(label("compare.different_calendars", lang).format(moments=join_words([
                f"{letter} {format_date(s.calendar.go_live.date(), lang)} "
                f"{s.calendar.go_live.strftime('%H:%M')}"
                for letter, s in zip(letters, scenarios, strict=True)], lang)))
        lengths = {s.calendar.weeks_after for s in scenarios}
        if len(lengths) > 1:
            notes.append(label("compare.different_lengths", lang).format(weeks=join_words([
                f"{letter} {s.calendar.weeks_after}"
                for letter, s in zip(letters, scenarios, strict=True)], lang)))
        for service in self.services():
            missing = self.without(service)
            if missing:
                notes.append(label("compare.missing_service", lang).format(
                    scenarios=join_words(missing, lang), service=label(service, lang).lower()))
        rules = [sorted((s["service"], s["metric"], s["rule"], s["threshold"])
                        for s in v.get("standards", [])) for v in self.verdicts]
        if any(r != rules[0] for r in rules):
            notes.append(label("compare.different_standards", lang))
        return notes


def comparison_table(sheet: Sheet, c: Comparison, layout: TableLayout,
                     numbers: list[int]) -> None:
    """Weeks down, a row per scenario under each week; services (and all services) across, at
    the cursor. A week a scenario does not reach shows no verdict."""
    lang = c.lang
    by_week = [{w["week"]: w for w in v.get("weeks", [])} for v in c.verdicts]
    shown = [next(weeks[n] for weeks in by_week if n in weeks) for n in numbers]
    group = week_group_height(layout, shown, lang, len(c.verdicts), c.same_calendar())
    row = group / len(c.verdicts)
    height = layout.header_height + group * len(numbers)
    ax = table_axes(sheet, sheet.y, height)
    table_header(ax, layout, lang)
    dated = c.same_calendar()
    for i, number in enumerate(numbers):
        y = layout.header_height + i * group
        week = shown[i]
        week_column(ax, y, group, layout.week_width, week, lang, dated)
        for j, weeks in enumerate(by_week):
            ax.text(layout.week_width + layout.letter_width / 2, y + (j + 0.5) * row,
                    c.letters[j], ha="center", va="center_baseline", fontsize=10, weight="bold",
                    color=c.colours[j])
            week_cells(ax, layout, y + j * row, row, weeks.get(number), lang)
        if i > 0 and numbers[i - 1] < 0 <= number:
            go_live_rule(ax, y, sheet.text_width)
    sheet.y += height + TABLE_GAP_INCHES


def _summary_pages(c: Comparison) -> list[Page]:
    """Each scenario's answer, what is not comparable, and the verdict table (continued on
    further pages when it is long)."""
    lang = c.lang
    columns: list[str | None] = [*[s for s in SERVICE_ORDER
                                   if any(s in verdict_services(v) for v in c.verdicts)], None]
    numbers = sorted({w["week"] for v in c.verdicts for w in v.get("weeks", [])})
    weeks = [next(w for v in c.verdicts for w in v.get("weeks", []) if w["week"] == n)
             for n in numbers]
    note = label("compare.table_note", lang) + " " + label("report.table_note", lang).format(
        confidence=format_percent(c.verdicts[0].get("confidence", 0.9), lang),
        at_risk=format_percent(c.verdicts[0].get("at_risk_share", 0.5), lang))

    def top(sheet: Sheet) -> None:
        sheet.paragraph(label("compare.title", lang), 17, "bold", after=0.1)
        for letter, colour, scenario, verdict in zip(c.letters, c.colours, c.scenarios,
                                                     c.verdicts, strict=True):
            sheet.text(sheet.left, sheet.y, letter, 12, weight="bold", color=colour)
            description = scenario.describe(lang)
            title = scenario.display_title(lang)
            sheet.paragraph(title + (f": {description}" if description else ""), 10.5, "bold",
                            indent=0.3, after=0.0)
            sheet.paragraph(overall_sentence(verdict, lang), 10, indent=0.3, after=0.1)
        caveats = c.caveats()
        if caveats:
            sheet.heading(label("compare.not_comparable", lang), 11.5)
            for line in caveats:
                sheet.paragraph(line, 9.5, indent=0.25, bullet="•", after=0.04)
        if len(columns) > 1:
            sheet.heading(label("report.table_title", lang), 12.5)

    if len(columns) == 1:  # no scenario has a standard: nothing to tabulate
        return [top]

    def bottom(sheet: Sheet) -> None:
        status_legend(sheet, lang)
        sheet.paragraph(note, 9, colour="0.2")

    scratch = Sheet(Figure(figsize=A4_INCHES))
    layout = table_layout(columns, weeks, scratch.text_width, lang, len(c.verdicts),
                          c.same_calendar())
    top(scratch)
    table_top = scratch.y
    scratch.y = 0.0
    bottom(scratch)
    fixed = layout.header_height + TABLE_GAP_INCHES + scratch.y
    chunks = split_weeks(weeks, week_group_height(layout, weeks, lang, len(c.verdicts),
                                                  c.same_calendar()),
                         scratch.bottom - table_top - fixed,
                         scratch.bottom - MARGIN_INCHES - 0.5 - fixed)

    def page(chunk: list[dict[str, Any]], first: bool) -> Page:
        def draw(sheet: Sheet) -> None:
            if first:
                top(sheet)
            else:
                sheet.heading(label("report.table_title", lang), 12.5)
            comparison_table(sheet, c, layout, [w["week"] for w in chunk])
            bottom(sheet)
        return draw

    return [page(chunk, i == 0) for i, chunk in enumerate(chunks)]


def _service_page(c: Comparison, service: str, metrics: list[str]) -> Page:
    """One service's metrics, every scenario that has it overlaid in its colour, aligned at
    go-live."""
    lang, axis, same = c.lang, c.axis(), c.same_calendar()
    standards: dict[str, dict[str, Any]] = {}
    for v in c.verdicts:
        for s in v.get("standards", []):
            if s["service"] == service:
                standards.setdefault(s["metric"], s)
    shown = [(letter, colour, results) for letter, colour, results
             in zip(c.letters, c.colours, c.results, strict=True)
             if letter not in c.without(service)]
    rows: list[tuple[str, dt.date, dt.date, str]] = []
    for letter, colour, results in shown:
        shift = axis.calendar.go_live - results.scenario.calendar.go_live
        rows += [(f"{letter}: {text}", first + shift, end + shift, colour)
                 for text, first, end, _ in mitigation_rows(results.scenario, lang)]

    def draw(ax: Axes, metric: str) -> None:
        if same:
            shade_closed_days(ax, axis, lang)
        highs = []
        for _, colour, results in shown:
            # every scenario on the axis scenario's days: day 1 over day 1 (aligned at go-live)
            fan_chart(ax, results.daily, service, metric, axis, lang=lang, colour=colour)
            highs.append(float(quantile_bands(results.daily, service, metric)["p95"].max()))
        standard = standards.get(metric)
        if standard is not None:
            mark_standard(ax, metric, standard["rule"], standard["threshold"], lang)
        mark_go_live(ax, axis, lang)
        y_range(ax, metric, highs, standard["threshold"] if standard is not None else None)

    def page(sheet: Sheet) -> None:
        sheet.paragraph(label(service, lang), 17, "bold", after=0.06)
        missing = c.without(service)
        if missing:
            sheet.paragraph(label("compare.missing_service", lang).format(
                scenarios=join_words(missing, lang), service=label(service, lang).lower()), 10)
        if not same:
            sheet.paragraph(label("compare.aligned", lang), 10)
        place_legend(sheet, [Patch(facecolor=colour, alpha=0.45, edgecolor=colour,
                                   label=f"{letter}: {results.scenario.display_title(lang)}")
                             for letter, colour, results in shown], ncol=2)
        handles: list[Any] = [
            Line2D([], [], color="0.2", linewidth=1.6, label=label("chart.median", lang)),
            Patch(facecolor="0.2", alpha=BAND_ALPHA["band50"], label=label("chart.band50", lang)),
            Patch(facecolor="0.2", alpha=BAND_ALPHA["band90"], label=label("chart.band90", lang)),
            Line2D([], [], color=GO_LIVE_COLOUR, linestyle="-.", linewidth=1.6,
                   label=label("chart.go_live", lang)),
        ]
        if same:
            handles.append(Patch(facecolor=CLOSED_GREY, edgecolor="0.6", linewidth=0.5,
                                 label=label("chart.closed", lang)))
        if standards:
            handles.append(Line2D([], [], color="black", linestyle=(0, (5, 3)), linewidth=1.2,
                                  label=label("chart.standard", lang)))
        place_legend(sheet, handles, ncol=3)
        chart_panels(sheet, axis, metrics, draw, lang, None, rows, week_ticks=not same)

    return page


def _levers_pages(c: Comparison) -> list[Page]:
    """The levers side by side, those that differ in bold; a lever a scenario lacks shows "–"."""
    lang = c.lang
    tables = [{lever.key: lever.value for lever in levers(r.scenario, lang) + run_rows(r, lang)}
              for r in c.results]
    keys = list(dict.fromkeys(key for table in tables for key in table))
    key_width = 2.3

    def column(sheet: Sheet) -> float:
        return (sheet.text_width - key_width) / len(c.results)

    def head(sheet: Sheet) -> None:
        sheet.paragraph(label("compare.differences", lang), 17, "bold", after=0.1)
        width = column(sheet)
        sheet.text(sheet.left, sheet.y, label("compare.lever", lang), 10, weight="bold")
        lines = [wrap(f"{letter}: {s.display_title(lang)}", width - 0.12, 10, "bold")
                 for letter, s in zip(c.letters, c.scenarios, strict=True)]
        for j, (colour, words) in enumerate(zip(c.colours, lines, strict=True)):
            for i, line in enumerate(words):
                sheet.text(sheet.left + key_width + j * width, sheet.y + i * line_height(10),
                           line, 10, weight="bold", color=colour)
        sheet.y += max(len(w) for w in lines) * line_height(10) + 0.08

    def row(key: str) -> Page:
        def draw(sheet: Sheet) -> None:
            width = column(sheet)
            cells = [t.get(key, "–") for t in tables]
            weight = "bold" if len(set(cells)) > 1 else "normal"
            key_lines = wrap(key, key_width - 0.15, 9, "bold")
            cell_lines = [wrap(text, width - 0.12, 9, weight) for text in cells]
            for i, line in enumerate(key_lines):
                sheet.text(sheet.left, sheet.y + i * line_height(9), line, 9, weight="bold")
            for j, lines in enumerate(cell_lines):
                for i, line in enumerate(lines):
                    sheet.text(sheet.left + key_width + j * width, sheet.y + i * line_height(9),
                               line, 9, weight=weight)
            sheet.y += max([len(key_lines)] + [len(x) for x in cell_lines]) * line_height(9)
            sheet.y += 0.05
        return draw

    return flow([head] + [row(key) for key in keys])


DEVIATIONS_PER_1000 = {"home_visits": "deviations_per_1000_visits",
                       "cases": "deviations_per_1000_cases"}
"""A service's deviations from system faults, on its comparison page when any scenario has some."""


def comparison_pages(c: Comparison) -> list[Page]:
    """Every page of a comparison, in order."""
    pages = _summary_pages(c)
    for service in c.services():
        metrics = compared_metrics(c, service)
        if metrics:
            pages.append(_service_page(c, service, metrics))
    return pages + _levers_pages(c)


def compared_metrics(c: Comparison, service: str) -> list[str]:
    """The panels of a service's comparison page: its headline metrics and standards, and its
    deviations from system faults when any scenario has some (patient safety side by side, with
    or without a standard)."""
    shown = [r for letter, r in zip(c.letters, c.results, strict=True)
             if letter not in c.without(service)]
    available = set.intersection(*[simulated_metrics(r, service) for r in shown])
    metrics = chart_metrics(service, c.verdicts[0], available)
    safety = DEVIATIONS_PER_1000.get(service)
    if (safety in available and safety not in metrics and len(metrics) < MAX_PANELS
            and any(weekly_deviations(r, service) is not None for r in shown)):
        metrics.append(safety)
    return metrics


def comparison_footer(c: Comparison) -> str:
    """The footer of every page: the scenarios by letter."""
    return " · ".join(f"{letter}: {s.display_title(c.lang)}"
                      for letter, s in zip(c.letters, c.scenarios, strict=True))


def render_comparison(results_list: Sequence[Results], verdicts: Sequence[Verdict],
                      out: str | Path, lang: str = "en") -> Path:
    """Write several scenarios side by side as an A4 portrait PDF; returns its path.

    Pages: each scenario's answer, what is not comparable between them, and a verdict table with
    a row per scenario under each week; overlaid fan charts per service (one colour per
    scenario, aligned at go-live: week 1 over week 1); and the levers with their differences in
    bold.
    """
    check_lang(lang)
    if not results_list or len(results_list) != len(verdicts):
        raise ValueError("give one verdict per results folder, and at least one of each")
    c = Comparison(results_list, verdicts, lang)
    return write_pdf(Path(out), comparison_pages(c), comparison_footer(c), lang)
