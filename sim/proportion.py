"""How sure a share of replications is: the Wilson score interval of a binomial proportion.

Used where a decision rests on the share of simulated futures that meet every standard (sweeps,
the optimiser): unlike the normal approximation it stays inside [0, 1] and is not empty when every
replication agrees (10 of 10 gives 0.72 to 1 at 95 %, not 1 to 1).
"""

from __future__ import annotations

import math

from scipy import stats

INTERVAL_LEVEL = 0.95
"""Level of every interval of a share of replications."""


def wilson_interval(successes: int, n: int, level: float = INTERVAL_LEVEL) -> tuple[float, float]:
    """(low, high) Wilson score interval of `successes` in `n` trials; (0, 1) when n is 0."""
    if n == 0:
        return 0.0, 1.0
    z = float(stats.norm.ppf(0.5 + level / 2))
    share = successes / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n))
    return max(centre - half, 0.0), min(centre + half, 1.0)
