"""Shared fixtures: paths of the shipped scenarios and small, quick variants of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="session")
def trondheim():
    return load_scenario(SCENARIOS / "trondheim-2022.toml")


@pytest.fixture(scope="session")
def no_golive():
    return load_scenario(SCENARIOS / "no-golive.toml")
