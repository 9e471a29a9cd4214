"""Progress of long runs: a bar with the count, the rate and the time left, on stderr.

Shown only when stderr is a terminal (a log file or CI gets no bar) unless the caller says.
"""

from __future__ import annotations

import sys

from tqdm import tqdm


def progress_bar(total: int, label: str, unit: str, done: int = 0,
                 show: bool | None = None) -> tqdm:
    """A bar for `total` items of which `done` are already done (reused); `show` None: when
    stderr is a terminal, False: never (`--quiet`). Use as a context manager, `update(1)`."""
    visible = sys.stderr.isatty() if show is None else show
    return tqdm(total=total, initial=done, desc=label, unit=unit, disable=not visible,
                file=sys.stderr)
