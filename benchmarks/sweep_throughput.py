"""Benchmark: sweep throughput in cells a minute, and the optimiser's replications against a scan.

(1) A 2 x 2 sweep of scenarios/small/fjordvik-phone.toml (desk surge agents 0/2 by phone agents
6/8, four weeks after go-live) at 30 replications a cell, with 1 and 2 workers: every cell's
replications go to one pool, so two workers should near halve the time.
(2) The optimiser's least number of agents of the M/M/c line of tests/test_optimise.py (3 Erlangs,
70 % within a minute; Erlang C: 5) searched from 4 to 14 at target 0.9, against a scan that
decides every value of the range by the same sequential rule.

    .venv/bin/python benchmarks/sweep_throughput.py
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import sim
from sim.optimiser import Evaluator, Lever, optimise
from sim.scenario import vary

ROOT = Path(__file__).resolve().parent.parent
REPLICATIONS = 30
GRID = {"support_desk.surge_agents": [0, 2], "phone.shifts[0].staff": [6, 8]}
AGENTS = "phone.shifts[0].staff"


def sweep_rate(jobs: int) -> float:
    """Cells a minute of the 2 x 2 sweep with `jobs` workers."""
    scenario = sim.load_scenario(ROOT / "scenarios" / "small" / "fjordvik-phone.toml")
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        table = sim.sweep(scenario, GRID, replications=REPLICATIONS, jobs=jobs, out=out)
        wall = time.perf_counter() - start
    return len(table) / wall * 60


def optimiser_against_scan() -> dict[str, int]:
    """Replications the search used, and those a scan of every value by the same rule uses."""
    per_day = 0.5 * 1440
    scenario = vary(sim.load_scenario(ROOT / "scenarios" / "validation" / "erlang-c.toml"), {
        "phone.calls_per_day": {"weekdays": per_day, "saturday": per_day, "sunday": per_day},
        "phone.talk_time_minutes": {"dist": "exponential", "mean": 6.0},
        "phone.service_level_seconds": 60, "standards.phone.min_service_level": 0.7})
    lever = Lever(AGENTS, 4, 14)
    with tempfile.TemporaryDirectory() as out:
        answer = optimise(scenario, [lever], jobs=2, out=out, report=lambda line: None)
        scan = Evaluator(scenario, answer["target"], 1, 2, Path(out) / "scan")
        used = sum(scan({AGENTS: value}).replications for value in lever.values())
    return {"least_value": answer["least_value"], "search_replications":
            answer["replications_used"], "values_searched": len(answer["evaluated"]),
            "scan_replications": used, "values_scanned": len(lever.values())}


def main() -> None:
    rows = {f"cells_per_minute_{jobs}_workers": round(sweep_rate(jobs), 1) for jobs in (1, 2)}
    rows |= optimiser_against_scan()
    print(json.dumps(rows, indent=2))
    out = ROOT / "benchmarks" / "results" / "sweep_throughput.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
