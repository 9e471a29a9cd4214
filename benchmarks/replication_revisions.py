"""Benchmark: one replication of trondheim-2022 at two revisions of the code, side by side.

Each revision's `sim/` is exported (`git archive`) to a temporary folder; fresh processes of the
two take turns (A B B A ...), each timing `--replications` replications of seed 0 after one
warm-up, so a change in the machine's load falls on both. CPU time (process_time), not wall time:
on a shared machine the wall time also counts the time other work held the core. It also checks
that both revisions give bit-identical outputs for seeds 0 and 1 (a speed change must not move a
number).

    .venv/bin/python benchmarks/replication_revisions.py main HEAD [--rounds 4] [--own-scenario]

With `--mypyc`, the second revision's export is compiled with mypyc (part of mypy, a dev
dependency; needs a C compiler) before it is timed: `HEAD HEAD --mypyc` measures what compiling
the event path would give (docs/performance.md, "Where the 1.0 s target stands").
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "trondheim-2022.toml"

TIMED = r'''
import hashlib, json, sys, time
import numpy as np
sys.path.insert(0, sys.argv[1])
import sim
from sim.replication import simulate
scenario = sim.load_scenario(sys.argv[2])
simulate(scenario, np.random.SeedSequence(99))
seconds = []
for _ in range(int(sys.argv[3])):
    start = time.process_time()
    simulate(scenario, np.random.SeedSequence(0))
    seconds.append(time.process_time() - start)
digest = hashlib.sha256()
for seed in (0, 1):
    result = simulate(scenario, np.random.SeedSequence(seed))
    for part in (result.daily, result.weekly):
        for service in sorted(part):
            for metric in sorted(part[service]):
                digest.update(f"{service}.{metric}".encode())
                digest.update(np.asarray(part[service][metric], dtype=float).tobytes())
print(json.dumps({"seconds": seconds, "digest": digest.hexdigest()}))
'''


MYPYC_MODULES = ("queueing", "support", "phone", "rest_of_staff", "home_visits", "learning",
                 "routes", "metrics", "cases", "replication", "cover", "faults")
"""The modules of the event path that mypyc compiles as they are (`calendar` is left out: its
`closing` copies the calendar with `copy.copy`, which mypyc's native classes do not allow)."""


def compile_with_mypyc(tree: Path) -> None:
    """Compile `MYPYC_MODULES` of an exported tree in place (extension modules beside the sources,
    which Python imports first)."""
    subprocess.run([sys.executable, "-m", "mypyc", *(f"sim/{m}.py" for m in MYPYC_MODULES)],
                   cwd=tree, check=True, capture_output=True)


def export(revision: str, folder: Path) -> Path:
    """The revision's `sim/` package and `scenarios/` under `folder`."""
    archive = subprocess.run(["git", "archive", revision, "sim", "scenarios"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revisions", nargs="*", metavar="REV", default=["main", "HEAD"],
                        help="two git revisions (default: main HEAD)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--replications", type=int, default=3)
    parser.add_argument("--own-scenario", action="store_true",
                        help="each revision runs its own scenarios/trondheim-2022.toml (to cost a "
                             "model change with the values it brought), not this tree's")
    parser.add_argument("--mypyc", action="store_true",
                        help="compile the second revision with mypyc before timing it")
    args = parser.parse_args()
    if len(args.revisions) != 2:
        parser.error("give two revisions, or none for main HEAD")
    if args.mypyc:
        args.revisions[1] += " (mypyc)"
    with tempfile.TemporaryDirectory() as tmp:
        trees = {rev: export(rev.removesuffix(" (mypyc)"), Path(tmp) / str(i))
                 for i, rev in enumerate(args.revisions)}
        if args.mypyc:
            compile_with_mypyc(trees[args.revisions[1]])
        seconds: dict[str, list[float]] = {rev: [] for rev in trees}
        digests: dict[str, set[str]] = {rev: set() for rev in trees}
        for round_ in range(args.rounds):
            for rev in args.revisions if round_ % 2 == 0 else args.revisions[::-1]:
                scenario = (trees[rev] / SCENARIO.relative_to(ROOT) if args.own_scenario
                            else SCENARIO)
                out = subprocess.run([sys.executable, "-c", TIMED, str(trees[rev]), str(scenario),
                                      str(args.replications)], check=True, capture_output=True,
                                     text=True).stdout
                row = json.loads(out)
                seconds[rev] += row["seconds"]
                digests[rev].add(row["digest"])
    figures = {rev: {"best_cpu_seconds": round(min(s), 3),
                     "median_cpu_seconds": round(statistics.median(s), 3), "runs": len(s)}
               for rev, s in seconds.items()}
    figures["identical_outputs"] = len(set.union(*digests.values())) == 1
    print(json.dumps(figures, indent=2))
    out = ROOT / "benchmarks" / "results" / "replication_revisions.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
