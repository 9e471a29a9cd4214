"""Benchmark: the cost of a phone line's shifts as the agents on them grow (1,000 to 100,000).

Every agent comes on and goes off duty each day, so the cost must grow linearly with the staff
(an agent leaving the idle set used to cost a search of it: 8,000 agents took 8.5 s, 16,000 30 s).
The calls are few, so the time is that of the shifts.

    .venv/bin/python benchmarks/shift_size.py [--repeats 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

import numpy as np

import sim
from sim.replication import simulate
from sim.scenario_file import scenario_from_dict

ROOT = Path(__file__).resolve().parent.parent
AGENTS = (1_000, 10_000, 100_000)


def line(agents: int) -> sim.Scenario:
    """One week of a phone line open on weekdays with `agents` on one shift and 100 calls a day."""
    return scenario_from_dict({
        "name": f"shift-{agents}",
        "calendar": {"start": dt.date(2025, 3, 3), "go_live": dt.datetime(2025, 3, 3),
                     "weeks_after": 1, "new_system": False},
        "phone": {"opening_hours": {"weekdays": ["08:00", "16:00"]},
                  "calls_per_day": {"weekdays": 100},
                  "shifts": [{"start": "08:00", "end": "16:00", "staff": agents}],
                  "talk_time_minutes": {"dist": "exponential", "mean": 4}},
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    rows = []
    for agents in AGENTS:
        walls = []
        for repeat in range(args.repeats):
            start = time.perf_counter()
            simulate(line(agents), np.random.SeedSequence(repeat))
            walls.append(time.perf_counter() - start)
        rows.append({"agents": agents, "best_wall_seconds": min(walls),
                     "microseconds_per_agent_day": min(walls) / (agents * 5) * 1e6})
        print(f"{agents:>7} agents: {min(walls):7.3f} s, "
              f"{rows[-1]['microseconds_per_agent_day']:.2f} µs per agent-day", flush=True)
    out = ROOT / "benchmarks" / "results" / "shift_size.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
