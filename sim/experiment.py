"""Experiments: many independent replications of a scenario, on any executor (sim/executors.py).

Each replication gets its own child seed (`SeedSequence.spawn`), so the numbers depend on the seed
and the replication's index only: the same seed gives the same tables whatever the executor and
its number of workers.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.calendar import SimCalendar
from sim.errors import Refused
from sim.executors import Executor, make_executor
from sim.influence import with_assumption_shares
from sim.labels import unit
from sim.progress import progress_bar
from sim.replication import ReplicationResult, simulate
from sim.replication_store import ReplicationStore
from sim.scenario import Scenario
from sim.scenario_file import load_scenario, scenario_from_dict
from sim.streams import replication_seeds
from sim.uncertainty import no_parameters, parameters_table, simulate_drawn
from sim.verdict import Verdict, compute_verdict, with_standards
from sim.workload import MAX_JOBS, MAX_REPLICATIONS, check_workload

CONFIDENCE_LEVEL = 0.95
"""Level of the t-based confidence interval of every mean in summary.csv."""


@dataclass(frozen=True)
class Results:
    """Tidy tables of a finished experiment (the results-folder contract, design section 5)."""

    scenario: Scenario
    daily: pd.DataFrame
    weekly: pd.DataFrame
    summary: pd.DataFrame
    verdict: Verdict = field(default_factory=dict)
    manifest: dict = field(default_factory=dict)
    parameters: pd.DataFrame = field(default_factory=no_parameters)
    """Every replication's drawn value of each uncertain key (parameters.csv), when the scenario
    has an `[uncertainty]` table; empty otherwise."""
    source: str = ""
    """The scenario file's own text, comments (the sources of its numbers) included, when the
    run started from a file (`sim.results_folder.with_source`)."""


def run(scenario: Scenario | str | Path, replications: int = 20, seed: int | None = 1,
        jobs: int | None = None, progress: bool | None = None,
        store: ReplicationStore | None = None, allow_large: bool = False,
        executor: str | Executor = "process", scheduler: str | None = None) -> Results:
    """Run `replications` replications of `scenario` (a Scenario or a scenario file) and
    summarise them.

    `seed` None draws fresh entropy and records it in the manifest as the seed, so the run can be
    repeated. `jobs` worker processes (None: all cores, at most one per replication); `progress`
    shows a bar on stderr (default: when stderr is a terminal). With a `store`, replications
    already stored are reused and each new one is stored as soon as it finishes. A run larger
    than `sim.workload.LIMIT_ENTITIES` is refused unless `allow_large`. `executor` is `process`
    (a local pool of `jobs` processes, or this process when one) or `dask` (the Dask scheduler at
    `scheduler`, or a LocalCluster of `jobs` workers when None), or an executor already made
    (`sim.executors.make_executor`; `jobs` is then its own).
    """
    scenario = validated(scenario)
    replications = whole_number("replications", replications, 1, MAX_REPLICATIONS)
    jobs = cpu_count() if jobs is None else whole_number("jobs", jobs, 1, MAX_JOBS)
    seed_drawn = seed is None
    seed = whole_number("seed", np.random.SeedSequence().entropy if seed is None else seed, 0,
                        None)
    check_workload(scenario, replications, allow_large)
    started = dt.datetime.now(dt.UTC)
    seeds = replication_seeds(seed, replications)
    outcomes: dict[int, ReplicationResult] = {}
    if store is not None:
        outcomes = {i: r for i in range(replications) if (r := store.load(i)) is not None}
    missing = [i for i in range(replications) if i not in outcomes]
    pool = executor_for(executor, max(min(jobs, len(missing)), 1), scheduler)
    tasks = {i: (scenario, seeds[i]) for i in missing}
    with progress_bar(replications, scenario.name, "rep", len(outcomes), progress) as bar:
        for index, outcome in pool.map(replicate, tasks):
            if store is not None:
                store.save(index, outcome)
            outcomes[index] = outcome
            bar.update(1)
    manifest = {
        "scenario": scenario.name,
        "seed": seed,
        "seed_drawn": seed_drawn,
        "replications": replications,
        "reused_replications": replications - len(missing),
        "jobs": pool.workers,
        "executor": pool.name,
        "version": code_version(),
        "git_commit": git_commit(),
        "started": started.isoformat(timespec="seconds"),
    }
    return summarised(scenario, [outcomes[i] for i in range(replications)], seeds, manifest)


def run_many(scenarios: list[Scenario], replications: int, seed: int, jobs: int | None = None,
             progress: bool | None = None, executor: str | Executor = "process",
             scheduler: str | None = None) -> list[Results]:
    """`run` of each of `scenarios` with the same seed (common random numbers), the replications
    of all of them submitted at once so that no worker idles while one scenario finishes."""
    scenarios = [validated(scenario) for scenario in scenarios]
    replications = whole_number("replications", replications, 1, MAX_REPLICATIONS)
    seed = whole_number("seed", seed, 0, None)
    jobs = cpu_count() if jobs is None else whole_number("jobs", jobs, 1, MAX_JOBS)
    started = dt.datetime.now(dt.UTC)
    seeds = replication_seeds(seed, replications)
    work = {(s, i): (scenario, seeds[i]) for s, scenario in enumerate(scenarios)
            for i in range(replications)}
    pool = executor_for(executor, min(jobs, len(work)), scheduler)
    outcomes: dict[tuple[int, int], ReplicationResult] = {}
    with progress_bar(len(work), f"{len(scenarios)} scenarios", "rep", 0, progress) as bar:
        for key, outcome in pool.map(replicate, work):
            outcomes[key] = outcome
            bar.update(1)
    manifest = {"seed": seed, "seed_drawn": False, "replications": replications,
                "reused_replications": 0, "jobs": pool.workers, "executor": pool.name,
                "version": code_version(), "git_commit": git_commit(),
                "started": started.isoformat(timespec="seconds")}
    return [summarised(scenario, [outcomes[(s, i)] for i in range(replications)], seeds,
                       {"scenario": scenario.name, **manifest})
            for s, scenario in enumerate(scenarios)]


def summarised(scenario: Scenario, ordered: list[ReplicationResult],
               seeds: list[np.random.SeedSequence], manifest: dict[str, Any]) -> Results:
    """The tables, verdict and manifest (finished now) of a scenario's replications in order."""
    calendar = SimCalendar(scenario.calendar)
    daily = _tidy(ordered, "daily", "day", calendar.day_labels())
    weekly = _tidy(ordered, "weekly", "week", calendar.week_labels())
    manifest = {**manifest, "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    parameters = parameters_table(scenario, seeds)
    verdict = with_assumption_shares(compute_verdict(weekly, scenario), weekly, parameters)
    summary = with_standards(summarise(weekly), verdict)
    return Results(scenario, daily, weekly, summary, verdict, manifest, parameters=parameters)


def executor_for(executor: str | Executor, workers: int, scheduler: str | None) -> Executor:
    """The executor named by `executor` with `workers` workers, or `executor` itself when one
    was made already (kept open by its caller across several runs)."""
    if isinstance(executor, str):
        return make_executor(executor, workers, scheduler)
    return executor


def validated(scenario: object) -> Scenario:
    """`scenario` checked again against the schema (a copy made with `model_copy(update=...)`
    skips validation), or the scenario in a file; ScenarioError names the key otherwise."""
    if isinstance(scenario, str | Path):
        return load_scenario(scenario)
    if not isinstance(scenario, Scenario):
        raise TypeError(f"run() takes a Scenario or the path of a scenario file, "
                        f"not {type(scenario).__name__}")
    return scenario_from_dict(scenario.model_dump(mode="python", exclude_none=True),
                              source=f"scenario {scenario.name!r}")


def whole_number(name: str, value: object, low: int, high: int | None) -> int:
    """`value` if it is a whole number from `low` to `high`, else a ValueError that says so."""
    accepted = f"a whole number of at least {low}" + (f" and at most {high:,}" if high else "")
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise Refused(f"{name}: found {value!r}; accepted: {accepted}")
    if value < low or (high is not None and value > high):
        raise Refused(f"{name}: found {value}; accepted: {accepted}")
    return int(value)


def cpu_count() -> int:
    """Worker processes when the user does not say: one per core."""
    return os.cpu_count() or 1


def code_version() -> str:
    """The installed package's version."""
    try:
        return metadata.version("golive-sim")
    except metadata.PackageNotFoundError:
        return "unknown"


def git_commit() -> str | None:
    """The commit of the code that ran, when it runs from a git checkout."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True,
            cwd=Path(__file__).parent, timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def map_replications(work: dict[Any, tuple[Scenario, np.random.SeedSequence]], pool: Executor
                     ) -> Iterator[tuple[Any, ReplicationResult]]:
    """(key, result) of each replication of `work` ({key: (scenario, seed)}, several scenarios
    at once: a sweep's cells) as it finishes, all on one executor, so no worker idles while one
    scenario's last replications finish."""
    yield from pool.map(replicate, work)


def replicate(scenario: Scenario, seed: np.random.SeedSequence) -> ReplicationResult:
    """One replication, at the values it draws for the scenario's uncertain keys if it has any
    (the task every executor runs, for `run` and for a sweep's cells alike)."""
    return simulate_drawn(scenario, seed) if scenario.uncertainty else simulate(scenario, seed)


def _tidy(outcomes: Iterable[ReplicationResult], attribute: str, period: str,
          labels: list[int]) -> pd.DataFrame:
    """Long table `replication, <period>, service, metric, value`, in a stable order: by
    replication, then service and metric as the model lists them, then period. Built as whole
    columns (one small frame per metric and replication took seconds and tens of MB for a few
    hundred replications)."""
    blocks = [(replication, service, metric, values)
              for replication, outcome in enumerate(outcomes)
              for service, metrics in getattr(outcome, attribute).items()
              for metric, values in metrics.items()]
    n = len(labels)
    if any(len(values) != n for *_, values in blocks):
        raise ValueError(f"every {attribute} metric has one value per {period}")
    return pd.DataFrame({
        "replication": np.repeat(np.array([b[0] for b in blocks], dtype=np.int64), n),
        period: np.tile(np.asarray(labels, dtype=np.int64), len(blocks)),
        "service": np.repeat(np.array([b[1] for b in blocks], dtype=object), n),
        "metric": np.repeat(np.array([b[2] for b in blocks], dtype=object), n),
        "value": np.concatenate([np.asarray(b[3], dtype=float) for b in blocks]),
    })


def summarise(weekly: pd.DataFrame) -> pd.DataFrame:
    """Per week, service and metric: mean with a t-based 95 % interval, and percentiles.

    Replications where a metric is undefined (NaN: no demand that week) are left out of it. The
    interval of a share is clipped to [0, 1] (a share cannot leave it, a t interval can).
    """
    rows = []
    for (week, service, metric), group in weekly.groupby(["week", "service", "metric"], sort=True):
        values = group["value"].dropna().to_numpy()
        n = len(values)
        mean = values.mean() if n else np.nan
        if n > 1:
            half = stats.t.ppf(0.5 + CONFIDENCE_LEVEL / 2, n - 1) * values.std(ddof=1) / np.sqrt(n)
        else:
            half = np.nan
        p05, p50, p95 = np.percentile(values, [5, 50, 95]) if n else (np.nan,) * 3
        low, high = mean - half, mean + half
        if unit(metric) == "share":
            low, high = max(low, 0.0), min(high, 1.0)
        rows.append({"week": week, "service": service, "metric": metric, "mean": mean,
                     "ci_low": low, "ci_high": high,
                     "p05": p05, "p50": p50, "p95": p95, "standard": "", "meets_share": np.nan})
    return pd.DataFrame(rows)
