"""Experiments: many independent replications of a scenario, in-process or on a process pool.

Each replication gets its own child seed (`SeedSequence.spawn`), so the numbers depend on the seed
and the replication's index only: the same seed gives the same tables whatever the number of jobs.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats
from tqdm import tqdm

from sim.calendar import SimCalendar
from sim.labels import unit
from sim.replication import ReplicationResult, simulate
from sim.scenario import Scenario
from sim.streams import replication_seeds
from sim.verdict import Verdict, compute_verdict, with_standards

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
    source: str = ""
    """The scenario file's own text, comments (the sources of its numbers) included, when the
    run started from a file (`sim.results_folder.with_source`)."""


def run(scenario: Scenario, replications: int = 20, seed: int = 1, jobs: int | None = None,
        progress: bool | None = None) -> Results:
    """Run `replications` replications of `scenario` and summarise them.

    `jobs` worker processes (default: all cores, at most one per replication); `progress` shows a
    bar on stderr (default: when stderr is a terminal).
    """
    if replications < 1:
        raise ValueError("replications must be at least 1")
    jobs = min(jobs or os.cpu_count() or 1, replications)
    started = dt.datetime.now(dt.UTC)
    seeds = replication_seeds(seed, replications)
    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(total=replications, desc=scenario.name, unit="rep", disable=not show,
              file=sys.stderr) as bar:
        outcomes = list(_map(simulate, scenario, seeds, jobs, on_done=bar.update))
    calendar = SimCalendar(scenario.calendar)
    daily = _tidy(outcomes, "daily", "day", calendar.day_labels())
    weekly = _tidy(outcomes, "weekly", "week", calendar.week_labels())
    manifest = {
        "scenario": scenario.name,
        "seed": seed,
        "replications": replications,
        "jobs": jobs,
        "executor": "in-process" if jobs == 1 else "process-pool",
        "version": _version(),
        "git_commit": _git_commit(),
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    verdict = compute_verdict(weekly, scenario)
    summary = with_standards(summarise(weekly), verdict)
    return Results(scenario, daily, weekly, summary, verdict, manifest)


def _version() -> str:
    try:
        return metadata.version("golive-sim")
    except metadata.PackageNotFoundError:
        return "unknown"


def _git_commit() -> str | None:
    """The commit of the code that ran, when it runs from a git checkout."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True,
            cwd=Path(__file__).parent, timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _map(task: Callable[[Scenario, np.random.SeedSequence], ReplicationResult],
         scenario: Scenario, seeds: list[np.random.SeedSequence], jobs: int,
         on_done: Callable[[int], object]) -> Iterator[ReplicationResult]:
    """Replication results in replication order, computed in this process or in a pool."""
    if jobs == 1:
        for s in seeds:
            yield task(scenario, s)
            on_done(1)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for outcome in pool.map(task, [scenario] * len(seeds), seeds):
            yield outcome
            on_done(1)


def _tidy(outcomes: Iterable[ReplicationResult], attribute: str, period: str,
          labels: list[int]) -> pd.DataFrame:
    """Long table `replication, <period>, service, metric, value`, in a stable order."""
    frames = []
    for replication, outcome in enumerate(outcomes):
        for service, metrics in getattr(outcome, attribute).items():
            for metric, values in metrics.items():
                frames.append(pd.DataFrame({
                    "replication": replication, period: labels, "service": service,
                    "metric": metric, "value": values,
                }))
    return pd.concat(frames, ignore_index=True)


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
