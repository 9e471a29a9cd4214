"""Probability distributions as written in scenario files, and the fast samplers built from them.

A scenario names a distribution as a TOML table (`{ dist = "lognormal", mean = 6, sd = 4 }`);
each replication turns it into a `Sampler` bound to one of its seeded numpy Generators. Samplers
draw in batches so that the simulation's hot paths pay one Python call per value, not one numpy
call.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

BATCH_SIZE = 4096
"""Values drawn per numpy call: large enough to amortise the call, small enough to stay in cache."""

MAX_VALUE = 1e6
"""Largest mean, sd or value of a distribution: a million minutes is two years, a million hours
a century; beyond it sums on the simulation clock lose their meaning."""

MAX_VARIATION = 1e3
MIN_GAMMA_VARIATION = 1e-6
"""Bounds on sd / mean: beyond them the lognormal's and gamma's own parameters overflow (a gamma
shape of (mean / sd)^2, a lognormal sigma^2 of log(1 + (sd / mean)^2))."""

Magnitude = Annotated[float, Field(ge=0, le=MAX_VALUE)]
Positive = Annotated[float, Field(gt=0, le=MAX_VALUE)]


def _check_variation(sd: float, mean: float, low: float) -> None:
    """Refuse an sd whose ratio to the mean makes the distribution's parameters overflow."""
    variation = sd / mean
    if sd > 0 and not low <= variation <= MAX_VARIATION:
        raise ValueError(f"sd {sd:g} is {variation:.3g} times the mean {mean:g}; accepted: an sd "
                         f"from {low:g} to {MAX_VARIATION:g} times the mean")


def arrays_as_tuples(data: object) -> object:
    """A table's arrays (lists, as TOML reads them) as tuples, for strict immutable models."""
    if isinstance(data, dict):
        return {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    return data


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, strict=True)

    @model_validator(mode="before")
    @classmethod
    def _arrays_as_tuples(cls, data: object) -> object:
        return arrays_as_tuples(data)

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw `size` values with `rng`."""
        raise NotImplementedError

    @property
    def mean_value(self) -> float:
        """The distribution's mean, for analytic checks and sizing."""
        raise NotImplementedError


class Fixed(_Spec):
    """Always the same value (deterministic tests, fixed durations)."""

    dist: Literal["fixed"]
    value: Magnitude

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return np.full(size, self.value)

    @property
    def mean_value(self) -> float:
        return self.value


class Exponential(_Spec):
    """Memoryless durations, by their mean (the queueing-theory case)."""

    dist: Literal["exponential"]
    mean: Positive

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.exponential(self.mean, size)

    @property
    def mean_value(self) -> float:
        return self.mean


class Lognormal(_Spec):
    """Right-skewed durations by their mean and standard deviation (not the log's)."""

    dist: Literal["lognormal"]
    mean: Positive
    sd: Magnitude

    @model_validator(mode="after")
    def _parameters_finite(self) -> Lognormal:
        _check_variation(self.sd, self.mean, 0.0)
        return self

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        sigma2 = math.log1p((self.sd / self.mean) ** 2)
        mu = math.log(self.mean) - sigma2 / 2
        return rng.lognormal(mu, math.sqrt(sigma2), size)

    @property
    def mean_value(self) -> float:
        return self.mean


class Gamma(_Spec):
    """Durations by mean and standard deviation, less heavy-tailed than the lognormal."""

    dist: Literal["gamma"]
    mean: Positive
    sd: Positive

    @model_validator(mode="after")
    def _parameters_finite(self) -> Gamma:
        _check_variation(self.sd, self.mean, MIN_GAMMA_VARIATION)
        return self

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        shape = (self.mean / self.sd) ** 2
        return rng.gamma(shape, self.sd**2 / self.mean, size)

    @property
    def mean_value(self) -> float:
        return self.mean


class Empirical(_Spec):
    """Observed values, drawn with replacement (optionally weighted)."""

    dist: Literal["empirical"]
    values: tuple[Magnitude, ...] = Field(min_length=1)
    weights: tuple[Annotated[float, Field(ge=0, le=MAX_VALUE)], ...] | None = None

    @model_validator(mode="after")
    def _weights_match_values(self) -> Empirical:
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(
                    f"weights has {len(self.weights)} entries but values has {len(self.values)}"
                )
            if sum(self.weights) <= 0:
                raise ValueError("weights must not all be zero")
        return self

    def _probabilities(self) -> np.ndarray | None:
        if self.weights is None:
            return None
        w = np.asarray(self.weights, dtype=float)
        return w / w.sum()

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.choice(np.asarray(self.values, dtype=float), size, p=self._probabilities())

    @property
    def mean_value(self) -> float:
        p = self._probabilities()
        values = np.asarray(self.values, dtype=float)
        return float(values.mean() if p is None else values @ p)


Distribution = Annotated[
    Fixed | Exponential | Lognormal | Gamma | Empirical, Field(discriminator="dist")
]
"""Any distribution a scenario may name, told apart by its `dist` key."""


class StandardUniform:
    """Uniform on [0, 1): the draws behind yes/no events that have a probability."""

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.random(size)


class Sampler:
    """Hands out one value at a time from batches drawn on a seeded Generator."""

    __slots__ = ("_spec", "_rng", "_values")

    def __init__(self, spec: _Spec | StandardUniform, rng: np.random.Generator) -> None:
        self._spec = spec
        self._rng = rng
        self._values: list[float] = []

    def __call__(self) -> float:
        values = self._values
        if not values:
            # reversed so that pop() from the end yields the batch in draw order
            values.extend(reversed(self._spec.draw(self._rng, BATCH_SIZE).tolist()))
        return values.pop()


def uniforms(rng: np.random.Generator) -> Sampler:
    """A sampler of uniform [0, 1) draws, for deciding events by their probability."""
    return Sampler(StandardUniform(), rng)
