"""How much the uncertain assumptions move the numbers, from one run that drew them.

Each replication of a scenario with an `[uncertainty]` table has its own drawn values
(parameters.csv) and its own random events. Regressing the ranks of a weekly metric on the ranks
of the drawn values (rank regression: monotone effects count, whatever their shape) gives, per
week, service and metric, each key's standardised rank regression coefficient and the share of
the spread between replications the drawn values explain (the adjusted R² of that regression);
the rest is the spread of random events. Method and its limits: docs/model.md, "Uncertain
assumptions".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import rankdata
from scipy.stats import t as student_t

from sim.verdict import Verdict


def drawn_matrix(parameters: pd.DataFrame) -> pd.DataFrame:
    """Drawn values with a row per replication and a column per key that varies (a key drawn at
    one value explains nothing and is left out)."""
    if parameters.empty:
        return pd.DataFrame()
    wide = parameters.pivot(index="replication", columns="path", values="value").astype(float)
    return wide.loc[:, wide.nunique() > 1]


def _standardised_ranks(drawn: pd.DataFrame,
                        values: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """The standardised ranks of the drawn values (a column per key) and of `values`, over the
    replications where both exist; None when there are too few replications for the keys, or
    the values or a key do not vary."""
    both = values.dropna().index.intersection(drawn.index)
    n, k = len(both), drawn.shape[1]
    if k == 0 or n < k + 2:
        return None
    y = rankdata(values.loc[both].to_numpy(dtype=float))
    x = np.column_stack([rankdata(drawn.loc[both, c].to_numpy()) for c in drawn.columns])
    if y.std() == 0 or (x.std(axis=0) == 0).any():
        return None
    return (x - x.mean(axis=0)) / x.std(axis=0), (y - y.mean()) / y.std()


def rank_fit(drawn: pd.DataFrame, values: pd.Series) -> tuple[dict[str, float], float]:
    """Standardised rank regression coefficients of `values` (by replication) on the drawn
    values, and the adjusted R² clipped to [0, 1] (NaN when there are too few replications for
    the keys, or the values do not vary)."""
    coefficients, _, explained = rank_fit_tested(drawn, values)
    return coefficients, explained


def rank_fit_tested(drawn: pd.DataFrame, values: pd.Series
                    ) -> tuple[dict[str, float], dict[str, float], float]:
    """`rank_fit` with each coefficient's two-sided p-value (the ordinary least squares t test
    on the ranks, n - k - 1 degrees of freedom): how likely a coefficient this far from zero is
    by chance alone."""
    nothing = {path: np.nan for path in drawn.columns}
    ranked = _standardised_ranks(drawn, values)
    if ranked is None:
        return nothing, dict(nothing), np.nan
    x, y = ranked
    n, k = x.shape
    coefficients, *_ = np.linalg.lstsq(x, y, rcond=None)
    residual = float(np.sum((y - x @ coefficients) ** 2))
    r2 = 1 - residual / float(np.sum(y ** 2))
    adjusted = 1 - (1 - r2) * (n - 1) / (n - k - 1)
    variance = residual / (n - k - 1) * np.diag(np.linalg.pinv(x.T @ x))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = coefficients / np.sqrt(variance)
    p_values = 2 * student_t.sf(np.abs(t), n - k - 1)  # a perfect fit: t infinite, p 0
    return (dict(zip(drawn.columns, coefficients.tolist(), strict=True)),
            dict(zip(drawn.columns, p_values.tolist(), strict=True)),
            min(max(adjusted, 0.0), 1.0))


def rank_regression(weekly: pd.DataFrame, parameters: pd.DataFrame,
                    metrics: dict[str, list[str]]) -> pd.DataFrame:
    """Per week from go-live, service and metric of `metrics` (service -> metrics): each key's
    coefficient, its p-value and the share of spread from the assumptions (`explained_share`)."""
    drawn = drawn_matrix(parameters)
    rows = []
    after = weekly[weekly["week"] >= 1]
    for (week, service, metric), group in after.groupby(["week", "service", "metric"]):
        if metric not in metrics.get(service, []):
            continue
        coefficients, p_values, explained = rank_fit_tested(
            drawn, group.set_index("replication")["value"])
        rows += [{"week": week, "service": service, "metric": metric, "path": path,
                  "coefficient": c, "p_value": p_values[path], "explained_share": explained}
                 for path, c in coefficients.items()]
    return pd.DataFrame(rows, columns=["week", "service", "metric", "path", "coefficient",
                                       "p_value", "explained_share"])


def with_assumption_shares(verdict: Verdict, weekly: pd.DataFrame,
                           parameters: pd.DataFrame) -> Verdict:
    """The verdict with, on each standard of each week from go-live, `assumption_share`: the
    share of its metric's spread between replications explained by the drawn values."""
    if parameters.empty:
        return verdict
    drawn = drawn_matrix(parameters)
    by_key = {key: g.set_index("replication")["value"]
              for key, g in weekly.groupby(["week", "service", "metric"])}
    for week in verdict["weeks"]:
        for service, entry in week["services"].items():
            for standard in entry["standards"]:
                values = by_key.get((week["week"], service, standard["metric"]))
                share = rank_fit(drawn, values)[1] if values is not None else np.nan
                standard["assumption_share"] = None if np.isnan(share) else share
    return verdict
