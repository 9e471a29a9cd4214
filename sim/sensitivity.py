"""Which uncertain assumptions matter: each key at its low and its high plausible value, the others
at their central values, all run with the same seed (common random numbers), so a difference
between two runs is the key's effect and not the luck of the draw (`golive-sim sensitivity`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.errors import Refused
from sim.executors import Executor
from sim.experiment import Results, run_many
from sim.influence import rank_regression
from sim.scenario import Scenario
from sim.scenario_file import scenario_from_dict
from sim.uncertainty import key_bounds, with_values

SIDES = ("central", "low", "high")
SENSITIVITY_COLUMNS = ["path", "low", "high", "central", "week", "service", "metric", "standard",
                       "mean_central", "mean_low", "mean_high", "mean_change",
                       "meets_share_central", "meets_share_low", "meets_share_high",
                       "meets_share_change"]
"""sensitivity.csv: per key, week from go-live, service and standard."""


@dataclass(frozen=True)
class Sensitivity:
    """What `golive-sim sensitivity` finds: the low/high table and the rank regression."""

    table: pd.DataFrame
    rank_regression: pd.DataFrame
    scenario: Scenario
    replications: int


def without_uncertainty(scenario: Scenario) -> Scenario:
    """The scenario with its keys at their written values and no `[uncertainty]` table."""
    data = scenario.model_dump(mode="python", exclude_none=True)
    data.pop("uncertainty", None)
    return scenario_from_dict(data, source=f"scenario {scenario.name!r}")


def key_values(scenario: Scenario) -> dict[str, dict[str, float | int]]:
    """Each uncertain key's central, low and high value, in the key's own type."""
    from sim.paths import get_path
    from sim.uncertainty import as_key_value

    data = scenario.model_dump(mode="python", exclude_none=True)
    values = {}
    for path, plausible in (scenario.uncertainty or {}).items():
        bounds = key_bounds(scenario, path)
        current = get_path(data, path)
        low, high = plausible.ends(bounds)
        values[path] = {"central": as_key_value(plausible.central(bounds), current),
                        "low": as_key_value(low, current), "high": as_key_value(high, current)}
    return values


def sensitivity(scenario: Scenario, replications: int, seed: int, jobs: int | None = None,
                progress: bool | None = False, executor: str | Executor = "process",
                scheduler: str | None = None) -> Sensitivity:
    """Run the central scenario, each key at its low and its high value, and the scenario with
    its uncertainty drawn, every run's replications submitted at once (`sim.experiment.run_many`;
    `executor` and `scheduler` as for `sim.run`)."""
    values = key_values(scenario)
    plain = without_uncertainty(scenario)
    central = {path: v["central"] for path, v in values.items()}
    sides: list[dict[str, float | int]] = [{}] + [{path: v[side]} for path, v in values.items()
                                                  for side in ("low", "high")]
    *runs, drawn = run_many([with_values(plain, {**central, **changes}) for changes in sides]
                            + [scenario], replications, seed, jobs, progress, executor,
                            scheduler)
    middle, *ends = [standard_rows(results) for results in runs]
    frames = []
    for (path, v), low, high in zip(values.items(), ends[::2], ends[1::2], strict=True):
        table = middle.merge(low, on=["week", "service", "metric", "standard"],
                             suffixes=("_central", "")).merge(
            high, on=["week", "service", "metric", "standard"], suffixes=("_low", "_high"))
        table.insert(0, "central", v["central"])
        table.insert(0, "high", v["high"])
        table.insert(0, "low", v["low"])
        table.insert(0, "path", path)
        frames.append(table)
    table = pd.concat(frames, ignore_index=True)
    table["mean_change"] = table["mean_high"] - table["mean_low"]
    table["meets_share_change"] = table["meets_share_high"] - table["meets_share_low"]
    return Sensitivity(table[SENSITIVITY_COLUMNS],
                       rank_regression(drawn.weekly, drawn.parameters, standard_metrics(drawn)),
                       scenario, replications)


def read_sensitivity(folder: Path, scenario: Scenario) -> pd.DataFrame:
    """sensitivity.csv of a `golive-sim sensitivity` folder, refused (naming the folder) when it
    is missing, unreadable or made for other uncertain keys than `scenario`'s."""
    path = Path(folder) / "sensitivity.csv"
    if not scenario.uncertainty:
        raise Refused(f"--sensitivity {folder}: the scenario has no [uncertainty] table, so "
                      "there is nothing for it to explain")
    try:
        table = pd.read_csv(path)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        raise Refused(f"--sensitivity {folder}: cannot read {path.name} ({e}); give a folder "
                      "written by golive-sim sensitivity") from None
    missing = [c for c in SENSITIVITY_COLUMNS if c not in table.columns]
    if missing:
        raise Refused(f"--sensitivity {folder}: {path.name} lacks the columns "
                      f"{', '.join(missing)}; give a folder written by golive-sim sensitivity")
    if set(table["path"]) != set(scenario.uncertainty):
        raise Refused(f"--sensitivity {folder}: {path.name} varies "
                      f"{', '.join(sorted(map(str, set(table['path']))))}, the scenario's "
                      f"[uncertainty] table {', '.join(sorted(scenario.uncertainty))}; run "
                      "golive-sim sensitivity on this scenario")
    return table


def standard_metrics(results: Results) -> dict[str, list[str]]:
    """Each service's metrics that have a standard: its headline metrics."""
    metrics: dict[str, list[str]] = {}
    for s in results.verdict.get("standards", []):
        metrics.setdefault(s["service"], []).append(s["metric"])
    return metrics


def standard_rows(results: Results) -> pd.DataFrame:
    """Per week from go-live, service and standard: the metric's mean and meets_share."""
    summary = results.summary
    rows = summary[(summary["week"] >= 1) & (summary["standard"].fillna("") != "")]
    return rows[["week", "service", "metric", "standard", "mean", "meets_share"]].reset_index(
        drop=True)


def key_ranking(table: pd.DataFrame, service: str | None = None) -> pd.DataFrame:
    """Keys from the one that moves the verdict most: by the summed change in meets_share over
    the weeks and standards (of `service`, or all), then by the summed change in the metrics'
    means relative to their central values (so a key that moves no verdict is still ranked by
    how far it moves the numbers)."""
    rows = table if service is None else table[table["service"] == service]
    scale = rows["mean_central"].abs().where(rows["mean_central"].abs() > 0, 1.0)
    scored = rows.assign(verdict_swing=rows["meets_share_change"].abs(),
                         number_swing=(rows["mean_change"] / scale).abs())
    ranking = scored.groupby("path", sort=False)[["verdict_swing", "number_swing"]].sum()
    return ranking.sort_values(["verdict_swing", "number_swing"], ascending=False)


def service_outcomes(table: pd.DataFrame, service: str) -> pd.DataFrame:
    """Per key: the service's weakest standard's meets_share averaged over the weeks, at the
    central, low and high value (the tornado chart's bars)."""
    rows = table[table["service"] == service]
    weakest = rows.groupby(["path", "week"], sort=False)[
        ["meets_share_central", "meets_share_low", "meets_share_high"]].min()
    outcome = weakest.groupby("path", sort=False).mean()
    order = key_ranking(table, service).index
    return outcome.loc[[p for p in order if p in outcome.index]]
