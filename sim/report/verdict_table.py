"""The verdict table: weeks down, services across, each cell the status in words, a symbol and a
grey that survive a black-and-white print, with the share of futures meeting the weakest
standard. The comparison reuses its cells and headers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from sim.charts import STATUS_STYLE, status_key, text_width
from sim.labels import format_date, format_percent, format_week, iso_week, label
from sim.report.layout import Sheet, line_height, wrap
from sim.report.verdict_words import (
    Verdict,
    service_standards,
    service_status,
    verdict_services,
    weakest_standard,
)

TABLE_ROW_INCHES = 0.36
TABLE_TALL_ROW_INCHES = 0.5
TABLE_HEADER_INCHES = 0.42
WEEK_COLUMN_INCHES = 1.6
CELL_PADDING_INCHES = 0.1
TABLE_GAP_INCHES = 0.1


def _week_cell(week: dict[str, Any], lang: str) -> tuple[str, str]:
    start = dt.date.fromisoformat(week["start"])
    number, iso = week["week"], int(week.get("iso_week") or iso_week(start))
    title = format_week(number, iso, lang).capitalize()
    if number < 0:
        return title, label("report.week_before", lang)
    if lang == "nb":
        return title, label("report.week_nb_detail", lang).format(
            n=number, date=format_date(start, lang))
    return title, label("report.week_from", lang).format(date=format_date(start, lang))


def _cell_lines(status: str | None, share: float | None, width: float, lang: str,
                words: bool = True) -> tuple[list[str], float]:
    """The lines of a verdict cell and their font size: status words (wrapped if the column is
    narrow) and the share of futures meeting the weakest standard."""
    symbol = STATUS_STYLE[status][0]
    room = width - CELL_PADDING_INCHES
    if not words:
        if share is None:
            return [symbol], 9.5
        text = f"{symbol} {format_percent(share, lang)}"
        size = next((s for s in (9.5, 9.0) if text_width(text, s, "bold") <= room), 0.0)
        return ([text], size) if size else ([symbol, format_percent(share, lang)], 9.0)
    text = f"{symbol} {label(status_key(status), lang)}"
    size = next((s for s in (9.5, 9.0) if text_width(text, s, "bold") <= room), 9.0)
    lines = wrap(text, room, size, "bold")
    return lines + ([format_percent(share, lang)] if share is not None else []), size


def status_cell(ax: Axes, x: float, y: float, width: float, height: float, status: str | None,
          share: float | None, lang: str, words: bool = True) -> None:
    _, grey, ink = STATUS_STYLE[status]
    ax.add_patch(Rectangle((x, y), width, height, facecolor=grey, edgecolor="0.4",
                           linewidth=0.6))
    lines, size = _cell_lines(status, share, width, lang, words)
    step = line_height(size)
    first = y + height / 2 - step * (len(lines) - 1) / 2
    for i, line in enumerate(lines):
        is_share = words and share is not None and i == len(lines) - 1
        ax.text(x + width / 2, first + i * step, line, ha="center", va="center_baseline",
                fontsize=9 if is_share else size, color=ink,
                weight="normal" if is_share else "bold")


def table_axes(sheet: Sheet, top: float, height: float) -> Axes:
    ax = sheet.axes(sheet.left, top, sheet.text_width, height)
    ax.set_xlim(0, sheet.text_width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    return ax


def week_column(ax: Axes, y: float, height: float, week: dict[str, Any], lang: str) -> None:
    title, detail = _week_cell(week, lang)
    ax.add_patch(Rectangle((0, y), WEEK_COLUMN_INCHES, height, facecolor="1.0",
                           edgecolor="0.4", linewidth=0.6))
    middle = y + height / 2
    ax.text(0.08, middle - line_height(9.5) / 2, title, va="center_baseline", fontsize=10,
            weight="bold")
    ax.text(0.08, middle + line_height(9.5) / 2, detail, va="center_baseline", fontsize=9,
            style="italic" if week["week"] < 0 else "normal")


def table_columns(verdict: Verdict, sheet_width: float) -> tuple[list[str | None], float, float]:
    """The table's status columns (services, then all services), their width and row height."""
    columns: list[str | None] = [*verdict_services(verdict), None]
    width = (sheet_width - WEEK_COLUMN_INCHES) / len(columns)
    tall = any(len(_cell_lines(status, 0.5, width, "en")[0]) > 2
               or len(_cell_lines(status, 0.5, width, "nb")[0]) > 2
               for status in STATUS_STYLE)
    return columns, width, TABLE_TALL_ROW_INCHES if tall else TABLE_ROW_INCHES


def table_header(ax: Any, columns: list[str | None], width: float, lang: str) -> None:
    """The "Week" heading and one heading per service column (None: all services), each
    shrunk or wrapped to fit its `width` inches."""
    ax.text(0.08, TABLE_HEADER_INCHES / 2, label("report.week", lang), va="center_baseline",
            fontsize=10, weight="bold")
    for i, service in enumerate(columns):
        name = label("support.short" if service == "support" else (service or "overall"), lang)
        size = 10 if text_width(name, 10, "bold") <= width - 0.16 else 9.5
        lines = wrap(name, width - 0.1, size, "bold")
        ax.text(WEEK_COLUMN_INCHES + (i + 0.5) * width, TABLE_HEADER_INCHES / 2, "\n".join(lines),
                ha="center", va="center_baseline", fontsize=size, weight="bold", linespacing=1.1)


def verdict_table(sheet: Sheet, verdict: Verdict, weeks: list[dict[str, Any]],
                  lang: str) -> None:
    """Week by service (and all services), status in words, symbol and grey, at the cursor."""
    columns, width, row_height = table_columns(verdict, sheet.text_width)
    height = TABLE_HEADER_INCHES + row_height * len(weeks)
    ax = table_axes(sheet, sheet.y, height)
    table_header(ax, columns, width, lang)
    for row, week in enumerate(weeks):
        y = TABLE_HEADER_INCHES + row * row_height
        week_column(ax, y, row_height, week, lang)
        for i, service in enumerate(columns):
            weakest = weakest_standard(service_standards(week, service))
            status_cell(ax, WEEK_COLUMN_INCHES + i * width, y, width, row_height,
                        service_status(week, service),
                        weakest["meets_share"] if weakest else None, lang)
        if row > 0 and weeks[row - 1]["week"] < 0 <= week["week"]:
            ax.plot([0, sheet.text_width], [y, y], color="black", linewidth=2.2)
    sheet.y += height + TABLE_GAP_INCHES


def status_legend(sheet: Sheet, lang: str) -> None:
    """The four statuses as they look in the table."""
    ax = table_axes(sheet, sheet.y, 0.3)
    x = 0.0
    for status in ("responsible", "at_risk", "not_responsible", None):
        symbol, grey, ink = STATUS_STYLE[status]
        words = label(status_key(status), lang)
        width = text_width(f"{symbol} {words}", 9.5, "bold") + 0.2
        ax.add_patch(Rectangle((x, 0.02), width, 0.26, facecolor=grey, edgecolor="0.4",
                               linewidth=0.6))
        ax.text(x + width / 2, 0.15, f"{symbol} {words}", ha="center", va="center_baseline",
                fontsize=9.5, weight="bold", color=ink)
        x += width + 0.15
    sheet.y += 0.36
