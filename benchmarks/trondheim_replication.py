"""Benchmark (a): one replication of trondheim-2022 on one core: wall time, peak memory, events.

Run in a fresh process so that the peak resident memory (ru_maxrss) is this replication's,
including the interpreter and the imported libraries. Best of N for time; then one counted run
for simpy events per second and one profiled run for where the time goes. The design's target is
at most 3 s and 500 MB (design section 6).

    .venv/bin/python benchmarks/trondheim_replication.py [--repeats 3] [--profile-lines 12]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import resource
import time
from pathlib import Path

import numpy as np
import simpy

import sim
from sim.replication import simulate

ROOT = Path(__file__).resolve().parent.parent


def count_events(scenario: sim.Scenario) -> int:
    """simpy events processed in one replication (a separate, untimed run)."""
    original = simpy.Environment.step
    count = 0

    def counting_step(env: simpy.Environment) -> None:
        nonlocal count
        count += 1
        original(env)

    simpy.Environment.step = counting_step  # type: ignore[method-assign]
    try:
        simulate(scenario, np.random.SeedSequence(0))
    finally:
        simpy.Environment.step = original  # type: ignore[method-assign]
    return count


def profile_top(scenario: sim.Scenario, lines: int) -> str:
    """The functions with the most own time in one profiled replication."""
    profiler = cProfile.Profile()
    profiler.runcall(simulate, scenario, np.random.SeedSequence(0))
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(lines)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--profile-lines", type=int, default=12)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "trondheim-2022.toml"))
    args = parser.parse_args()
    scenario = sim.load_scenario(args.scenario)
    walls = []
    for repeat in range(args.repeats):
        start = time.perf_counter()
        simulate(scenario, np.random.SeedSequence(repeat))
        walls.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    events = count_events(scenario)
    figures = {"scenario": scenario.name, "days": scenario.calendar.days,
               "best_wall_seconds": min(walls), "walls": walls, "peak_rss_mb": peak_mb,
               "simpy_events": events, "events_per_second": events / min(walls)}
    print(f"{scenario.name}: {scenario.calendar.days} days, best of {args.repeats}: "
          f"{min(walls):.2f} s wall (all: {', '.join(f'{w:.2f}' for w in walls)}), "
          f"peak RSS {peak_mb:.0f} MB, {events:,} simpy events "
          f"({events / min(walls):,.0f} a second)")
    if args.profile_lines:
        print(profile_top(scenario, args.profile_lines))
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "trondheim_replication.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
