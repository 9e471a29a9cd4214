"""The results folder (design section 5): what `run` writes and `report` reads.

scenario.toml (the resolved scenario), manifest.json (seed, replications, version, commit, times,
executor), the tidy tables daily.csv, weekly.csv and summary.csv, and verdict.json; and, when the
run started from a file, scenario-source.toml (that file's text as it was, with the comments
that give each number's source, after the text of any file it extends) and the file's path as
`source_path` in the manifest.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd

from sim.experiment import Results
from sim.scenario_file import load_scenario, scenario_to_toml, source_text

TABLES = ("daily", "weekly", "summary")
CONTRACT_FILES = ("scenario.toml", "manifest.json", *(f"{t}.csv" for t in TABLES), "verdict.json")
"""Every file a results folder holds (design section 5)."""
SOURCE_FILE = "scenario-source.toml"
"""The scenario file as written, comments included (when the run started from a file)."""


def with_source(results: Results, path: str | Path) -> Results:
    """The results with the scenario file they were run from: its text and its path."""
    path = Path(path)
    return dataclasses.replace(results, source=source_text(path),
                               manifest={**results.manifest, "source_path": str(path.resolve())})


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
    if results.source:
        (folder / SOURCE_FILE).write_text(results.source, encoding="utf-8")
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
    source = folder / SOURCE_FILE
    return Results(load_scenario(folder / "scenario.toml"), verdict=verdict, manifest=manifest,
                   source=source.read_text(encoding="utf-8") if source.is_file() else "",
                   **tables)
