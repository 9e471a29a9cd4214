"""What the answer depends on: the uncertain assumptions that move the verdict most, the weeks
they can flip, and how much of each week's spread they cause (a forecast page, when the scenario
has an `[uncertainty]` table); and the tornado charts of `golive-sim sensitivity`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from matplotlib.patches import Rectangle

from sim.assumption_effects import (
    SIGNIFICANCE,
    Effect,
    effects_from_regression,
    effects_from_sensitivity,
)
from sim.charts import OKABE_ITO, text_width
from sim.influence import drawn_matrix, rank_regression
from sim.labels import (
    LABELS,
    check_lang,
    format_futures,
    format_number,
    format_percent,
    format_week,
    format_weeks,
    join_words,
    label,
)
from sim.paths import parse_path
from sim.report.front_page import Forecast
from sim.report.layout import Page, Sheet, flow, line_height, wrap, write_pdf
from sim.report.verdict_table import table_axes
from sim.report.verdict_words import verdict_services, weakest_standard
from sim.uncertainty import key_bounds

if TYPE_CHECKING:
    from sim.sensitivity import Sensitivity

MOST_KEYS = 5
"""Assumptions the forecast page names: the few that move the verdict most."""

GROUPS = {"phone": "phone", "cases": "cases", "home_visits": "home_visits",
          "rest_of_staff": "assumptions.rest_of_staff", "support_desk": "support.short",
          "superusers": "support.superusers"}
"""The label of the part of the scenario a key belongs to, by its first step."""


def assumption_name(path: str, lang: str) -> str:
    """A key path in words: "Phone line, untrained: slowness in the new system at go-live"; the
    path itself where no words are known for its last step."""
    every = parse_path(path)
    steps = [s for s in every if isinstance(s, str)]
    group = label(GROUPS[steps[0]], lang) if steps[0] in GROUPS else steps[0]
    qualifiers = [label(f"depends.{s}", lang) for s in steps[1:-1]
                  if s in ("trained", "untrained")]
    leaf = next((s for s in reversed(steps[1:]) if f"depends.{s}" in LABELS), None)
    if leaf is None:
        return path
    position = next((s + 1 for s in reversed(every) if isinstance(s, int)), 1)
    words = label(f"depends.{leaf}", lang).format(n=position)  # week or day n of a list
    return f"{', '.join([group, *qualifiers])}: {words}"


def _value(path: str, value: float, lang: str) -> str:
    last = [s for s in parse_path(path) if isinstance(s, str)][-1]
    if last.endswith("share") or "_share_by_" in last:
        return format_percent(value, lang)
    decimals = 0 if float(value).is_integer() else (2 if abs(value) < 1 else 1)
    return format_number(value, lang, decimals)


# -- the forecast page ---------------------------------------------------------------------------

def key_effects(f: Forecast, sensitivity: pd.DataFrame | None = None) -> list[Effect]:
    """Each uncertain key's direction and the weeks it can flip, the key that moves the verdict
    most first: from `sensitivity` (a `golive-sim sensitivity` table) when given, else from the
    rank regression of the forecast's own drawn values."""
    from sim.sensitivity import standard_metrics

    if sensitivity is not None:
        return effects_from_sensitivity(sensitivity, f.verdict, f.scenario.standards)
    regression = rank_regression(f.results.weekly, f.results.parameters,
                                 standard_metrics(f.results))
    effects = effects_from_regression(regression, f.verdict)
    listed = {e.path for e in effects}
    return effects + [Effect(path, None, None, 0, None, {})
                      for path in drawn_matrix(f.results.parameters).columns
                      if path not in listed]


def direction_words(effect: Effect, lang: str) -> str:
    """"A higher value raises “Visits started late” (home visits): its standard is met less
    often."; or that no clear effect was found."""
    if effect.service is None or effect.metric is None or effect.sign == 0:
        return label("depends.no_direction", lang)
    more = (effect.sign > 0) == (effect.rule == "at_least")
    return label("depends.raises" if effect.sign > 0 else "depends.lowers", lang).format(
        metric=label(effect.metric, lang), service=label(effect.service, lang).lower(),
        often=label("depends.more_often" if more else "depends.less_often", lang))


def _flip_words(flips: dict[int, list[str]], lang: str) -> str:
    if not flips:
        return label("depends.no_flip", lang)
    by_services: dict[tuple[str, ...], list[int]] = {}
    for week, services in flips.items():
        by_services.setdefault(tuple(services), []).append(week)
    parts = [f"{format_weeks(weeks, lang)} "
             f"({join_words([label(s, lang).lower() for s in names], lang)})"
             for names, weeks in by_services.items()]
    return label("depends.flips", lang).format(weeks=join_words(parts, lang))


def dependence_pages(f: Forecast, sensitivity: pd.DataFrame | None = None) -> list[Page]:
    """"What the answer depends on", when the run drew uncertain assumptions; else no page. With
    `sensitivity` (sensitivity.csv of `golive-sim sensitivity` for the same scenario), its
    low/high runs decide the ranking, the directions and the weeks that can flip."""
    if f.results.parameters.empty or drawn_matrix(f.results.parameters).empty:
        return []
    lang = f.lang
    parameters = f.results.parameters
    effects = key_effects(f, sensitivity)
    least = drawn_matrix(parameters).shape[1] + 2  # what the rank regression needs (rank_fit)
    too_few = sensitivity is None and f.replications < least
    method = (label("depends.method_sensitivity", lang) if sensitivity is not None
              else label("depends.method_regression", lang).format(
                  futures=format_futures(f.replications, lang),
                  level=format_percent(SIGNIFICANCE, lang)))

    def intro(sheet: Sheet) -> None:
        sheet.paragraph(label("depends.title", lang), 17, "bold", after=0.06)
        sheet.paragraph(label("depends.intro", lang).format(
            keys=format_number(parameters["path"].nunique(), lang),
            futures=format_futures(f.replications, lang)), 10.5)

    def method_line(sheet: Sheet) -> None:
        sheet.paragraph(method, 9, colour="0.25")

    def key_block(effect: Effect) -> Page:
        path = effect.path
        low, high = (f.scenario.uncertainty or {})[path].ends(key_bounds(f.scenario, path))
        span = label("depends.range", lang).format(low=_value(path, low, lang),
                                                   high=_value(path, high, lang))
        told = (label("depends.too_few", lang).format(least=format_number(least, lang))
                if too_few
                else f"{direction_words(effect, lang)} {_flip_words(effect.flips, lang)}")
        words = f"{assumption_name(path, lang)} ({span}). {told}"

        def draw(sheet: Sheet) -> None:
            sheet.paragraph(words, 10, indent=0.2, bullet="•", after=0.06)
        return draw

    blocks: list[Page] = [intro, *(key_block(e) for e in effects[:MOST_KEYS]), method_line,
                          spread_table(f)]
    return flow(blocks)


def spread_table(f: Forecast) -> Page:
    """Weeks down, services across: the share of spread from the assumptions in the service's
    weakest standard of the week."""
    lang = f.lang
    services = verdict_services(f.verdict)
    weeks = [w for w in f.verdict.get("weeks", []) if w["week"] >= 1]
    size, row = 9.5, 0.24

    def draw(sheet: Sheet) -> None:
        sheet.heading(label("depends.spread_title", lang))
        week_width = max(text_width(format_week(w["week"], lang).capitalize(), size, "bold")
                         for w in weeks) + 0.3
        column = (sheet.text_width - week_width) / max(len(services), 1)
        heads = [wrap(label(s, lang), column - 0.1, size, "bold") for s in services]
        head_height = max(len(h) for h in heads) * line_height(size) + 0.08
        height = head_height + row * len(weeks)
        ax = table_axes(sheet, sheet.y, height)
        for i, lines in enumerate(heads):
            for j, text in enumerate(lines):
                ax.text(week_width + (i + 0.5) * column, 0.04 + j * line_height(size), text,
                        ha="center", va="top", fontsize=size, weight="bold")
        for r, week in enumerate(weeks):
            y = head_height + r * row
            ax.add_patch(Rectangle((0, y), sheet.text_width, row, facecolor="1.0" if r % 2
                                   else "0.95", edgecolor="none"))
            ax.text(0.05, y + row / 2, format_week(week["week"], lang).capitalize(),
                    va="center_baseline", fontsize=size, weight="bold")
            for i, service in enumerate(services):
                entry = week["services"].get(service, {})
                weakest = weakest_standard(entry.get("standards", []))
                share: Any = weakest.get("assumption_share") if weakest else None
                ax.text(week_width + (i + 0.5) * column, y + row / 2,
                        format_percent(share, lang) if share is not None else "–",
                        ha="center", va="center_baseline", fontsize=size)
        sheet.y += height + 0.1
        sheet.paragraph(label("depends.spread_note", lang), 9, colour="0.25")

    return draw


# -- the tornado charts of `golive-sim sensitivity` ---------------------------------------------

LOW_COLOUR, HIGH_COLOUR = OKABE_ITO["sky_blue"], OKABE_ITO["blue"]
MOST_BARS = 12
"""Keys a tornado chart shows: the longest bars."""


def tornado_page(result: Sensitivity, service: str, lang: str) -> Page:
    """A service's tornado chart: each key's low and high value against the average share of
    futures meeting its weakest standard, longest bar first."""
    from sim.sensitivity import service_outcomes

    outcomes = service_outcomes(result.table, service).head(MOST_BARS)
    weeks = sorted(result.table["week"].unique())
    values = result.table.drop_duplicates("path").set_index("path")

    def draw(sheet: Sheet) -> None:
        sheet.paragraph(label("sensitivity.title", lang).format(service=label(service, lang)),
                        15, "bold", after=0.1)
        names = [assumption_name(p, lang) for p in outcomes.index]
        name_width = min(max(text_width(n, 9) for n in names) + 0.15, sheet.text_width * 0.45)
        bar = 0.42
        height = bar * len(outcomes) + 0.2
        ax = sheet.axes(sheet.left + name_width, sheet.y, sheet.text_width - name_width, height)
        for i, (path, row) in enumerate(outcomes.iterrows()):
            centre = row["meets_share_central"]
            ends = {side: row[f"meets_share_{side}"] for side in ("low", "high")}
            for side, colour in (("low", LOW_COLOUR), ("high", HIGH_COLOUR)):
                ax.barh(i, ends[side] - centre, left=centre, height=0.6, color=colour,
                        edgecolor="0.3", linewidth=0.5)
            # the value of the side that ends further left is written left of the bars
            left, right = sorted(ends, key=lambda side: (ends[side], side != "low"))
            for side, x, align in ((left, min(*ends.values(), centre), "right"),
                                   (right, max(*ends.values(), centre), "left")):
                ax.text(x, i, f" {_value(path, values.loc[path, side], lang)} ", va="center",
                        fontsize=9, ha=align)
            lines = wrap(names[i], name_width - 0.1, 9)
            middle = sheet.y + (i + 0.5) * height / len(outcomes)
            for j, line in enumerate(lines):
                sheet.text(sheet.left, middle + (j - len(lines) / 2) * line_height(9), line, 9)
        central = float(outcomes["meets_share_central"].iloc[0]) if len(outcomes) else 0.0
        ax.axvline(central, color="black", linewidth=1.2)
        ax.set_ylim(len(outcomes) - 0.5, -0.5)
        ax.set_xlim(-0.12, 1.12)
        ax.set_yticks([])
        ax.xaxis.set_major_formatter(
            lambda x, _: format_percent(x, lang) if 0 <= round(x, 6) <= 1 else "")
        ax.spines["left"].set_visible(False)
        sheet.y += height + 0.45
        sheet.paragraph(label("sensitivity.axis", lang).format(
            first=format_number(weeks[0], lang), last=format_number(weeks[-1], lang)), 9.5,
            weight="bold")
        sheet.paragraph(label("sensitivity.note", lang).format(
            futures=format_futures(result.replications, lang)), 9, colour="0.25")

    return draw


def render_sensitivity(result: Sensitivity, out: Path, lang: str = "en") -> Path:
    """The tornado charts, a page per service with a standard, as an A4 PDF."""
    check_lang(lang)
    services = [s for s in ("phone", "cases", "home_visits", "support")
                if s in set(result.table["service"])]
    pages = [tornado_page(result, s, lang) for s in services]
    footer = f"{result.scenario.display_title(lang)} · golive-sim sensitivity"
    return write_pdf(out, pages, footer, lang)
