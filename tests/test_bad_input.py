"""Bad input makes `golive-sim` exit 2 with a message a person can act on, never a traceback.

Design contract: `check` and `run` name the file and the dotted key path of every problem (or the
line and column of malformed TOML) and the accepted values. Each file in tests/bad_scenarios/ is
small, named for what is wrong with it, and starts with one or more `# expect: <text>` lines:
texts the error output must contain.

The command runs as a subprocess (as a person would run it), so a traceback anywhere between the
command line and the schema shows up here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
GOOD = SCENARIOS / "validation" / "erlang-c.toml"
BAD = ROOT / "tests" / "bad_scenarios"
CORPUS = sorted(BAD.glob("*.toml"))
EXPECT = "# expect: "
EXIT_BAD_INPUT = 2


def golive(*args: object) -> subprocess.CompletedProcess[str]:
    """Run the command line as a user would, from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "sim", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def expectations(path: Path) -> list[str]:
    """The `# expect:` texts at the top of a corpus file (its header is ASCII, even if the rest
    is not UTF-8)."""
    texts = []
    for line in path.read_bytes().splitlines():
        text = line.decode("ascii", errors="replace")
        if not text.startswith(EXPECT):
            break
        texts.append(text.removeprefix(EXPECT))
    return texts


def assert_bad_input(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode == EXIT_BAD_INPUT, output
    for text in expected:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"


def test_corpus_is_complete():
    assert len(CORPUS) >= 24
    for path in CORPUS:
        assert expectations(path), f"{path.name} has no '{EXPECT}' line at the top"


@pytest.fixture(scope="module")
def corpus_checks(request: pytest.FixtureRequest):
    """`check` of each selected corpus file, started all at once: importing `sim` takes about a
    second, so the subprocesses run side by side, one per CPU."""
    selected = [
        item.callspec.params["path"]
        for item in request.session.items
        if getattr(item, "originalname", None) == "test_check_rejects_bad_scenario"
    ]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures: dict[Path, Future[subprocess.CompletedProcess[str]]] = {
            path: pool.submit(golive, "check", path) for path in selected
        }
        yield futures
        for future in futures.values():
            future.cancel()


@pytest.mark.parametrize("path", CORPUS, ids=[path.stem for path in CORPUS])
def test_check_rejects_bad_scenario(path: Path, corpus_checks):
    result = corpus_checks[path].result()
    assert_bad_input(result, str(path), *expectations(path))


def test_shipped_scenarios_pass_check():
    """The control: the checker does not reject everything."""
    shipped = sorted(SCENARIOS.rglob("*.toml"))
    result = golive("check", *shipped)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": ok") == len(shipped)


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path):
    """Not bad input: UTF-8 as Windows Notepad saves it, with a byte-order mark."""
    path = tmp_path / "with-bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.read_bytes())
    result = golive("check", path)
    assert result.returncode == 0, result.stderr


def test_binary_file(tmp_path: Path):
    path = tmp_path / "picture.toml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert_bad_input(golive("check", path), str(path), "not UTF-8 text", "line 1")


def test_zero_byte_file(tmp_path: Path):
    path = tmp_path / "empty.toml"
    path.write_bytes(b"")
    assert_bad_input(golive("check", path), str(path), "empty")


def test_missing_file(tmp_path: Path):
    path = tmp_path / "no-such-scenario.toml"
    assert_bad_input(golive("check", path), str(path), "no such file")


def test_directory(tmp_path: Path):
    assert_bad_input(golive("check", tmp_path), str(tmp_path), "is a directory")


def test_problem_in_a_base_names_both_files(tmp_path: Path):
    """A file that extends a broken base: the base is named, and the file that extends it."""
    base = tmp_path / "base.toml"
    base.write_text('name = "base"\n[calendar\n', encoding="utf-8")
    child = tmp_path / "child.toml"
    child.write_text('extends = "base.toml"\nname = "child"\n', encoding="utf-8")
    assert_bad_input(golive("check", child), str(base), str(child), "line 2")


def test_override_of_a_good_base_is_checked(tmp_path: Path):
    child = tmp_path / "child.toml"
    child.write_text(
        f'extends = "{GOOD.as_posix()}"\nname = "child"\n[phone]\nshifts = []\n', encoding="utf-8"
    )
    assert_bad_input(golive("check", child), str(child), "phone.shifts", "at least 1 entry")


@pytest.mark.parametrize(
    "name", ["shift-ends-before-it-starts.toml", "toml-missing-equals.toml", "no-such-file.toml"]
)
def test_run_rejects_bad_scenario_without_writing_results(tmp_path: Path, name: str):
    path = BAD / name
    out = tmp_path / "out"
    result = golive("run", path, "--replications", "1", "--jobs", "1", "--out", out)
    assert_bad_input(result, str(path))
    assert not out.exists()


def test_check_reports_every_bad_file():
    bad = [BAD / "share-above-one.toml", BAD / "time-of-day-8am.toml"]
    result = golive("check", bad[0], GOOD, bad[1])
    assert_bad_input(
        result, str(bad[0]), "phone.staff.trained_share", str(bad[1]), "phone.shifts[0].start"
    )
    assert f"{GOOD}: ok" in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run", GOOD, "--replications", "0"], "at least 1"),
        (["run", GOOD, "--jobs", "x"], "whole number"),
        (["run", GOOD, "--seed", "-1"], "at least 0"),
        (["forecast", GOOD, "-n", "many"], "whole number"),
        (["check"], "SCENARIO"),
        (["simulate", GOOD], "invalid choice"),
    ],
    ids=[
        "replications-0",
        "jobs-x",
        "seed-negative",
        "forecast-n-many",
        "check-no-file",
        "unknown-command",
    ],
)
def test_bad_option(tmp_path: Path, args: list[object], expected: str):
    out = tmp_path / "out"
    result = golive(*args, "--out", out) if args[0] != "check" else golive(*args)
    assert_bad_input(result, "usage:", expected)
    assert not out.exists()


def test_every_problem_is_listed():
    path = BAD / "several-problems.toml"
    result = golive("check", path)
    expected = expectations(path)
    assert_bad_input(result, f"{path}: {len(expected)} problems", *expected)
    problem_lines = [line for line in result.stderr.splitlines() if line.startswith("  ")]
    assert len(problem_lines) == len(expected), result.stderr
