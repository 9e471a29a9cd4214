"""The results folder (design section 5): what `run` writes and `report` reads.

scenario.toml (the resolved scenario), manifest.json (seed, replications, version, commit, times,
executor), the tidy tables daily.csv, weekly.csv and summary.csv, and verdict.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from sim.experiment import Results
from sim.scenario_file import load_scenario, scenario_to_toml

TABLES = ("daily", "weekly", "summary")
CONTRACT_FILES = ("scenario.toml", "manifest.json", *(f"{t}.csv" for t in TABLES), "verdict.json")
"""Every file a results folder holds (design section 5)."""


def write_results(results: Results, folder: str | Path) -> Path:
    """Write the folder (created if needed; the files of an earlier run are replaced)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scenario.toml").write_text(scenario_to_toml(results.scenario), encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps(results.manifest, indent=2) + "\n",
                                          encoding="utf-8")
    for name in TABLES:
        getattr(results, name).to_csv(folder / f"{name}.csv", index=False)
    (folder / "verdict.json").write_text(json.dumps(results.verdict, indent=2) + "\n",
                                         encoding="utf-8")
    return folder


def read_results(folder: str | Path) -> Results:
    """Read a results folder written by `write_results`, without rerunning anything."""
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    tables = {
        name: pd.read_csv(folder / f"{name}.csv", keep_default_na=False, na_values=[""])
        for name in TABLES
    }
    verdict = json.loads((folder / "verdict.json").read_text(encoding="utf-8"))
    return Results(load_scenario(folder / "scenario.toml"), verdict=verdict, manifest=manifest,
                   **tables)
