"""Uncertain assumptions: scenario keys whose values we do not know, with their plausible values.

A scenario's `[uncertainty]` table names keys by path (`sim.paths` grammar, list indices included:
`"phone.shifts[0].staff"`) with a distribution over plausible values: uniform, triangular, normal
(truncated to the key's valid range) or a discrete choice. Each replication draws one value per
key, on a stream of that key's own (`uncertainty.<path>`), so the model's streams (demand,
service times) are not touched and scenarios still share their random events, and adding a key
never changes the draws of another. A key on a whole number (staff, agents) draws whole numbers.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator
from scipy import special

from sim.distributions import arrays_as_tuples
from sim.paths import parse_path
from sim.streams import Streams

STREAM_PREFIX = "uncertainty."
"""Each uncertain key draws on the stream `uncertainty.<path>` of its replication."""

MAX_UNCERTAIN_KEYS = 50
"""Keys in one `[uncertainty]` table: sensitivity runs two scenarios per key."""

SENSITIVITY_QUANTILES = (0.05, 0.95)
"""A normal's low and high for sensitivity: its 5th and 95th percentiles (after truncation);
the other distributions use their ends."""

PARAMETER_COLUMNS = ["replication", "path", "value"]
"""parameters.csv (design section 5)."""

Number = Annotated[float, Field(allow_inf_nan=False)]


class _Plausible(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, strict=True)

    @model_validator(mode="before")
    @classmethod
    def _arrays_as_tuples(cls, data: object) -> object:
        return arrays_as_tuples(data)

    def draw(self, rng: np.random.Generator, bounds: tuple[float, float], whole: bool) -> float:
        """One value, within `bounds` (the key's valid range), whole when `whole`."""
        raise NotImplementedError

    def central(self, bounds: tuple[float, float]) -> float:
        """The value the other keys take while one is varied (sensitivity)."""
        raise NotImplementedError

    def ends(self, bounds: tuple[float, float]) -> tuple[float, float]:
        """The low and high plausible values (sensitivity)."""
        raise NotImplementedError


class Uniform(_Plausible):
    """Every value from `low` to `high` equally plausible."""

    dist: Literal["uniform"]
    low: Number
    high: Number

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError(f"high {self.high:g} is below low {self.low:g}")
        return self

    def draw(self, rng: np.random.Generator, bounds: tuple[float, float], whole: bool) -> float:
        if whole:
            return float(rng.integers(math.ceil(self.low), math.floor(self.high) + 1))
        return float(rng.uniform(self.low, self.high))

    def central(self, bounds: tuple[float, float]) -> float:
        return (self.low + self.high) / 2

    def ends(self, bounds: tuple[float, float]) -> tuple[float, float]:
        return self.low, self.high


class Triangular(_Plausible):
    """From `low` to `high`, most plausible at `mode`."""

    dist: Literal["triangular"]
    low: Number
    mode: Number
    high: Number

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"low {self.low:g}, mode {self.mode:g} and high {self.high:g} are "
                             "not in order; accepted: low <= mode <= high")
        return self

    def draw(self, rng: np.random.Generator, bounds: tuple[float, float], whole: bool) -> float:
        u = float(rng.random())
        low, mode, high = self.low, self.mode, self.high
        if high == low:
            return low
        cut = (mode - low) / (high - low)
        if u < cut:
            return low + math.sqrt(u * (high - low) * (mode - low))
        return high - math.sqrt((1 - u) * (high - low) * (high - mode))

    def central(self, bounds: tuple[float, float]) -> float:
        return self.mode

    def ends(self, bounds: tuple[float, float]) -> tuple[float, float]:
        return self.low, self.high


class Normal(_Plausible):
    """Around `mean` with standard deviation `sd`, truncated to the key's valid range (and to
    `low` and `high` when given)."""

    dist: Literal["normal"]
    mean: Number
    sd: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    low: Number | None = None
    high: Number | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Normal:
        if self.low is not None and self.high is not None and self.high < self.low:
            raise ValueError(f"high {self.high:g} is below low {self.low:g}")
        return self

    def _range(self, bounds: tuple[float, float]) -> tuple[float, float]:
        low = max(bounds[0], self.low if self.low is not None else -math.inf)
        high = min(bounds[1], self.high if self.high is not None else math.inf)
        return low, high

    def _quantile(self, u: float, bounds: tuple[float, float]) -> float:
        """The value below which a share `u` of the truncated normal lies (inverse CDF)."""
        low, high = self._range(bounds)
        if self.sd == 0:
            return min(max(self.mean, low), high)
        a, b = (float(special.ndtr((x - self.mean) / self.sd)) for x in (low, high))
        return min(max(self.mean + self.sd * float(special.ndtri(a + u * (b - a))), low), high)

    def draw(self, rng: np.random.Generator, bounds: tuple[float, float], whole: bool) -> float:
        return self._quantile(float(rng.random()), bounds)

    def central(self, bounds: tuple[float, float]) -> float:
        low, high = self._range(bounds)
        return min(max(self.mean, low), high)

    def ends(self, bounds: tuple[float, float]) -> tuple[float, float]:
        low, high = SENSITIVITY_QUANTILES
        return self._quantile(low, bounds), self._quantile(high, bounds)


class Choice(_Plausible):
    """One of a few `values`, equally plausible or by `weights`."""

    dist: Literal["choice"]
    values: tuple[Number, ...] = Field(min_length=1, max_length=100)
    weights: tuple[Annotated[float, Field(ge=0, allow_inf_nan=False)], ...] | None = None

    @model_validator(mode="after")
    def _weights_match(self) -> Choice:
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(f"weights has {len(self.weights)} entries but values has "
                                 f"{len(self.values)}")
            if sum(self.weights) <= 0:
                raise ValueError("weights must not all be zero")
        return self

    def draw(self, rng: np.random.Generator, bounds: tuple[float, float], whole: bool) -> float:
        p = None if self.weights is None else np.asarray(self.weights) / sum(self.weights)
        return float(self.values[int(rng.choice(len(self.values), p=p))])

    def central(self, bounds: tuple[float, float]) -> float:
        ordered = sorted(self.values)
        return ordered[(len(ordered) - 1) // 2]

    def ends(self, bounds: tuple[float, float]) -> tuple[float, float]:
        return min(self.values), max(self.values)


Plausible = Annotated[Uniform | Triangular | Normal | Choice, Field(discriminator="dist")]
"""A distribution over a key's plausible values, told apart by its `dist` key."""


# -- keys of the scenario -------------------------------------------------------------------------

def still_uncertain(table: dict[str, Any], changed: list[str]) -> dict[str, Any]:
    """The entries of an `[uncertainty]` table that `changed` paths leave uncertain: a key set
    to a value (or inside a table set whole) is no longer drawn, so a change always holds."""
    def fixed(path: str) -> bool:
        return any(path == c or path.startswith((f"{c}.", f"{c}[")) for c in changed
                   if parse_path(c)[0] != "uncertainty")
    return {path: plausible for path, plausible in table.items() if not fixed(path)}


def key_bounds(scenario: BaseModel, path: str) -> tuple[float, float]:
    """The valid range of the key at `path`, from the schema's bounds on its field (an open
    bound counts as closed: the draw of the bound itself has probability zero)."""
    steps = parse_path(path)
    node: Any = scenario
    for step in steps[:-1]:
        node = node[step] if isinstance(step, int) else getattr(node, step)
    last = steps[-1]
    if isinstance(last, int) or not isinstance(node, BaseModel):
        return -math.inf, math.inf
    field = type(node).model_fields.get(last)
    low, high = -math.inf, math.inf
    for meta in field.metadata if field is not None else ():
        for name in ("ge", "gt"):
            if getattr(meta, name, None) is not None:
                low = max(low, float(getattr(meta, name)))
        for name in ("le", "lt"):
            if getattr(meta, name, None) is not None:
                high = min(high, float(getattr(meta, name)))
    return low, high


def as_key_value(value: float, current: object) -> float | int:
    """A drawn value in the type of the key's current value: whole numbers stay whole."""
    if isinstance(current, int) and not isinstance(current, bool):
        return int(round(value))
    return float(value)


def draw_values(scenario: Any, seed: np.random.SeedSequence) -> dict[str, float | int]:
    """This replication's value of each uncertain key, each on its own stream of `seed`."""
    from sim.paths import get_path

    table = scenario.uncertainty or {}
    streams = Streams(seed)
    data = scenario.model_dump(mode="python", exclude_none=True)
    values: dict[str, float | int] = {}
    for path, plausible in table.items():
        current = get_path(data, path)
        whole = isinstance(current, int) and not isinstance(current, bool)
        drawn = plausible.draw(streams.generator(STREAM_PREFIX + path),
                               key_bounds(scenario, path), whole)
        values[path] = as_key_value(drawn, current)
    return values


def with_values(scenario: Any, values: dict[str, float | int]) -> Any:
    """The scenario with the keys set to `values` (validated, the original left as it was)."""
    from sim.scenario import vary

    changes: dict[str, object] = dict(values)
    return vary(scenario, changes) if changes else scenario


def no_parameters() -> pd.DataFrame:
    """parameters.csv of a scenario without an `[uncertainty]` table: no rows."""
    return pd.DataFrame(columns=PARAMETER_COLUMNS)


def parameters_table(scenario: Any, seeds: list[np.random.SeedSequence]) -> pd.DataFrame:
    """parameters.csv: every replication's drawn value of every uncertain key."""
    if not scenario.uncertainty:
        return no_parameters()
    rows = [(i, path, value)
            for i, seed in enumerate(seeds) for path, value in draw_values(scenario, seed).items()]
    table = pd.DataFrame(rows, columns=PARAMETER_COLUMNS)
    table["value"] = pd.Series([value for *_, value in rows], dtype=object)  # 6 stays 6, not 6.0
    return table


def simulate_drawn(scenario: Any, seed: np.random.SeedSequence) -> Any:
    """One replication of `scenario` at the values it draws for its uncertain keys (the task a
    worker runs when the scenario has an `[uncertainty]` table)."""
    from sim.replication import simulate

    return simulate(with_values(scenario, draw_values(scenario, seed)), seed)


def check_uncertain_keys(scenario: Any) -> None:
    """Refuse (ValueError naming the path) a key that is not a number of the scenario, a key of
    the uncertainty table itself, and plausible values outside the key's valid range."""
    from sim.paths import PathError, get_path

    data = scenario.model_dump(mode="python", exclude_none=True)
    for path, plausible in (scenario.uncertainty or {}).items():
        if path.split(".")[0].split("[")[0] in ("uncertainty", "name"):
            raise ValueError(f"uncertainty.{path!r}: not an assumption of the model")
        try:
            current = get_path(data, path)
        except PathError as e:
            raise ValueError(f"uncertainty.{path!r}: {e}") from None
        if isinstance(current, bool) or not isinstance(current, int | float):
            raise ValueError(f"uncertainty.{path!r}: the key holds {current!r}, not a number; "
                             "accepted: the path of a number (a distribution's mean: "
                             "phone.talk_time_minutes.mean)")
        low, high = key_bounds(scenario, path)
        ends = plausible.ends((low, high)) if not isinstance(plausible, Normal) else ()
        for value in ends:
            if not low <= value <= high:
                raise ValueError(f"uncertainty.{path!r}: the plausible value {value:g} is outside "
                                 f"the key's valid range {low:g} to {high:g}")
        if isinstance(current, int) and isinstance(plausible, Uniform) \
                and math.ceil(plausible.low) > math.floor(plausible.high):
            raise ValueError(f"uncertainty.{path!r}: the key is a whole number and no whole "
                             f"number lies from {plausible.low:g} to {plausible.high:g}")
