"""How many replications the default forecast needs: the 95 % interval of week-1 phone service
level no wider than +-0.03 (issue: "choose the default so that ...").

Runs a pilot of N replications, estimates the standard deviation s of the week-1 service level
across replications, and finds the least n with t(0.975, n-1) * s / sqrt(n) <= 0.03; then checks
the half-width actually obtained with the first n replications of the pilot.

    .venv/bin/python benchmarks/replication_count.py [--pilot 60]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from scipy import stats

import sim

ROOT = Path(__file__).resolve().parent.parent
TARGET_HALF_WIDTH = 0.03


def half_width(values: np.ndarray) -> float:
    n = len(values)
    return float(stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / np.sqrt(n))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pilot", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    scenario = sim.load_scenario(ROOT / "scenarios" / "trondheim-2022.toml")
    start = time.perf_counter()
    results = sim.run(scenario, replications=args.pilot, seed=args.seed)
    wall = time.perf_counter() - start
    w = results.weekly
    values = w[(w.service == "phone") & (w.metric == "service_level") & (w.week == 1)]
    level = values.sort_values("replication")["value"].to_numpy()
    s = level.std(ddof=1)
    needed = next(n for n in range(3, 10_000)
                  if stats.t.ppf(0.975, n - 1) * s / np.sqrt(n) <= TARGET_HALF_WIDTH)
    print(f"pilot: {args.pilot} replications in {wall:.1f} s; week-1 service level mean "
          f"{level.mean():.3f}, sd {s:.4f}")
    print(f"least n with half-width <= {TARGET_HALF_WIDTH}: {needed}")
    for n in sorted({needed, 20, 30, 40, args.pilot}):
        if n <= args.pilot:
            print(f"  n = {n:>3}: half-width {half_width(level[:n]):.4f}")


if __name__ == "__main__":
    main()
