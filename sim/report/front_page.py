"""Page 1 of the forecast: the answer in plain sentences, the verdict table week by service (on
continuation pages when the forecast is long), the statuses and the standards behind them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from matplotlib.figure import Figure

from sim.labels import format_date, format_futures, format_number, format_percent, label
from sim.report.layout import A4_INCHES, MARGIN_INCHES, Page, Sheet
from sim.report.verdict_table import (
    TABLE_GAP_INCHES,
    short_week_legend,
    split_weeks,
    status_legend,
    table_layout,
    verdict_table,
)
from sim.report.verdict_words import (
    Verdict,
    answer_sentences,
    service_standards,
    standards_lines,
    verdict_services,
)
from sim.scenario import Scenario

if TYPE_CHECKING:
    from sim.experiment import Results

CONTINUED_EXTRA_INCHES = 1.2
"""Room a continuation page keeps for its heading, the status legend and the note."""


@dataclass(frozen=True)
class Forecast:
    """What every page of one forecast draws from: the results, their verdict, the language."""

    results: Results
    verdict: Verdict
    lang: str

    @property
    def scenario(self) -> Scenario:
        return self.results.scenario

    @property
    def replications(self) -> int:
        return int(self.results.manifest.get("replications")
                   or self.results.daily["replication"].nunique())

    @property
    def title(self) -> str:
        """The scenario's display title in the report's language."""
        return self.scenario.display_title(self.lang)

    def simulated(self) -> list[str]:
        """The services the report has pages for: the scenario's, and the support desk and
        superusers when the scenario has either."""
        services = list(self.scenario.services)
        has_support = self.scenario.support_desk is not None or self.scenario.superusers is not None
        if has_support and "support" in set(self.results.daily["service"]):
            services.append("support")
        return services


def _title_block(sheet: Sheet, f: Forecast) -> None:
    lang, scenario = f.lang, f.scenario
    sheet.paragraph(label("report.title", lang).format(name=f.title), 16, "bold",
                    after=0.03)
    if description := scenario.describe(lang):
        sheet.paragraph(description, 11, after=0.02)
    go_live = scenario.calendar.go_live
    sheet.paragraph(label("report.subtitle", lang).format(
        date=format_date(go_live.date(), lang), time=go_live.strftime("%H:%M"),
        futures=format_futures(f.replications, lang), weeks=scenario.calendar.weeks_after),
        10, colour="0.25", after=0.0)


def levers_hint(f: Forecast) -> str:
    """One line for a scenario with a `[levers]` table whose levers were not worked through:
    `forecast --levers` adds their page, at many times this forecast's runs ("" otherwise)."""
    from sim.levers import map_grid

    levers = f.scenario.levers
    if not levers:
        return ""
    cells = math.prod(len(values) for values in map_grid(f.scenario).values())
    return label("report.levers_hint", f.lang).format(
        n=format_number(len(levers), f.lang), times=format_number(cells + len(levers), f.lang))


def front_pages(f: Forecast, hint: str = "") -> list[Page]:
    """Page 1 and, for long forecasts, continuation pages of the verdict table. Without standards
    there is nothing to tabulate: page 1 says so and shows no table. `hint` is a last line for
    page 1 (what `levers_hint` says)."""
    lang, verdict = f.lang, f.verdict
    sentences = answer_sentences(verdict, lang, f.simulated())
    note = label("report.table_note", lang).format(
        confidence=format_percent(verdict.get("confidence", 0.9), lang),
        at_risk=format_percent(verdict.get("at_risk_share", 0.5), lang))
    if any(s.get("mean") is not None for w in verdict.get("weeks", [])
           for s in service_standards(w, None)):
        note += " " + label("report.margin_note", lang)
    standards = standards_lines(verdict, lang)
    weeks = verdict.get("weeks", []) if standards else []

    def top(sheet: Sheet) -> None:
        _title_block(sheet, f)
        sheet.heading(label("report.answer", lang), 13)
        sheet.paragraph(sentences[0], 10.5, "bold", after=0.06)
        for sentence in sentences[1:]:
            sheet.paragraph(sentence, 10, indent=0.25, bullet="•", after=0.05)
        if weeks:
            sheet.heading(label("report.table_title", lang), 12.5)

    def bottom(sheet: Sheet, shown: list[dict[str, Any]]) -> None:
        if weeks:
            status_legend(sheet, lang)
            short_week_legend(sheet, shown, lang)
            sheet.paragraph(note, 9, colour="0.2")
        sheet.heading(label("report.standards_title", lang), 11)
        for line in standards or [label("report.standards_none", lang)]:
            sheet.paragraph(line, 9.5, indent=0.25, bullet="•", after=0.04)
        if hint:
            sheet.paragraph(hint, 9, colour="0.25", after=0.0)

    if not weeks:
        def alone(sheet: Sheet) -> None:
            top(sheet)
            bottom(sheet, weeks)
        return [alone]

    # lay the page out once on scratch paper to see how many weeks of the table fit on it
    scratch = Sheet(Figure(figsize=A4_INCHES))
    layout = table_layout([*verdict_services(verdict), None], weeks, scratch.text_width, lang)
    top(scratch)
    table_top = scratch.y
    scratch.y = 0.0
    bottom(scratch, weeks)  # every week: the short-week legend's room whatever the split
    fixed = layout.header_height + TABLE_GAP_INCHES
    chunks = split_weeks(weeks, layout.row_height, scratch.bottom - table_top - scratch.y - fixed,
                         scratch.bottom - MARGIN_INCHES - CONTINUED_EXTRA_INCHES - fixed)

    def page_one(sheet: Sheet) -> None:
        top(sheet)
        verdict_table(sheet, layout, chunks[0], lang)
        bottom(sheet, chunks[0])

    def continued(chunk: list[dict[str, Any]]) -> Page:
        def page(sheet: Sheet) -> None:
            sheet.heading(f"{label('report.table_title', lang)} ({f.title})", 12.5)
            verdict_table(sheet, layout, chunk, lang)
            status_legend(sheet, lang)
            short_week_legend(sheet, chunk, lang)
            sheet.paragraph(note, 9, colour="0.2")
        return page

    return [page_one] + [continued(chunk) for chunk in chunks[1:]]
