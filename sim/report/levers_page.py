"""The director's second page, "What would make it responsible": the least value of each lever
alone, the cheapest combination of the first two, and their heat map (`sim.levers` computes it
into the results folder's `levers/levers.json`; this page only draws it)."""

from __future__ import annotations

from typing import Any

from sim.labels import (
    format_number,
    format_percent,
    format_standard,
    format_weeks,
    join_words,
    label,
)
from sim.report.front_page import Forecast
from sim.report.layout import Page, Sheet, line_height, wrap
from sim.report.sweep_chart import ROW_INCHES, heat_map, line_chart, value_text

COLUMNS_INCHES = (0.0, 2.9, 4.35, 6.0)
"""Left edges of the table's columns: lever, values tried, least value, cost at it."""
TABLE_SIZE = 9.5
MAP_INCHES = 3.2


def levers_pages(f: Forecast, analysis: dict[str, Any]) -> list[Page]:
    """The levers page: its words, the table of levers alone, the cheapest combination and the
    heat map (a line chart for a single lever)."""
    lang = f.lang
    levers = analysis["levers"]
    names = {lever["path"]: _name(lever, lang) for lever in levers}

    def draw(sheet: Sheet) -> None:
        sheet.heading(label("levers.title", lang), size=14)
        sheet.paragraph(label("levers.intro", lang).format(
            share=format_percent(analysis["target"], lang), n=analysis["replications"]))
        _table(sheet, levers, lang)
        sheet.y += 0.1
        sheet.paragraph(_cheapest_sentence(analysis, names, lang))
        if analysis.get("blocking"):
            sheet.paragraph(blocking_sentence(analysis["blocking"], names, lang))
        paths = analysis["map"]["paths"]
        rows = analysis["map"]["rows"]
        import pandas as pd

        table = pd.DataFrame(rows)
        height = min(ROW_INCHES * len(set(table[paths[-1]])), MAP_INCHES) if len(paths) > 1 \
            else MAP_INCHES * 0.7
        ax = sheet.axes(sheet.left + 1.0, sheet.y + 0.15, sheet.text_width - 1.2, height)
        if len(paths) > 1:
            heat_map(ax, table, paths[0], paths[1], analysis["target"], lang, names)
        else:
            line_chart(ax, table, paths[0], analysis["target"], lang, names)
        sheet.y += height + 0.8
        sheet.paragraph(label("levers.map_note", lang).format(
            share=format_percent(analysis["target"], lang)), 9, colour="0.25")

    return [draw]


def _name(lever: dict[str, Any], lang: str) -> str:
    """The lever's name in the report's language, its key path where it has none."""
    return (lever.get("label_nb") if lang == "nb" else "") or lever.get("label") or lever["path"]


def _table(sheet: Sheet, levers: list[dict[str, Any]], lang: str) -> None:
    heads = [label(f"levers.{key}", lang) for key in ("lever", "tried", "least", "cost")]
    widths = [b - a - 0.15 for a, b in zip(COLUMNS_INCHES, (*COLUMNS_INCHES[1:],
                                                            sheet.text_width), strict=True)]
    _row(sheet, heads, widths, "bold")
    sheet.fig.add_artist(_rule(sheet))
    for lever in levers:
        least = lever["least_value"]
        cost = ("–" if least is None or lever.get("unit_cost") is None
                else format_number(least * lever["unit_cost"], lang))
        tried = (f"{value_text(lever['min'], lang)}–{value_text(lever['max'], lang)}")
        shown = (label("levers.none", lang).format(high=value_text(lever["max"], lang))
                 if least is None else value_text(least, lang))
        _row(sheet, [_name(lever, lang), tried, shown, cost], widths, "normal")


def _row(sheet: Sheet, cells: list[str], widths: list[float], weight: str) -> None:
    lines = [wrap(text, width, TABLE_SIZE, weight) for text, width in zip(cells, widths,
                                                                          strict=True)]
    for x, cell in zip(COLUMNS_INCHES, lines, strict=True):
        for k, line in enumerate(cell):
            sheet.text(sheet.left + x, sheet.y + k * line_height(TABLE_SIZE), line, TABLE_SIZE,
                       weight=weight)
    sheet.y += max(len(cell) for cell in lines) * line_height(TABLE_SIZE) + 0.06


def _rule(sheet: Sheet) -> Any:
    from matplotlib.lines import Line2D

    y = 1 - (sheet.y - 0.03) / sheet.height
    return Line2D([sheet.left / sheet.width, 1 - sheet.left / sheet.width], [y, y],
                  color="0.3", lw=0.6, transform=sheet.fig.transFigure)


def blocking_sentence(blocking: dict[str, Any], names: dict[str, str], lang: str) -> str:
    """Nothing in the ranges is enough: at the grid's best values, the standards that still fall
    short, with their weeks and how seldom they are met."""
    values = ", ".join(f"{names[p]} {value_text(v, lang)}" for p, v in blocking["values"].items())
    standards = [label("levers.blocked_standard", lang).format(
        service=label(s["service"], lang),
        standard=format_standard(s["metric"], s["rule"], s["threshold"], lang),
        weeks=format_weeks(s["weeks"], lang), share=format_percent(s["least_meets_share"], lang))
        for s in blocking["standards"]]
    return label("levers.blocked", lang).format(
        values=values, share=format_percent(blocking["responsible_share"], lang),
        standards=join_words(standards, lang))


def _cheapest_sentence(analysis: dict[str, Any], names: dict[str, str], lang: str) -> str:
    cheapest = analysis.get("cheapest")
    paths = analysis["map"]["paths"]
    together = " + ".join(names[p] for p in paths)
    if len(paths) < 2:
        return ""
    if cheapest is None:
        return label("levers.no_combination", lang).format(levers=together)
    values = ", ".join(f"{names[p]} {value_text(v, lang)}" for p, v in cheapest["values"].items())
    return label("levers.cheapest", lang).format(levers=together, values=values,
                                                 cost=format_number(cheapest["cost"], lang))
