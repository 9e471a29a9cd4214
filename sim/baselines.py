"""The list of baseline scenarios that `golive-sim regress` reruns (scenarios/baselines.toml):
each scenario with its seed and replication count, where the stored baselines are, and the
tolerance rule (docs/regression.md). Light to import, so that `check` can validate the list.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError

from sim.scenario import Strict
from sim.scenario_file import MAX_FILE_BYTES

LIST_KEY = "baseline"
"""The table array that makes a TOML file a list of baselines rather than a scenario."""

UNIT_SUFFIXES = ("share", "seconds", "minutes", "hours", "days")
"""Metric kinds by the unit that ends the metric's name; any other metric is a count."""


class RegressionInputError(Exception):
    """A baselines file or a stored baseline that cannot be used (exit 2, this message)."""


class Tolerance(Strict):
    """How far a weekly mean may move before `regress` fails (docs/regression.md)."""

    standard_errors: Annotated[float, Field(gt=0)]
    floors: dict[str, Annotated[float, Field(ge=0)]]

    def floor(self, metric: str) -> float:
        """The absolute floor of a metric's kind: the unit its name ends in, else `count`."""
        kind = next((u for u in UNIT_SUFFIXES if metric.endswith(u)), "count")
        if metric == "service_level":
            kind = "share"
        return self.floors[kind]


class Baseline(Strict):
    """One baseline scenario: the file (relative to the baselines file), seed and replications."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
    scenario: str
    seed: Annotated[int, Field(ge=0)]
    replications: Annotated[int, Field(ge=2, le=100)]


class BaselineList(Strict):
    """scenarios/baselines.toml: where the stored baselines are, the rule and the scenarios."""

    directory: str
    tolerance: Tolerance
    baseline: tuple[Baseline, ...] = Field(min_length=1)


@dataclass(frozen=True)
class BaselineSet:
    """A read baselines file with its paths resolved."""

    file: Path
    directory: Path
    tolerance: Tolerance
    baselines: tuple[Baseline, ...]

    def scenario_path(self, baseline: Baseline) -> Path:
        return (self.file.parent / baseline.scenario).resolve()

    def stored_path(self, baseline: Baseline) -> Path:
        return self.directory / f"{baseline.name}.csv"


def read_baseline_set(file: Path) -> BaselineSet:
    """Read and check a baselines file; RegressionInputError names every problem."""
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as e:
        raise RegressionInputError(f"{file}: cannot read ({e.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise RegressionInputError(f"{file}: not a TOML file ({e})") from None
    try:
        spec = BaselineList.model_validate(data)
    except ValidationError as e:
        problems = [f"  {_dotted(err['loc'])}: {err['msg']}" for err in e.errors()]
        raise RegressionInputError(_problems(file, problems)) from None
    problems = []
    names = [b.name for b in spec.baseline]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"  baseline: the name {name!r} is used more than once")
    missing = {"count", *UNIT_SUFFIXES} - set(spec.tolerance.floors)
    if missing:
        problems.append(f"  tolerance.floors: missing {', '.join(sorted(missing))}")
    result = BaselineSet(file, (file.parent / spec.directory).resolve(), spec.tolerance,
                         spec.baseline)
    for i, b in enumerate(spec.baseline):
        if not result.scenario_path(b).is_file():
            problems.append(f"  baseline[{i}].scenario: no such file {result.scenario_path(b)}")
    if problems:
        raise RegressionInputError(_problems(file, problems))
    return result


def _dotted(loc: tuple[Any, ...]) -> str:
    """A pydantic error location as a key path: `baseline[0].replications`."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def _problems(file: Path, problems: list[str]) -> str:
    return "\n".join([f"{file}: {len(problems)} problem(s)", *problems])


def is_baseline_list(path: Path) -> bool:
    """Whether a TOML file is a list of baselines (it has `[[baseline]]` tables). Anything but a
    regular file of a scenario file's size is not, and is left to the scenario loader to refuse
    without reading it."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return False
        return LIST_KEY in tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
