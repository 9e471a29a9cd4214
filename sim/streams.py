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
        self._names: dict[int, str] = {}

    def generator(self, name: str) -> np.random.Generator:
        """The Generator of source `name` (e.g. "phone.arrivals"), handed out once per name."""
        key = zlib.crc32(name.encode("utf-8"))
        if key in self._names:
            raise ValueError(f"stream {name!r} shares its key with {self._names[key]!r}: "
                             "every source of randomness needs a stream of its own")
        self._names[key] = name
        child = np.random.SeedSequence(self._seed.entropy, spawn_key=(*self._seed.spawn_key, key))
        return np.random.default_rng(child)
