"""Run every benchmark, each in a fresh process, and print their figures (`make benchmark`).

The figures go to benchmarks/results/*.json (ignored by git) and by hand into docs/performance.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("trondheim_replication.py", "volume_scaling.py", "phone_engine.py", "shift_size.py",
              "executors.py", "sweep_throughput.py", "replication_revisions.py")


def main() -> int:
    for name in BENCHMARKS:
        print(f"== {name}", flush=True)
        subprocess.run([sys.executable, str(HERE / name)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
