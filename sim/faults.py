"""System faults that are not user errors: which work-list items, people and messages they hit.

Each kind of fault of a service draws on a stream of its own (`faults.<service>.<key>`), and only
when its share is above zero, so a scenario without faults draws nothing and every other stream
keeps its numbers (common random numbers). The services decide what a fault does
(sim/home_visits.py, sim/cases.py; docs/model.md, "System faults").
"""

from __future__ import annotations

import numpy as np

from sim.metrics import Totals
from sim.scenario import PERIOD_SUFFIXES, AccessFaults, Faults, share_after_go_live
from sim.streams import Streams


class FaultStreams:
    """The faults of one service in one replication."""

    def __init__(self, faults: AccessFaults, service: str, streams: Streams) -> None:
        self.faults = faults
        self.active = faults.active
        self._rngs: dict[str, np.random.Generator] = {}
        if self.active:
            self._rngs = {name: streams.generator(f"faults.{service}.{name}")
                          for name, _ in faults if name.endswith(PERIOD_SUFFIXES)}

    def raised(self, key: str, period: int, n: int) -> np.ndarray | None:
        """Which of `n` items (or people) meet the fault of `key` in week (or day) `period` after
        go-live; None, drawing nothing, when its share is zero then."""
        share = share_after_go_live(getattr(self.faults, key), period)
        if share == 0 or n == 0:
            return None
        return self._rngs[key].random(n) < share

    def locked_out(self, day: int, people: int, on_new_system: bool) -> np.ndarray | None:
        """Which of `people` starting a shift on day `day` after go-live cannot log in or print
        (`access_problem_share_by_day`); None, drawing nothing, before the new system is in use
        or when nobody can be that day."""
        if not (on_new_system and self.active):
            return None
        return self.raised("access_problem_share_by_day", day, people)

    def lost(self, week: int, n: int) -> tuple[np.ndarray, np.ndarray] | None:
        """(lost, noticed) of `n` work-list items in `week`: the items lost, and those of them
        someone notices in time; None when no item can be lost that week."""
        assert isinstance(self.faults, Faults), "only a service with a work list loses items"
        share = share_after_go_live(self.faults.lost_item_share_by_week, week)
        if share == 0 or n == 0:
            return None
        draws = self._rngs["lost_item_share_by_week"].random((2, n))
        lost = draws[0] < share
        return lost, lost & (draws[1] < self.faults.lost_item_noticed_share)

    def generator(self, key: str) -> np.random.Generator:
        """The stream of `key`, for what its faults take besides whether they happen."""
        return self._rngs[key]


def deviation_metrics(t: Totals, counts: dict[str, str], kinds: tuple[str, ...], whole: str,
                      per_1000: str) -> dict[str, float]:
    """A service's fault metrics: `counts` (metric -> tally count) as they are, `deviations` the
    sum of the counts `kinds`, and `per_1000` those per 1,000 of the count `whole` (NaN at 0)."""
    deviations = sum(t[kind] for kind in kinds)
    return {**{metric: t[count] for metric, count in counts.items()},
            "deviations": deviations,
            per_1000: 1000.0 * deviations / t[whole] if t[whole] else np.nan}
