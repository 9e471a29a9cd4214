"""What each uncertain assumption does to the verdict: the direction of its effect on the service
it moves most, and the weeks whose verdict it can flip, for the page "What the answer depends on".

Two sources, the better first: the low/high runs of `golive-sim sensitivity` (each key at its low
and high value, the others central, common random numbers: a week can flip when the verdicts at
the two ends differ), or else the forecast's own drawn values (rank regression of each week's
standard metrics on them: a week can flip when the key's coefficient there is significant and the
standard is met in some futures but not in all). The second replaces a split of the futures at the
median of each key, which at 30 futures flipped weeks by chance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.scenario import Standards
from sim.verdict import status, worst

SIGNIFICANCE = 0.01
"""A rank regression coefficient counts as an effect when its p-value is below this: strict,
since a page tests every key in every week and standard."""


@dataclass(frozen=True)
class Effect:
    """One assumption's effect: on which service's standard metric it acts most and whether a
    higher value raises (+1) or lowers (-1) that metric (None: no clear effect), and the weeks
    it can flip with their services."""

    path: str
    service: str | None
    metric: str | None
    sign: int
    rule: str | None
    flips: dict[int, list[str]]


def _direction(rows: pd.DataFrame, size: str, change: str) -> tuple[str | None, str | None, int]:
    """The (service, metric) where `size` summed over weeks is largest, and the sign of `change`
    summed there; (None, None, 0) when nothing moves."""
    if rows.empty:
        return None, None, 0
    sums = rows.groupby(["service", "metric"])[[size, change]].sum()
    service, metric = sums[size].idxmax()
    if not sums.loc[(service, metric), size] > 0:
        return None, None, 0
    return str(service), str(metric), int(np.sign(sums.loc[(service, metric), change]))


def _rules(verdict: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {(s["service"], s["metric"]): s["rule"] for s in verdict.get("standards", [])}


def effects_from_sensitivity(table: pd.DataFrame, verdict: dict[str, Any],
                             standards: Standards) -> list[Effect]:
    """Each key's effect from sensitivity.csv, the key that moves the verdict most first."""
    from sim.sensitivity import key_ranking

    rules = _rules(verdict)
    effects = []
    for path in key_ranking(table).index:
        rows = table[table["path"] == path]
        scale = rows["mean_central"].abs().where(rows["mean_central"].abs() > 0, 1.0)
        scored = rows.assign(size=rows["meets_share_change"].abs()
                             + (rows["mean_change"] / scale).abs())
        service, metric, sign = _direction(scored, "size", "mean_change")
        flips: dict[int, list[str]] = {}
        for (week, name), group in rows.groupby(["week", "service"]):
            ends = [worst([status(share, standards) for share in group[f"meets_share_{side}"]])
                    for side in ("low", "high")]
            if ends[0] != ends[1]:
                flips.setdefault(int(week), []).append(str(name))
        effects.append(Effect(str(path), service, metric, sign,
                              rules.get((service, metric)) if service and metric else None,
                              flips))
    return effects


def effects_from_regression(regression: pd.DataFrame, verdict: dict[str, Any]) -> list[Effect]:
    """Each key's effect from the rank regression of a run that drew the keys (with p-values),
    the key with the largest mean absolute coefficient first."""
    rules = _rules(verdict)
    unsettled = {(w["week"], service, s["metric"])
                 for w in verdict.get("weeks", []) if w["week"] >= 1
                 for service, entry in w["services"].items() for s in entry["standards"]
                 if s["meets_share"] is not None and 0 < s["meets_share"] < 1}
    table = regression.assign(size=regression["coefficient"].abs().fillna(0.0),
                              significant=regression["p_value"] < SIGNIFICANCE)
    strength = table.groupby("path", sort=False)["size"].mean()
    effects = []
    for path in strength.sort_values(ascending=False, kind="stable").index:
        rows = table[table["path"] == path]
        service, metric, sign = _direction(rows[rows["significant"]], "size", "coefficient")
        flips: dict[int, list[str]] = {}
        for row in rows[rows["significant"]].itertuples():
            week, name = int(row.week), str(row.service)
            if (week, name, row.metric) in unsettled and name not in flips.get(week, []):
                flips.setdefault(week, []).append(name)
        effects.append(Effect(str(path), service, metric, sign,
                              rules.get((service, metric)) if service and metric else None,
                              dict(sorted(flips.items()))))
    return effects
