"""Baseline regression: rerun the baseline scenarios and tell a change that moves the numbers from
one that does not (`golive-sim regress`, rule in docs/regression.md).

Each baseline scenario of `scenarios/baselines.toml` runs at its fixed seed and replication count;
every week's mean of every metric is compared with the stored baseline, allowing
`standard_errors` standard errors of the difference plus a small floor by the metric's unit, and
every verdict status must be unchanged. The same seed gives the same numbers, so an unchanged
model reproduces its baselines exactly ("identical").
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.baselines import Baseline, BaselineSet, RegressionInputError, Tolerance
from sim.experiment import Results

STATUS_METRIC = "status"
"""The `metric` of a baseline row that holds a service's verdict status for the week."""


def baseline_table(results: Results) -> pd.DataFrame:
    """What a baseline stores: per week, service and metric the standard's status, the mean over
    replications and every replication's value (`r0`, `r1`, ...: the pairs that give the standard
    error of a difference under common random numbers); per week and service the verdict status."""
    values = results.weekly.pivot(index=["week", "service", "metric"], columns="replication",
                                  values="value")
    values.columns = [f"r{r}" for r in values.columns]
    table = values.reset_index()
    table.insert(3, "mean", values.mean(axis=1, skipna=True).to_numpy())
    table.insert(3, "status", "")
    statuses = []
    for week in results.verdict.get("weeks", []):
        for service, entry in week["services"].items():
            statuses.append({"week": week["week"], "service": service, "metric": STATUS_METRIC,
                             "status": entry["status"] or ""})
            for standard in entry["standards"]:
                row = ((table.week == week["week"]) & (table.service == service)
                       & (table.metric == standard["metric"]))
                table.loc[row, "status"] = standard["status"] or ""
    table = pd.concat([table, pd.DataFrame(statuses)], ignore_index=True)
    return table.sort_values(["service", "metric", "week"], ignore_index=True)


def replication_columns(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c.startswith("r") and c[1:].isdigit()]


def write_baseline(table: pd.DataFrame, path: Path) -> None:
    """Write a baseline so that reading it back gives the very same floats."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".csv.tmp")
    table.to_csv(temporary, index=False, float_format="%.17g")
    temporary.replace(path)


def read_baseline(path: Path) -> pd.DataFrame:
    """A stored baseline, its floats parsed by Python's `float` so that they are exactly the
    floats written, whatever pandas' own parser does."""
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise RegressionInputError(f"{path}: not a stored baseline ({e})") from None
    expected = ["week", "service", "metric", "status", "mean"]
    numbers = ["mean", *replication_columns(table)]
    if list(table.columns[:5]) != expected or len(numbers) == 1:
        raise RegressionInputError(f"{path}: columns {list(table.columns)}; expected "
                                   f"{', '.join(expected)}, r0, r1, ...")
    try:
        table["week"] = table["week"].map(int)
        for column in numbers:
            table[column] = [float(v) if v else math.nan for v in table[column]]
    except ValueError as e:
        raise RegressionInputError(f"{path}: not a stored baseline ({e})") from None
    return table


@dataclass(frozen=True)
class Difference:
    """One row of a baseline that the rerun did not reproduce exactly."""

    service: str
    metric: str
    week: int
    baseline: Any
    now: Any
    allowed: float
    beyond: float
    """How many times the allowed difference the move is (infinite for a status or a value that
    appeared or vanished); above 1 fails."""

    @property
    def fails(self) -> bool:
        return self.beyond > 1


@dataclass(frozen=True)
class Comparison:
    """A rerun against its stored baseline: every difference, and rows new to the baseline."""

    name: str
    rows: int
    differences: list[Difference]
    new_rows: int

    @property
    def failures(self) -> list[Difference]:
        return [d for d in self.differences if d.fails]

    @property
    def outcome(self) -> str:
        if self.failures:
            return "FAILED"
        return "within tolerance" if self.differences else "identical"


def compare(name: str, stored: pd.DataFrame, now: pd.DataFrame,
            tolerance: Tolerance) -> Comparison:
    """Every row of `stored` against the same week, service and metric of `now`."""
    key = ["week", "service", "metric"]
    joined = stored.merge(now, how="outer", on=key, suffixes=("_b", "_n"), indicator="origin")
    paired = replication_columns(stored) == replication_columns(now)
    columns_b = [f"{c}_b" for c in replication_columns(stored)]
    columns_n = [f"{c}_n" for c in replication_columns(now)]
    differences = []
    for row in joined[joined["origin"] != "right_only"].to_dict("records"):
        differences.extend(_row_differences(
            row, np.array([row[c] for c in columns_b], dtype=float),
            np.array([row[c] for c in columns_n], dtype=float) if row["origin"] == "both"
            else np.array([]), paired, tolerance))
    new_rows = int((joined["origin"] == "right_only").sum())
    differences.sort(key=lambda d: (-d.beyond, d.service, d.metric, d.week))
    return Comparison(name, len(stored), differences, new_rows)


def standard_error_of_difference(before: np.ndarray, after: np.ndarray, paired: bool) -> float:
    """Of mean(after) - mean(before): from the replications' paired differences when both runs
    have the same replications (common random numbers make the pairs alike), else from the two
    runs' own spreads as independent samples; NaN values (undefined weeks) are left out."""
    if paired:
        both = ~np.isnan(before) & ~np.isnan(after)
        d = after[both] - before[both]
        return float(d.std(ddof=1) / math.sqrt(len(d))) if len(d) > 1 else 0.0
    spread = 0.0
    for values in (before[~np.isnan(before)], after[~np.isnan(after)]):
        if len(values) > 1:
            spread += values.var(ddof=1) / len(values)
    return math.sqrt(spread)


def _row_differences(row: dict[str, Any], before: np.ndarray, after: np.ndarray, paired: bool,
                     tolerance: Tolerance) -> list[Difference]:
    place = (row["service"], row["metric"], int(row["week"]))
    if row["origin"] == "left_only":
        return [Difference(*place, row["status_b"] or row["mean_b"], "missing", math.nan,
                           math.inf)]
    found = []
    if row["status_b"] != row["status_n"]:
        found.append(Difference(*place, row["status_b"] or "none", row["status_n"] or "none",
                                math.nan, math.inf))
    mean_b, mean_n = row["mean_b"], row["mean_n"]
    if row["metric"] == STATUS_METRIC or (math.isnan(mean_b) and math.isnan(mean_n)):
        return found
    if math.isnan(mean_b) or math.isnan(mean_n):
        return [*found, Difference(*place, mean_b, mean_n, math.nan, math.inf)]
    if mean_b != mean_n or not np.array_equal(before, after, equal_nan=True):
        allowed = (tolerance.standard_errors
                   * standard_error_of_difference(before, after, paired)
                   + tolerance.floor(row["metric"]))
        beyond = abs(mean_n - mean_b) / allowed if allowed > 0 else math.inf
        found.append(Difference(*place, mean_b, mean_n, allowed, beyond))
    return found


def difference_table(rows: list[tuple[str, Difference]], limit: int | None = None) -> str:
    """The differences as a text table, furthest beyond tolerance first."""
    head = ("scenario", "service.metric", "week", "baseline", "now", "allowed", "x allowed")
    lines = [head]
    for name, d in rows[:limit]:
        lines.append((name, f"{d.service}.{d.metric}", str(d.week), _shown_value(d.baseline),
                      _shown_value(d.now), "-" if math.isnan(d.allowed) else f"±{d.allowed:.4g}",
                      "changed" if math.isinf(d.beyond) else f"{d.beyond:.2f}"))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    text = ["  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                      for i, (c, w) in enumerate(zip(line, widths, strict=True)))
            for line in lines]
    if limit is not None and len(rows) > limit:
        text.append(f"... and {len(rows) - limit} more")
    return "\n".join(text)


def _shown_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    return "undefined" if math.isnan(value) else f"{value:.6g}"


def run_baseline(baselines: BaselineSet, baseline: Baseline, jobs: int | None,
                 run: Callable[..., Results]) -> pd.DataFrame:
    """Rerun one baseline scenario at its seed and replication count; its baseline table."""
    from sim.scenario_file import load_scenario

    scenario = load_scenario(baselines.scenario_path(baseline))
    results = run(scenario, replications=baseline.replications, seed=baseline.seed, jobs=jobs,
                  progress=False)
    return baseline_table(results)
