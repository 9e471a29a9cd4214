"""Benchmark: cost of one trondheim-2022 replication at 0.5x, 1x, 2x and 4x its volume.

The organisation is scaled as a whole (demand and the staff who meet it: calls and phone agents,
cases and handlers, districts of home visits, the headcount switching), so that each size runs at
the same load and the time measures the cost per unit of demand (design section 6: doubling
visits and calls at most doubles the time).

    .venv/bin/python benchmarks/volume_scaling.py [--repeats 2]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

import sim
from sim.replication import simulate
from sim.scenario import vary

ROOT = Path(__file__).resolve().parent.parent
FACTORS = (0.5, 1.0, 2.0, 4.0)


def scaled(scenario: sim.Scenario, factor: float) -> sim.Scenario:
    """The organisation `factor` times as large, at the same load per member of staff."""
    data = scenario.model_dump(mode="python", exclude_none=True)
    changes: dict[str, object] = {
        "organisation.staff_switching": round(scenario.organisation.staff_switching * factor),
    }
    for name in ("phone", "cases"):
        if name in data:
            volumes = "calls_per_day" if name == "phone" else "cases_per_day"
            changes[f"{name}.{volumes}"] = {k: v * factor for k, v in data[name][volumes].items()}
            changes[f"{name}.shifts"] = [{**s, "staff": round(s["staff"] * factor)}
                                         for s in data[name]["shifts"]]
    if "home_visits" in data:
        changes["home_visits.districts"] = round(scenario.home_visits.districts * factor)
        changes["home_visits.visits_per_day"] = {
            k: v * factor for k, v in data["home_visits"]["visits_per_day"].items()}
    return vary(scenario, changes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    base = sim.load_scenario(ROOT / "scenarios" / "trondheim-2022.toml")
    rows = []
    for factor in FACTORS:
        scenario = scaled(base, factor)
        walls = []
        for repeat in range(args.repeats):
            start = time.perf_counter()
            simulate(scenario, np.random.SeedSequence(repeat))
            walls.append(time.perf_counter() - start)
        rows.append({"factor": factor, "best_wall_seconds": min(walls)})
    one = next(r["best_wall_seconds"] for r in rows if r["factor"] == 1.0)
    print(f"{'volume':>6} {'wall s':>7} {'x of 1x':>8}")
    for r in rows:
        r["relative_to_1x"] = r["best_wall_seconds"] / one
        print(f"{r['factor']:>5}x {r['best_wall_seconds']:>7.2f} {r['relative_to_1x']:>8.2f}")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "volume_scaling.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
