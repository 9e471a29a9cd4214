"""Charts of a sweep: a heat map of two varied keys, a line chart with intervals for one.

Each draws, per cell, the share of simulated futures in which every week after go-live meets every
standard (`all.responsible_share` of sweep.csv), and marks the responsible boundary: the cells at
or above the scenario's confidence are ringed by a thick line (heat map) or drawn as filled marks
above a dashed target line (line chart). Grey fills, printed percentages and line styles carry the
meaning, so the page reads the same in black and white.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from sim.charts import text_width
from sim.labels import format_number, format_percent, label
from sim.report.dependence import assumption_name
from sim.report.layout import STYLE, Page, Sheet, flow, wrap, write_pdf
from sim.scenario import Scenario

SHARE = "all.responsible_share"
LOW, HIGH = "all.responsible_low", "all.responsible_high"
DARKEST_GREY = 0.55
"""Fill of a cell where every future is responsible: dark enough to see, light enough for black
digits on it."""
BOUNDARY_WIDTH = 2.6
ROW_INCHES = 0.6
LINE_CHART_ROWS = 5
MAX_CHART_INCHES = 6.5
"""A heat map's row height, a line chart's height in rows, and the tallest chart on a page."""
Y_LABEL_ROOM_INCHES = 0.1
"""Room beyond the rotated y label's length in a chart's height."""
Y_LABEL_INCHES = 2.4
"""The longest line of the rotated y label (a key in words wraps)."""


def value_text(value: Any, lang: str) -> str:
    """A varied value as a label: numbers in the language's style, anything else as written."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        return str(value)
    if float(value).is_integer():
        return format_number(float(value), lang)
    return format_number(float(value), lang, decimals=len(f"{float(value):g}".split(".")[-1]))


def heat_map(ax: Axes, table: pd.DataFrame, x_path: str, y_path: str, target: float, lang: str,
             names: dict[str, str] | None = None) -> None:
    """Cells of two varied keys, filled and labelled with the share of responsible futures; the
    responsible ones (share >= target) ringed by the boundary line."""
    names = names or {}
    xs, ys = list(dict.fromkeys(table[x_path])), list(dict.fromkeys(table[y_path]))
    share = np.full((len(ys), len(xs)), np.nan)
    for _, row in table.iterrows():
        share[ys.index(row[y_path]), xs.index(row[x_path])] = row[SHARE]
    grey = 1 - DARKEST_GREY * np.nan_to_num(share)
    ax.imshow(np.dstack([grey] * 3), origin="lower", aspect="auto",
              extent=(-0.5, len(xs) - 0.5, -0.5, len(ys) - 0.5))
    ax.hlines(np.arange(len(ys) + 1) - 0.5, -0.5, len(xs) - 0.5, color="0.6", lw=0.6)
    ax.vlines(np.arange(len(xs) + 1) - 0.5, -0.5, len(ys) - 0.5, color="0.6", lw=0.6)
    responsible = np.nan_to_num(share) >= target
    for j, i in itertools.product(range(len(ys)), range(len(xs))):
        ax.text(i, j, format_percent(share[j, i], lang), ha="center", va="center", fontsize=9,
                weight="bold" if responsible[j, i] else "normal")
    _boundary(ax, responsible)
    ax.set_xticks(range(len(xs)), [value_text(v, lang) for v in xs])
    ax.set_yticks(range(len(ys)), [value_text(v, lang) for v in ys])
    ax.set_xlabel(names.get(x_path, x_path))
    ax.set_ylabel(names.get(y_path, y_path))
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _boundary(ax: Axes, responsible: np.ndarray) -> None:
    """A thick line along every cell edge between a responsible cell and one that is not (or the
    grid's edge)."""
    rows, columns = responsible.shape
    padded = np.pad(responsible, 1, constant_values=False)
    for j, i in itertools.product(range(rows), range(columns)):
        if not responsible[j, i]:
            continue
        for dj, di, edge in ((1, 0, ((i - .5, i + .5), (j + .5, j + .5))),
                             (-1, 0, ((i - .5, i + .5), (j - .5, j - .5))),
                             (0, 1, ((i + .5, i + .5), (j - .5, j + .5))),
                             (0, -1, ((i - .5, i - .5), (j - .5, j + .5)))):
            if not padded[j + 1 + dj, i + 1 + di]:
                ax.plot(*edge, color="black", lw=BOUNDARY_WIDTH, solid_capstyle="projecting",
                        clip_on=False)


def line_chart(ax: Axes, table: pd.DataFrame, path: str, target: float, lang: str,
               names: dict[str, str] | None = None) -> None:
    """Share of responsible futures against one varied key, with its 95 % interval; filled marks
    at or above the dashed target line, open marks below it."""
    names = names or {}
    values = list(table[path])
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    x = np.array(values, dtype=float) if numeric else np.arange(len(values), dtype=float)
    share = table[SHARE].to_numpy(dtype=float)
    error = np.vstack([share - table[LOW].to_numpy(dtype=float),
                       table[HIGH].to_numpy(dtype=float) - share])
    ax.errorbar(x, share, yerr=error, color="black", lw=1, capsize=3, fmt="none")
    ax.plot(x, share, color="black", lw=1)
    ok = share >= target
    ax.plot(x[ok], share[ok], "o", color="black", ms=6)
    ax.plot(x[~ok], share[~ok], "o", mfc="white", mec="black", ms=6)
    ax.axhline(target, color="black", ls="--", lw=1)
    ax.annotate(label("sweep.target", lang).format(share=format_percent(target, lang)),
                (0, target), xycoords=("axes fraction", "data"), xytext=(2, 3),
                textcoords="offset points", fontsize=9)
    ax.set_ylim(0, 1.08)
    ax.set_yticks(np.linspace(0, 1, 6), [format_percent(v, lang) for v in np.linspace(0, 1, 6)])
    ax.set_xticks(x, [value_text(v, lang) for v in values])
    ax.set_xlabel(names.get(path, path))
    ax.set_ylabel(label("sweep.share_axis", lang))


def sweep_blocks(table: pd.DataFrame, paths: list[str], target: float, lang: str,
                 names: dict[str, str] | None = None) -> list[Page]:
    """The charts of a sweep as page blocks: one line chart, or one heat map of the first two
    keys for each combination of the others' values."""
    names = names or {}
    others = paths[2:]
    groups = [((), table)] if not others else list(table.groupby(others, sort=False))
    blocks: list[Page] = []
    for key, part in groups:
        fixed = dict(zip(others, key if isinstance(key, tuple) else (key,), strict=True))
        blocks.append(_chart_block(part, paths, target, lang, names, fixed))
    return blocks


def _chart_block(table: pd.DataFrame, paths: list[str], target: float, lang: str,
                 names: dict[str, str], fixed: dict[str, Any]) -> Page:
    rows = len(set(table[paths[1]])) if len(paths) > 1 else LINE_CHART_ROWS
    y_label = names.get(paths[1], paths[1]) if len(paths) > 1 else label("sweep.share_axis", lang)
    y_lines = wrap(y_label, Y_LABEL_INCHES, STYLE["axes.labelsize"])
    if len(paths) > 1:
        names = {**names, paths[1]: "\n".join(y_lines)}
    # at least as tall as the rotated y label, which would otherwise reach into the text above
    height = max(min(ROW_INCHES * rows, MAX_CHART_INCHES),
                 max(text_width(line, STYLE["axes.labelsize"]) for line in y_lines)
                 + Y_LABEL_ROOM_INCHES)

    def draw(sheet: Sheet) -> None:
        if fixed:
            sheet.paragraph(", ".join(f"{names.get(p, p)} = {value_text(v, lang)}"
                                      for p, v in fixed.items()), 10, "bold")
        left = sheet.left + 1.0
        ax = sheet.axes(left, sheet.y + 0.1, sheet.text_width - 1.2, height)
        if len(paths) == 1:
            line_chart(ax, table, paths[0], target, lang, names)
        else:
            heat_map(ax, table, paths[0], paths[1], target, lang, names)
        sheet.y += height + 0.75
    return draw


def write_sweep_pdf(table: pd.DataFrame, paths: list[str], scenario: Scenario, out: Path,
                    lang: str = "en") -> Path:
    """sweep.pdf: a heading, how to read the charts, and the charts."""
    return write_pdf(out, sweep_pages(table, paths, scenario, lang), sweep_footer(scenario, lang),
                     lang)


def sweep_footer(scenario: Scenario, lang: str) -> str:
    return f"{scenario.display_title(lang)} · golive-sim sweep"


def sweep_pages(table: pd.DataFrame, paths: list[str], scenario: Scenario,
                lang: str) -> list[Page]:
    """The pages of sweep.pdf."""
    target = scenario.standards.confidence
    share = format_percent(target, lang)

    def intro(sheet: Sheet) -> None:
        sheet.heading(label("sweep.title", lang).format(scenario=scenario.display_title(lang)))
        key = "sweep.reading_line" if len(paths) == 1 else "sweep.reading_map"
        sheet.paragraph(label(key, lang).format(share=share))

    names = {path: assumption_name(path, lang) for path in paths}
    return flow([intro, *sweep_blocks(table, paths, target, lang, names)])
