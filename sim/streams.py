"""Seeded random streams: one numpy Generator per source of randomness, per replication.

A stream is keyed by its name, not by its position in a list, so that adding a stream (a new
service, a new activity) never changes the numbers of the existing ones, and scenarios that share
a seed share their demand (common random numbers).
"""

from __future__ import annotations

import zlib

import numpy as np


def replication_seeds(seed: int, replications: int) -> list[np.random.SeedSequence]:
    """One child seed per replication, spawned from the run's seed (design section 4)."""
    return np.random.SeedSequence(seed).spawn(replications)


class Streams:
    """The named random streams of one replication."""

    def __init__(self, seed: np.random.SeedSequence) -> None:
        self._seed = seed

    def generator(self, name: str) -> np.random.Generator:
        """The Generator of source `name` (e.g. "phone.arrivals"): same name, same stream."""
        key = zlib.crc32(name.encode("utf-8"))
        child = np.random.SeedSequence(self._seed.entropy, spawn_key=(*self._seed.spawn_key, key))
        return np.random.default_rng(child)
