"""Sweeps: every combination of a few scenario keys, run under common random numbers.

Every cell of the grid shares the run's seed, so replication i of each cell meets the same demand
and the cells differ by the levers only (design section 4). Each cell is a results folder under
`DIR/cells/` (durable and resumable like any run); the replications of all cells go to the worker
pool at once, so no worker idles while a cell finishes. `DIR/sweep.csv` has a row per cell and
`DIR/sweep.pdf` draws it (`sim.report.sweep_chart`).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.changes import as_json, check_values
from sim.errors import Refused
from sim.executors import Executor
from sim.experiment import (
    Results,
    cpu_count,
    executor_for,
    map_replications,
    run,
    validated,
    whole_number,
)
from sim.progress import progress_bar
from sim.proportion import wilson_interval
from sim.scenario import Scenario, vary
from sim.streams import replication_seeds
from sim.verdict import ALL_SERVICES, responsible_replications
from sim.workload import MAX_JOBS, MAX_REPLICATIONS, check_workload

MAX_CELLS = 1_000
"""Cells in one sweep: a grid of 10 values of three keys; beyond it, sweep fewer values."""

HEADLINE_WEEKS = (1, 4)
"""The weeks whose means sweep.csv gives for each headline metric: the first month."""

CELLS_FOLDER = "cells"
_INDEX = re.compile(r"\[\d+\]")


@dataclass(frozen=True)
class Cell:
    """One combination of the varied values, its scenario and its folder's name."""

    values: dict[str, Any]
    scenario: Scenario
    name: str


def grid(scenario: Scenario, varied: dict[str, list[Any]]) -> list[Cell]:
    """Every combination of the varied values (the first path varies slowest), each a validated
    copy of `scenario`; a ScenarioError names the first bad path or value."""
    if not varied:
        raise Refused("vary: no key to vary; accepted: at least one PATH with its values")
    for path, listed in varied.items():
        check_values("--vary", path, list(listed))
    combinations = list(itertools.product(*varied.values()))
    if len(combinations) > MAX_CELLS:
        raise Refused(f"vary: {len(combinations):,} cells; accepted: at most {MAX_CELLS:,} "
                      "(vary fewer keys or fewer values)")
    cells = []
    for index, combination in enumerate(combinations):
        chosen = dict(zip(varied, combination, strict=True))
        cells.append(Cell(chosen, vary(scenario, chosen), cell_name(index, chosen)))
    return cells


def checked_grid(scenario: Scenario, varied: dict[str, list[Any]], replications: int,
                 allow_large: bool) -> list[Cell]:
    """The grid's cells, refused (TooLarge) before any work when all of them together are more
    than the work estimate's limit, unless `allow_large`."""
    cells = grid(scenario, varied)
    for cell in cells:
        check_workload(cell.scenario, replications * len(cells), allow_large)
    return cells


def cell_name(index: int, values: dict[str, Any]) -> str:
    """A folder name a person can read: `003_surge_agents=4_trained_share=0.8`."""
    parts = [f"{_INDEX.sub('', path).rsplit('.', 1)[-1]}={value}"
             for path, value in values.items()]
    return re.sub(r"[^A-Za-z0-9._=-]", "-", f"{index:03d}_{'_'.join(parts)}")[:120]


def sweep(scenario: Scenario | str | Path, varied: dict[str, list[Any]], replications: int = 20,
          seed: int = 1, jobs: int | None = None, out: str | Path | None = None,
          progress: bool | None = None, force: bool = False, allow_large: bool = False,
          lang: str = "en", executor: str | Executor = "process", scheduler: str | None = None
          ) -> pd.DataFrame:
    """Run every cell of the grid of `varied` ({path: values}) and return sweep.csv's table.

    With `out`, the cells are results folders under `out/cells/`, and `out/sweep.csv` and
    `out/sweep.pdf` are written; a rerun into `out` reuses the replications it finished.
    `executor` and `scheduler` as for `sim.run`: every cell's replications go to it at once.
    """
    base = validated(scenario)
    replications = whole_number("replications", replications, 1, MAX_REPLICATIONS)
    seed = whole_number("seed", seed, 0, None)
    jobs = cpu_count() if jobs is None else whole_number("jobs", jobs, 1, MAX_JOBS)
    cells = checked_grid(base, varied, replications, allow_large)
    if out is None:
        with tempfile.TemporaryDirectory(prefix="golive-sweep-") as folder:
            return _sweep_into(Path(folder), base, cells, replications, seed, jobs, progress,
                               force, lang, (executor, scheduler), draw=False)
    return _sweep_into(Path(out), base, cells, replications, seed, jobs, progress, force, lang,
                       (executor, scheduler), draw=True)


def _sweep_into(out: Path, base: Scenario, cells: list[Cell], replications: int, seed: int,
                jobs: int, progress: bool | None, force: bool, lang: str,
                where: tuple[str | Executor, str | None], draw: bool) -> pd.DataFrame:
    from sim.results_folder import open_folder

    seeds = replication_seeds(seed, replications)
    with ExitStack() as stack:
        targets = [stack.enter_context(open_folder(out / CELLS_FOLDER / cell.name, cell.scenario,
                                                   seed, (), force)) for cell in cells]
        work = {(c, i): (cell.scenario, seeds[i]) for c, (cell, target) in
                enumerate(zip(cells, targets, strict=True))
                for i in range(replications) if target.store.load(i) is None}
        reused = [replications - sum(1 for c, _ in work if c == k) for k in range(len(cells))]
        pool = executor_for(where[0], max(min(jobs, len(work)), 1), where[1])
        with progress_bar(len(cells) * replications, f"sweep {base.name}", "rep",
                          len(cells) * replications - len(work), progress) as bar:
            for (c, i), outcome in map_replications(work, pool):
                targets[c].store.save(i, outcome)
                bar.update(1)
        rows = []
        for cell, target, kept in zip(cells, targets, reused, strict=True):
            results = run(cell.scenario, replications=replications, seed=seed, jobs=1,
                          progress=False, store=target.store)
            manifest = {**results.manifest, "reused_replications": kept, "jobs": pool.workers,
                        "executor": pool.name,
                        "set": as_json(cell.values)}
            results = dataclasses.replace(results, manifest=manifest)
            target.write(results)
            rows.append({**cell.values, "cell": f"{CELLS_FOLDER}/{cell.name}",
                         **cell_summary(results)})
    table = pd.DataFrame(rows)
    if draw:
        from sim.report.sweep_chart import write_sweep_pdf

        table.to_csv(out / "sweep.csv", index=False)
        write_sweep_pdf(table, list(cells[0].values), base, out / "sweep.pdf", lang)
    return table


def cell_summary(results: Results) -> dict[str, Any]:
    """One row of sweep.csv, without the varied values: per service with standards and for all
    (`all.`): the share of replications in which every week after go-live meets every standard
    with its 95 % Wilson interval, the weakest week's meets_share and that week; each week's
    status; and the mean of each headline metric over weeks 1-4."""
    from sim.cli import TABLE_METRICS

    row: dict[str, Any] = {}
    for service, meets in responsible_replications(results.weekly, results.scenario).items():
        low, high = wilson_interval(int(meets.sum()), len(meets))
        row[f"{service}.responsible_share"] = float(meets.mean())
        row[f"{service}.responsible_low"], row[f"{service}.responsible_high"] = low, high
        weakest = _weakest_week(results.verdict, service)
        row[f"{service}.weakest_meets_share"] = weakest[0]
        row[f"{service}.weakest_week"] = weakest[1]
    for week in results.verdict["weeks"]:
        if week["week"] >= 1:
            row[f"week_{week['week']}.status"] = week["status"]
    first, last = HEADLINE_WEEKS
    summary = results.summary[(results.summary["week"] >= first)
                              & (results.summary["week"] <= last)]
    for service, metrics in TABLE_METRICS.items():
        for metric in metrics:
            means = summary[(summary["service"] == service) & (summary["metric"] == metric)]
            if len(means):
                row[f"{service}.{metric}.weeks_{first}_{last}"] = float(means["mean"].mean())
    return row


def _weakest_week(verdict: dict[str, Any], service: str) -> tuple[float, int | None]:
    """The least meets_share of the service's standards (all services' for `all`) over the weeks
    after go-live, and its first week; (nan, None) when nothing was judged."""
    judged = [(s["meets_share"], week["week"]) for week in verdict["weeks"] if week["week"] >= 1
              for name, entry in week["services"].items()
              if service in (ALL_SERVICES, name)
              for s in entry["standards"] if s["meets_share"] is not None]
    if not judged:
        return float(np.nan), None
    share, week = min(judged)
    return float(share), int(week)
