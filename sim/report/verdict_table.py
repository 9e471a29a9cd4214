"""The verdict table: weeks down, services across, each cell the status in words, a symbol and a
grey that survive a black-and-white print, with the share of futures meeting the weakest
standard and that standard's weekly mean against its threshold (the margin); weeks with fewer
working days than usual are marked. The comparison uses the same table with a row per scenario
under each week, symbol and share only.

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
from sim.labels import NBSP, format_date, format_percent, format_value, format_week, label, unit
from sim.report.layout import Sheet, line_height, two_line_width, wrap
from sim.report.verdict_words import (
    margin_value,
    service_standards,
    service_status,
    weakest_standard,
)
from sim.verdict import USUAL_WORKING_DAYS

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
DETAIL_SIZE = 9.0
"""The share and the margin under a cell's status words, and a week's date and note."""
SHORT_WEEK_MARK = "◆"
"""Marks a week with fewer working days than usual, in the week column and its legend."""

Line = tuple[str, float, str]
"""A line of a cell: its text, font size and weight."""


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


MARGIN_FORMS = 4
"""A margin in words ("late 19.8% against at most 20%"), short ("late 19.8% (≤ 20%)"), without
the standard's name ("19.8% (≤ 20%)"), and with the unit only once ("0 (≤ 10 minutes)")."""


def margin_texts(standard: dict[str, Any] | None, lang: str) -> list[str]:
    """A standard's weekly mean against its threshold in each of the `MARGIN_FORMS`, longest
    first; none without a standard or a mean."""
    if standard is None or standard.get("mean") is None:
        return []
    metric, rule = standard["metric"], standard["rule"]
    mean = margin_value(metric, standard["mean"], lang)
    threshold = format_value(metric, standard["threshold"], lang)
    short = label(f"margins.{metric}", lang)
    kind = unit(metric)  # "0 (≤ 10 minutes)"; a share keeps its "%"
    bare = mean if kind == "share" else mean.removesuffix(NBSP + label(f"unit.{kind}", lang))
    limit = f"({label(rule, lang)}{NBSP}{threshold})"  # "(≤ 10 minutes)" wraps as a whole
    return [label("margins.against", lang).format(metric=short, mean=mean,
                                                   rule=label(f"margins.{rule}", lang),
                                                   threshold=threshold),
            f"{short} {mean} {limit}", f"{mean} {limit}", f"{bare} {limit}"]


def margin_form(standards: Sequence[dict[str, Any] | None], width: float, lang: str) -> int:
    """The longest form in which every margin of a column fits its cells on one line, so that a
    column names its standards in all its weeks or in none (the last form if none fits)."""
    room = width - CELL_PADDING_INCHES
    texts = [t for t in (margin_texts(s, lang) for s in standards) if t]
    return next((form for form in range(MARGIN_FORMS - 1)
                 if all(text_width(t[form], DETAIL_SIZE) <= room for t in texts)),
                MARGIN_FORMS - 1)


def cell_lines(status: str | None, share: float | None, width: float, lang: str,
               words: bool = True, margin: dict[str, Any] | None = None,
               form: int = MARGIN_FORMS - 1) -> list[Line]:
    """The lines of a verdict cell: status words (wrapped if the column is narrow), the share of
    futures meeting the weakest standard and, given that standard as `margin`, its weekly mean
    against its threshold in `form` (wrapped if it must); without `words`, the symbol and the
    share only (the comparison)."""
    symbol = STATUS_STYLE[status][0]
    room = width - CELL_PADDING_INCHES
    percent = [format_percent(share, lang)] if share is not None else []
    text = f"{symbol} {percent[0]}" if not words and percent else symbol
    if words:
        text = f"{symbol} {label(status_key(status), lang)}"
    size = next((s for s in CELL_SIZES if text_width(text, s, "bold") <= room), CELL_SIZES[-1])
    if not words:
        heads = [text] if text_width(text, size, "bold") <= room else [symbol, *percent]
        return [(heads[0], size, "bold")] + [(line, DETAIL_SIZE, "normal") for line in heads[1:]]
    return ([(line, size, "bold") for line in wrap(text, room, size, "bold")]
            + [(line, DETAIL_SIZE, "normal")
               for line in percent + wrap_margin(margin, form, room, lang)])


def wrap_margin(standard: dict[str, Any] | None, form: int, room: float, lang: str) -> list[str]:
    """A margin's lines in `form`, wrapped to `room` inches."""
    texts = margin_texts(standard, lang)
    return wrap(texts[form], room, DETAIL_SIZE) if texts else []


def lines_height(lines: Sequence[Line]) -> float:
    """Height of a cell's lines, in inches."""
    return sum(line_height(size) for _, size, _ in lines)


def cell_content(week: dict[str, Any] | None, service: str | None, width: float, lang: str,
                 words: bool, form: int = MARGIN_FORMS - 1) -> list[Line]:
    """The lines of a service's cell in a week (None: a week the scenario does not have): the
    margin only under a service's own column, since all services mix units."""
    weakest = weakest_standard(service_standards(week, service)) if week else None
    return cell_lines(service_status(week, service) if week else None,
                      weakest["meets_share"] if weakest else None, width, lang, words,
                      weakest if service is not None else None, form)


def column_margins(weeks: Sequence[dict[str, Any]], service: str | None) -> list[Any]:
    """The standard whose margin each week's cell of a column shows (none for all services)."""
    if service is None:
        return []
    return [weakest_standard(service_standards(week, service)) for week in weeks]


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
    forms: list[int]
    """Per status column, the form of its margins (`margin_form`)."""

    def x(self, column: int) -> float:
        """Left edge of a status column."""
        return self.week_width + self.letter_width + column * self.column_width


def table_layout(columns: list[str | None], weeks: Sequence[dict[str, Any]], width: float,
                 lang: str, scenarios: int = 1, dated: bool = True) -> TableLayout:
    """Lay out a table of `columns` for `weeks` in `width` inches: the week column as wide as its
    widest title or date, the status columns sharing the rest; with several `scenarios`, a letter
    column and compact cells (symbol and share)."""
    texts = [week_texts(w, lang, dated) for w in weeks]
    words = scenarios == 1
    notes = [text_width(short_week_note(w, lang), DETAIL_SIZE) if words else 0.0 for w in weeks]
    letter_width = LETTER_COLUMN_INCHES if scenarios > 1 else 0.0
    heading = text_width(label("report.week", lang), 10, "bold")
    one_line = max([heading] + [max(text_width(t, 10, "bold"), text_width(d, 9), n)
                                for (t, d), n in zip(texts, notes, strict=True)])
    if (width - one_line - letter_width) / len(columns) < ROOMY_COLUMN_INCHES:
        one_line = max([heading] + [max(text_width(t, 10, "bold"), two_line_width(d, 9), n)
                                    for (t, d), n in zip(texts, notes, strict=True)])
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
    forms = [margin_form(column_margins(weeks, service), column_width, lang)
             for service in columns]
    tallest = max([lines_height(cell_lines(status, 1.0, column_width, lang, words))
                   for status in STATUS_STYLE]
                  + [lines_height(cell_content(week, service, column_width, lang, words, form))
                     for week in weeks for service, form in zip(columns, forms, strict=True)])
    row_height = tallest + ROW_PADDING_INCHES
    if words:
        row_height = max(row_height, *(week_height(t, d, week_width, short_week_note(w, lang))
                                       for w, (t, d) in zip(weeks, texts, strict=True)))
    return TableLayout(columns, week_width, letter_width, column_width, header, header_height,
                       row_height, words, forms)


def short_week_note(week: dict[str, Any], lang: str) -> str:
    """"◆ 4 working days" for a week with fewer working days than usual (public holidays or
    closed dates), else ""."""
    days = week.get("working_days", USUAL_WORKING_DAYS)
    if days >= USUAL_WORKING_DAYS:
        return ""
    return f"{SHORT_WEEK_MARK} {label('margins.short', lang).format(days=days)}"


def week_lines(title: str, detail: str, width: float, note: str = "") -> list[Line]:
    """The lines of a week's cell: its title (10 pt bold), its detail and its note (a short
    week) wrapped to the column (9 pt), each with its size and weight."""
    lines = [(title, 10.0, "bold")]
    for text, weight in ((detail, "normal"), (note, "normal")):
        if text:
            lines += [(line, DETAIL_SIZE, weight)
                      for line in wrap(text, width - 2 * WEEK_PADDING_INCHES, DETAIL_SIZE,
                                       weight)]
    return lines


def week_height(title: str, detail: str, width: float, note: str = "") -> float:
    """Height a week's cell needs."""
    return lines_height(week_lines(title, detail, width, note)) + ROW_PADDING_INCHES


def week_group_height(layout: TableLayout, weeks: Sequence[dict[str, Any]], lang: str,
                      scenarios: int = 1, dated: bool = True) -> float:
    """Height of one week's rows: one row per scenario, at least room for its title and date."""
    return max(layout.row_height * scenarios, TABLE_ROW_INCHES,
               *(week_height(*week_texts(w, lang, dated), layout.week_width) for w in weeks))


def status_cell(ax: Axes, x: float, y: float, width: float, height: float, status: str | None,
                lines: list[Line]) -> None:
    """One cell: grey by status, and its lines (status words or symbol, share, margin) centred."""
    _, grey, ink = STATUS_STYLE[status]
    ax.add_patch(Rectangle((x, y), width, height, facecolor=grey, edgecolor="0.4",
                           linewidth=0.6))
    top = y + (height - lines_height(lines)) / 2
    for text, size, weight in lines:
        ax.text(x + width / 2, top + line_height(size) / 2, text, ha="center",
                va="center_baseline", fontsize=size, color=ink, weight=weight)
        top += line_height(size)


def table_axes(sheet: Sheet, top: float, height: float) -> Axes:
    """An invisible axes over the text width, measured in inches from its top-left corner."""
    ax = sheet.axes(sheet.left, top, sheet.text_width, height)
    ax.set_xlim(0, sheet.text_width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    return ax


def week_column(ax: Axes, y: float, height: float, width: float, week: dict[str, Any],
                lang: str, dated: bool = True, marked: bool = False) -> None:
    """The week's title and detail (and, `marked`, a short week's note), centred in its cell."""
    ax.add_patch(Rectangle((0, y), width, height, facecolor="1.0", edgecolor="0.4",
                           linewidth=0.6))
    note = short_week_note(week, lang) if marked else ""
    lines = week_lines(*week_texts(week, lang, dated), width, note)
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
        status_cell(ax, layout.x(i), y, layout.column_width, height,
                    service_status(week, service) if week else None,
                    cell_content(week, service, layout.column_width, lang, layout.words,
                                 layout.forms[i]))


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
        week_column(ax, y, layout.row_height, layout.week_width, week, lang, marked=True)
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


def short_week_legend(sheet: Sheet, weeks: Sequence[dict[str, Any]], lang: str) -> None:
    """What the short-week mark means, when a week of `weeks` carries it."""
    if any(short_week_note(week, lang) for week in weeks):
        sheet.paragraph(label("margins.short_legend", lang).format(
            mark=SHORT_WEEK_MARK, usual=USUAL_WORKING_DAYS), 9, colour="0.2", after=0.04)


def split_weeks(weeks: list[dict[str, Any]], group_height: float, first_room: float,
                page_room: float) -> list[list[dict[str, Any]]]:
    """The weeks in chunks that fit: `first_room` inches on the first page, `page_room` on each
    continuation page (at least one week per chunk)."""
    first = max(1, int(first_room // group_height))
    per_page = max(1, int(page_room // group_height))
    return [weeks[:first]] + [weeks[i:i + per_page] for i in range(first, len(weeks), per_page)]

