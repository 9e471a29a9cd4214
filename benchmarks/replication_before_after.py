"""Benchmark: one replication of trondheim-2022 with the code of another commit and with this
checkout's, side by side in one run, in CPU seconds (the machine is shared: wall time would
measure the neighbours).

The other commit's `sim/` package is unpacked with `git archive` into a temporary folder; each
measurement is a fresh process that imports one of the two and times `simulate` with
`time.process_time`; the two alternate, and the best of each is reported.

    .venv/bin/python benchmarks/replication_before_after.py [--before REF] [--repeats 5]
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "trondheim-2022.toml"
MEASURE = """
import sys, time
import numpy as np
import sim
from sim.replication import simulate
scenario = sim.load_scenario(sys.argv[1])
started = time.process_time()
simulate(scenario, np.random.SeedSequence(0))
print(time.process_time() - started)
"""


def unpack(ref: str, into: Path) -> None:
    """The `sim` package as it was at `ref`."""
    archive = subprocess.run(["git", "archive", ref, "sim"], cwd=ROOT, capture_output=True,
                             check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def cpu_seconds(code_root: Path) -> float:
    out = subprocess.run([sys.executable, "-c", MEASURE, str(SCENARIO)], cwd=code_root,
                         capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(code_root), "PATH": ""})
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="main", help="git ref of the code before")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    runs: dict[str, list[float]] = {args.before: [], "this checkout": []}
    with tempfile.TemporaryDirectory() as folder:
        unpack(args.before, Path(folder))
        for _ in range(args.repeats):
            runs[args.before].append(cpu_seconds(Path(folder)))
            runs["this checkout"].append(cpu_seconds(ROOT))
    for label, seconds in runs.items():
        print(f"{label:<16} best {min(seconds):.3f} CPU s "
              f"(all: {', '.join(f'{s:.2f}' for s in seconds)})")
    before, after = (min(s) for s in runs.values())
    print(f"after / before: {after / before:.2f}")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "replication_before_after.json").write_text(json.dumps(runs, indent=2) + "\n")


if __name__ == "__main__":
    main()
