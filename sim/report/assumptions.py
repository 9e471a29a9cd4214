"""The assumptions pages: the main levers in words, each with the source written beside its keys
in the scenario file; the standards with theirs; closed dates; and the run (seed, replications,
version) and scenario file that produced the numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from sim.labels import (
    format_date,
    format_number,
    format_percent,
    format_weeks,
    join_words,
    label,
)
from sim.paths import tables_holding
from sim.report.front_page import Forecast
from sim.report.layout import Page, Sheet, flow, line_height, wrap
from sim.report.verdict_words import standards_lines
from sim.scenario import Cases, HomeVisits, OpeningHours, Phone, Scenario
from sim.scenario_file import key_comments

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


class Lever(NamedTuple):
    """One row of the levers table: what it is, its value in words, and the scenario keys it comes
    from (whose comments give its source)."""

    key: str
    value: str
    paths: tuple[str, ...] = ()


def _dates(dates: Sequence[dt.date], lang: str) -> str:
    return join_words([format_date(d, lang) for d in sorted(dates)], lang)


def levers(scenario: Scenario, lang: str = "en") -> list[Lever]:
    """The main levers of a scenario and their values, in words, for a table; only what the
    scenario has (no employee count without [organisation], no desk without a support desk)."""
    pct = lambda share: format_percent(share, lang)  # noqa: E731
    spec = scenario.calendar
    rows = [
        Lever(label("assumptions.go_live", lang),
              f"{format_date(spec.go_live.date(), lang)} {spec.go_live.strftime('%H:%M')}"
              if spec.new_system else label("assumptions.none", lang),
              ("calendar.go_live", "calendar.new_system")),
        Lever(label("assumptions.followed", lang), format_number(spec.weeks_after, lang),
              ("calendar.weeks_after",)),
    ]
    closed = [(label("overall", lang), spec.extra_closed_dates, "calendar.extra_closed_dates")]
    closed += [(label(name, lang), service.closed_dates, f"{name}.closed_dates")
               for name, service in scenario.services.items()]
    if any(dates for _, dates, _ in closed):
        rows.append(Lever(label("assumptions.closed_dates", lang), "; ".join(
            f"{who}: {_dates(dates, lang)}" for who, dates, _ in closed if dates),
            tuple(path for _, dates, path in closed if dates)))
    if scenario.organisation.staff_switching:
        rows.append(Lever(label("assumptions.staff_switching", lang),
                          format_number(scenario.organisation.staff_switching, lang),
                          ("organisation.staff_switching",)))
    groups: list[tuple[str, Any, str]] = [(label(name, lang), service.staff, f"{name}.staff")
                                          for name, service in scenario.services.items()]
    if scenario.rest_of_staff is not None:
        groups.append((label("assumptions.rest_of_staff", lang), scenario.rest_of_staff.staff,
                       "rest_of_staff.staff"))
    for key, attribute in (("trained_share", "trained_share"),
                           ("superuser_share", "superuser_share"),
                           ("sick_leave", "sick_leave_share")):
        rows.append(Lever(label(f"assumptions.{key}", lang),
                          _per_group([(g, pct(getattr(s, attribute))) for g, s, _ in groups],
                                     lang),
                          tuple(f"{path}.{attribute}" for _, _, path in groups)))
    if scenario.superusers is not None:
        users = scenario.superusers
        release = label("assumptions.release_value", lang).format(
            weeks=users.release_weeks, share=pct(users.released_share_per_day))
        if scenario.intensive_support is not None:
            release = f"{pct(users.released_share_per_day)}, {_until_quiet(scenario, lang)}"
        rows.append(Lever(label("assumptions.release", lang), release,
                          ("superusers.release_weeks", "superusers.released_share_per_day")))
    if scenario.support_desk is not None:
        desk = scenario.support_desk
        value = format_number(desk.base_agents, lang)
        if desk.surge_agents and scenario.intensive_support is not None:
            value = f"{value} + {desk.surge_agents}, {_until_quiet(scenario, lang)}"
        elif desk.surge_agents and desk.surge_weeks:
            value = label("assumptions.desk_value", lang).format(
                base=value, surge=desk.surge_agents, weeks=desk.surge_weeks)
        rows.append(Lever(label("assumptions.desk", lang), value,
                          ("support_desk.base_agents", "support_desk.surge_agents",
                           "support_desk.surge_weeks")))
        if desk.callback_share:
            rows.append(Lever(label("assumptions.callbacks", lang), pct(desk.callback_share),
                              ("support_desk.callback_share",)))
        rows.append(Lever(label("assumptions.desk_hours", lang), _hours(desk.opening_hours, lang),
                          ("support_desk.opening_hours",)))
    for name in scenario.services:
        rows += _service_levers(scenario, name, lang)
    return rows


def _until_quiet(scenario: Scenario, lang: str) -> str:
    """When an [intensive_support] rule ends the surge and the release."""
    rule = scenario.intensive_support
    assert rule is not None
    return label("assumptions.intensive_support_value", lang).format(low=rule.min_days,
                                                                     high=rule.max_days)


def _service_levers(scenario: Scenario, name: str, lang: str) -> list[Lever]:
    """A service's staff, demand, extra staff and planned reductions."""
    pct = lambda share: format_percent(share, lang)  # noqa: E731
    words = label(name, lang)
    service = scenario.services[name]
    reductions: list[str] = []
    reduction_path = ""
    if isinstance(service, HomeVisits):
        staff = label("assumptions.districts", lang).format(
            staff=format_number(service.districts * service.nurses_per_district, lang),
            districts=service.districts)
        staff_paths: tuple[str, ...] = (f"{name}.districts", f"{name}.nurses_per_district")
        volume, unit_key, volume_path = (service.visits_per_day.weekdays, "unit.visits",
                                         "visits_per_day")
        reductions = [label("assumptions.fewer_visits", lang).format(
            share=pct(r.non_critical_share), weeks=format_weeks(r.weeks, lang))
            for r in service.fewer_visits]
        reduction_path = "fewer_visits"
    elif isinstance(service, Phone):
        staff, staff_paths = _shifts(service.shifts, lang), (f"{name}.shifts",)
        volume, unit_key, volume_path = (service.calls_per_day.weekdays, "unit.calls",
                                         "calls_per_day")
        reductions = [label("assumptions.reduced_opening", lang).format(
            weeks=format_weeks(r.weeks, lang)) for r in service.reduced_opening]
        reductions += [label("assumptions.fewer_calls", lang).format(
            share=pct(r.share), weeks=format_weeks(r.weeks, lang)) for r in service.fewer_calls]
        reduction_path = "reduced_opening"
    else:
        staff, staff_paths = _shifts(service.shifts, lang), (f"{name}.shifts",)
        volume, unit_key, volume_path = (service.cases_per_day.weekdays, "unit.cases",
                                         "cases_per_day")
        reductions = [label("assumptions.fewer_cases", lang).format(
            share=pct(r.ordinary_share), weeks=format_weeks(r.weeks, lang))
            for r in service.fewer_cases]
        reduction_path = "fewer_cases"
    extras = [label("assumptions.extra_value", lang).format(
        staff=e.staff, weeks=format_weeks(e.weeks, lang)) for e in service.extra_staff]
    rows = [
        Lever(label("assumptions.districts_staff" if isinstance(service, HomeVisits)
                    else "assumptions.staff", lang).format(service=words), staff, staff_paths),
        Lever(label("assumptions.volume", lang).format(service=words),
              f"{format_number(volume, lang)} {label(unit_key, lang)}",
              (f"{name}.{volume_path}",)),
        Lever(label("assumptions.extra_staff", lang).format(service=words),
              "; ".join(extras) or label("assumptions.none", lang), (f"{name}.extra_staff",)),
    ]
    if reduction_path:
        rows.append(Lever(label("assumptions.reduction", lang).format(service=words),
                          "; ".join(reductions) or label("assumptions.none", lang),
                          (f"{name}.{reduction_path}",)))
    if isinstance(service, Phone) and service.extra_calls:
        rows.append(Lever(label("assumptions.extra_calls", lang).format(service=words),
                          "; ".join(label("assumptions.extra_calls_value", lang).format(
                              share=pct(e.share), weeks=format_weeks(e.weeks, lang))
                              for e in service.extra_calls), (f"{name}.extra_calls",)))
    if isinstance(service, Cases) and service.reinforcement is not None:
        reinforcement = service.reinforcement
        rows.append(Lever(label("assumptions.reinforcement", lang).format(service=words),
                          label("assumptions.reinforcement_value"
                                if reinforcement.temp_handlers_per_shift
                                else "assumptions.reinforcement_overtime_value", lang).format(
                              level=reinforcement.backlog_above,
                              minutes=format_number(reinforcement.overtime_minutes_per_shift,
                                                    lang),
                              temps=reinforcement.temp_handlers_per_shift),
                          tuple(f"{name}.reinforcement.{key}" for key in (
                              "backlog_above", "overtime_minutes_per_shift",
                              "temp_handlers_per_shift"))))
    return rows


def with_changes(comments: dict[str, str], changed: Sequence[str], lang: str) -> dict[str, str]:
    """The file's comments with the keys changed for this run (`--set`, a sweep's cell) said so:
    a changed key, and every key inside a changed table, has the change as its source instead
    of the file's comment, and a table that holds a changed key names the change too."""
    def inside(key: str, path: str) -> bool:
        return key == path or key.startswith((f"{path}.", f"{path}["))

    out = dict(comments)
    for path in changed:
        note = label("assumptions.set", lang).format(path=path)
        for key in out:
            if inside(key, path):
                out[key] = note
            elif inside(path, key):
                out[key] = f"{out[key]}; {note}"
        for table in tables_holding(path):  # those without a comment of their own
            out.setdefault(table, note)
        out.setdefault(path, note)
    return out



def sources(paths: Sequence[str], comments: dict[str, str]) -> str:
    """The distinct comments of these scenario keys, in order: a lever's sources."""
    found = [comments[p] for p in paths if p in comments]
    return "; ".join(dict.fromkeys(found))


def run_rows(results: Results, lang: str) -> list[Lever]:
    manifest = results.manifest
    unknown = label("assumptions.unknown", lang)
    started = manifest.get("started")
    when = unknown
    if started:
        moment = dt.datetime.fromisoformat(started)
        when = f"{format_date(moment.date(), lang)} {moment.strftime('%H:%M')} UTC"
    commit = manifest.get("git_commit") or unknown
    return [
        Lever(label("assumptions.replications", lang),
              str(manifest.get("replications", unknown))),
        Lever(label("assumptions.seed", lang), str(manifest.get("seed", unknown))),
        Lever(label("assumptions.version", lang), str(manifest.get("version", unknown))),
        Lever(label("assumptions.commit", lang), commit[:12] if commit != unknown else commit),
        Lever(label("assumptions.run_date", lang), when),
    ]


def rows_table(sheet: Sheet, rows: Sequence[Lever], lang: str,
               comments: dict[str, str] | None = None, key_width: float = 2.6,
               size: float = 9.5) -> None:
    """Key in bold on the left, value on the right, and under the value the source of the
    scenario keys behind it (in grey) when `comments` has one."""
    step = line_height(size)
    for row in rows:
        key_lines = wrap(row.key, key_width - 0.15, size, "bold")
        value_lines = wrap(row.value, sheet.text_width - key_width, size)
        source = sources(row.paths, comments or {})
        source_lines = (wrap(f"{label('report.source', lang)}: {source}",
                             sheet.text_width - key_width, 9) if source else [])
        for i, line in enumerate(key_lines):
            sheet.text(sheet.left, sheet.y + i * step, line, size, weight="bold")
        for i, line in enumerate(value_lines):
            sheet.text(sheet.left + key_width, sheet.y + i * step, line, size)
        below = sheet.y + len(value_lines) * step
        for i, line in enumerate(source_lines):
            sheet.text(sheet.left + key_width, below + i * line_height(9), line, 9, color="0.35")
        sheet.y = max(sheet.y + len(key_lines) * step,
                      below + len(source_lines) * line_height(9)) + 0.05


def assumptions_pages(f: Forecast) -> list[Page]:
    """The levers with their sources, the standards with theirs, closed dates, the run and the
    scenario file the numbers come from; on as many pages as that takes."""
    lang = f.lang
    comments = with_changes(key_comments(f.results.source) if f.results.source else {},
                            list(f.results.manifest.get("set") or {}), lang)
    standards = standards_lines(f.verdict, lang, comments)
    source_path = f.results.manifest.get("source_path")
    closing = (label("assumptions.sources", lang).format(path=source_path) if source_path
               else label("assumptions.no_source", lang))

    def title(sheet: Sheet) -> None:
        sheet.paragraph(label("assumptions.title", lang), 17, "bold", after=0.06)
        sheet.heading(label("assumptions.levers", lang), 12)

    def lever(row: Lever) -> Page:
        return lambda sheet: rows_table(sheet, [row], lang, comments)

    def standard(line: str) -> Page:
        return lambda sheet: sheet.paragraph(line, 9.5, indent=0.25, bullet="•", after=0.04)

    blocks = [title] + [lever(row) for row in levers(f.scenario, lang)]
    if standards:
        def first(sheet: Sheet) -> None:  # the heading stays with its first line
            sheet.heading(label("assumptions.standard_sources", lang), 12)
            standard(standards[0])(sheet)

        blocks += [first] + [standard(line) for line in standards[1:]]

    def run(sheet: Sheet) -> None:
        sheet.heading(label("assumptions.run", lang), 12)
        rows_table(sheet, run_rows(f.results, lang), lang)

    def provenance(sheet: Sheet) -> None:
        sheet.y += 0.1
        sheet.paragraph(closing, 9.5)

    return flow([*blocks, run, provenance])
