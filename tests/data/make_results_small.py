"""Regenerate tests/data/results-small/: a small results folder the report tests render from.

The reference scenario cut to two weeks after go-live, three replications; the tests read it
without rerunning the model. Run from the repository root after a change to the results-folder
format or the model's numbers:

    .venv/bin/python tests/data/make_results_small.py
"""

from __future__ import annotations

from pathlib import Path

from sim import load_scenario, run
from sim.results_folder import write_results
from sim.scenario import vary

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FOLDER = HERE / "results-small"
REPLICATIONS = 3
SEED = 1


def main() -> None:
    scenario = vary(load_scenario(ROOT / "scenarios" / "trondheim-2022.toml"),
                    {"calendar.weeks_after": 2})
    results = run(scenario, replications=REPLICATIONS, seed=SEED, jobs=1, progress=False)
    write_results(results, FOLDER)
    size = sum(p.stat().st_size for p in FOLDER.iterdir())
    print(f"wrote {FOLDER} ({size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
