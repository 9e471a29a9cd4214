"""The results folder (design section 5): what `run` writes and `report` reads.

scenario.toml (the resolved scenario), manifest.json (seed, replications, version, commit, times,
executor), the tidy tables daily.csv, weekly.csv and summary.csv, and verdict.json.
"""

from __future__ import annotations

import json
import subprocess
from importlib import metadata
from pathlib import Path

import pandas as pd

from sim.experiment import Results
from sim.scenario_file import load_scenario, scenario_to_toml

TABLES = ("daily", "weekly", "summary")


def write_results(results: Results, folder: str | Path) -> Path:
    """Write the folder (created if needed; the files of an earlier run are replaced)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scenario.toml").write_text(scenario_to_toml(results.scenario), encoding="utf-8")
    manifest = {**results.manifest, "version": _version(), "git_commit": _git_commit()}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
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


def _version() -> str:
    try:
        return metadata.version("golive-sim")
    except metadata.PackageNotFoundError:
        return "unknown"


def _git_commit() -> str | None:
    """The commit of the code that ran, when it runs from a git checkout."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True,
            cwd=Path(__file__).parent, timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None
