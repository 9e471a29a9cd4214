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
    assert len(CORPUS) >= 90
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


# -- files that are not scenario files, and `extends` at its edges -------------------------------

def test_device_is_refused_without_reading_it():
    """`check /dev/zero` would read forever: a file that is not a regular file is refused."""
    assert_bad_input(golive("check", "/dev/zero"), "/dev/zero", "not a regular file")


def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    assert_bad_input(golive("check", fifo), str(fifo), "not a regular file")


def test_12_megabytes_of_unknown_keys_are_refused_at_once(tmp_path: Path):
    path = tmp_path / "huge.toml"
    path.write_text("".join(f"key_{i} = {i}\n" for i in range(800_000)), encoding="utf-8")
    assert path.stat().st_size > 12_000_000
    result = golive("check", path)
    assert_bad_input(result, str(path), "at most 1,000,000 bytes")
    assert len(result.stderr) < 1000


def test_a_flood_of_problems_is_cut_short(tmp_path: Path):
    """A file just under the size limit with 60,000 unknown keys lists 50 problems, not 60,000."""
    path = tmp_path / "keys.toml"
    path.write_text(GOOD.read_text(encoding="utf-8")
                    + "".join(f"k{i} = 1\n" for i in range(60_000)), encoding="utf-8")
    result = golive("check", path)
    assert_bad_input(result, str(path), "unknown key", "more problems")
    assert result.stderr.count("unknown key") == 50


def test_symlink_loop_in_extends(tmp_path: Path):
    (tmp_path / "a.toml").symlink_to(tmp_path / "b.toml")
    (tmp_path / "b.toml").symlink_to(tmp_path / "a.toml")
    child = tmp_path / "child.toml"
    child.write_text('extends = "a.toml"\nname = "child"\n', encoding="utf-8")
    assert_bad_input(golive("check", child), str(child), "extends")


def test_symlink_loop_as_the_scenario(tmp_path: Path):
    (tmp_path / "a.toml").symlink_to(tmp_path / "a.toml")
    assert_bad_input(golive("check", tmp_path / "a.toml"), str(tmp_path / "a.toml"),
                     "cannot be read")


def test_extends_chain_1000_deep(tmp_path: Path):
    for i in range(1000):
        (tmp_path / f"s{i}.toml").write_text(f'extends = "s{i + 1}.toml"\nname = "s{i}"\n',
                                             encoding="utf-8")
    (tmp_path / "s1000.toml").write_bytes(GOOD.read_bytes())
    assert_bad_input(golive("check", tmp_path / "s0.toml"), "extends", "shorter chain")


def test_variant_without_a_name_is_named_after_its_file(tmp_path: Path):
    """A variant that sets no name must not take its base's (and overwrite the base's results)."""
    from sim import load_scenario

    variant = tmp_path / "more-agents.toml"
    variant.write_text(f'extends = "{GOOD.as_posix()}"\n[phone]\nshifts = [{{ days = "all", '
                       'start = "00:00", end = "24:00", staff = 11 }]\n', encoding="utf-8")
    assert load_scenario(variant).name == "more-agents"


def test_variant_without_a_name_and_a_file_name_that_is_no_name(tmp_path: Path):
    variant = tmp_path / "more agents (draft).toml"
    variant.write_text(f'extends = "{GOOD.as_posix()}"\n', encoding="utf-8")
    assert_bad_input(golive("check", variant), str(variant), "name", "required in a file that "
                     "extends another")


# -- work estimate ---------------------------------------------------------------------------------

def test_run_too_large_is_refused_before_it_starts(tmp_path: Path):
    """A million calls a day for 104 weeks: within each limit, far beyond the work estimate."""
    path = tmp_path / "busy.toml"
    path.write_text(GOOD.read_text(encoding="utf-8").replace("weeks_after = 1", "weeks_after = 104")
                    .replace("2880", "1000000"), encoding="utf-8")
    out = tmp_path / "out"
    result = golive("run", path, "-n", 2, "--out", out)
    assert_bad_input(result, "--allow-large", "replications")
    assert not out.exists()


def test_a_billion_replications_are_refused_at_once(tmp_path: Path):
    out = tmp_path / "out"
    assert_bad_input(golive("run", GOOD, "--replications", "1000000000", "--out", out),
                     "at most 100,000 replications")
    assert not out.exists()
