"""Same seed, same numbers: byte-identical result tables whatever the number of worker processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SCENARIOS

TABLES = ("daily.csv", "weekly.csv", "summary.csv")


def _run(out: Path, *options: str) -> dict[str, bytes]:
    subprocess.run(
        [sys.executable, "-m", "sim", "run", str(SCENARIOS / "validation" / "erlang-a.toml"),
         "--replications", "3", "--out", str(out), *options],
        check=True, cwd=ROOT, capture_output=True,
    )
    return {name: (out / name).read_bytes() for name in TABLES}


@pytest.fixture(scope="module")
def one_job(tmp_path_factory) -> dict[str, bytes]:
    return _run(tmp_path_factory.mktemp("one"), "--seed", "5", "--jobs", "1")


def test_same_seed_gives_byte_identical_tables(one_job, tmp_path):
    assert _run(tmp_path, "--seed", "5", "--jobs", "1") == one_job


def test_one_and_two_jobs_give_byte_identical_tables(one_job, tmp_path):
    assert _run(tmp_path, "--seed", "5", "--jobs", "2") == one_job


def test_another_seed_gives_other_numbers(one_job, tmp_path):
    assert _run(tmp_path, "--seed", "6", "--jobs", "1")["weekly.csv"] != one_job["weekly.csv"]


def test_results_folder_holds_the_contract_files(tmp_path):
    _run(tmp_path, "--seed", "5", "--jobs", "1")
    names = {p.name for p in tmp_path.iterdir()}
    assert {"scenario.toml", "manifest.json", *TABLES} <= names
    header = (tmp_path / "summary.csv").read_text().splitlines()[0]
    assert header == "week,service,metric,mean,ci_low,ci_high,p05,p50,p95,standard,meets_share"
