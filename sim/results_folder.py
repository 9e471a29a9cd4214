"""The results folder (design section 5): what `run` writes and `report` reads.

scenario.toml (the resolved scenario), manifest.json (run id, seed, replications, version, commit,
times, executor, and the checksum of every other file), the tidy tables daily.csv, weekly.csv and
summary.csv, and verdict.json; and, when the run started from a file, scenario-source.toml (that
file's text as it was, with the comments that give each number's source, after the text of any
file it extends) and the file's path as `source_path` in the manifest; and, when the scenario has
an `[uncertainty]` table, parameters.csv (every replication's drawn values). Every file carries
the run id: scenario.toml in its first line, verdict.json as a key, the others through their
checksum in the manifest.

A run holds a lock on the folder, stores each finished replication in `.replications/` as it
completes, writes the files into `.partial/` and moves them into place with manifest.json last
(removed first): the folder is complete exactly when manifest.json is there and every checksum in
it matches. `read_results` checks all of that before it reads anything.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import math
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pandas as pd

from sim.calendar import SimCalendar
from sim.errors import Refused
from sim.experiment import Results, code_version, git_commit
from sim.replication_store import ReplicationStore, count_stored, write_atomically
from sim.scenario import Scenario
from sim.scenario_file import ScenarioError, load_scenario, scenario_to_toml, source_text
from sim.uncertainty import PARAMETER_COLUMNS, no_parameters

TABLES = ("daily", "weekly", "summary")
CONTRACT_FILES = ("scenario.toml", "manifest.json", *(f"{t}.csv" for t in TABLES), "verdict.json")
"""Every file a results folder holds (design section 5)."""
SOURCE_FILE = "scenario-source.toml"
"""The scenario file as written, comments included (when the run started from a file)."""
PARAMETERS_FILE = "parameters.csv"
"""Every replication's drawn value of each uncertain key (when the scenario has them)."""

MANIFEST = "manifest.json"
REPLICATIONS_FOLDER = ".replications"
STAGING_FOLDER = ".partial"
LOCK_FILE = ".lock"
RUN_ID_LINE = "# run_id = "
COLUMNS = {
    "daily": ["replication", "day", "service", "metric", "value"],
    "weekly": ["replication", "week", "service", "metric", "value"],
    "summary": ["week", "service", "metric", "mean", "ci_low", "ci_high", "p05", "p50", "p95",
                "standard", "meets_share"],
}
NUMBER_COLUMNS = {"daily": ["value"], "weekly": ["value"],
                  "summary": ["mean", "ci_low", "ci_high", "p05", "p50", "p95", "meets_share"]}
OWN_FILES = {*CONTRACT_FILES, SOURCE_FILE, PARAMETERS_FILE, "levers"}
"""Files golive-sim writes into a results folder, besides reports (`report*.pdf`) and the hidden
working files (lock, stored replications, staging); `levers/` is where `forecast --levers` works
the scenario's levers through."""


class FolderError(Refused):
    """A results folder that cannot be used: its message names the folder or file and why."""


def run_identity(scenario: Scenario, seed: int) -> dict[str, Any]:
    """What two runs must share for one to reuse the other's replications."""
    toml = scenario_to_toml(scenario)
    return {"scenario": scenario.name, "seed": seed, "version": code_version(),
            "git_commit": git_commit(),
            "scenario_sha256": hashlib.sha256(toml.encode("utf-8")).hexdigest()}


def run_id(identity: dict[str, Any], replications: int) -> str:
    """The run id: the same inputs and code give the same id (and the same tables)."""
    text = json.dumps({**identity, "replications": replications}, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- writing ------------------------------------------------------------------------------------

def with_source(results: Results, path: str | Path) -> Results:
    """The results with the scenario file they were run from: its text and its path."""
    path = Path(path)
    return dataclasses.replace(results, source=source_text(path),
                               manifest={**results.manifest, "source_path": str(path.resolve())})


@dataclass
class OpenFolder:
    """A results folder locked for one run: its replication store and where the tables go."""

    folder: Path
    identity: dict[str, Any]
    store: ReplicationStore

    def write(self, results: Results) -> Path:
        """Write every file of `results` (the run of this folder's identity) into the folder."""
        try:
            return write_results(results, self.folder, self.identity)
        except OSError as e:  # a full disk, a folder removed under the run: the old files stand
            raise FolderError(f"{self.folder}: the results could not be written "
                              f"({e.strerror or e}); the finished replications are kept, run "
                              "again to write them") from None


@contextmanager
def open_folder(folder: Path, scenario: Scenario, seed: int, inputs: Iterable[Path] = (),
                force: bool = False) -> Iterator[OpenFolder]:
    """Check, create and lock `folder` for a run of `scenario` with `seed`, before simulating.

    Refused (FolderError): a path that is a file or cannot be written, a folder another run holds,
    a folder of another scenario, seed or version (unless `force`), a folder holding other files
    (unless `force`), and a folder where the run would overwrite one of its `inputs`.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise FolderError(f"{folder}: is a file, not a folder; give a folder for --out")
    for path in inputs:
        if path.resolve().parent == folder.resolve() and path.name in OWN_FILES:
            raise FolderError(f"{folder}: the run would overwrite its own input {path}; "
                              "give another --out")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = open(folder / LOCK_FILE, "a+", encoding="utf-8")
    except OSError as e:
        raise FolderError(f"{folder}: cannot write there ({e.strerror or e})") from None
    with lock:
        _lock(folder, lock)
        identity = run_identity(scenario, seed)
        store = ReplicationStore(folder / REPLICATIONS_FOLDER, identity)
        if not force:
            _refuse_foreign(folder, identity, store)
        try:
            store.reset()
        except OSError as e:
            raise FolderError(f"{folder}: cannot write there ({e.strerror or e})") from None
        yield OpenFolder(folder, identity, store)


def _lock(folder: Path, lock: IO[str]) -> None:
    """Hold an exclusive lock on the folder for the life of `lock` (the system drops it when the
    process ends, even by SIGKILL), or refuse if another run holds it."""
    try:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        holder = lock.read().strip() or "another process"
        raise FolderError(f"{folder}: another run is writing this folder ({holder}); wait for "
                          "it to finish or give another --out") from None
    lock.truncate(0)
    lock.write(f"pid {os.getpid()}\n")
    lock.flush()


def _refuse_foreign(folder: Path, identity: dict[str, Any], store: ReplicationStore) -> None:
    """Refuse a folder that holds another run, or files that are not golive-sim's."""
    stored = store.stored_identity()
    if stored is None and (folder / MANIFEST).is_file():
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            stored = manifest.get("identity") if isinstance(manifest, dict) else None
        except (OSError, ValueError):
            stored = None
        stored = stored or {"scenario": "unknown (an unreadable or older manifest.json)"}
    if stored is not None and stored != identity:
        differs = [f"{key} {stored.get(key)!r} there, {value!r} here"
                   for key, value in identity.items() if stored.get(key) != value]
        raise FolderError(f"{folder}: holds the results of another run ({'; '.join(differs)}); "
                          "give another --out, or --force to replace them")
    others = sorted(p.name for p in folder.iterdir()
                    if not p.name.startswith(".") and p.name not in OWN_FILES
                    and not (p.name.startswith("report") and p.suffix == ".pdf"))
    if others:
        shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
        raise FolderError(f"{folder}: is not a results folder, it holds other files ({shown}); "
                          "give a new or empty folder, or --force to write beside them")


def write_results(results: Results, folder: str | Path,
                  identity: dict[str, Any] | None = None) -> Path:
    """Write the folder: every file into `.partial/`, then moved into place, manifest.json last.

    Reports of an earlier run (`report*.pdf`) are removed: they would not match the new tables.
    """
    folder = Path(folder)
    identity = identity or run_identity(results.scenario, int(results.manifest["seed"]))
    replications = int(results.manifest["replications"])
    rid = run_id(identity, replications)
    staging = folder / STAGING_FOLDER
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    (staging / "scenario.toml").write_text(f"{RUN_ID_LINE}{rid}\n"
                                           + scenario_to_toml(results.scenario), encoding="utf-8")
    for name in TABLES:
        getattr(results, name).to_csv(staging / f"{name}.csv", index=False)
    verdict = {"run_id": rid, **results.verdict}
    (staging / "verdict.json").write_text(json.dumps(verdict, indent=2) + "\n", encoding="utf-8")
    names = [name for name in CONTRACT_FILES if name != MANIFEST]
    if results.source:
        (staging / SOURCE_FILE).write_text(results.source, encoding="utf-8")
        names.append(SOURCE_FILE)
    if results.scenario.uncertainty:
        results.parameters.to_csv(staging / PARAMETERS_FILE, index=False)
        names.append(PARAMETERS_FILE)
    files = {name: _sha256(staging / name) for name in names}
    manifest = {"run_id": rid, **results.manifest, "identity": identity, "files": files}
    (folder / MANIFEST).unlink(missing_ok=True)
    (folder / SOURCE_FILE).unlink(missing_ok=True)
    (folder / PARAMETERS_FILE).unlink(missing_ok=True)
    for old in folder.glob("report*.pdf"):
        old.unlink()
    for name in files:
        os.replace(staging / name, folder / name)
    write_atomically(folder / MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode("utf-8"))
    shutil.rmtree(staging, ignore_errors=True)
    return folder


# -- reading ------------------------------------------------------------------------------------

def read_results(folder: str | Path) -> Results:
    """Read a results folder written by `write_results`, without rerunning anything, after
    checking that it is whole and of one run (FolderError naming the file otherwise)."""
    folder = Path(folder)
    manifest = _manifest(folder)
    rid = manifest["run_id"]
    for name, digest in manifest["files"].items():
        path = folder / name
        if not path.is_file():
            raise FolderError(f"{path}: missing; the folder is incomplete (run again to finish it)")
        if _sha256(path) != digest:
            raise FolderError(f"{path}: not the file of run {rid} in manifest.json (changed, "
                              "truncated or written by another run); run again to rewrite it")
    scenario_path = folder / "scenario.toml"
    with open(scenario_path, encoding="utf-8") as f:
        if f.readline().strip() != f"{RUN_ID_LINE}{rid}":
            raise FolderError(f"{scenario_path}: does not carry run id {rid} of manifest.json")
    try:
        scenario = load_scenario(scenario_path)
    except ScenarioError as e:
        raise FolderError(f"{scenario_path}: not a valid scenario\n{e.report()}") from None
    verdict = _json(folder / "verdict.json")
    if verdict.pop("run_id", None) != rid:
        raise FolderError(f"{folder / 'verdict.json'}: does not carry run id {rid} of "
                          "manifest.json")
    tables = {name: _table(folder, name) for name in TABLES}
    _check_consistent(folder, tables, scenario, manifest)
    parameters = _parameters(folder, scenario, manifest)
    source = folder / SOURCE_FILE
    return Results(scenario, verdict=verdict, manifest=manifest, parameters=parameters,
                   source=source.read_text(encoding="utf-8") if SOURCE_FILE in manifest["files"]
                   else "", **tables)


def folder_run_id(folder: str | Path) -> str:
    """The run id of a results folder, from its manifest (FolderError if it has none)."""
    return str(_manifest(Path(folder))["run_id"])


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FolderError(f"{path}: missing; the folder is incomplete (run again to finish "
                          "it)") from None
    except (OSError, ValueError) as e:
        raise FolderError(f"{path}: not readable JSON ({e})") from None
    if not isinstance(data, dict):
        raise FolderError(f"{path}: expected a JSON object, found {type(data).__name__}")
    return data


def _manifest(folder: Path) -> dict[str, Any]:
    if not folder.is_dir():
        raise FolderError(f"{folder}: no such results folder")
    missing = [name for name in CONTRACT_FILES if not (folder / name).is_file()]
    if MANIFEST in missing and (folder / REPLICATIONS_FOLDER).is_dir():
        kept = count_stored(folder / REPLICATIONS_FOLDER)
        raise FolderError(f"{folder}: incomplete, a run into it stopped before it finished "
                          f"({kept} replications kept, no {MANIFEST}); run it again to finish it")
    if len(missing) == len(CONTRACT_FILES):
        raise FolderError(f"{folder}: not a results folder of `golive-sim run` (missing "
                          f"{', '.join(missing)})")
    manifest = _json(folder / MANIFEST)
    files = manifest.get("files")
    required = set(CONTRACT_FILES) - {MANIFEST}
    if (not isinstance(manifest.get("run_id"), str) or not isinstance(files, dict)
            or not required <= set(files) <= required | {SOURCE_FILE, PARAMETERS_FILE}):
        raise FolderError(f"{folder / MANIFEST}: has no run id and file checksums (written by an "
                          "older golive-sim, or edited); run again to rewrite the folder")
    replications = manifest.get("replications")
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 1:
        raise FolderError(f"{folder / MANIFEST}: replications: found {replications!r}; "
                          "accepted: a whole number of at least 1")
    return manifest


def _table(folder: Path, name: str) -> pd.DataFrame:
    path = folder / f"{name}.csv"
    try:
        table = pd.read_csv(path, keep_default_na=False, na_values=[""])
    except (OSError, ValueError, pd.errors.ParserError) as e:
        raise FolderError(f"{path}: not a readable table ({e})") from None
    if list(table.columns) != COLUMNS[name]:
        raise FolderError(f"{path}: columns {', '.join(map(str, table.columns))}; expected "
                          f"{', '.join(COLUMNS[name])}")
    for column in NUMBER_COLUMNS[name]:
        values = pd.to_numeric(table[column], errors="coerce")
        bad = table[column][(values.isna() & table[column].notna())
                            | values.map(lambda v: math.isinf(v) if v == v else False)]
        if len(bad):
            raise FolderError(f"{path}: column {column} holds {bad.iloc[0]!r}, not a finite "
                              "number")
    return table


def _parameters(folder: Path, scenario: Scenario, manifest: dict[str, Any]) -> pd.DataFrame:
    """parameters.csv, present exactly when the scenario has uncertain keys, with a value of each
    of them for each replication."""
    path = folder / PARAMETERS_FILE
    if not scenario.uncertainty:
        if PARAMETERS_FILE in manifest["files"]:
            raise FolderError(f"{path}: listed in manifest.json, but scenario.toml has no "
                              "[uncertainty] table")
        return no_parameters()
    if PARAMETERS_FILE not in manifest["files"]:
        raise FolderError(f"{path}: missing; scenario.toml has an [uncertainty] table, so every "
                          "replication's drawn values belong here (run again to rewrite it)")
    try:
        table = pd.read_csv(path, keep_default_na=False, na_values=[""])
    except (OSError, ValueError, pd.errors.ParserError) as e:
        raise FolderError(f"{path}: not a readable table ({e})") from None
    if list(table.columns) != PARAMETER_COLUMNS:
        raise FolderError(f"{path}: columns {', '.join(map(str, table.columns))}; expected "
                          f"{', '.join(PARAMETER_COLUMNS)}")
    expected = {(r, p) for r in range(manifest["replications"]) for p in scenario.uncertainty}
    if len(table) != len(expected) or set(zip(table["replication"], table["path"],
                                              strict=True)) != expected:
        raise FolderError(f"{path}: does not hold one value of each uncertain key of "
                          f"scenario.toml for each of the {manifest['replications']} replications")
    return table


def _check_consistent(folder: Path, tables: dict[str, pd.DataFrame], scenario: Scenario,
                      manifest: dict[str, Any]) -> None:
    """The tables cover the manifest's replications and the scenario's days and weeks."""
    calendar = SimCalendar(scenario.calendar)
    expected = {"daily": ("day", calendar.day_labels()), "weekly": ("week", calendar.week_labels())}
    replications = set(range(manifest["replications"]))
    for name, (period, labels) in expected.items():
        table = tables[name]
        if set(table["replication"]) != replications:
            raise FolderError(f"{folder / (name + '.csv')}: replications do not match the "
                              f"{manifest['replications']} of manifest.json")
        if set(table[period]) != set(labels):
            raise FolderError(f"{folder / (name + '.csv')}: {period}s do not match the calendar "
                              "of scenario.toml")
    if set(tables["summary"]["week"]) != set(calendar.week_labels()):
        raise FolderError(f"{folder / 'summary.csv'}: weeks do not match the calendar of "
                          "scenario.toml")
