"""Per-day tallies of a service and the metrics computed from them, by day and by week.

A service counts events into a `Tally` while it runs (plain Python lists, cheap in the hot path).
At the end the tally is summed over each reported day and each week, and the service's metric
function turns those totals into named values: a replication returns these aggregates, never an
event log (design section 6).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import numpy as np

from sim.calendar import SimCalendar, week_of_day


class Tally:
    """Counts and samples of one service, per reported day (index = `SimCalendar.slot`).

    `levels` are states, not flows (a backlog): the service records each at the end of every
    reported day, and a period reads the value of its last day.
    """

    def __init__(self, calendar: SimCalendar, counts: Iterable[str], samples: Iterable[str] = (),
                 levels: Iterable[str] = ()):
        slots = calendar.days + 2
        self.calendar = calendar
        self.counts = {name: [0.0] * slots for name in counts}
        self.samples: dict[str, list[list[float]]] = {
            name: [[] for _ in range(slots)] for name in samples
        }
        self.levels = {name: [math.nan] * slots for name in levels}

    def add_over(self, name: str, start_minutes: float, end_minutes: float,
                 per_minute: float) -> None:
        """Add `per_minute` for each minute of [start, end) to the count `name` of each reported
        day the interval overlaps (a level of capacity spread over days, not an event)."""
        counts, calendar = self.counts[name], self.calendar
        last = len(counts) - 1
        while start_minutes < end_minutes:
            slot = calendar.slot(start_minutes)
            slot_end = calendar.report_start_minutes + slot * 24 * 60
            until = min(end_minutes, slot_end)
            counts[min(max(slot, 0), last)] += per_minute * (until - start_minutes)
            start_minutes = until

    def totals(self, slots: list[int]) -> Totals:
        """Sums of the counts and pooled samples over the given day slots, levels at the last."""
        return Totals(
            {name: sum(values[i] for i in slots) for name, values in self.counts.items()},
            {name: [x for i in slots for x in values[i]] for name, values in self.samples.items()},
            {name: values[slots[-1]] for name, values in self.levels.items()},
        )


class Totals:
    """A tally summed over a period (a day or a week), with the usual ways to read it."""

    def __init__(self, counts: dict[str, float], samples: dict[str, list[float]],
                 levels: dict[str, float] | None = None) -> None:
        self.counts = counts
        self.samples = samples
        self.levels = levels or {}

    def __getitem__(self, name: str) -> float:
        return self.counts[name]

    def share(self, part: str, whole: str) -> float:
        """part / whole, or NaN when there is nothing to divide (no verdict on no demand)."""
        return self.counts[part] / self.counts[whole] if self.counts[whole] else math.nan

    def last(self, level: str) -> float:
        """A level (e.g. the backlog) as it stood at the end of the period."""
        return self.levels[level]

    def last_share(self, part: str, whole: str) -> float:
        """part / whole of two levels at the end of the period, NaN when the whole is zero."""
        return self.levels[part] / self.levels[whole] if self.levels[whole] else math.nan

    def mean(self, sample: str) -> float:
        values = self.samples[sample]
        return sum(values) / len(values) if values else math.nan

    def quantile(self, sample: str, q: float) -> float:
        values = self.samples[sample]
        return float(np.quantile(values, q)) if values else math.nan


MetricFunction = Callable[[Totals], dict[str, float]]
PeriodMetrics = dict[str, np.ndarray]
"""Metric name -> one value per reported day (or week), in calendar order."""


def by_day_and_week(tally: Tally, metrics: MetricFunction) -> tuple[PeriodMetrics, PeriodMetrics]:
    """The service's metrics for every reported day and every week."""
    calendar = tally.calendar
    days = calendar.day_labels()
    day_slots = [[i + 1] for i in range(len(days))]
    week_slots = [
        [i + 1 for i, d in enumerate(days) if week_of_day(d) == w] for w in calendar.week_labels()
    ]
    return _stack(tally, day_slots, metrics), _stack(tally, week_slots, metrics)


def _stack(tally: Tally, periods: list[list[int]], metrics: MetricFunction) -> PeriodMetrics:
    rows = [metrics(tally.totals(slots)) for slots in periods]
    return {name: np.array([row[name] for row in rows]) for name in rows[0]}
