"""Charts of a results folder, for the printed report and for notebooks.

The fan chart shows one metric by day across replications: the median, the middle half (p25-p75)
and nine in ten (p05-p95) of the simulated futures. Each day is drawn as a flat step over its date,
so a day where the metric is undefined (the service is closed) is a gap, never a zero. Helpers
mark the calendar (weekends and public holidays shaded, go-live as a vertical line) and the first
weeks' mitigations (support-desk surge, superuser release) on a timeline sharing the date axis.

Colours are the Okabe-Ito palette, safe for colour-blind readers; every mark also differs by line
style or carries words, so a black-and-white print reads the same.

Example, in a notebook::

    fig, ax = plt.subplots()
    fan_chart(ax, results.daily, "phone", "service_level", results.scenario)
    shade_closed_days(ax, results.scenario)
    mark_go_live(ax, results.scenario)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import cache

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from matplotlib.textpath import TextToPath
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from sim.calendar import SimCalendar
from sim.labels import (
    COUNT_UNITS,
    format_number,
    format_percent,
    format_short_date,
    format_value,
    format_week,
    format_week_number,
    label,
    unit,
)
from sim.scenario import Scenario

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
}
"""The Okabe-Ito colour-blind-safe palette (Okabe & Ito 2008)."""

FAN_COLOUR = OKABE_ITO["blue"]
SCENARIO_COLOURS = tuple(OKABE_ITO[c] for c in ("blue", "vermillion", "green", "purple",
                                               "orange", "sky_blue", "black"))
"""One colour per scenario in a comparison, in order."""
SURGE_COLOUR = OKABE_ITO["orange"]
RELEASE_COLOUR = OKABE_ITO["green"]
GO_LIVE_COLOUR = OKABE_ITO["black"]
CLOSED_GREY = "0.91"

QUANTILES = {"p05": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95}
BAND_ALPHA = {"band90": 0.18, "band50": 0.38}

STATUS_STYLE: dict[str | None, tuple[str, str, str]] = {
    "responsible": ("✓", "1.0", "0.0"),
    "at_risk": ("!", "0.78", "0.0"),
    "not_responsible": ("✗", "0.32", "1.0"),
    None: ("–", "1.0", "0.35"),
}
"""Status -> (symbol, cell grey, text grey): words, symbols and shading that survive a
black-and-white print."""


def status_key(status: str | None) -> str:
    """The label key of a status (None: no verdict)."""
    return status if status is not None else "no_verdict"


# -- days and dates ---------------------------------------------------------------------------
# A reported day runs from go-live's time of day to the same time the next day (design section 5),
# so every chart draws day d over [day_start(d), day_start(d) + 1 day): the data, the week lines,
# the go-live line and the mitigation bars share one clock, and weekends and holidays are shaded
# at their true midnight-to-midnight times.

def day_offset(day: int) -> int:
    """Days from go-live to the start of a contract day (day 1 -> 0, day -1 -> -1); likewise
    weeks from go-live to the start of a contract week."""
    return day - 1 if day > 0 else day


def day_date(scenario: Scenario, day: int) -> dt.date:
    """The date a contract day starts on (day 1 starts on go-live's date)."""
    return day_start(scenario, day).date()


def day_start(scenario: Scenario, day: int) -> dt.datetime:
    """The moment a contract day starts: go-live's time of day on its date."""
    return scenario.calendar.go_live + dt.timedelta(days=day_offset(day))


def week_start(scenario: Scenario, week: int) -> dt.datetime:
    """The moment a contract week starts (week 1 at go-live)."""
    return day_start(scenario, 7 * (week - 1) + 1 if week > 0 else 7 * week)


def date_x(day: dt.date | dt.datetime) -> float:
    """Matplotlib's x coordinate of a date or moment (days since its epoch)."""
    return float(mdates.date2num(day))


def _day_x(days: np.ndarray, scenario: Scenario | None) -> np.ndarray:
    """x of the start of each contract day: a moment if the scenario is known, else days from
    go-live."""
    offsets = np.where(days > 0, days - 1, days).astype(float)
    if scenario is None:
        return offsets
    return offsets + date_x(scenario.calendar.go_live)


def report_span(scenario: Scenario) -> tuple[dt.datetime, dt.datetime]:
    """From the start of the first reported day to the end of the last week."""
    spec = scenario.calendar
    return (spec.go_live - dt.timedelta(days=spec.days_before),
            spec.go_live + dt.timedelta(weeks=spec.weeks_after))


def x_limits(scenario: Scenario) -> tuple[float, float]:
    """The x range of a chart: the reported span."""
    first, end = report_span(scenario)
    return date_x(first), date_x(end)


def reported_weeks(scenario: Scenario) -> list[int]:
    """Contract weeks holding at least one reported day, in order."""
    spec = scenario.calendar
    before = -(-spec.days_before // 7)
    return [w for w in range(-before, spec.weeks_after + 1) if w != 0]


# -- the fan chart ----------------------------------------------------------------------------

def quantile_bands(daily: pd.DataFrame, service: str, metric: str) -> pd.DataFrame:
    """Per day: p05, p25, p50, p75 and p95 of a metric across replications.

    Replications where the metric is undefined that day are left out; a day where it is
    undefined in all of them stays NaN (a gap in the chart).
    """
    rows = daily[(daily["service"] == service) & (daily["metric"] == metric)]
    table = rows.pivot_table(index="day", columns="replication", values="value",
                             aggfunc="first", dropna=False).sort_index()
    return pd.DataFrame({name: table.quantile(q, axis=1) for name, q in QUANTILES.items()})


def _steps(x: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each day's value as a flat step over [x, x + 1); NaN days stay NaN (gaps)."""
    return np.column_stack([x, x + 1]).ravel(), np.repeat(values, 2)


def fan_chart(ax: Axes, daily: pd.DataFrame, service: str, metric: str,
              scenario: Scenario | None = None, *, lang: str = "en", colour: str = FAN_COLOUR,
              label_prefix: str = "", bands: Sequence[str] = ("band90", "band50")) -> bool:
    """Draw a metric's daily median and bands across replications; False if there is no data.

    `daily` is the results folder's daily table. With `scenario` the x axis is dates, else days
    from go-live. `bands` picks the bands ("band90": p05-p95, "band50": p25-p75). Legend labels
    are the median and band names of `lang`, after `label_prefix` (e.g. a scenario's name).
    """
    quantiles = quantile_bands(daily, service, metric)
    if quantiles.empty or quantiles["p50"].isna().all():
        return False
    x = _day_x(quantiles.index.to_numpy(), scenario)
    edges = {"band90": ("p05", "p95"), "band50": ("p25", "p75")}
    for band in bands:
        low, high = edges[band]
        xs, lows = _steps(x, quantiles[low].to_numpy())
        _, highs = _steps(x, quantiles[high].to_numpy())
        ax.fill_between(xs, lows, highs, color=colour, alpha=BAND_ALPHA[band], linewidth=0,
                        label=label_prefix + label(f"chart.{band}", lang), zorder=2)
    xs, medians = _steps(x, quantiles["p50"].to_numpy())
    ax.plot(xs, medians, color=colour, linewidth=1.6, label=label_prefix + label("chart.median",
                                                                                  lang), zorder=3)
    format_value_axis(ax, metric, lang)
    return True


def mark_standard(ax: Axes, metric: str, rule: str, threshold: float, lang: str = "en") -> None:
    """The standard as a dashed black line, labelled at its right end ("Standard ≥ 80%")."""
    ax.axhline(threshold, color="black", linestyle=(0, (5, 3)), linewidth=1.2, zorder=4,
               label=label("chart.standard", lang))
    text = (f"{label('chart.standard', lang)} {label(rule, lang)} "
            f"{format_value(metric, threshold, lang)}")
    ax.annotate(text, xy=(1.0, threshold), xycoords=("axes fraction", "data"),
                xytext=(-3, 3 if rule == "at_least" else -3), textcoords="offset points",
                ha="right", va="bottom" if rule == "at_least" else "top", fontsize=9,
                bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none",
                      "alpha": 0.85}, zorder=6)


def format_value_axis(ax: Axes, metric: str, lang: str = "en") -> None:
    """y ticks in the metric's unit: percentages for shares, separators for thousands."""
    if unit(metric) == "share":
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_percent(v, lang)))
    else:
        ax.yaxis.set_major_formatter(FuncFormatter(
            lambda v, _: format_number(v, lang, 0 if float(v).is_integer() else 1)))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, min_n_ticks=3,
                                           integer=unit(metric) in COUNT_UNITS))


# -- the calendar -----------------------------------------------------------------------------

def closed_spans(scenario: Scenario, service: str | None = None
                 ) -> list[tuple[dt.date, dt.date]]:
    """Runs of weekend days, public holidays and closed dates (the service's own too, when
    given) in the reported period, as [first, end)."""
    calendar = SimCalendar(scenario.calendar)
    if service in scenario.services:
        calendar = calendar.closing(scenario.services[service].closed_dates)
    spec = scenario.calendar
    spans: list[tuple[dt.date, dt.date]] = []
    day = spec.start
    end = spec.go_live.date() + dt.timedelta(weeks=spec.weeks_after)
    while day <= end:
        if calendar.kind(day) != "weekday":
            if spans and spans[-1][1] == day:
                spans[-1] = (spans[-1][0], day + dt.timedelta(days=1))
            else:
                spans.append((day, day + dt.timedelta(days=1)))
        day += dt.timedelta(days=1)
    return spans


def shade_closed_days(ax: Axes, scenario: Scenario, lang: str = "en",
                      service: str | None = None) -> None:
    """Weekends, public holidays and closed dates (the service's own too) lightly shaded."""
    for number, (first, end) in enumerate(closed_spans(scenario, service)):
        ax.axvspan(date_x(first), date_x(end), color=CLOSED_GREY, linewidth=0, zorder=0,
                   label=label("chart.closed", lang) if number == 0 else None)


def mark_go_live(ax: Axes, scenario: Scenario, lang: str = "en") -> None:
    """Go-live as a vertical dash-dot line."""
    if scenario.calendar.new_system:
        ax.axvline(date_x(scenario.calendar.go_live), color=GO_LIVE_COLOUR, linewidth=1.6,
                   linestyle="-.", zorder=5, label=label("chart.go_live", lang))


def format_date_axis(ax: Axes, scenario: Scenario, lang: str = "en",
                     max_ticks: int = 11, weeks: bool = False) -> None:
    """Ticks at the start of each go-live week (fewer if many), labelled "7 May" / "7. mai", with
    the year on the first tick and on the first tick of each new year when the chart spans New
    Year, or with `weeks` by go-live week ("week 1"); faint vertical lines at every tick."""
    first, end = report_span(scenario)
    numbers = [w for w in reported_weeks(scenario) if week_start(scenario, w) >= first]
    last = scenario.calendar.weeks_after + 1  # the end of the last week
    starts = [week_start(scenario, w) for w in numbers] + [end]
    numbers.append(last)
    step = max(1, -(-len(starts) // max_ticks))
    # every step-th week counted from go-live, so that go-live itself always has a tick
    chosen = [i for i, n in enumerate(numbers) if day_offset(n) % step == 0]
    years = first.year != end.year
    words: dict[float, str] = {}
    previous_year = None
    for i in chosen:
        tick, number = starts[i], numbers[i]
        if weeks:
            words[date_x(tick)] = format_week(number, lang) if number != last else ""
        else:
            words[date_x(tick)] = format_short_date(tick.date(), lang,
                                                    year=years and tick.year != previous_year)
        previous_year = tick.year
    ax.xaxis.set_major_locator(FixedLocator(list(words)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: words.get(v, "")))
    ax.set_xlim(*x_limits(scenario))
    ax.grid(axis="x", color="0.75", linewidth=0.6, zorder=1)
    ax.grid(axis="y", color="0.85", linewidth=0.5, zorder=1)


# -- text measurement ----------------------------------------------------------------------------

FONT = "DejaVu Sans"
"""The report's font (matplotlib's own, so every machine draws the same pages)."""
_TEXT_PATH = TextToPath()


@cache
def _font(size: float, weight: str) -> FontProperties:
    return FontProperties(family=FONT, size=size, weight=weight)


def text_width(text: str, size: float, weight: str = "normal") -> float:
    """Printed width of a line of text in the report's font, in inches."""
    width, _, _ = _TEXT_PATH.get_text_width_height_descent(text, _font(size, weight),
                                                           ismath=False)
    return float(width) / 72


# -- the timeline of the first weeks ------------------------------------------------------------

def timeline(ax: Axes, scenario: Scenario, lang: str = "en",
             statuses: Mapping[int, str | None] | None = None,
             rows: Sequence[tuple[str, dt.date, dt.date, str]] | None = None) -> None:
    """A strip above the charts: the weeks (shaded by `statuses` when given, as in the verdict
    table) and labelled bars for the first weeks' mitigations (`rows`: text, first date, end date,
    colour; by default the scenario's surge and superuser release)."""
    bars = list(rows) if rows is not None else mitigation_rows(scenario, lang)
    height = 1 + len(bars)
    ax.set_ylim(0, height)
    ax.set_xlim(*x_limits(scenario))
    weeks = reported_weeks(scenario)
    x0, x1 = x_limits(scenario)
    figure = ax.get_figure(root=True)
    width_in = ax.get_position().width * (figure.get_figwidth() if figure is not None else 8.0)
    inch_per_day = width_in / (x1 - x0)
    for number, week in enumerate(weeks):
        first = date_x(week_start(scenario, week))
        status = statuses.get(week) if statuses is not None else None
        symbol, grey, ink = STATUS_STYLE[status]
        if statuses is None:
            grey, ink = ("0.95" if number % 2 else "0.86"), "0.0"
        ax.add_patch(Rectangle((max(first, x0), height - 1), min(first + 7, x1) - max(first, x0),
                               1, facecolor=grey, edgecolor="0.3", linewidth=0.6))
        left, right = max(first, x0), min(first + 7, x1)
        room = (right - left) * inch_per_day - 0.06
        number_words = format_week_number(week, lang)
        with_symbol = statuses is not None and status is not None
        choices = [format_week(week, lang), number_words]
        if with_symbol:
            choices = [f"{c} {symbol}" for c in choices] + [number_words]
        words = next((c for c in choices if text_width(c, 9) <= room), "")
        ax.text((left + right) / 2, height - 0.5, words, ha="center", va="center_baseline",
                fontsize=9, color=ink, clip_on=True)
    for row, (text, first_day, end_day, colour) in enumerate(bars):
        y = height - 2 - row
        left, right = date_x(first_day), date_x(end_day)
        ax.add_patch(Rectangle((left, y + 0.12), right - left, 0.76, facecolor=colour,
                               edgecolor="black", linewidth=0.6, alpha=0.55))
        inside = text_width(text, 9) + 0.1 <= (right - left) * inch_per_day
        ax.text(left + 0.3 if inside else right + 0.5, y + 0.5, text, ha="left",
                va="center_baseline", fontsize=9, clip_on=True)
    ax.set_yticks([])
    ax.tick_params(axis="x", which="both", bottom=False, labelbottom=False)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)


def mitigation_rows(scenario: Scenario, lang: str = "en", prefix: str = "",
                    colours: tuple[str, str] = (SURGE_COLOUR, RELEASE_COLOUR)
                    ) -> list[tuple[str, dt.date, dt.date, str]]:
    """The scenario's support-desk surge and superuser release as timeline bars; with an
    `[intensive_support]` rule they reach its latest end and say between which days it ends."""
    go_live = scenario.calendar.go_live.date()
    rule = scenario.intensive_support
    until = "" if rule is None else " " + label("chart.ends_by_rule", lang).format(
        first=rule.min_days, last=rule.max_days)

    def end(weeks: int) -> dt.date:
        return go_live + (dt.timedelta(weeks=weeks) if rule is None
                          else dt.timedelta(days=rule.max_days))

    rows = []
    desk = scenario.support_desk
    if (desk is not None and (desk.surge_weeks or rule) and desk.surge_agents
            and scenario.calendar.new_system):
        rows.append((prefix + label("chart.surge", lang).format(agents=desk.surge_agents) + until,
                     go_live, end(desk.surge_weeks), colours[0]))
    users = scenario.superusers
    if users is not None and (users.release_weeks or rule) and scenario.calendar.new_system:
        rows.append((prefix + label("chart.release", lang) + until, go_live,
                     end(users.release_weeks), colours[1]))
    return rows
