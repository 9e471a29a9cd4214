"""The assumptions page: the main levers in words, the standards with their sources, and the run
(seed, replications, version) that produced the numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sim.charts import week_start
from sim.labels import format_date, format_number, format_percent, format_weeks, iso_week, label
from sim.report.front_page import Forecast
from sim.report.layout import Page, Sheet, line_height, wrap
from sim.report.verdict_words import standards_lines
from sim.scenario import OpeningHours, Scenario

if TYPE_CHECKING:
    from sim.experiment import Results

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


def run_rows(results: Results, lang: str) -> list[tuple[str, str]]:
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


def rows_table(sheet: Sheet, rows: list[tuple[str, str]], key_width: float = 3.1,
                size: float = 9.5) -> None:
    for key, value in rows:
        key_lines = wrap(key, key_width - 0.15, size, "bold")
        value_lines = wrap(value, sheet.text_width - key_width, size)
        for i, line in enumerate(key_lines):
            sheet.text(sheet.left, sheet.y + i * line_height(size), line, size, weight="bold")
        for i, line in enumerate(value_lines):
            sheet.text(sheet.left + key_width, sheet.y + i * line_height(size), line, size)
        sheet.y += max(len(key_lines), len(value_lines)) * line_height(size) + 0.05


def assumptions_page(f: Forecast) -> Page:
    lang = f.lang

    def page(sheet: Sheet) -> None:
        sheet.paragraph(label("assumptions.title", lang), 17, "bold", after=0.06)
        sheet.heading(label("assumptions.levers", lang), 12)
        rows_table(sheet, levers(f.scenario, lang))
        standards = standards_lines(f.verdict, lang, sources=True)
        if standards:
            sheet.heading(label("assumptions.standard_sources", lang), 12)
            for line in standards:
                sheet.paragraph(line, 9.5, indent=0.25, bullet="•", after=0.04)
        sheet.heading(label("assumptions.run", lang), 12)
        rows_table(sheet, run_rows(f.results, lang))
        sheet.y += 0.1
        sheet.paragraph(label("assumptions.sources", lang).format(name=f.scenario.name), 9.5)

    return page

