"""Responsible or not: each week's verdict per service, from the share of simulated futures that
meet the scenario's standards (design section 3, "Standards").

For a standard and a week, `meets_share` is the share of replications whose weekly value meets the
threshold (a value exactly at the threshold meets it); replications where the metric is undefined
(no demand that week) are left out, and a week where none has a value gets no verdict rather than
a false one. The status is `responsible` when meets_share >= confidence, `at_risk` when it is at
least `at_risk_share`, else `not_responsible`; a service takes the worst status of its standards
and the week the worst of its services.

Each standard also carries its week's `mean` (how far the week is from its threshold), and each
week its `working_days` (weekdays that are neither public holidays nor closed dates).

A week before go-live that holds fewer than seven reported days (when `start` is not a whole
number of weeks before go-live) gets no verdict: a part-week is not comparable with a standard set
for whole weeks, and the week after it already shows the old systems. Its figures stay in
weekly.csv and summary.csv.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

from sim.calendar import SimCalendar
from sim.scenario import Scenario, Standards

RESPONSIBLE, AT_RISK, NOT_RESPONSIBLE = "responsible", "at_risk", "not_responsible"
USUAL_WORKING_DAYS = 5
"""Working days (Monday to Friday) of a week without public holidays or closed dates: a week
with fewer is marked short, since fewer working days can flip a verdict on their own."""
SEVERITY = {RESPONSIBLE: 0, AT_RISK: 1, NOT_RESPONSIBLE: 2}
RULE_SYMBOLS = {"at_least": ">=", "at_most": "<="}

Verdict = dict[str, Any]
"""The verdict.json contract: confidence, standards, weeks (statuses) and headline."""


def status(meets_share: float | None, standards: Standards) -> str | None:
    """The status of one standard in one week, or None when there is nothing to judge."""
    if meets_share is None or math.isnan(meets_share):
        return None
    if meets_share >= standards.confidence:
        return RESPONSIBLE
    return AT_RISK if meets_share >= standards.at_risk_share else NOT_RESPONSIBLE


def worst(statuses: list[str | None]) -> str | None:
    """The most severe of the statuses that exist."""
    known = [s for s in statuses if s is not None]
    return max(known, key=SEVERITY.__getitem__) if known else None


def meets_share(values: np.ndarray, rule: str, threshold: float) -> float | None:
    """Share of the defined values that meet `rule threshold`; None if none is defined."""
    defined = values[~np.isnan(values)]
    if len(defined) == 0:
        return None
    meets = defined >= threshold if rule == "at_least" else defined <= threshold
    return float(meets.mean())


def compute_verdict(weekly: pd.DataFrame, scenario: Scenario) -> Verdict:
    """The verdict of every reported week, from the weekly table of all replications."""
    standards = scenario.standards
    rules = standards.rules()
    by_key = {key: group for key, group in weekly.groupby(["week", "service", "metric"])}
    weeks = []
    for week in sorted(weekly["week"].unique()):
        if not whole_week(scenario, int(week)):
            continue
        services: dict[str, Any] = {}
        for service, metric, rule, threshold in rules:
            group = by_key.get((week, service, metric))
            values = group["value"].to_numpy(dtype=float) if group is not None else np.array([])
            share = meets_share(values, rule, threshold)
            entry = services.setdefault(service, {"status": None, "standards": []})
            entry["standards"].append({"metric": metric, "rule": rule, "threshold": threshold,
                                       "meets_share": share, "status": status(share, standards),
                                       "mean": _mean(values)})
        for entry in services.values():
            entry["status"] = worst([s["status"] for s in entry["standards"]])
        start = _week_start(scenario, int(week))
        weeks.append({"week": int(week), "start": start.isoformat(),
                      "iso_week": (start + dt.timedelta(days=3)).isocalendar().week,
                      "working_days": working_days(scenario, start),
                      "status": worst([e["status"] for e in services.values()]),
                      "services": services})
    return {
        "confidence": standards.confidence,
        "at_risk_share": standards.at_risk_share,
        "standards": [{"service": s, "metric": m, "rule": r, "threshold": t}
                      for s, m, r, t in rules],
        "weeks": weeks,
        "headline": _headline(weeks, sorted({service for service, *_ in rules})),
    }


def _mean(values: np.ndarray) -> float | None:
    """The mean of the defined values (the margin to the threshold), None if none is."""
    defined = values[~np.isnan(values)]
    return float(defined.mean()) if len(defined) else None


def working_days(scenario: Scenario, start: dt.date) -> int:
    """Weekdays of the seven days from `start` that are neither public holidays nor closed."""
    calendar = SimCalendar(scenario.calendar)
    return sum(calendar.kind(start + dt.timedelta(days=i)) == "weekday" for i in range(7))


def whole_week(scenario: Scenario, week: int) -> bool:
    """Whether a contract week holds seven reported days (every week from go-live does)."""
    return week > 0 or 7 * -week <= scenario.calendar.days_before


def _week_start(scenario: Scenario, week: int) -> dt.date:
    """First date of a contract week (the week of go-live's date is week 1)."""
    go_live = scenario.calendar.go_live.date()
    return go_live + dt.timedelta(days=7 * (week - 1) if week > 0 else 7 * week)


def _headline(weeks: list[dict[str, Any]], services: list[str]) -> dict[str, Any]:
    """First week at risk, worst week and recovery week, per service and overall."""
    after = [w for w in weeks if w["week"] >= 1]
    headline = {"overall": _milestones([(w["week"], w["status"], _lowest(w, services))
                                        for w in after])}
    for service in services:
        headline[service] = _milestones([
            (w["week"], w["services"][service]["status"], _lowest(w, [service])) for w in after])
    return headline


def _lowest(week: dict[str, Any], services: list[str]) -> float | None:
    shares = [s["meets_share"] for service in services
              for s in week["services"].get(service, {}).get("standards", [])
              if s["meets_share"] is not None]
    return min(shares) if shares else None


def _milestones(weeks: list[tuple[int, str | None, float | None]]) -> dict[str, int | None]:
    """first_at_risk_week: the first week not responsible; worst_week: the week whose weakest
    standard is met least often (the first such week), None when every standard is met in every
    simulated future of every week; recovery_week: the first week from which every later week is
    responsible (or has no verdict), after a week at risk; None where there is none."""
    at_risk = [week for week, s, _ in weeks if s in (AT_RISK, NOT_RESPONSIBLE)]
    judged = [(share, week) for week, _, share in weeks if share is not None]
    recovery = None
    if at_risk:
        later = [week for week, _, _ in weeks if week > at_risk[-1]]
        recovery = later[0] if later else None
    return {
        "first_at_risk_week": at_risk[0] if at_risk else None,
        "worst_week": min(judged)[1] if judged and min(judged)[0] < 1 else None,
        "recovery_week": recovery,
    }


def with_standards(summary: pd.DataFrame, verdict: Verdict) -> pd.DataFrame:
    """summary.csv's `standard` and `meets_share` columns filled from the verdict."""
    summary = summary.copy()
    for week in verdict["weeks"]:
        for service, entry in week["services"].items():
            for s in entry["standards"]:
                row = ((summary.week == week["week"]) & (summary.service == service)
                       & (summary.metric == s["metric"]))
                summary.loc[row, "standard"] = f"{RULE_SYMBOLS[s['rule']]} {s['threshold']:g}"
                summary.loc[row, "meets_share"] = (np.nan if s["meets_share"] is None
                                                   else s["meets_share"])
    return summary


ALL_SERVICES = "all"
"""The key of every service together in `responsible_replications`."""


def responsible_replications(weekly: pd.DataFrame, scenario: Scenario) -> dict[str, np.ndarray]:
    """Per service with standards, and for all of them (`ALL_SERVICES`): for each replication,
    whether every week after go-live meets every standard of the service (a week where a metric is
    undefined, with no demand, is not held against it)."""
    replications = np.sort(weekly["replication"].unique())
    after = weekly[weekly["week"] >= 1]
    meets: dict[str, np.ndarray] = {ALL_SERVICES: np.ones(len(replications), dtype=bool)}
    for service, metric, rule, threshold in scenario.standards.rules():
        rows = after[(after["service"] == service) & (after["metric"] == metric)]
        values = rows.pivot(index="replication", columns="week", values="value")
        values = values.reindex(replications).to_numpy(dtype=float)
        met = values >= threshold if rule == "at_least" else values <= threshold
        every_week = (met | np.isnan(values)).all(axis=1)
        meets[service] = meets.get(service, np.ones(len(replications), dtype=bool)) & every_week
        meets[ALL_SERVICES] &= every_week
    return meets
