"""Finished replications kept on disk as they complete, so that a stopped run resumes.

Each replication is one `.npz` file (numpy arrays, exact to the last bit, no pickle), written to a
temporary name and renamed into place: a file either holds a whole replication or does not exist.
A store belongs to one run identity (scenario, seed, code version); a rerun of that identity
reuses what is there and computes only the rest.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import Refused
from sim.replication import ReplicationResult

IDENTITY_FILE = "identity.json"
PERIODS = ("daily", "weekly")
KEY_SEPARATOR = "."
"""Array names are `<period>.<service>.<metric>` (service and metric names hold no dots)."""


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a reader sees the old file or the whole new one."""
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    with open(temporary, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)


def count_stored(folder: Path) -> int:
    """Replications stored whole in `folder`."""
    return len(list(folder.glob("[0-9]*.npz")))


class ReplicationStore:
    """The finished replications of one run identity, in `folder` (created when needed)."""

    def __init__(self, folder: Path, identity: dict[str, Any]) -> None:
        self.folder = folder
        self.identity = identity

    def stored_identity(self) -> dict[str, Any] | None:
        """The identity of the replications already in the folder, None if there are none."""
        try:
            stored = json.loads((self.folder / IDENTITY_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return stored if isinstance(stored, dict) else None

    def reset(self) -> None:
        """Forget stored replications of any other identity and claim the folder for this one."""
        if self.stored_identity() != self.identity and self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        for partial in self.folder.glob(".*.tmp*"):  # left by a run that was killed mid-write
            partial.unlink()
        text = json.dumps(self.identity, indent=2, sort_keys=True) + "\n"
        write_atomically(self.folder / IDENTITY_FILE, text.encode("utf-8"))

    def count(self) -> int:
        """Replications stored whole (a file being written has a temporary name)."""
        return count_stored(self.folder)

    def _path(self, index: int) -> Path:
        return self.folder / f"{index:06d}.npz"

    def load(self, index: int) -> ReplicationResult | None:
        """Replication `index` if it was stored whole, else None (an unreadable file is dropped)."""
        path = self._path(index)
        if not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as arrays:
                tables: dict[str, dict[str, dict[str, np.ndarray]]] = {p: {} for p in PERIODS}
                for key in arrays.files:
                    period, service, metric = key.split(KEY_SEPARATOR)
                    tables[period].setdefault(service, {})[metric] = arrays[key]
        except (OSError, ValueError, KeyError):
            path.unlink(missing_ok=True)
            return None
        return ReplicationResult(tables["daily"], tables["weekly"])

    def save(self, index: int, result: ReplicationResult) -> None:
        """Store replication `index` at once, whole or not at all."""
        arrays = {
            KEY_SEPARATOR.join((period, service, metric)): values
            for period in PERIODS
            for service, metrics in getattr(result, period).items()
            for metric, values in metrics.items()
        }
        temporary = self.folder / f".{index:06d}.npz.tmp{os.getpid()}"
        try:
            with open(temporary, "wb") as f:
                np.savez(f, **arrays)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temporary, self._path(index))
        except OSError as e:  # a full disk: stop, keeping the replications stored so far
            temporary.unlink(missing_ok=True)
            raise Refused(f"{self.folder}: replication {index} could not be stored "
                          f"({e.strerror or e}); run again to resume") from None
