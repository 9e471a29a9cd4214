"""The verdict table: weeks down, services across, each cell the status in words, a symbol and a
grey that survive a black-and-white print, with the share of futures meeting the weakest
standard. The comparison uses the same table with a row per scenario under each week.

Every width is measured from the words it holds in the report's language (week titles, dates,
service names, statuses), so no column is fixed: headers wrap (a long compound is hyphenated),
cells wrap, and the rows grow to fit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from sim.charts import STATUS_STYLE, status_key, text_width
from sim.labels import format_date, format_percent, format_week, label
from sim.report.layout import Sheet, line_height, two_line_width, wrap
from sim.report.verdict_words import (
    service_standards,
    service_status,
    weakest_standard,
)

CELL_PADDING_INCHES = 0.14
"""Room left and right of the words in a cell, together."""
ROW_PADDING_INCHES = 0.12
"""Room above and below the lines of a row, together."""
TABLE_ROW_INCHES = 0.36
"""The least height of a row: two lines of a week title and its date."""
TABLE_GAP_INCHES = 0.1
WEEK_PADDING_INCHES = 0.08
"""Room left and right of the words in the week column."""
LETTER_COLUMN_INCHES = 0.32
"""The column of scenario letters in a comparison."""
ROOMY_COLUMN_INCHES = 1.3
"""Status columns at least this wide hold every status word and header on a line or two; the
week column's dates wrap onto two lines when keeping them on one would leave less."""
ROUNDING_INCHES = 0.01
"""Slack so that text measured to fit a width is not wrapped by rounding."""
HEADER_SIZES = (10.0, 9.5, 9.0)
CELL_SIZES = (9.5, 9.0)


def week_texts(week: dict[str, Any], lang: str, dated: bool = True) -> tuple[str, str]:
    """A week's row title ("Week 1") and its detail ("from 7 May 2022", "before go-live")."""
    title = format_week(week["week"], lang).capitalize()
    if week["week"] < 0:
        return title, label("report.week_before", lang)
    if not dated:
        return title, ""
    start = dt.date.fromisoformat(week["start"])
    return title, label("report.week_from", lang).format(date=format_date(start, lang))


def column_name(service: str | None, lang: str) -> str:
    """A column's heading: the service (the support desk by its short name) or all services."""
    return label("support.short" if service == "support" else (service or "overall"), lang)


def cell_lines(status: str | None, share: float | None, width: float, lang: str,
               words: bool = True) -> tuple[list[str], float]:
    """The lines of a verdict cell and their font size: status words (wrapped if the column is
    narrow) and the share of futures meeting the weakest standard; without `words`, the symbol
    and the share only (the comparison)."""
    symbol = STATUS_STYLE[status][0]
    room = width - CELL_PADDING_INCHES
    percent = [format_percent(share, lang)] if share is not None else []
    text = f"{symbol} {percent[0]}" if not words and percent else symbol
    if words:
        text = f"{symbol} {label(status_key(status), lang)}"
    size = next((s for s in CELL_SIZES if text_width(text, s, "bold") <= room), CELL_SIZES[-1])
    if not words:
        return ([text] if text_width(text, size, "bold") <= room else [symbol, *percent]), size
    return wrap(text, room, size, "bold") + percent, size


@dataclass(frozen=True)
class TableLayout:
    """Measured widths and heights of a verdict table, in inches."""

    columns: list[str | None]
    week_width: float
    letter_width: float
    column_width: float
    header: list[tuple[list[str], float]]
    header_height: float
    row_height: float
    words: bool

    def x(self, column: int) -> float:
        """Left edge of a status column."""
        return self.week_width + self.letter_width + column * self.column_width


def table_layout(columns: list[str | None], weeks: Sequence[dict[str, Any]], width: float,
                 lang: str, scenarios: int = 1, dated: bool = True) -> TableLayout:
    """Lay out a table of `columns` for `weeks` in `width` inches: the week column as wide as its
    widest title or date, the status columns sharing the rest; with several `scenarios`, a letter
    column and compact cells (symbol and share)."""
    texts = [week_texts(w, lang, dated) for w in weeks]
    letter_width = LETTER_COLUMN_INCHES if scenarios > 1 else 0.0
    heading = text_width(label("report.week", lang), 10, "bold")
    one_line = max([heading] + [max(text_width(t, 10, "bold"), text_width(d, 9))
                                for t, d in texts])
    if (width - one_line - letter_width) / len(columns) < ROOMY_COLUMN_INCHES:
        one_line = max([heading] + [max(text_width(t, 10, "bold"), two_line_width(d, 9))
                                    for t, d in texts])
    week_width = one_line + 2 * WEEK_PADDING_INCHES + ROUNDING_INCHES
    column_width = (width - week_width - letter_width) / len(columns)
    header = []
    for service in columns:
        name = column_name(service, lang)
        room = column_width - CELL_PADDING_INCHES
        size = next((s for s in HEADER_SIZES
                     if all(text_width(w, s, "bold") <= room for w in name.split())),
                    HEADER_SIZES[-1])
        header.append((wrap(name, room, size, "bold"), size))
    header_height = max(len(lines) * line_height(size) for lines, size in header) + 0.16
    words = scenarios == 1
    tallest = max(len(lines) * line_height(size) for status in STATUS_STYLE
                  for lines, size in [cell_lines(status, 1.0, column_width, lang, words)])
    row_height = tallest + ROW_PADDING_INCHES
    if words:
        row_height = max(row_height, *(week_height(t, d, week_width) for t, d in texts))
    return TableLayout(columns, week_width, letter_width, column_width, header, header_height,
                       row_height, words)


def week_lines(title: str, detail: str, width: float) -> list[tuple[str, float, str]]:
    """The lines of a week's cell: its title (10 pt bold) and its detail wrapped to the column
    (9 pt), each with its size and weight."""
    lines = [(title, 10.0, "bold")]
    if detail:
        lines += [(line, 9.0, "normal")
                  for line in wrap(detail, width - 2 * WEEK_PADDING_INCHES, 9)]
    return lines


def week_height(title: str, detail: str, width: float) -> float:
    """Height a week's cell needs."""
    return (sum(line_height(size) for _, size, _ in week_lines(title, detail, width))
            + ROW_PADDING_INCHES)


def week_group_height(layout: TableLayout, weeks: Sequence[dict[str, Any]], lang: str,
                      scenarios: int = 1, dated: bool = True) -> float:
    """Height of one week's rows: one row per scenario, at least room for its title and date."""
    return max(layout.row_height * scenarios, TABLE_ROW_INCHES,
               *(week_height(*week_texts(w, lang, dated), layout.week_width) for w in weeks))


def status_cell(ax: Axes, x: float, y: float, width: float, height: float, status: str | None,
                share: float | None, lang: str, words: bool = True) -> None:
    """One cell: grey by status, the status words or symbol, and the share."""
    _, grey, ink = STATUS_STYLE[status]
    ax.add_patch(Rectangle((x, y), width, height, facecolor=grey, edgecolor="0.4",
                           linewidth=0.6))
    lines, size = cell_lines(status, share, width, lang, words)
    step = line_height(size)
    first = y + height / 2 - step * (len(lines) - 1) / 2
    for i, line in enumerate(lines):
        is_share = share is not None and i == len(lines) - 1 and len(lines) > 1
        ax.text(x + width / 2, first + i * step, line, ha="center", va="center_baseline",
                fontsize=9 if is_share else size, color=ink,
                weight="normal" if is_share else "bold")


def table_axes(sheet: Sheet, top: float, height: float) -> Axes:
    """An invisible axes over the text width, measured in inches from its top-left corner."""
    ax = sheet.axes(sheet.left, top, sheet.text_width, height)
    ax.set_xlim(0, sheet.text_width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    return ax


def week_column(ax: Axes, y: float, height: float, width: float, week: dict[str, Any],
                lang: str, dated: bool = True) -> None:
    """The week's title and detail, centred in its cell."""
    ax.add_patch(Rectangle((0, y), width, height, facecolor="1.0", edgecolor="0.4",
                           linewidth=0.6))
    lines = week_lines(*week_texts(week, lang, dated), width)
    top = y + (height - sum(line_height(size) for _, size, _ in lines)) / 2
    for text, size, weight in lines:
        ax.text(WEEK_PADDING_INCHES, top + line_height(size) / 2, text, va="center_baseline",
                fontsize=size, weight=weight,
                style="italic" if week["week"] < 0 and weight == "normal" else "normal")
        top += line_height(size)


def table_header(ax: Axes, layout: TableLayout, lang: str) -> None:
    """The "Week" heading and one heading per status column, wrapped to its width."""
    middle = layout.header_height / 2
    ax.text(0.08, middle, label("report.week", lang), va="center_baseline", fontsize=10,
            weight="bold")
    for i, (lines, size) in enumerate(layout.header):
        step = line_height(size)
        first = middle - step * (len(lines) - 1) / 2
        for j, line in enumerate(lines):
            ax.text(layout.x(i) + layout.column_width / 2, first + j * step, line, ha="center",
                    va="center_baseline", fontsize=size, weight="bold")


def week_cells(ax: Axes, layout: TableLayout, y: float, height: float,
               week: dict[str, Any] | None, lang: str) -> None:
    """One row of status cells of a week (None: a week the scenario does not have)."""
    for i, service in enumerate(layout.columns):
        weakest = weakest_standard(service_standards(week, service)) if week else None
        status_cell(ax, layout.x(i), y, layout.column_width, height,
                    service_status(week, service) if week else None,
                    weakest["meets_share"] if weakest else None, lang, layout.words)


def go_live_rule(ax: Axes, y: float, width: float) -> None:
    """The heavy line between the weeks before go-live and week 1."""
    ax.plot([0, width], [y, y], color="black", linewidth=2.2)


def verdict_table(sheet: Sheet, layout: TableLayout, weeks: list[dict[str, Any]],
                  lang: str) -> None:
    """Week by service (and all services), status in words, symbol and grey, at the cursor."""
    height = layout.header_height + layout.row_height * len(weeks)
    ax = table_axes(sheet, sheet.y, height)
    table_header(ax, layout, lang)
    for row, week in enumerate(weeks):
        y = layout.header_height + row * layout.row_height
        week_column(ax, y, layout.row_height, layout.week_width, week, lang)
        week_cells(ax, layout, y, layout.row_height, week, lang)
        if row > 0 and weeks[row - 1]["week"] < 0 <= week["week"]:
            go_live_rule(ax, y, sheet.text_width)
    sheet.y += height + TABLE_GAP_INCHES


def status_legend(sheet: Sheet, lang: str) -> None:
    """The four statuses as they look in the table, on as many lines as they need."""
    size, height, gap = 9.5, 0.26, 0.15
    items = []
    for status in ("responsible", "at_risk", "not_responsible", None):
        symbol = STATUS_STYLE[status][0]
        text = f"{symbol} {label(status_key(status), lang)}"
        items.append((status, text, text_width(text, size, "bold") + 0.2))
    lines: list[list[tuple[str | None, str, float]]] = [[]]
    for item in items:
        used = sum(w + gap for _, _, w in lines[-1])
        if lines[-1] and used + item[2] > sheet.text_width:
            lines.append([])
        lines[-1].append(item)
    ax = table_axes(sheet, sheet.y, len(lines) * (height + 0.06))
    for row, line in enumerate(lines):
        x, y = 0.0, row * (height + 0.06) + 0.02
        for status, text, width in line:
            _, grey, ink = STATUS_STYLE[status]
            ax.add_patch(Rectangle((x, y), width, height, facecolor=grey, edgecolor="0.4",
                                   linewidth=0.6))
            ax.text(x + width / 2, y + height / 2, text, ha="center", va="center_baseline",
                    fontsize=size, weight="bold", color=ink)
            x += width + gap
    sheet.y += len(lines) * (height + 0.06) + 0.04


def split_weeks(weeks: list[dict[str, Any]], group_height: float, first_room: float,
                page_room: float) -> list[list[dict[str, Any]]]:
    """The weeks in chunks that fit: `first_room` inches on the first page, `page_room` on each
    continuation page (at least one week per chunk)."""
    first = max(1, int(first_room // group_height))
    per_page = max(1, int(page_room // group_height))
    return [weeks[:first]] + [weeks[i:i + per_page] for i in range(first, len(weeks), per_page)]

