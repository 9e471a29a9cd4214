"""A service page's small table of how the go-live strains its operations, week by week: shifts
covered by substitutes, the nurses' overtime and late documentation, visits postponed and
escalated, the superusers' time spent helping (docs/model.md section 13). These have no standard,
so they are not in the verdict, but a director staffs for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.charts import text_width
from sim.labels import format_futures, format_number, label, metric_title, unit
from sim.report.layout import Sheet, line_height, wrap
from sim.report.verdict_table import table_axes

if TYPE_CHECKING:
    from sim.report.front_page import Forecast

OPERATIONS_METRICS = {
    "phone": ("substitute_shifts", "access_problems"),
    "cases": ("substitute_shifts", "access_problems"),
    "home_visits": ("substitute_shifts", "overtime_hours", "documentation_late_share",
                    "visits_postponed", "visits_escalated", "access_problems"),
    "support": ("superuser_utilisation_share", "access_problems"),
}
"""Per service, the operations metrics its page tabulates (those of its results that are not
zero in every week)."""
SIZE = 9.0
NAME_INCHES = (1.4, 3.0)
"""The least and greatest width of the metric names' column (names wrap)."""
WEEK_INCHES = 0.45
"""The least width of a week's column."""
CELL_PADDING_INCHES = 0.1


def operations_rows(f: Forecast, service: str) -> tuple[list[int], list[tuple[str, list[float]]]]:
    """The reported weeks and, per operations metric of the service that is not zero in every
    week, its mean over the futures in each week."""
    summary = f.results.summary
    rows = summary[summary["service"] == service]
    weeks = sorted(int(w) for w in rows["week"].unique())
    table = []
    for metric in OPERATIONS_METRICS.get(service, ()):
        means = rows[rows["metric"] == metric].set_index("week")["mean"]
        values = [float(means.get(week, np.nan)) for week in weeks]
        if any(not np.isnan(v) and v != 0 for v in values):
            table.append((metric, values))
    return weeks, table


def _cell(metric: str, value: float, lang: str) -> str:
    """A weekly mean in the metric's unit, without the unit (the row's title has it)."""
    if unit(metric) == "share":
        return format_number(100 * value, lang, 1)
    return format_number(value, lang, 1 if 0 < abs(value) < 10 else 0)


def operations_table(sheet: Sheet, f: Forecast, service: str) -> None:
    """The table at the cursor, weeks across (by number, under "Week") and metrics down, or
    nothing when the service has none of these metrics; the cursor moves below it."""
    weeks, rows = operations_rows(f, service)
    if not rows:
        return
    lang = f.lang
    heads = [format_number(w, lang) for w in weeks]
    cells = [[_cell(metric, v, lang) for v in values] for metric, values in rows]
    widest = max(text_width(t, SIZE) for t in [*heads, *(c for row in cells for c in row)])
    column = max(widest + CELL_PADDING_INCHES, WEEK_INCHES)
    name_width = min(max(sheet.text_width - len(weeks) * column, NAME_INCHES[0]), NAME_INCHES[1])
    column = min(column, (sheet.text_width - name_width) / len(weeks))
    names = [wrap(metric_title(metric, lang), name_width - CELL_PADDING_INCHES, SIZE)
             for metric, _ in rows]
    step = line_height(SIZE)
    height = step * (1 + sum(len(n) for n in names)) + 0.06
    sheet.paragraph(label("operations.title", lang), 10.5, "bold", after=0.04)
    ax = table_axes(sheet, sheet.y, height)
    ax.text(0.04, step / 2, label("report.week", lang), va="center_baseline", fontsize=SIZE,
            weight="bold")
    right = [name_width + (i + 1) * column - CELL_PADDING_INCHES / 2 for i in range(len(weeks))]
    for x, head in zip(right, heads, strict=True):
        ax.text(x, step / 2, head, ha="right", va="center_baseline", fontsize=SIZE,
                weight="bold")
    y = step
    for r, (lines, values) in enumerate(zip(names, cells, strict=True)):
        tall = step * len(lines)
        if r % 2 == 0:
            ax.axhspan(y, y + tall, xmax=(right[-1] + CELL_PADDING_INCHES / 2) / sheet.text_width,
                       color="0.94", linewidth=0)
        for j, line in enumerate(lines):
            ax.text(0.04, y + (j + 0.5) * step, line, va="center_baseline", fontsize=SIZE)
        for x, value in zip(right, values, strict=True):
            ax.text(x, y + tall / 2, value, ha="right", va="center_baseline", fontsize=SIZE)
        y += tall
    sheet.y += height + 0.04
    sheet.paragraph(label("operations.note", lang).format(futures=format_futures(
        f.replications, lang)), 9, colour="0.25", after=0.06)
