"""The verdict in words: page 1's answer, one sentence per service, and the standards.

Everything here is derived from verdict.json (and the services the scenario simulates), so a
statement is only made when the verdict supports it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sim.charts import status_key
from sim.labels import (
    NBSP,
    check_lang,
    format_date,
    format_number,
    format_percent,
    format_standard,
    format_value,
    format_week,
    format_weeks,
    join_words,
    label,
    unit,
)
from sim.verdict import USUAL_WORKING_DAYS

Verdict = dict[str, Any]

SERVICE_ORDER = ("phone", "cases", "home_visits", "support")

SHORT = ("at_risk", "not_responsible")
"""Statuses that fall short of responsible."""


def verdict_services(verdict: Verdict) -> list[str]:
    """Services the verdict judges, in report order."""
    present = {service for week in verdict.get("weeks", []) for service in week["services"]}
    return [s for s in SERVICE_ORDER if s in present] + sorted(present - set(SERVICE_ORDER))


def weakest_standard(entries: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The standard met least often among `entries` (None if none has a share)."""
    judged = [s for s in entries if s.get("meets_share") is not None]
    return min(judged, key=lambda s: s["meets_share"]) if judged else None


def service_standards(week: dict[str, Any], service: str | None) -> list[dict[str, Any]]:
    services = [service] if service else list(week["services"])
    return [{**s, "service": name} for name in services
            for s in week["services"].get(name, {}).get("standards", [])]


def service_status(week: dict[str, Any], service: str | None) -> str | None:
    if service is None:
        return week.get("status")
    return week["services"].get(service, {}).get("status")


def milestones(verdict: Verdict, service: str | None = None) -> dict[str, int | None]:
    """first_at_risk_week, worst_week and recovery_week of a service (None: overall), from the
    verdict's headline, or worked out from its weeks when the headline lacks them (the same
    rules as `sim.verdict`)."""
    stored = verdict.get("headline", {}).get(service or "overall")
    if stored is not None:
        return dict(stored)
    after = [w for w in verdict.get("weeks", []) if w["week"] >= 1]
    short = [w["week"] for w in after if service_status(w, service) in SHORT]
    shares = [(s["meets_share"], w["week"]) for w in after
              if (s := weakest_standard(service_standards(w, service))) is not None]
    later = [w["week"] for w in after if short and w["week"] > short[-1]]
    worst = min(shares) if shares else None
    return {"first_at_risk_week": short[0] if short else None,
            "worst_week": worst[1] if worst is not None and worst[0] < 1 else None,
            "recovery_week": later[0] if later else None}


def judged(verdict: Verdict, service: str | None = None) -> bool:
    """Whether any week after go-live has a status for the service (None: for any service)."""
    return any(service_status(w, service) is not None
               for w in verdict.get("weeks", []) if w["week"] >= 1)


def _last_week(verdict: Verdict) -> int:
    return max(w["week"] for w in verdict["weeks"])


def service_sentence(verdict: Verdict, service: str, lang: str = "en") -> str | None:
    """One or two sentences on a service: the weeks it falls short, when it recovers, and how
    often its weakest standard is met in its worst week. None when no week has a verdict."""
    if not judged(verdict, service):
        return None
    after = [w for w in verdict["weeks"] if w["week"] >= 1]
    statuses = {w["week"]: service_status(w, service) for w in after}
    name = label(service, lang)
    short = [week for week, s in statuses.items() if s in SHORT]
    if not short:
        return label("report.service_fine", lang).format(service=name)
    kinds = {statuses[w] for w in short}
    status = (label(status_key(kinds.pop()), lang).lower() if len(kinds) == 1
              else label("report.status_mixed", lang))
    marks = milestones(verdict, service)
    recovery_week = marks.get("recovery_week")
    if recovery_week is not None:
        recovery = label("report.service_recovers", lang).format(
            week=format_week(recovery_week, lang))
    else:
        recovery = label("report.service_no_recovery", lang).format(
            last=format_week(_last_week(verdict), lang))
    text = label("report.service_short", lang).format(
        service=name, status=status, weeks=format_weeks(short, lang), recovery=recovery)
    worst_week = marks.get("worst_week")
    worst = next((w for w in after if w["week"] == worst_week), None)
    weakest = weakest_standard(service_standards(worst, service)) if worst is not None else None
    if worst_week is not None and weakest is not None:
        text += " " + label("report.service_worst", lang).format(
            week=format_week(worst_week, lang),
            standard=format_standard(weakest["metric"], weakest["rule"], weakest["threshold"],
                                     lang),
            share=format_percent(weakest["meets_share"], lang))
    return text


def overall_sentence(verdict: Verdict, lang: str = "en") -> str:
    """The answer in one sentence: nothing judged (no standards, or no data for them), all
    judged services responsible, or the first, worst and recovery weeks."""
    if not verdict.get("standards"):
        return label("report.no_verdict", lang)
    if not judged(verdict):
        return label("report.nothing_judged", lang)
    marks = milestones(verdict)
    first = marks.get("first_at_risk_week")
    if first is None:
        return label("report.all_fine", lang)
    starts = {w["week"]: dt.date.fromisoformat(w["start"]) for w in verdict["weeks"]}
    worst = marks.get("worst_week") or first
    week = marks.get("recovery_week")
    if week is not None:
        recovery = label("report.overall_recovers", lang).format(week=format_week(week, lang))
    else:
        recovery = label("report.overall_no_recovery", lang).format(
            last=format_week(_last_week(verdict), lang))
    return label("report.overall", lang).format(
        first=format_week(first, lang), date=format_date(starts[first], lang),
        worst=format_week(worst, lang), recovery=recovery)


def answer_sentences(verdict: Verdict, lang: str = "en",
                     simulated: Sequence[str] = ()) -> list[str]:
    """Page 1's answer: the overall sentence, one per judged service, a note on weeks before
    go-live that already fall short, and one per `simulated` service that has no standard."""
    check_lang(lang)
    sentences = [overall_sentence(verdict, lang)]
    services = verdict_services(verdict)
    sentences += [s for service in services if (s := service_sentence(verdict, service, lang))]
    for week in verdict.get("weeks", []):
        if week["week"] >= 1:
            continue
        short = [label(s, lang).lower() for s in services if service_status(week, s) in SHORT]
        if short:
            sentences.append(label("report.before", lang).format(
                week=format_week(week["week"], lang), services=join_words(short, lang)))
    if verdict.get("standards"):
        sentences += [label("report.no_standard", lang).format(service=label(s, lang))
                      for s in simulated if s not in services]
    return sentences


def margin_value(metric: str, value: float | None, lang: str) -> str:
    """A weekly mean beside its threshold: a share with one decimal ("19.8%"), so that a week
    just inside or just outside the standard reads so."""
    if value is None:
        return "–"
    if unit(metric) == "share":
        return format_number(100 * value, lang, 1) + (NBSP + "%" if lang == "nb" else "%")
    return format_value(metric, value, lang)


def margin_lines(verdict: Verdict, service: str, lang: str) -> list[str]:
    """One line per standard of the service: its weekly means from go-live against the
    threshold, short weeks (fewer working days than usual) marked with their working days; none
    for a standard whose metric has no value in any week."""
    after = [w for w in verdict.get("weeks", []) if w["week"] >= 1]
    lines = []
    for rule in (s for s in verdict.get("standards", []) if s["service"] == service):
        parts, measured = [], False
        for week in after:
            standard = next((s for s in week["services"].get(service, {}).get("standards", [])
                             if s["metric"] == rule["metric"]), None)
            if standard is None or "mean" not in standard:
                continue
            measured = measured or standard["mean"] is not None
            mean = margin_value(rule["metric"], standard["mean"], lang)
            text = f"{format_week(week['week'], lang)} {mean}"
            if week.get("working_days", USUAL_WORKING_DAYS) < USUAL_WORKING_DAYS:
                text += f" ({label('margins.short', lang).format(days=week['working_days'])})"
            parts.append(text)
        if measured:
            lines.append(label("margins.line", lang).format(
                standard=format_standard(rule["metric"], rule["rule"], rule["threshold"], lang),
                weeks=", ".join(parts)))
    return lines


def standard_key(standard: dict[str, Any]) -> str:
    """The scenario key of a standard: "standards.phone.min_service_level"."""
    bound = "min" if standard["rule"] == "at_least" else "max"
    return f"standards.{standard['service']}.{bound}_{standard['metric']}"


def standards_lines(verdict: Verdict, lang: str,
                    comments: dict[str, str] | None = None) -> list[str]:
    """One line per judged service listing its standards; with `comments` (the scenario file's
    comment by key), each standard followed by its source."""
    lines = []
    for service in verdict_services(verdict):
        rules = [s for s in verdict.get("standards", []) if s["service"] == service]
        if not rules:
            continue
        parts = []
        for s in rules:
            text = format_standard(s["metric"], s["rule"], s["threshold"], lang)
            if comments is not None:
                source = comments.get(standard_key(s), label("assumptions.no_comment", lang))
                text += f" ({label('report.source', lang)}: {source})"
            parts.append(text)
        lines.append(f"{label(service, lang)}: {'; '.join(parts)}.")
    return lines
