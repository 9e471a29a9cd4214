"""Benchmark: replication throughput per executor and worker count, and peak memory against the
number of replications, side by side in one run.

Throughput: the same replications (a scenario of all services, `--scenario`) through `sim.run`
in this process, on a process pool of 2 and on a Dask LocalCluster of 1 and 2 workers, in
replications per minute of wall time, start-up included (a sweep cell is a handful of such
replications). Memory: the peak resident memory of `golive-sim run` (the parent; the pool's
workers reported separately) with 10 and with 200 replications of a small scenario, each in a
fresh process: it must not grow with the replications (design section 6).

    .venv/bin/python benchmarks/executors.py [--replications 8]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sim

ROOT = Path(__file__).resolve().parent.parent
THROUGHPUT_SCENARIO = ROOT / "tests" / "scenarios" / "fjordvik-autumn.toml"
MEMORY_SCENARIO = ROOT / "scenarios" / "validation" / "erlang-a.toml"
SETUPS = {  # label: options of sim.run
    "in-process, 1 worker": {"jobs": 1},
    "process pool, 2 workers": {"jobs": 2},
    "Dask LocalCluster, 1 worker": {"jobs": 1, "executor": "dask"},
    "Dask LocalCluster, 2 workers": {"jobs": 2, "executor": "dask"},
}


def throughput(scenario: Path, replications: int) -> dict[str, float]:
    """Replications per minute of each set-up, in one run."""
    figures = {}
    for label, options in SETUPS.items():
        started = time.perf_counter()
        sim.run(scenario, replications=replications, seed=1, progress=False, **options)
        figures[label] = replications / (time.perf_counter() - started) * 60
        print(f"  {label:<30} {figures[label]:7.1f} replications/min", flush=True)
    return figures


def peak_memory_mb(replications: int) -> dict[str, float]:
    """Peak RSS of `golive-sim run` with `replications` replications on a pool of 2."""
    with tempfile.TemporaryDirectory() as out:
        script = ("import resource, sys; from sim.cli import main; code = main(sys.argv[1:]); "
                  "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
                  "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)")
        done = subprocess.run(
            [sys.executable, "-c", script, "run", str(MEMORY_SCENARIO), "-n", str(replications),
             "--jobs", "2", "--quiet", "--out", out], capture_output=True, text=True, check=True)
    parent_kb, worker_kb = (int(v) for v in done.stdout.split()[-2:])
    return {"parent_mb": parent_kb / 1024, "largest_worker_mb": worker_kb / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=8)
    args = parser.parse_args()
    print(f"throughput, {args.replications} replications of {THROUGHPUT_SCENARIO.name}:")
    figures: dict[str, object] = {"throughput": throughput(THROUGHPUT_SCENARIO,
                                                           args.replications)}
    memory = {}
    for n in (10, 200):
        memory[n] = peak_memory_mb(n)
        print(f"peak memory, {n} replications of {MEMORY_SCENARIO.name}: parent "
              f"{memory[n]['parent_mb']:.0f} MB, largest worker "
              f"{memory[n]['largest_worker_mb']:.0f} MB", flush=True)
    figures["memory"] = memory
    figures["this_process_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "executors.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
