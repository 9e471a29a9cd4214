"""What the answer depends on: the uncertain assumptions that move the verdict most, the weeks
they can flip, and how much of each week's spread they cause (a forecast page, when the scenario
has an `[uncertainty]` table); and the tornado charts of `golive-sim sensitivity`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from matplotlib.patches import Rectangle

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
from sim.verdict import meets_share, status, worst

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
    steps = [s for s in parse_path(path) if isinstance(s, str)]
    group = label(GROUPS[steps[0]], lang) if steps[0] in GROUPS else steps[0]
    qualifiers = [label(f"depends.{s}", lang) for s in steps[1:-1]
                  if s in ("trained", "untrained")]
    leaf = next((s for s in reversed(steps[1:]) if f"depends.{s}" in LABELS), None)
    if leaf is None:
        return path
    return f"{', '.join([group, *qualifiers])}: {label(f'depends.{leaf}', lang)}"


def _value(path: str, value: float, lang: str) -> str:
    if path.endswith("_share"):
        return format_percent(value, lang)
    decimals = 0 if float(value).is_integer() else (2 if abs(value) < 1 else 1)
    return format_number(value, lang, decimals)


# -- the forecast page ---------------------------------------------------------------------------

def ranked_keys(f: Forecast) -> list[str]:
    """The uncertain keys, the one that moves the standards' metrics most first (mean absolute
    rank regression coefficient over the weeks from go-live and the standards)."""
    from sim.sensitivity import standard_metrics

    table = rank_regression(f.results.weekly, f.results.parameters, standard_metrics(f.results))
    strength = table.assign(size=table["coefficient"].abs()).groupby("path")["size"].mean()
    strength = strength.fillna(0.0)
    drawn = list(drawn_matrix(f.results.parameters).columns)
    return sorted(drawn, key=lambda path: -strength.get(path, 0.0))


def flipped_weeks(f: Forecast, path: str) -> dict[int, list[str]]:
    """Weeks (from go-live) whose verdict differs, for some service, between the futures that
    drew the lowest half of the key's values and those that drew the highest half."""
    drawn = drawn_matrix(f.results.parameters)[path].sort_values(kind="stable")
    half = len(drawn) // 2
    halves = [set(drawn.index[:half]), set(drawn.index[-half:])]
    weekly = f.results.weekly
    standards = f.scenario.standards
    flips: dict[int, list[str]] = {}
    for week in f.verdict.get("weeks", []):
        if week["week"] < 1:
            continue
        for service, entry in week["services"].items():
            verdicts = []
            for replications in halves:
                rows = weekly[(weekly.week == week["week"]) & (weekly.service == service)
                              & weekly.replication.isin(replications)]
                verdicts.append(worst([status(meets_share(
                    rows.loc[rows.metric == s["metric"], "value"].to_numpy(dtype=float),
                    s["rule"], s["threshold"]), standards) for s in entry["standards"]]))
            if verdicts[0] != verdicts[1]:
                flips.setdefault(week["week"], []).append(service)
    return flips


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


def dependence_pages(f: Forecast) -> list[Page]:
    """"What the answer depends on", when the run drew uncertain assumptions; else no page."""
    if f.results.parameters.empty or drawn_matrix(f.results.parameters).empty:
        return []
    lang = f.lang
    parameters = f.results.parameters
    keys = ranked_keys(f)

    def intro(sheet: Sheet) -> None:
        sheet.paragraph(label("depends.title", lang), 17, "bold", after=0.06)
        sheet.paragraph(label("depends.intro", lang).format(
            keys=format_number(parameters["path"].nunique(), lang),
            futures=format_futures(f.replications, lang)), 10.5)

    def key_block(path: str) -> Page:
        low, high = (f.scenario.uncertainty or {})[path].ends(key_bounds(f.scenario, path))
        span = label("depends.range", lang).format(low=_value(path, low, lang),
                                                   high=_value(path, high, lang))
        words = (f"{assumption_name(path, lang)} ({span}). "
                 + _flip_words(flipped_weeks(f, path), lang))

        def draw(sheet: Sheet) -> None:
            sheet.paragraph(words, 10, indent=0.2, bullet="•", after=0.06)
        return draw

    blocks: list[Page] = [intro, *(key_block(p) for p in keys[:MOST_KEYS]), spread_table(f)]
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
