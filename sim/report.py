"""The printed forecast: an A4 PDF a health director reads on paper in five minutes.

Page 1 answers the question (is every service responsible in every week, and if not, when and
how badly) in plain sentences built from the verdict, with a verdict table week by service that
reads in black and white. A page per service follows with fan charts by day of its headline
metrics, then the support desk and superusers, then the assumptions behind the numbers and where
they come from. `render_comparison` puts several scenarios side by side the same way.

Everything is drawn from a results folder (no rerun): `render_report(results, results.verdict,
out)` with `results = read_results(folder)`. Words come from `sim.labels`, so `lang="nb"` prints
Norwegian.
Fonts are embedded as TrueType (pdf.fonttype 42) and body text is at least 9 pt.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from sim.charts import (
    BAND_ALPHA,
    CLOSED_GREY,
    FAN_COLOUR,
    FONT,
    GO_LIVE_COLOUR,
    SCENARIO_COLOURS,
    STATUS_STYLE,
    fan_chart,
    format_date_axis,
    mark_go_live,
    mark_standard,
    mitigation_rows,
    quantile_bands,
    shade_closed_days,
    status_key,
    text_width,
    timeline,
    week_start,
)
from sim.labels import (
    check_lang,
    format_date,
    format_number,
    format_percent,
    format_standard,
    format_week,
    format_weeks,
    iso_week,
    join_words,
    label,
    metric_title,
    unit,
)
from sim.scenario import OpeningHours, Scenario

if TYPE_CHECKING:
    from sim.experiment import Results

Verdict = dict[str, Any]

A4_INCHES = (8.27, 11.69)
MARGIN_INCHES = 0.6
FOOTER_INCHES = 0.4
STYLE: dict[str, Any] = {
    "pdf.fonttype": 42,          # TrueType, embedded: no Type 3 bitmaps
    "text.parse_math": False,    # user text is drawn literally: "US$2M, $40/hour" is no formula
    "ps.fonttype": 42,
    "font.family": FONT,
    "font.size": 10,
    "axes.titlesize": 10.5,
    "axes.labelsize": 9.5,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "0.3",
    "axes.linewidth": 0.7,
}
"""Readable at 100 % on A4: nothing below 9 pt."""

SERVICE_ORDER = ("phone", "cases", "home_visits", "support")
CHART_METRICS = {
    "phone": ("service_level", "asa_seconds", "abandon_share", "calls_offered"),
    "cases": ("backlog", "overdue_share", "urgent_overdue_share", "median_days"),
    "home_visits": ("late_share", "critical_late_share", "missed_share", "documentation_share"),
    "support": ("requests", "desk_asa_minutes", "desk_abandon_share", "staff_hours_lost"),
}
"""The metrics a director looks at first, per service; a metric with a standard is always shown."""
MAX_PANELS = 5

SHORT = ("at_risk", "not_responsible")
"""Statuses that fall short of responsible."""


# -- the verdict in words -----------------------------------------------------------------------

def verdict_services(verdict: Verdict) -> list[str]:
    """Services the verdict judges, in report order."""
    present = {service for week in verdict.get("weeks", []) for service in week["services"]}
    return [s for s in SERVICE_ORDER if s in present] + sorted(present - set(SERVICE_ORDER))


def _iso_weeks(verdict: Verdict) -> dict[int, int]:
    return {w["week"]: int(w.get("iso_week") or iso_week(dt.date.fromisoformat(w["start"])))
            for w in verdict.get("weeks", [])}


def _weakest(entries: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The standard met least often among `entries` (None if none has a share)."""
    judged = [s for s in entries if s.get("meets_share") is not None]
    return min(judged, key=lambda s: s["meets_share"]) if judged else None


def _service_standards(week: dict[str, Any], service: str | None) -> list[dict[str, Any]]:
    services = [service] if service else list(week["services"])
    return [{**s, "service": name} for name in services
            for s in week["services"].get(name, {}).get("standards", [])]


def _status(week: dict[str, Any], service: str | None) -> str | None:
    if service is None:
        return week.get("status")
    return week["services"].get(service, {}).get("status")


def milestones(verdict: Verdict, service: str | None = None) -> dict[str, int | None]:
    """first_at_risk_week, worst_week and recovery_week of a service (None: overall), from the
    verdict's headline, or worked out from its weeks when the headline lacks them."""
    stored = verdict.get("headline", {}).get(service or "overall")
    if stored is not None:
        return dict(stored)
    after = [w for w in verdict.get("weeks", []) if w["week"] >= 1]
    short = [w["week"] for w in after if _status(w, service) in SHORT]
    shares = [(s["meets_share"], w["week"]) for w in after
              if (s := _weakest(_service_standards(w, service))) is not None]
    later = [w["week"] for w in after if short and w["week"] > short[-1]]
    return {"first_at_risk_week": short[0] if short else None,
            "worst_week": min(shares)[1] if shares else None,
            "recovery_week": later[0] if later else None}


def service_sentence(verdict: Verdict, service: str, lang: str = "en") -> str | None:
    """One or two sentences on a service: the weeks it falls short, when it recovers, and how
    often its weakest standard is met in its worst week. None when no week has a verdict."""
    after = [w for w in verdict.get("weeks", []) if w["week"] >= 1]
    statuses = {w["week"]: _status(w, service) for w in after}
    if all(s is None for s in statuses.values()):
        return None
    name = label(service, lang)
    short = [week for week, s in statuses.items() if s in SHORT]
    if not short:
        return label("report.service_fine", lang).format(service=name)
    iso = _iso_weeks(verdict)
    kinds = {statuses[w] for w in short}
    status = (label(status_key(kinds.pop()), lang).lower() if len(kinds) == 1
              else label("report.status_mixed", lang))
    marks = milestones(verdict, service)
    recovery_week = marks.get("recovery_week")
    if recovery_week is not None:
        recovery = label("report.service_recovers", lang).format(
            week=format_week(recovery_week, iso[recovery_week], lang))
    else:
        last = after[-1]["week"]
        recovery = label("report.service_no_recovery", lang).format(
            last=format_week(last, iso[last], lang))
    text = label("report.service_short", lang).format(
        service=name, status=status, weeks=format_weeks(short, iso, lang), recovery=recovery)
    worst_week = marks.get("worst_week")
    worst = next((w for w in after if w["week"] == worst_week), None)
    weakest = _weakest(_service_standards(worst, service)) if worst is not None else None
    if worst_week is not None and weakest is not None:
        text += " " + label("report.service_worst", lang).format(
            week=format_week(worst_week, iso[worst_week], lang),
            standard=format_standard(weakest["metric"], weakest["rule"], weakest["threshold"],
                                     lang),
            share=format_percent(weakest["meets_share"], lang))
    return text


def overall_sentence(verdict: Verdict, lang: str = "en") -> str:
    """The answer in one sentence: all responsible, or the first, worst and recovery weeks."""
    marks = milestones(verdict)
    first = marks.get("first_at_risk_week")
    if first is None:
        return label("report.all_fine", lang)
    iso = _iso_weeks(verdict)
    starts = {w["week"]: dt.date.fromisoformat(w["start"]) for w in verdict["weeks"]}
    worst = marks.get("worst_week") or first
    week = marks.get("recovery_week")
    if week is not None:
        recovery = label("report.overall_recovers", lang).format(
            week=format_week(week, iso[week], lang))
    else:
        last = max(iso)
        recovery = label("report.overall_no_recovery", lang).format(
            last=format_week(last, iso[last], lang))
    return label("report.overall", lang).format(
        first=format_week(first, iso[first], lang), date=format_date(starts[first], lang),
        worst=format_week(worst, iso[worst], lang), recovery=recovery)


def answer_sentences(verdict: Verdict, lang: str = "en",
                     simulated: Sequence[str] = ()) -> list[str]:
    """Page 1's answer: the overall sentence, one per judged service, a note on weeks before
    go-live that already fall short, and the `simulated` services that have no standard."""
    check_lang(lang)
    sentences = [overall_sentence(verdict, lang)]
    judged = verdict_services(verdict)
    sentences += [s for service in judged if (s := service_sentence(verdict, service, lang))]
    iso = _iso_weeks(verdict)
    for week in verdict.get("weeks", []):
        if week["week"] >= 1:
            continue
        short = [label(s, lang).lower() for s in judged if _status(week, s) in SHORT]
        if short:
            sentences.append(label("report.before", lang).format(
                week=format_week(week["week"], iso[week["week"]], lang),
                services=join_words(short, lang)))
    unjudged = [label(s, lang) for s in simulated if s not in judged]
    if unjudged:
        sentences.append(label("report.no_standards", lang).format(
            services=join_words(unjudged, lang)))
    return sentences


# -- page layout --------------------------------------------------------------------------------

def wrap(text: str, width: float, size: float, weight: str = "normal") -> list[str]:
    """Greedy word wrap to `width` inches."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width(f"{lines[-1]} {word}", size, weight) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def line_height(size: float) -> float:
    return size * 1.35 / 72


class Sheet:
    """One A4 page, laid out in inches from its top-left corner, with a cursor `y`."""

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        self.width, self.height = A4_INCHES
        self.left = MARGIN_INCHES
        self.text_width = self.width - 2 * MARGIN_INCHES
        self.bottom = self.height - MARGIN_INCHES - FOOTER_INCHES
        self.y = MARGIN_INCHES

    def axes(self, left: float, top: float, width: float, height: float, **kw: Any) -> Axes:
        return self.fig.add_axes((left / self.width, 1 - (top + height) / self.height,
                                  width / self.width, height / self.height), **kw)

    def text(self, x: float, y: float, text: str, size: float = 10, **kw: Any) -> None:
        self.fig.text(x / self.width, 1 - y / self.height, text, fontsize=size, va="top", **kw)

    def paragraph(self, text: str, size: float = 10, weight: str = "normal", indent: float = 0.0,
                  bullet: str = "", after: float = 0.08, colour: str = "black") -> None:
        """Wrapped text at the cursor, which moves below it."""
        lines = wrap(text, self.text_width - indent, size, weight)
        if bullet:
            self.text(self.left + indent - 0.18, self.y, bullet, size, weight=weight)
        for line in lines:
            self.text(self.left + indent, self.y, line, size, weight=weight, color=colour)
            self.y += line_height(size)
        self.y += after

    def heading(self, text: str, size: float = 12.5) -> None:
        self.y += 0.1
        self.paragraph(text, size, "bold", after=0.04)


def _footer(sheet: Sheet, left: str, n: int, total: int, lang: str) -> None:
    y = sheet.height - MARGIN_INCHES - 0.15
    sheet.text(sheet.left, y, left, 9, color="0.35")
    sheet.text(sheet.width - MARGIN_INCHES, y, label("page", lang).format(n=n, total=total), 9,
               color="0.35", ha="right")


@contextmanager
def _pdf(out: Path) -> Iterator[PdfPages]:
    out.parent.mkdir(parents=True, exist_ok=True)
    style: Any = STYLE
    with matplotlib.rc_context(style), PdfPages(out, metadata={"Creator": "golive-sim"}) as pdf:
        yield pdf


Page = Callable[[Sheet], None]


def _write(out: Path, pages: list[Page], footer: str, lang: str) -> Path:
    with _pdf(out) as pdf:
        for n, draw in enumerate(pages, start=1):
            fig = Figure(figsize=A4_INCHES)
            sheet = Sheet(fig)
            draw(sheet)
            _footer(sheet, footer, n, len(pages), lang)
            pdf.savefig(fig)
    return out


# -- the verdict table --------------------------------------------------------------------------

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


def _cell(ax: Axes, x: float, y: float, width: float, height: float, status: str | None,
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


def _table_axes(sheet: Sheet, top: float, height: float) -> Axes:
    ax = sheet.axes(sheet.left, top, sheet.text_width, height)
    ax.set_xlim(0, sheet.text_width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    return ax


def _week_column(ax: Axes, y: float, height: float, week: dict[str, Any], lang: str) -> None:
    title, detail = _week_cell(week, lang)
    ax.add_patch(Rectangle((0, y), WEEK_COLUMN_INCHES, height, facecolor="1.0",
                           edgecolor="0.4", linewidth=0.6))
    middle = y + height / 2
    ax.text(0.08, middle - line_height(9.5) / 2, title, va="center_baseline", fontsize=10,
            weight="bold")
    ax.text(0.08, middle + line_height(9.5) / 2, detail, va="center_baseline", fontsize=9,
            style="italic" if week["week"] < 0 else "normal")


def _table_columns(verdict: Verdict, sheet_width: float) -> tuple[list[str | None], float, float]:
    """The table's status columns (services, then all services), their width and row height."""
    columns: list[str | None] = [*verdict_services(verdict), None]
    width = (sheet_width - WEEK_COLUMN_INCHES) / len(columns)
    tall = any(len(_cell_lines(status, 0.5, width, "en")[0]) > 2
               or len(_cell_lines(status, 0.5, width, "nb")[0]) > 2
               for status in STATUS_STYLE)
    return columns, width, TABLE_TALL_ROW_INCHES if tall else TABLE_ROW_INCHES


def _table_header(ax: Any, columns: list[str | None], width: float, lang: str) -> None:
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
    columns, width, row_height = _table_columns(verdict, sheet.text_width)
    height = TABLE_HEADER_INCHES + row_height * len(weeks)
    ax = _table_axes(sheet, sheet.y, height)
    _table_header(ax, columns, width, lang)
    for row, week in enumerate(weeks):
        y = TABLE_HEADER_INCHES + row * row_height
        _week_column(ax, y, row_height, week, lang)
        for i, service in enumerate(columns):
            weakest = _weakest(_service_standards(week, service))
            _cell(ax, WEEK_COLUMN_INCHES + i * width, y, width, row_height,
                  _status(week, service), weakest["meets_share"] if weakest else None, lang)
        if row > 0 and weeks[row - 1]["week"] < 0 <= week["week"]:
            ax.plot([0, sheet.text_width], [y, y], color="black", linewidth=2.2)
    sheet.y += height + TABLE_GAP_INCHES


def status_legend(sheet: Sheet, lang: str) -> None:
    """The four statuses as they look in the table."""
    ax = _table_axes(sheet, sheet.y, 0.3)
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


def _standards_lines(verdict: Verdict, lang: str, sources: bool = False) -> list[str]:
    lines = []
    for service in verdict_services(verdict):
        rules = [s for s in verdict.get("standards", []) if s["service"] == service]
        if not rules:
            continue
        parts = []
        for s in rules:
            text = format_standard(s["metric"], s["rule"], s["threshold"], lang)
            if sources and s.get("source"):
                source = s["source"]
                if source == "assumption":
                    source = label("assumptions.assumption", lang)
                text += f" ({label('report.source', lang)}: {source})"
            parts.append(text)
        lines.append(f"{label(service, lang)}: {'; '.join(parts)}.")
    return lines


# -- page 1 -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Forecast:
    results: Results
    verdict: Verdict
    lang: str

    @property
    def scenario(self) -> Scenario:
        return self.results.scenario

    @property
    def replications(self) -> int:
        return int(self.results.manifest.get("replications")
                   or self.results.daily["replication"].nunique())

    def simulated(self) -> list[str]:
        services = list(self.scenario.services)
        if "support" in set(self.results.daily["service"]):
            services.append("support")
        return services


def _title_block(sheet: Sheet, f: _Forecast) -> None:
    lang, scenario = f.lang, f.scenario
    sheet.paragraph(label("report.title", lang).format(name=scenario.name), 16, "bold",
                    after=0.03)
    if description := scenario.describe(lang):
        sheet.paragraph(description, 11, after=0.02)
    go_live = scenario.calendar.go_live
    sheet.paragraph(label("report.subtitle", lang).format(
        date=format_date(go_live.date(), lang), time=go_live.strftime("%H:%M"),
        replications=f.replications, weeks=scenario.calendar.weeks_after), 10, colour="0.25",
        after=0.0)


def _summary_pages(f: _Forecast) -> list[Page]:
    """Page 1 and, for long forecasts, continuation pages of the verdict table."""
    lang, verdict = f.lang, f.verdict
    sentences = answer_sentences(verdict, lang, f.simulated())
    note = label("report.table_note", lang).format(
        confidence=format_percent(verdict.get("confidence", 0.9), lang),
        at_risk=format_percent(verdict.get("at_risk_share", 0.5), lang))
    standards = _standards_lines(verdict, lang) or [label("report.standards_none", lang)]

    def top(sheet: Sheet) -> None:
        _title_block(sheet, f)
        sheet.heading(label("report.answer", lang), 13)
        sheet.paragraph(sentences[0], 10.5, "bold", after=0.06)
        for sentence in sentences[1:]:
            sheet.paragraph(sentence, 10, indent=0.25, bullet="•", after=0.05)
        sheet.heading(label("report.table_title", lang), 12.5)

    def bottom(sheet: Sheet) -> None:
        status_legend(sheet, lang)
        sheet.paragraph(note, 9, colour="0.2")
        sheet.heading(label("report.standards_title", lang), 11)
        for line in standards:
            sheet.paragraph(line, 9.5, indent=0.25, bullet="•", after=0.04)

    # lay the page out once on scratch paper to see how many weeks of the table fit on it
    scratch = Sheet(Figure(figsize=A4_INCHES))
    top(scratch)
    table_top = scratch.y
    scratch.y = 0.0
    bottom(scratch)
    _, _, row_height = _table_columns(verdict, scratch.text_width)
    room = scratch.bottom - table_top - scratch.y - TABLE_HEADER_INCHES - TABLE_GAP_INCHES
    weeks = verdict.get("weeks", [])
    first = max(4, int(room / row_height))
    per_page = int((scratch.bottom - MARGIN_INCHES - 2.0) / row_height)
    chunks = [weeks[:first]] + [weeks[i:i + per_page] for i in range(first, len(weeks), per_page)]

    def page_one(sheet: Sheet) -> None:
        top(sheet)
        verdict_table(sheet, verdict, chunks[0], lang)
        bottom(sheet)

    def continued(chunk: list[dict[str, Any]]) -> Page:
        def page(sheet: Sheet) -> None:
            sheet.heading(f"{label('report.table_title', lang)} ({f.scenario.name})", 12.5)
            verdict_table(sheet, verdict, chunk, lang)
            status_legend(sheet, lang)
            sheet.paragraph(note, 9, colour="0.2")
        return page

    return [page_one] + [continued(chunk) for chunk in chunks[1:] if chunk]


# -- chart pages --------------------------------------------------------------------------------

def chart_metrics(service: str, verdict: Verdict, available: set[str]) -> list[str]:
    """The service's headline metrics, plus any metric it has a standard on, that exist."""
    metrics = list(CHART_METRICS.get(service, ()))
    for s in verdict.get("standards", []):
        if s["service"] == service and s["metric"] not in metrics:
            metrics.append(s["metric"])
    return [m for m in metrics if m in available][:MAX_PANELS]


def _legend(sheet: Sheet, lang: str, scenario: Scenario, standard: bool) -> None:
    handles: list[Any] = [
        Patch(facecolor=FAN_COLOUR, alpha=BAND_ALPHA["band90"], label=label("chart.band90", lang)),
        Patch(facecolor=FAN_COLOUR, alpha=BAND_ALPHA["band50"], label=label("chart.band50", lang)),
        Line2D([], [], color=FAN_COLOUR, linewidth=1.6, label=label("chart.median", lang)),
        Patch(facecolor=CLOSED_GREY, edgecolor="0.6", linewidth=0.5,
              label=label("chart.closed", lang)),
    ]
    if scenario.calendar.new_system:
        handles.append(Line2D([], [], color=GO_LIVE_COLOUR, linestyle="-.", linewidth=1.6,
                              label=label("chart.go_live", lang)))
    if standard:
        handles.append(Line2D([], [], color="black", linestyle=(0, (5, 3)), linewidth=1.2,
                              label=label("chart.standard", lang)))
    _place_legend(sheet, handles, ncol=3)


def _place_legend(sheet: Sheet, handles: list[Any], ncol: int) -> None:
    rows = -(-len(handles) // ncol)
    height = rows * 0.22 + 0.08
    ax = sheet.axes(sheet.left, sheet.y, sheet.text_width, height)
    ax.axis("off")
    ax.legend(handles=handles, loc="upper left", ncol=ncol, frameon=False, fontsize=9,
              borderaxespad=0, handlelength=2.2, columnspacing=1.5, mode="expand")
    sheet.y += height + 0.05


def _panels(sheet: Sheet, scenario: Scenario, metrics: list[str],
            draw: Callable[[Axes, str], None], lang: str,
            statuses: dict[int, str | None] | None,
            rows: list[tuple[str, dt.date, dt.date, str]] | None = None) -> None:
    """A timeline strip and one panel per metric down the rest of the page, sharing dates."""
    bars = rows if rows is not None else mitigation_rows(scenario, lang)
    strip = 0.26 * (1 + len(bars))
    axes_left = sheet.left + 0.62
    axes_width = sheet.text_width - 0.62
    top_strip = sheet.axes(axes_left, sheet.y, axes_width, strip)
    sheet.y += strip + 0.12
    title_gap, panel_gap, x_labels = 0.3, 0.16, 0.32
    room = sheet.bottom - sheet.y - x_labels - 0.3
    height = room / len(metrics) - title_gap - panel_gap
    panels: list[Axes] = []
    for metric in metrics:
        ax = sheet.axes(axes_left, sheet.y + title_gap, axes_width, height,
                        sharex=panels[0] if panels else None)
        sheet.text(sheet.left, sheet.y + 0.04, metric_title(metric, lang, per_day=True), 10.5,
                   weight="bold")
        draw(ax, metric)
        format_date_axis(ax, scenario, lang)
        panels.append(ax)
        sheet.y += title_gap + height + panel_gap
    for ax in panels[:-1]:
        ax.tick_params(axis="x", labelbottom=False)
    timeline(top_strip, scenario, lang, statuses, bars)
    sheet.y += x_labels


def _y_range(ax: Axes, metric: str, highs: list[float], threshold: float | None) -> None:
    """From zero to a little above the highest band or the standard (at most 100 % for a share
    that reaches it)."""
    top = max([h for h in highs if not math.isnan(h)] + [threshold or 0.0, 0.0])
    if top <= 0:
        top = 1.0
    ceiling = top * 1.15
    if unit(metric) == "share" and top <= 1.0:
        ceiling = min(ceiling, 1.04)
    ax.set_ylim(0, ceiling)


def _service_page(f: _Forecast, service: str, metrics: list[str]) -> Page:
    lang, scenario, verdict = f.lang, f.scenario, f.verdict
    standards = {s["metric"]: s for s in verdict.get("standards", []) if s["service"] == service}
    statuses = ({w["week"]: _status(w, service) for w in verdict.get("weeks", [])}
                if service in verdict_services(verdict) else None)

    def draw(ax: Axes, metric: str) -> None:
        shade_closed_days(ax, scenario, lang)
        fan_chart(ax, f.results.daily, service, metric, scenario, lang=lang)
        standard = standards.get(metric)
        if standard is not None:
            mark_standard(ax, metric, standard["rule"], standard["threshold"], lang)
        mark_go_live(ax, scenario, lang)
        bands = quantile_bands(f.results.daily, service, metric)
        _y_range(ax, metric, [float(bands["p95"].max())],
                 standard["threshold"] if standard is not None else None)

    def page(sheet: Sheet) -> None:
        sheet.paragraph(label(service, lang), 17, "bold", after=0.06)
        sentence = service_sentence(verdict, service, lang)
        if sentence is None:
            sentence = label("report.no_standards", lang).format(services=label(service, lang))
        if sentence:
            sentence = sentence.removeprefix(f"{label(service, lang)}: ")
            sheet.paragraph(sentence[:1].upper() + sentence[1:], 10.5)
        _legend(sheet, lang, scenario, bool(standards))
        _panels(sheet, scenario, metrics, draw, lang, statuses)
        sheet.paragraph(label("chart.daily_note", lang).format(
            replications=f.replications, first=format_number(1, lang)), 9, colour="0.25")

    return page


# -- assumptions --------------------------------------------------------------------------------

def _hours(hours: OpeningHours, lang: str) -> str:
    parts = []
    for kind in ("weekdays", "saturday", "sunday"):
        span = getattr(hours, kind)
        words = label(f"assumptions.{kind}", lang)
        parts.append(f"{words} {span[0]}–{span[1]}" if span else
                     f"{words} {label('assumptions.closed', lang)}")
    return ", ".join(parts)


def _shifts(shifts: Sequence[Any], lang: str) -> str:
    days = {"weekdays": "assumptions.weekdays", "saturday": "assumptions.saturday",
            "sunday": "assumptions.sunday", "weekends": "assumptions.weekends",
            "all": "assumptions.all_days"}
    return "; ".join(f"{format_number(s.staff, lang)} ({label(days[s.days], lang)} "
                     f"{s.start}–{s.end})" for s in shifts)


def _per_group(values: list[tuple[str, str]], lang: str) -> str:
    if len({v for _, v in values}) == 1:
        return f"{values[0][1]} {label('assumptions.every_group', lang)}"
    return ", ".join(f"{group} {value}" for group, value in values)


def levers(scenario: Scenario, lang: str = "en") -> list[tuple[str, str]]:
    """The main levers of a scenario and their values, in words, for a table."""
    pct = lambda share: format_percent(share, lang)  # noqa: E731
    spec = scenario.calendar
    rows = [
        (label("assumptions.go_live", lang),
         f"{format_date(spec.go_live.date(), lang)} {spec.go_live.strftime('%H:%M')}"
         if spec.new_system else label("assumptions.none", lang)),
        (label("assumptions.followed", lang), format_number(spec.weeks_after, lang)),
        (label("assumptions.staff_switching", lang),
         format_number(scenario.organisation.staff_switching, lang)),
    ]
    groups: list[tuple[str, Any]] = [(label(name, lang), service.staff)
                                     for name, service in scenario.services.items()]
    if scenario.rest_of_staff is not None:
        groups.append((label("assumptions.rest_of_staff", lang), scenario.rest_of_staff.staff))
    rows += [
        (label("assumptions.trained_share", lang),
         _per_group([(g, pct(s.trained_share)) for g, s in groups], lang)),
        (label("assumptions.superuser_share", lang),
         _per_group([(g, pct(s.superuser_share)) for g, s in groups], lang)),
        (label("assumptions.sick_leave", lang),
         _per_group([(g, pct(s.sick_leave_share)) for g, s in groups], lang)),
    ]
    if scenario.superusers is not None:
        users = scenario.superusers
        rows.append((label("assumptions.release", lang),
                     label("assumptions.release_value", lang).format(
                         weeks=users.release_weeks, share=pct(users.released_share_per_day))))
    if scenario.support_desk is not None:
        desk = scenario.support_desk
        rows.append((label("assumptions.desk", lang), label("assumptions.desk_value", lang).format(
            base=desk.base_agents, surge=desk.surge_agents, weeks=desk.surge_weeks)))
        rows.append((label("assumptions.desk_hours", lang), _hours(desk.opening_hours, lang)))
    iso = {w: iso_week(week_start(scenario, w)) for w in range(-52, 105) if w}
    for name, service in scenario.services.items():
        words = label(name, lang)
        if name == "home_visits":
            visits = scenario.home_visits
            assert visits is not None
            staff = label("assumptions.districts", lang).format(
                staff=format_number(visits.districts * visits.nurses_per_district, lang),
                districts=visits.districts)
            volume = visits.visits_per_day.weekdays
            unit_key = "unit.visits"
        else:
            staff = _shifts(service.shifts, lang)
            volume = (scenario.phone.calls_per_day.weekdays if name == "phone" and scenario.phone
                      else scenario.cases.cases_per_day.weekdays if scenario.cases else 0)
            unit_key = "unit.calls" if name == "phone" else "unit.cases"
        rows.append((label("assumptions.staff", lang).format(service=words), staff))
        rows.append((label("assumptions.volume", lang).format(service=words),
                     f"{format_number(volume, lang)} {label(unit_key, lang)}"))
        extras = [label("assumptions.extra_value", lang).format(
            staff=e.staff, weeks=format_weeks(e.weeks, iso, lang)) for e in service.extra_staff]
        rows.append((label("assumptions.extra_staff", lang).format(service=words),
                     "; ".join(extras) or label("assumptions.none", lang)))
        reductions = []
        if name == "phone" and scenario.phone is not None:
            reductions = [label("assumptions.reduced_opening", lang).format(
                weeks=format_weeks(r.weeks, iso, lang)) for r in scenario.phone.reduced_opening]
        if name == "home_visits" and scenario.home_visits is not None:
            reductions = [label("assumptions.fewer_visits", lang).format(
                share=pct(r.non_critical_share), weeks=format_weeks(r.weeks, iso, lang))
                for r in scenario.home_visits.fewer_visits]
        if name != "cases":
            rows.append((label("assumptions.reduction", lang).format(service=words),
                         "; ".join(reductions) or label("assumptions.none", lang)))
    return rows


def _run_rows(results: Results, lang: str) -> list[tuple[str, str]]:
    manifest = results.manifest
    unknown = label("assumptions.unknown", lang)
    started = manifest.get("started")
    when = unknown
    if started:
        moment = dt.datetime.fromisoformat(started)
        when = f"{format_date(moment.date(), lang)} {moment.strftime('%H:%M')} UTC"
    commit = manifest.get("git_commit") or unknown
    return [
        (label("assumptions.replications", lang), str(manifest.get("replications", unknown))),
        (label("assumptions.seed", lang), str(manifest.get("seed", unknown))),
        (label("assumptions.version", lang), str(manifest.get("version", unknown))),
        (label("assumptions.commit", lang), commit[:12] if commit != unknown else commit),
        (label("assumptions.run_date", lang), when),
    ]


def _rows_table(sheet: Sheet, rows: list[tuple[str, str]], key_width: float = 3.1,
                size: float = 9.5) -> None:
    for key, value in rows:
        key_lines = wrap(key, key_width - 0.15, size, "bold")
        value_lines = wrap(value, sheet.text_width - key_width, size)
        for i, line in enumerate(key_lines):
            sheet.text(sheet.left, sheet.y + i * line_height(size), line, size, weight="bold")
        for i, line in enumerate(value_lines):
            sheet.text(sheet.left + key_width, sheet.y + i * line_height(size), line, size)
        sheet.y += max(len(key_lines), len(value_lines)) * line_height(size) + 0.05


def _assumptions_page(f: _Forecast) -> Page:
    lang = f.lang

    def page(sheet: Sheet) -> None:
        sheet.paragraph(label("assumptions.title", lang), 17, "bold", after=0.06)
        sheet.heading(label("assumptions.levers", lang), 12)
        _rows_table(sheet, levers(f.scenario, lang))
        standards = _standards_lines(f.verdict, lang, sources=True)
        if standards:
            sheet.heading(label("assumptions.standard_sources", lang), 12)
            for line in standards:
                sheet.paragraph(line, 9.5, indent=0.25, bullet="•", after=0.04)
        sheet.heading(label("assumptions.run", lang), 12)
        _rows_table(sheet, _run_rows(f.results, lang))
        sheet.y += 0.1
        sheet.paragraph(label("assumptions.sources", lang).format(name=f.scenario.name), 9.5)

    return page


# -- the report ---------------------------------------------------------------------------------

def render_report(results: Results, verdict: Verdict, out: str | Path, lang: str = "en") -> Path:
    """Write the forecast of one results folder as an A4 portrait PDF; returns its path.

    Pages: the answer and the verdict table (continued if the forecast is long), one page of fan
    charts per simulated service, one for the support desk and superusers, and the assumptions.
    """
    check_lang(lang)
    f = _Forecast(results, verdict, lang)
    pages = _summary_pages(f)
    for service in f.simulated():
        available = set(results.daily.loc[results.daily["service"] == service, "metric"])
        metrics = chart_metrics(service, verdict, available)
        if metrics:
            pages.append(_service_page(f, service, metrics))
    pages.append(_assumptions_page(f))
    version = results.manifest.get("version", "")
    footer = f"{results.scenario.name} · golive-sim {version}".strip()
    return _write(Path(out), pages, footer, lang)


def report_folder(folder: str | Path, out: str | Path | None = None, lang: str = "en") -> Path:
    """Render the forecast of a results folder (default: report.pdf, or report-nb.pdf in
    Norwegian, inside the folder); what `golive-sim report DIR` does."""
    from sim.results_folder import read_results

    folder = Path(folder)
    results = read_results(folder)
    return render_report(results, results.verdict, out or default_report_path(folder, lang), lang)


def default_report_path(folder: Path, lang: str) -> Path:
    """Where a results folder's report goes unless told otherwise."""
    return folder / ("report.pdf" if lang == "en" else f"report-{lang}.pdf")


def compare_folders(folders: Sequence[str | Path], out: str | Path, lang: str = "en") -> Path:
    """Render results folders side by side; what `golive-sim compare DIR1 DIR2 ...` does."""
    from sim.results_folder import read_results

    results = [read_results(f) for f in folders]
    return render_comparison(results, [r.verdict for r in results], out, lang)


# -- comparison ---------------------------------------------------------------------------------

def _letters(n: int) -> list[str]:
    return [chr(ord("A") + i) for i in range(n)]


def comparison_table(sheet: Sheet, verdicts: Sequence[Verdict], lang: str) -> None:
    """Weeks down; services (and all services) across, one narrow column per scenario under
    each, in the order of the scenarios' letters."""
    services: list[str | None] = [s for s in SERVICE_ORDER
                                  if any(s in verdict_services(v) for v in verdicts)]
    services.append(None)
    letters = _letters(len(verdicts))
    by_week = [{w["week"]: w for w in v.get("weeks", [])} for v in verdicts]
    numbers = sorted({n for weeks in by_week for n in weeks})
    reference = [next(weeks[n] for weeks in by_week if n in weeks) for n in numbers]
    group = (sheet.text_width - WEEK_COLUMN_INCHES) / len(services)
    cell = group / len(verdicts)
    header = TABLE_HEADER_INCHES + 0.26
    height = header + TABLE_ROW_INCHES * len(numbers)
    ax = _table_axes(sheet, sheet.y, height)
    _table_header(ax, services, group, lang)
    for i in range(len(services)):
        for j, letter in enumerate(letters):
            x = WEEK_COLUMN_INCHES + i * group + (j + 0.5) * cell
            ax.text(x, TABLE_HEADER_INCHES + 0.13, letter, ha="center", va="center_baseline",
                    fontsize=10, weight="bold", color=SCENARIO_COLOURS[j % len(SCENARIO_COLOURS)])
    for row, (number, week) in enumerate(zip(numbers, reference, strict=True)):
        y = header + row * TABLE_ROW_INCHES
        _week_column(ax, y, TABLE_ROW_INCHES, week, lang)
        for i, service in enumerate(services):
            for j, weeks in enumerate(by_week):
                entry = weeks.get(number)
                status = _status(entry, service) if entry else None
                weakest = _weakest(_service_standards(entry, service)) if entry else None
                _cell(ax, WEEK_COLUMN_INCHES + i * group + j * cell, y, cell, TABLE_ROW_INCHES,
                      status, weakest["meets_share"] if weakest else None, lang, words=False)
        if row > 0 and numbers[row - 1] < 0 <= number:
            ax.plot([0, sheet.text_width], [y, y], color="black", linewidth=2.2)
    sheet.y += height + TABLE_GAP_INCHES


def _comparison_pages(results_list: Sequence[Results], verdicts: Sequence[Verdict],
                      lang: str) -> list[Page]:
    letters = _letters(len(results_list))
    colours = [SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)] for i in range(len(results_list))]
    scenarios = [r.scenario for r in results_list]
    reference = scenarios[0]

    def title_page(sheet: Sheet) -> None:
        sheet.paragraph(label("compare.title", lang), 17, "bold", after=0.1)
        for letter, colour, scenario, verdict in zip(letters, colours, scenarios, verdicts,
                                                     strict=True):
            sheet.text(sheet.left, sheet.y, letter, 12, weight="bold", color=colour)
            description = scenario.describe(lang)
            heading = scenario.name + (f": {description}" if description else "")
            y = sheet.y
            sheet.y = y
            lines = wrap(heading, sheet.text_width - 0.3, 10.5, "bold")
            for line in lines:
                sheet.text(sheet.left + 0.3, sheet.y, line, 10.5, weight="bold")
                sheet.y += line_height(10.5)
            for line in wrap(overall_sentence(verdict, lang), sheet.text_width - 0.3, 10):
                sheet.text(sheet.left + 0.3, sheet.y, line, 10)
                sheet.y += line_height(10)
            sheet.y += 0.1
        sheet.heading(label("report.table_title", lang), 12.5)
        comparison_table(sheet, verdicts, lang)
        status_legend(sheet, lang)
        sheet.paragraph(label("compare.table_note", lang) + " "
                        + label("report.table_note", lang).format(
                            confidence=format_percent(verdicts[0].get("confidence", 0.9), lang),
                            at_risk=format_percent(verdicts[0].get("at_risk_share", 0.5), lang)),
                        9, colour="0.2")

    def service_page(service: str, metrics: list[str]) -> Page:
        standards = {s["metric"]: s for s in verdicts[0].get("standards", [])
                     if s["service"] == service}
        rows: list[tuple[str, dt.date, dt.date, str]] = []
        for letter, colour, scenario in zip(letters, colours, scenarios, strict=True):
            rows += [(f"{letter}: {text}", first, end, colour) for text, first, end, _ in
                     mitigation_rows(scenario, lang)]

        def draw(ax: Axes, metric: str) -> None:
            shade_closed_days(ax, reference, lang)
            highs = []
            for results, colour in zip(results_list, colours, strict=True):
                fan_chart(ax, results.daily, service, metric, results.scenario, lang=lang,
                          colour=colour)
                highs.append(float(quantile_bands(results.daily, service, metric)["p95"].max()))
            standard = standards.get(metric)
            if standard is not None:
                mark_standard(ax, metric, standard["rule"], standard["threshold"], lang)
            mark_go_live(ax, reference, lang)
            _y_range(ax, metric, highs, standard["threshold"] if standard is not None else None)

        def page(sheet: Sheet) -> None:
            sheet.paragraph(label(service, lang), 17, "bold", after=0.06)
            handles: list[Any] = []
            for letter, colour, scenario in zip(letters, colours, scenarios, strict=True):
                handles.append(Patch(facecolor=colour, alpha=0.45, edgecolor=colour,
                                     label=f"{letter}: {scenario.name}"))
            handles += [
                Line2D([], [], color="0.2", linewidth=1.6, label=label("chart.median", lang)),
                Patch(facecolor="0.2", alpha=BAND_ALPHA["band50"],
                      label=label("chart.band50", lang)),
                Patch(facecolor="0.2", alpha=BAND_ALPHA["band90"],
                      label=label("chart.band90", lang)),
                Patch(facecolor=CLOSED_GREY, edgecolor="0.6", linewidth=0.5,
                      label=label("chart.closed", lang)),
                Line2D([], [], color=GO_LIVE_COLOUR, linestyle="-.", linewidth=1.6,
                       label=label("chart.go_live", lang)),
            ]
            if standards:
                handles.append(Line2D([], [], color="black", linestyle=(0, (5, 3)),
                                      linewidth=1.2, label=label("chart.standard", lang)))
            _place_legend(sheet, handles, ncol=2)
            _panels(sheet, reference, metrics, draw, lang, None, rows)

        return page

    def levers_page(sheet: Sheet) -> None:
        sheet.paragraph(label("compare.differences", lang), 17, "bold", after=0.1)
        tables = [levers(r.scenario, lang) + _run_rows(r, lang) for r in results_list]
        keys = [k for k, _ in tables[0]]
        key_width = 2.3
        column = (sheet.text_width - key_width) / len(scenarios)
        sheet.text(sheet.left, sheet.y, label("compare.lever", lang), 10, weight="bold")
        for j, (letter, colour, scenario) in enumerate(zip(letters, colours, scenarios,
                                                           strict=True)):
            sheet.text(sheet.left + key_width + j * column, sheet.y,
                       f"{letter}: {scenario.name}", 10, weight="bold", color=colour)
        sheet.y += line_height(10) + 0.08
        values = [dict(t) for t in tables]
        for key in keys:
            cells = [v.get(key, "–") for v in values]
            differs = len(set(cells)) > 1
            key_lines = wrap(key, key_width - 0.15, 9, "bold")
            cell_lines = [wrap(c, column - 0.12, 9, "bold" if differs else "normal")
                          for c in cells]
            for i, line in enumerate(key_lines):
                sheet.text(sheet.left, sheet.y + i * line_height(9), line, 9, weight="bold")
            for j, lines in enumerate(cell_lines):
                for i, line in enumerate(lines):
                    sheet.text(sheet.left + key_width + j * column, sheet.y + i * line_height(9),
                               line, 9, weight="bold" if differs else "normal")
            sheet.y += max([len(key_lines)] + [len(c) for c in cell_lines]) * line_height(9)
            sheet.y += 0.05

    pages: list[Page] = [title_page]
    for service in SERVICE_ORDER:
        available = set.intersection(*[
            set(r.daily.loc[r.daily["service"] == service, "metric"]) for r in results_list])
        metrics = chart_metrics(service, verdicts[0], available)
        if metrics:
            pages.append(service_page(service, metrics))
    pages.append(levers_page)
    return pages


def render_comparison(results_list: Sequence[Results], verdicts: Sequence[Verdict],
                      out: str | Path, lang: str = "en") -> Path:
    """Write several scenarios side by side as an A4 portrait PDF; returns its path.

    Pages: each scenario's answer and a verdict table with a column per scenario under each
    service, overlaid fan charts per service (one colour per scenario), and the levers with their
    differences in bold.
    """
    check_lang(lang)
    if not results_list or len(results_list) != len(verdicts):
        raise ValueError("give one verdict per results folder, and at least one of each")
    pages = _comparison_pages(results_list, verdicts, lang)
    footer = " · ".join(f"{letter}: {r.scenario.name}"
                        for letter, r in zip(_letters(len(results_list)), results_list,
                                             strict=True))
    return _write(Path(out), pages, footer, lang)
