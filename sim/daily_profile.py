"""Shapes within a day: how demand or planned work spreads over the hours of an open window.

A scenario gives 24 hourly weights (a time-of-day profile) and a window (opening hours, a shift).
The weight of each hour counts only for its part inside the window, and time within an hour is
uniform: a piecewise-constant density whose cumulative curve is piecewise linear.
"""

from __future__ import annotations

import numpy as np

MINUTES_PER_HOUR = 60
HOUR_STARTS_MINUTES = np.arange(25) * MINUTES_PER_HOUR


class DailyProfile:
    """A time-of-day profile restricted to a window [opens, closes) of one day, in minutes."""

    def __init__(self, hourly_weights: tuple[float, ...], opens_minutes: int,
                 closes_minutes: int) -> None:
        edges = np.clip(HOUR_STARTS_MINUTES, opens_minutes, closes_minutes).astype(float)
        self._starts, self._widths = edges[:-1], np.diff(edges)
        self._mass = np.asarray(hourly_weights, dtype=float) * self._widths / MINUTES_PER_HOUR
        self._cum_end = np.cumsum(self._mass)
        self.total_weight = float(self._cum_end[-1])

    def quantile(self, shares: np.ndarray) -> np.ndarray:
        """Minutes after midnight below which `shares` (in [0, 1)) of the day's weight lies."""
        target = np.asarray(shares) * self.total_weight
        hour = np.minimum(np.searchsorted(self._cum_end, target, side="right"), 23)
        within = (target - (self._cum_end[hour] - self._mass[hour])) / self._mass[hour]
        return self._starts[hour] + within * self._widths[hour]

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """`size` independent times of day with this profile, sorted."""
        return np.sort(self.quantile(rng.random(size)))
