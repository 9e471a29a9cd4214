"""The sequential rule that decides whether a lever value keeps every week responsible.

Run `FIRST_REPLICATIONS`, then `BATCH_REPLICATIONS` more at a time, until the 95 % interval of the
responsible share (the share of replications in which every week after go-live meets every
standard) lies wholly at or above the target (responsible) or wholly below it (not responsible);
at `CAP_REPLICATIONS` a value still straddling the target is undecided.
"""

from __future__ import annotations

RESPONSIBLE, NOT_RESPONSIBLE, UNDECIDED = "responsible", "not_responsible", "undecided"

FIRST_REPLICATIONS = 10
"""Replications of a value before its first look: 10 of 10 gives an interval from 0.72 up."""

BATCH_REPLICATIONS = 10
"""Replications added to an undecided value at each further look."""

CAP_REPLICATIONS = 80
"""Most replications of one value: with all 80 meeting the standards the interval starts at
0.955, so any target up to 0.95 can be decided."""


def decision(low: float, high: float, replications: int, target: float, cap: int) -> str | None:
    """The decision on a value whose responsible share has the interval (low, high) after
    `replications`; None while more replications are due."""
    if low >= target:
        return RESPONSIBLE
    if high < target:
        return NOT_RESPONSIBLE
    return UNDECIDED if replications >= cap else None
