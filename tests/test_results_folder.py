"""Nothing lost, nothing mixed: a results folder survives kills, refuses a second writer, and
`report` refuses any folder that is not whole and of one run (design section 5, results folder).

The runs are subprocesses, killed as a user's Ctrl-C or the system's OOM killer would kill them.
The proof of "not recomputed" is the stored replication files themselves: the rerun leaves them
untouched (same inode, same modification time) and says how many it reused.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import cli
from sim.results_folder import (
    LOCK_FILE,
    MANIFEST,
    REPLICATIONS_FOLDER,
    FolderError,
    read_results,
)

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "data" / "results-small"
REPLICATIONS = 4
TABLES = ("daily.csv", "weekly.csv", "summary.csv")

SCENARIO = """\
name = "durable"
[calendar]
start = 2022-05-01
go_live = 2022-05-01T00:00:00
weeks_after = 4
[phone]
shifts = [{ days = "all", start = "00:00", end = "24:00", staff = 10 }]
calls_per_day = { weekdays = 2880, saturday = 2880, sunday = 2880 }
talk_time_minutes = { dist = "exponential", mean = 4 }
[phone.opening_hours]
weekdays = ["00:00", "24:00"]
saturday = ["00:00", "24:00"]
sunday = ["00:00", "24:00"]
"""
"""An M/M/10 line around the clock for four weeks: about half a second a replication."""


def command(*args: object) -> list[str]:
    return [sys.executable, "-m", "sim", *map(str, args)]


def golive(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(*args), capture_output=True, text=True, cwd=ROOT, timeout=120)


def in_process(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str]:
    """The command line run in this process: for refusals, which happen before any simulation."""
    code = cli.main([str(a) for a in args])
    return code, capsys.readouterr().err


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scenario") / "durable.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def uninterrupted(scenario: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference: the same run, never stopped."""
    out = tmp_path_factory.mktemp("uninterrupted") / "out"
    done = golive("run", scenario, "-n", REPLICATIONS, "-j", 1, "--out", out)
    assert done.returncode == 0, done.stderr
    return out


def stored(out: Path) -> dict[str, tuple[int, int]]:
    """The stored replications: file name -> (inode, modification time in ns)."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted((out / REPLICATIONS_FOLDER).glob("[0-9]*.npz"))}


def start_and_stop_halfway(scenario: Path, out: Path, sig: signal.Signals
                           ) -> tuple[dict[str, tuple], str]:
    """Start a run, send `sig` once half its replications are stored; what was stored, and what
    the run said."""
    process = subprocess.Popen(command("run", scenario, "-n", REPLICATIONS, "-j", 1, "--out", out),
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while len(stored(out) if out.exists() else {}) < REPLICATIONS // 2:
            assert process.poll() is None, "the run ended before it could be stopped"
            time.sleep(0.005)
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode != 0
    assert "Traceback" not in stderr, stderr
    assert not (out / MANIFEST).exists(), "a stopped run left a folder that looks complete"
    kept = stored(out)
    assert REPLICATIONS // 2 <= len(kept) < REPLICATIONS
    return kept, stderr


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_stopped_run_resumes_to_the_same_tables(scenario: Path, uninterrupted: Path,
                                                tmp_path: Path, sig: signal.Signals):
    out = tmp_path / "out"
    kept, said = start_and_stop_halfway(scenario, out, sig)
    if sig == signal.SIGINT:
        assert "run the same command again to resume" in said, said
    refused = golive("report", out)
    assert refused.returncode == 2 and "incomplete" in refused.stderr, refused.stderr

    rerun = golive("run", scenario, "-n", REPLICATIONS, "-j", 1, "--out", out)
    assert rerun.returncode == 0, rerun.stderr
    assert f"reused {len(kept)} of {REPLICATIONS} replications" in rerun.stderr
    after = stored(out)
    assert {name: after[name] for name in kept} == kept, "a finished replication was recomputed"
    for table in TABLES:
        assert (out / table).read_bytes() == (uninterrupted / table).read_bytes(), table
    read_results(out)


def test_second_run_into_a_folder_in_use_is_refused(scenario: Path, tmp_path: Path):
    """Two runs into one folder: the second is refused at once, the first completes."""
    out = tmp_path / "out"
    n = 2 * REPLICATIONS  # a few seconds: time for the second to start and be refused
    first = subprocess.Popen(command("run", scenario, "-n", n, "-j", 1, "--out", out),
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while f"pid {first.pid}" not in _read(out / LOCK_FILE):
            assert first.poll() is None
            time.sleep(0.005)
        second = golive("run", scenario, "-n", n, "-j", 1, "--out", out, "--seed", 2)
        assert first.poll() is None, "the first run ended before the second tried"
        assert second.returncode == 2, second.stderr
        assert "another run is writing this folder" in second.stderr
        assert f"pid {first.pid}" in second.stderr
        assert "Traceback" not in second.stderr
        _, stderr = first.communicate(timeout=60)
    finally:
        first.kill()
    assert first.returncode == 0, stderr
    assert read_results(out).manifest["seed"] == 1


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def test_rerun_reuses_every_replication_and_adds_more(scenario: Path, uninterrupted: Path,
                                                     tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "out"
    shutil.copytree(uninterrupted, out)
    before = stored(out)
    code, err = in_process(capsys, "run", scenario, "-n", REPLICATIONS + 1, "-j", 1, "--out", out)
    assert code == 0, err
    assert f"reused {REPLICATIONS} of {REPLICATIONS + 1} replications" in err
    after = stored(out)
    assert {name: after[name] for name in before} == before
    assert len(after) == REPLICATIONS + 1
    assert read_results(out).manifest["replications"] == REPLICATIONS + 1


def _disk_full(*args: object, **kwargs: object) -> None:
    raise OSError(28, "No space left on device")


def test_failed_write_leaves_the_last_whole_run(scenario: Path, uninterrupted: Path,
                                                tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]):
    """The tables go to `.partial/` first: a write that fails leaves the earlier run readable."""
    out = tmp_path / "out"
    shutil.copytree(uninterrupted, out)
    monkeypatch.setattr(pd.DataFrame, "to_csv", _disk_full)
    code, err = in_process(capsys, "run", scenario, "-n", REPLICATIONS + 1, "-j", 1, "--out", out)
    assert code == 2 and "No space left on device" in err, err
    assert read_results(out).manifest["replications"] == REPLICATIONS
    assert len(stored(out)) == REPLICATIONS + 1, "the new replication was not kept"


def test_failed_store_stops_with_a_message(scenario: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]):
    monkeypatch.setattr(np, "savez", _disk_full)
    out = tmp_path / "out"
    code, err = in_process(capsys, "run", scenario, "-n", 1, "-j", 1, "--out", out)
    assert code == 2 and "could not be stored" in err, err
    assert not list((out / REPLICATIONS_FOLDER).glob(".*tmp*"))


@pytest.mark.parametrize("differs", ["seed", "scenario"])
def test_folder_of_another_run_is_refused_unless_forced(scenario: Path, uninterrupted: Path,
                                                        tmp_path: Path, differs: str,
                                                        capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "out"
    shutil.copytree(uninterrupted, out)
    path = scenario
    args: list[object] = ["-n", 1, "-j", 1, "--out", out]
    if differs == "seed":
        args += ["--seed", 2]
    else:
        path = tmp_path / "other.toml"
        path.write_text(SCENARIO.replace('"durable"', '"other"'), encoding="utf-8")
    manifest_before = (out / MANIFEST).read_bytes()
    code, err = in_process(capsys, "run", path, *args)
    assert code == 2, err
    assert str(out) in err and differs in err and "--force" in err
    assert (out / MANIFEST).read_bytes() == manifest_before, "the refused run wrote anyway"

    code, err = in_process(capsys, "run", path, *args, "--force")
    assert code == 0, err
    assert read_results(out).manifest["replications"] == 1
    assert len(stored(out)) == 1, "replications of the replaced run were kept"


def test_folder_of_other_files_is_refused(scenario: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    code, err = in_process(capsys, "run", scenario, "-n", 1, "-j", 1, "--out", tmp_path)
    assert code == 2 and "notes.txt" in err, err
    assert not (tmp_path / "daily.csv").exists()


def test_run_never_overwrites_its_own_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]):
    """`run scenario.toml --out .` in the scenario's own folder: refused even with --force."""
    path = tmp_path / "scenario.toml"
    path.write_text(SCENARIO + "# a source comment that must survive\n", encoding="utf-8")
    text = path.read_bytes()
    monkeypatch.chdir(tmp_path)
    for extra in ([], ["--force"]):
        code, err = in_process(capsys, "run", "scenario.toml", "-n", 1, "-j", 1, "--out", ".",
                               *extra)
        assert code == 2, err
        assert "overwrite its own input" in err
    assert path.read_bytes() == text


def test_run_never_overwrites_a_base_it_extends(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]):
    (tmp_path / "scenario.toml").write_text(SCENARIO, encoding="utf-8")
    variant = tmp_path / "variant.toml"
    variant.write_text('extends = "scenario.toml"\nname = "variant"\n', encoding="utf-8")
    code, err = in_process(capsys, "run", variant, "-n", 1, "-j", 1, "--out", tmp_path, "--force")
    assert code == 2 and "scenario.toml" in err, err


@pytest.mark.parametrize("where", ["a-file", "under-a-file", "under-proc"])
def test_output_location_is_checked_before_simulating(scenario: Path, tmp_path: Path, where: str,
                                                      capsys: pytest.CaptureFixture[str]):
    """An --out that cannot be a folder, or cannot be written (under /proc even root cannot), is
    refused at once, not after the simulation."""
    blocker = tmp_path / "blocker"
    blocker.write_text("", encoding="utf-8")
    out = {"a-file": blocker, "under-a-file": blocker / "out",
           "under-proc": Path("/proc/golive-sim-results")}[where]
    code, err = in_process(capsys, "run", scenario, "-n", REPLICATIONS, "-j", 1, "--out", out)
    assert code == 2, err
    assert str(out if where == "under-proc" else blocker) in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_is_refused_before_simulating(scenario: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "read-only"
    out.mkdir(mode=0o500)
    code, err = in_process(capsys, "run", scenario, "-n", REPLICATIONS, "-j", 1, "--out", out)
    assert code == 2 and "cannot write there" in err, err


# -- report refuses every folder that is not whole and of one run ------------------------------

def _report(folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code = cli.main(["report", str(folder), "--out", str(folder / "r.pdf")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert not (folder / "r.pdf").exists()
    return err


def _resign(folder: Path) -> None:
    """Update the manifest's checksums, as a careful forger would: the deeper checks must hold."""
    import hashlib

    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    for name in manifest["files"]:
        manifest["files"][name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _replace_first_number(path: Path, column: int, value: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[column] = value
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _drop_column(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")


def _claim_40_weeks(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace("weeks_after = 2",
                                                             "weeks_after = 40"),
                    encoding="utf-8")


CORRUPTIONS = {
    # name: (file, how, text the refusal must contain, whether the forger re-signs)
    "truncated-daily": ("daily.csv", _truncate, "daily.csv", False),
    "truncated-daily-resigned": ("daily.csv", _truncate, "daily.csv", True),
    "garbage-in-summary": ("summary.csv", lambda p: _replace_first_number(p, 3, "garbage"),
                           "summary.csv", False),
    "garbage-in-summary-resigned": ("summary.csv", lambda p: _replace_first_number(p, 3, "garbage"),
                                    "garbage", True),
    "inf-in-summary-resigned": ("summary.csv", lambda p: _replace_first_number(p, 3, "inf"),
                                "not a finite number", True),
    "missing-column-resigned": ("weekly.csv", _drop_column, "columns", True),
    "empty-csv": ("weekly.csv", lambda p: p.write_bytes(b""), "weekly.csv", False),
    "empty-csv-resigned": ("weekly.csv", lambda p: p.write_bytes(b""), "weekly.csv", True),
    "edited-scenario": ("scenario.toml", _claim_40_weeks, "scenario.toml", False),
    "edited-scenario-resigned": ("scenario.toml", _claim_40_weeks, "calendar", True),
    "empty-verdict": ("verdict.json", lambda p: p.write_text("{}"), "verdict.json", False),
    "empty-verdict-resigned": ("verdict.json", lambda p: p.write_text("{}"), "run id", True),
    "unparseable-verdict-resigned": ("verdict.json", lambda p: p.write_text("{not json"),
                                     "not readable JSON", True),
    "unparseable-manifest": ("manifest.json", lambda p: p.write_text("{not json"),
                             "manifest.json", False),
    "manifest-list": ("manifest.json", lambda p: p.write_text("[]"), "manifest.json", False),
    "manifest-without-run-id": ("manifest.json", lambda p: p.write_text('{"seed": 1}'),
                                "no run id", False),
    "missing-manifest": ("manifest.json", Path.unlink, "incomplete", False),
    "missing-verdict": ("verdict.json", Path.unlink, "verdict.json: missing", False),
    "missing-daily": ("daily.csv", Path.unlink, "daily.csv: missing", False),
}


@pytest.mark.parametrize("case", CORRUPTIONS, ids=list(CORRUPTIONS))
def test_report_refuses_a_corrupted_folder(case: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]):
    folder = tmp_path / "results"
    shutil.copytree(SMALL, folder)
    name, corrupt, expected, resign = CORRUPTIONS[case]
    corrupt(folder / name)
    if resign:
        _resign(folder)
    err = _report(folder, capsys)
    assert str(folder) in err and expected in err, err


def test_report_refuses_a_folder_mixing_two_runs(uninterrupted: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]):
    """Scenario and manifest of one run, the verdict of another: refused, the verdict named."""
    folder = tmp_path / "results"
    shutil.copytree(SMALL, folder)
    shutil.copy(uninterrupted / "verdict.json", folder / "verdict.json")
    err = _report(folder, capsys)
    assert str(folder / "verdict.json") in err


def test_compare_refuses_a_corrupted_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    good, bad = tmp_path / "good", tmp_path / "bad"
    shutil.copytree(SMALL, good)
    shutil.copytree(SMALL, bad)
    (bad / "summary.csv").write_text("week\n", encoding="utf-8")
    out = tmp_path / "c.pdf"
    assert cli.main(["compare", str(good), str(bad), "--out", str(out)]) == 2
    assert str(bad / "summary.csv") in capsys.readouterr().err
    assert not out.exists()


def test_the_stored_folder_is_whole():
    """The control: the untouched folder passes every check."""
    assert read_results(SMALL).manifest["replications"] == 3


def test_read_results_refuses_in_python(tmp_path: Path):
    with pytest.raises(FolderError, match="no such results folder"):
        read_results(tmp_path / "nowhere")
    os.mkdir(tmp_path / "empty")
    with pytest.raises(FolderError, match="not a results folder"):
        read_results(tmp_path / "empty")


@pytest.mark.parametrize("command", ["report", "compare"])
@pytest.mark.parametrize("out", ["/tmp", "/proc/golive-sim/report.pdf"], ids=["folder", "proc"])
def test_report_location_is_checked_before_rendering(command: str, out: str,
                                                     capsys: pytest.CaptureFixture[str]):
    folders = [SMALL] if command == "report" else [SMALL, SMALL]
    code, err = in_process(capsys, command, *folders, "--out", out)
    assert code == 2 and out in err, err
