"""Benchmark: the cost of one replication under two or more checkouts, side by side in one run.

Each case is a source tree (a checkout of another commit, e.g. `git archive <commit> | tar -x`)
and a scenario file; each round runs every case once, in a fresh process, in turn, so a machine
whose load changes during the run slows them alike. Reports the best process CPU time of
`simulate` over the rounds (seed 0), and the ratio to the first case.

    .venv/bin/python benchmarks/replication_cost.py --rounds 5 \\
        before=/tmp/main:/tmp/main/scenarios/trondheim-2022.toml \\
        after=.:scenarios/trondheim-2022.toml
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ONE_REPLICATION = """
import sys, time
import numpy as np
import sim
from sim.replication import simulate
scenario = sim.load_scenario(sys.argv[1])
start = time.process_time()
simulate(scenario, np.random.SeedSequence(0))
print(time.process_time() - start)
"""


def cpu_seconds(source: Path, scenario: Path) -> float:
    """CPU seconds of one replication of `scenario` with the model of `source`."""
    env = {**os.environ, "PYTHONPATH": str(source.resolve())}
    out = subprocess.run([sys.executable, "-c", ONE_REPLICATION, str(scenario.resolve())],
                         env=env, cwd="/", check=True, capture_output=True, text=True).stdout
    return float(out.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("cases", nargs="+", help="label=source_tree:scenario_file")
    args = parser.parse_args()
    cases = []
    for case in args.cases:
        label, paths = case.split("=", 1)
        source, scenario = paths.split(":", 1)
        cases.append((label, Path(source), Path(scenario)))
    times: dict[str, list[float]] = {label: [] for label, _, _ in cases}
    for _ in range(args.rounds):
        for label, source, scenario in cases:
            times[label].append(cpu_seconds(source, scenario))
    first = min(times[cases[0][0]])
    for label, runs in times.items():
        print(f"{label:>12}: best {min(runs):.3f} s CPU ({min(runs) / first - 1:+.1%}), "
              f"runs {', '.join(f'{t:.2f}' for t in runs)}")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "replication_cost.json").write_text(json.dumps(times, indent=2) + "\n")


if __name__ == "__main__":
    main()
