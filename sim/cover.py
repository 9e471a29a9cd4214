"""Cover: substitutes (vikarer) who stand in for regular staff who are away today.

A released superuser's shift may be funded and covered (the superuser is *frikjøpt*), and an absent
person's shift may be covered too. Each regular position has its own substitute, hired once per
replication with their own training state, who keeps their hands-on hours from shift to shift;
whether a position that is away today is covered is drawn each day (docs/model.md, "Cover").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

import numpy as np

from sim.learning import StaffMember
from sim.scenario import Cover, StaffGroup

Member = TypeVar("Member", bound=StaffMember)


class Substitutes(Generic[Member]):
    """One substitute per regular position of a group, and who of them works today."""

    def __init__(self, spec: Cover, group: StaffGroup, positions: int,
                 hire: Callable[[StaffGroup, bool, bool], Member],
                 staff_rng: np.random.Generator, cover_rng: np.random.Generator) -> None:
        self.spec = spec
        self._rng = cover_rng
        self.people: list[Member] = []
        if spec.active:
            share = group.trained_share if spec.trained_share is None else spec.trained_share
            trained = staff_rng.random(positions) < share
            self.people = [hire(group, bool(t), False) for t in trained]

    def stand_ins(self, absent: Iterable[int], released: Iterable[int]) -> dict[int, Member]:
        """Today's substitutes by regular position: each absent or released position is covered
        with its share. A released superuser who is off sick counts as absent: the release
        takes away, and its cover gives back, only the shifts they would have worked."""
        if not self.people:
            return {}
        draws = self._rng.random(len(self.people))
        spec = self.spec
        absent = set(absent)
        covered = {i for i in absent if draws[i] < spec.absent_share}
        covered.update(i for i in released if i not in absent and draws[i] < spec.released_share)
        return {i: self.people[i] for i in sorted(covered)}
