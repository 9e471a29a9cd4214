"""Benchmark: sweep throughput in cells a minute, and the optimiser's replications against a scan.

(1) A 2 x 2 sweep of scenarios/small/fjordvik-phone.toml (desk surge agents 0/2 by phone agents
6/8, four weeks after go-live) at 30 replications a cell, with 1 and 2 workers, in process (a
process pool for 2) and on a Dask LocalCluster (its start-up included), measured side by side:
the configurations take turns, twice over (A B C D D C B A), so a change in the machine's load
falls on all of them; the better of the two runs of each is reported. Every cell's replications
go to the executor at once, so two workers should near halve the time.
(2) The optimiser's least number of agents of the M/M/c line of tests/test_optimise.py (3 Erlangs,
70 % within a minute; Erlang C: 5) searched from 4 to 14 at target 0.9, against a scan that
decides every value of the range by the same sequential rule (all values submitted at once).

    .venv/bin/python benchmarks/sweep_throughput.py
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

import sim
from sim.executors import make_executor
from sim.optimiser import Evaluator, Lever, optimise
from sim.scenario import vary

ROOT = Path(__file__).resolve().parent.parent
REPLICATIONS = 30
GRID = {"support_desk.surge_agents": [0, 2], "phone.shifts[0].staff": [6, 8]}
AGENTS = "phone.shifts[0].staff"
CONFIGURATIONS = {"in process, 1 worker": ("process", 1), "process pool, 2 workers": ("process", 2),
                  "LocalCluster, 1 worker": ("dask", 1), "LocalCluster, 2 workers": ("dask", 2)}
ROUNDS = 2


def sweep_rate(executor: str, jobs: int) -> float:
    """Cells a minute of the 2 x 2 sweep on `executor` with `jobs` workers."""
    scenario = sim.load_scenario(ROOT / "scenarios" / "small" / "fjordvik-phone.toml")
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        table = sim.sweep(scenario, GRID, replications=REPLICATIONS, jobs=jobs, out=out,
                          executor=executor, progress=False)
        wall = time.perf_counter() - start
    return len(table) / wall * 60


def sweep_rates() -> dict[str, float]:
    """The best of ROUNDS runs of each configuration, the configurations taking turns."""
    order = list(CONFIGURATIONS)
    runs: dict[str, list[float]] = {name: [] for name in order}
    for round_ in range(ROUNDS):
        for name in order if round_ % 2 == 0 else reversed(order):
            runs[name].append(sweep_rate(*CONFIGURATIONS[name]))
    return {f"cells_per_minute, {name}": round(max(rates), 1) for name, rates in runs.items()}


def optimiser_against_scan() -> dict[str, object]:
    """Replications (and wall time) the search used, and those of a scan by the same rule."""
    per_day = 0.5 * 1440
    scenario = vary(sim.load_scenario(ROOT / "scenarios" / "validation" / "erlang-c.toml"), {
        "phone.calls_per_day": {"weekdays": per_day, "saturday": per_day, "sunday": per_day},
        "phone.talk_time_minutes": {"dist": "exponential", "mean": 6.0},
        "phone.service_level_seconds": 60, "standards.phone.min_service_level": 0.7})
    lever = Lever(AGENTS, 4, 14)
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        answer = optimise(scenario, [lever], jobs=2, out=out, report=lambda line: None)
        search_seconds = time.perf_counter() - start
        start = time.perf_counter()
        with make_executor("process", 2) as pool:
            scan = Evaluator(scenario, answer["target"], 1, pool, Path(out) / "scan")
            used = sum(e.replications for e in scan.many([{AGENTS: v} for v in lever.values()]))
        scan_seconds = time.perf_counter() - start
    return {"least_value": answer["least_value"], "search_replications":
            answer["replications_used"], "values_searched": len(answer["evaluated"]),
            "search_seconds": round(search_seconds, 1), "scan_replications": used,
            "values_scanned": len(lever.values()), "scan_seconds": round(scan_seconds, 1)}


def main() -> None:
    rows: dict[str, object] = {"load_average_before": os.getloadavg()[0]}
    rows |= sweep_rates()
    rows |= optimiser_against_scan()
    rows["load_average_after"] = os.getloadavg()[0]
    print(json.dumps(rows, indent=2))
    out = ROOT / "benchmarks" / "results" / "sweep_throughput.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
