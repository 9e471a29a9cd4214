"""Benchmark (a): one replication of trondheim-2022 on one core, wall time and peak memory.

Run in a fresh process so that the peak resident memory (ru_maxrss) is this replication's,
including the interpreter and the imported libraries. Best of N for time; the design's target is
at most 3 s and 500 MB (design section 6).

    .venv/bin/python benchmarks/trondheim_replication.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import numpy as np

import sim
from sim.replication import simulate

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "trondheim-2022.toml"))
    args = parser.parse_args()
    scenario = sim.load_scenario(args.scenario)
    walls, calls = [], 0.0
    for repeat in range(args.repeats):
        start = time.perf_counter()
        result = simulate(scenario, np.random.SeedSequence(repeat))
        walls.append(time.perf_counter() - start)
        calls = float(result.daily["phone"]["calls_offered"].sum())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"scenario": scenario.name, "days": scenario.calendar.days,
               "best_wall_seconds": min(walls), "walls": walls, "peak_rss_mb": peak_mb,
               "phone_calls": calls}
    print(f"{scenario.name}: {scenario.calendar.days} days, best of {args.repeats}: "
          f"{min(walls):.2f} s wall (all: {', '.join(f'{w:.2f}' for w in walls)}), "
          f"peak RSS {peak_mb:.0f} MB")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "trondheim_replication.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
