"""Safety outcomes on a service page: deviations (avvik) from system faults per week, by kind.

Drawn only when the simulated futures have any deviation, as stacked bars of the mean per week
over the futures, with hatching so that the kinds stay apart in black and white.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.charts import OKABE_ITO
from sim.labels import format_futures, format_number, label
from sim.report.layout import Sheet

if TYPE_CHECKING:
    from sim.experiment import Results

DEVIATION_KINDS = {
    "home_visits": ("visits_dropped_by_faults", "lost_items_noticed", "medication_deviations"),
    "cases": ("cases_dropped_by_faults", "lost_items_noticed", "cases_misrouted"),
}
"""The kinds of deviation of a service, the most serious first: their sum is its `deviations`."""
KIND_STYLES = ((OKABE_ITO["vermillion"], "xxx"), (OKABE_ITO["orange"], ""),
               (OKABE_ITO["sky_blue"], "///"))
"""Fill colour and hatch of each kind, in the order of DEVIATION_KINDS."""
CHART_INCHES = 1.05
"""Height of the bars' axes: room enough for the week labels and three legend rows."""
BARS_WIDTH_SHARE = 0.55
"""Share of the text width for the bars; their legend takes the rest."""
AXIS_LABELS_INCHES = 0.62
"""Room left of the bars for the y tick labels, as for the fan charts below."""
TITLE_INCHES, AFTER_INCHES = 0.3, 0.45
"""Room for the title above the bars, and for the week labels below them."""


def weekly_deviations(results: Results, service: str) -> dict[str, np.ndarray] | None:
    """Mean per week over the futures of each kind of deviation, from week 1 on; None when no
    future has any."""
    kinds = DEVIATION_KINDS.get(service)
    weekly = results.weekly
    rows = weekly[(weekly["service"] == service) & (weekly["week"] >= 1)]
    if kinds is None or not set(kinds) <= set(rows["metric"]):
        return None
    means = rows.pivot_table(index="week", columns="metric", values="value", aggfunc="mean")
    if float(means["deviations"].sum()) == 0:
        return None
    return {"week": means.index.to_numpy(), **{k: means[k].to_numpy() for k in kinds}}


def safety_chart(sheet: Sheet, results: Results, service: str, lang: str,
                 replications: int) -> None:
    """Deviations per week by kind at the cursor, with a title and a legend beside the bars;
    nothing when there are none."""
    means = weekly_deviations(results, service)
    if means is None:
        return
    sheet.text(sheet.left, sheet.y, label("safety.title", lang).format(
        futures=format_futures(replications, lang)), 10.5, weight="bold")
    sheet.y += TITLE_INCHES
    ax = sheet.axes(sheet.left + AXIS_LABELS_INCHES, sheet.y,
                    sheet.text_width * BARS_WIDTH_SHARE - AXIS_LABELS_INCHES, CHART_INCHES)
    weeks = means["week"]
    bottom = np.zeros(len(weeks))
    for kind, (colour, hatch) in zip(DEVIATION_KINDS[service], KIND_STYLES, strict=True):
        ax.bar(weeks, means[kind], bottom=bottom, color=colour, hatch=hatch, edgecolor="0.25",
               linewidth=0.4, label=label(kind, lang), width=0.7)
        bottom += means[kind]
    ax.set_xticks(weeks, [format_number(int(w), lang) for w in weeks])
    ax.set_xlabel(label("safety.weeks", lang))
    ax.set_ylim(0, float(bottom.max()) * 1.15)
    handles, words = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], words[::-1], loc="upper left", bbox_to_anchor=(1.04, 1.0),
              frameon=False, fontsize=9, borderaxespad=0)
    sheet.y += CHART_INCHES + AFTER_INCHES
