"""What would make it responsible: the scenario's `[levers]` table worked through.

Each lever alone is searched by the optimiser (`sim.optimiser`), the rest of the scenario as it
is; the first two levers are swept together (`sim.sweeps`) for the heat map, and the cheapest cell
of that grid whose responsible share reaches the target is the cheapest combination. When no
value in the ranges reaches the target, the best cell of that grid names what still blocks: the
services, standards and weeks that fall short there. Everything goes into `DIR/levers/` beside the
forecast's results: each search and the sweep as folders of their own (durable and resumable) and
`levers.json`, which the report's levers page reads; it carries the forecast's run id, like the
folder's other result files.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sim.decision_rule import CAP_REPLICATIONS
from sim.errors import Refused
from sim.optimiser import Lever, optimise
from sim.scenario import Scenario
from sim.sweeps import checked_grid, sweep

LEVERS_FOLDER = "levers"
LEVERS_FILE = "levers.json"
MAP_COLUMNS = ("all.responsible_share", "all.responsible_low", "all.responsible_high")


def map_grid(scenario: Scenario) -> dict[str, list[Any]]:
    """The values of the first two levers, swept together for the heat map."""
    return {lever.path: Lever(lever.path, lever.min, lever.max, lever.step).values()
            for lever in list((scenario.levers or {}).values())[:2]}


def check_levers_workload(scenario: Scenario, replications: int, allow_large: bool) -> None:
    """Refuse, before any work, levers whose sweep is above the work estimate's limit (TooLarge,
    naming the replications), unless `allow_large`."""
    checked_grid(scenario, map_grid(scenario), replications, allow_large)


def analyse_levers(scenario: Scenario, folder: Path, replications: int, seed: int = 1,
                   jobs: int | None = None, cap: int = CAP_REPLICATIONS, force: bool = False,
                   report: Callable[[str], None] | None = None, allow_large: bool = False,
                   **executor: Any) -> dict[str, Any]:
    """Work through the scenario's levers into `folder/levers/` (a results folder of the
    scenario) and return levers.json's content: the forecast's run id, the least value of each
    lever alone, the grid of the first two, the cheapest combination, and what blocks when
    nothing in the ranges reaches the target. `executor`: `progress`, `executor` and
    `scheduler` as for `sim.run`."""
    from sim.results_folder import folder_run_id

    if not scenario.levers:
        raise ValueError(f"scenario {scenario.name!r} has no [levers] table")
    check_levers_workload(scenario, replications, allow_large)
    out = Path(folder) / LEVERS_FOLDER
    target = scenario.standards.confidence
    alone = []
    for name, lever in scenario.levers.items():
        answer = optimise(scenario, [Lever(lever.path, lever.min, lever.max, lever.step)],
                          seed=seed, jobs=jobs, out=out / name, first=replications, cap=cap,
                          force=force, allow_large=allow_large, report=report, **executor)
        alone.append({"name": name, **lever.model_dump(), "least_value": answer["least_value"],
                      "monotone": answer["monotone"],
                      "replications_used": answer["replications_used"]})
    mapped = list(scenario.levers.values())[:2]
    grids = map_grid(scenario)
    table = sweep(scenario, grids, replications=replications, seed=seed, jobs=jobs,
                  out=out / "sweep", force=force, allow_large=allow_large, **executor)
    rows = table[[*grids, *MAP_COLUMNS]].to_dict(orient="records")
    # the best cell: the most often responsible, among equals the one with the most of the
    # levers (the grid's last, as the levers are meant to help the more of them there is)
    best = max(range(len(rows)), key=lambda i: (rows[i]["all.responsible_share"], i))
    reached = (any(lever["least_value"] is not None for lever in alone)
               or rows[best]["all.responsible_share"] >= target)
    analysis = {"run_id": folder_run_id(folder), "target": target,
                "replications": replications, "seed": seed, "levers": alone,
                "map": {"paths": list(grids), "rows": rows},
                "cheapest": _cheapest(rows, mapped, target),
                "blocking": None if reached else blocking(
                    out / "sweep" / str(table["cell"].iloc[best]), rows[best], list(grids),
                    target)}
    (out / LEVERS_FILE).write_text(json.dumps(analysis, indent=2, default=str) + "\n",
                                   encoding="utf-8")
    return analysis


def _cheapest(rows: list[dict[str, Any]], levers: list[Any], target: float
              ) -> dict[str, Any] | None:
    """The cell of the grid whose responsible share reaches the target at the least cost (every
    mapped lever priced), or None."""
    if not all(lever.unit_cost is not None for lever in levers):
        return None
    priced = [{"values": {lever.path: row[lever.path] for lever in levers},
               "cost": sum(lever.unit_cost * row[lever.path] for lever in levers),
               "responsible_share": row["all.responsible_share"]}
              for row in rows if row["all.responsible_share"] >= target]
    return min(priced, key=lambda entry: entry["cost"]) if priced else None


def blocking(cell: Path, row: dict[str, Any], paths: list[str], target: float
             ) -> dict[str, Any]:
    """What still falls short at a cell of the grid (its results folder `cell`): the lever
    values, the share of futures responsible in every week, and each standard met in less than
    `target` of the futures in some week after go-live, with those weeks and its least share."""
    verdict = json.loads((cell / "verdict.json").read_text(encoding="utf-8"))
    standards: dict[tuple[str, str], dict[str, Any]] = {}
    for week in verdict["weeks"]:
        if week["week"] < 1:
            continue
        for service, entry in week["services"].items():
            for s in entry["standards"]:
                if s["meets_share"] is None or s["meets_share"] >= target:
                    continue
                short = standards.setdefault((service, s["metric"]), {
                    "service": service, "metric": s["metric"], "rule": s["rule"],
                    "threshold": s["threshold"], "weeks": [], "least_meets_share": 1.0})
                short["weeks"].append(week["week"])
                short["least_meets_share"] = min(short["least_meets_share"], s["meets_share"])
    return {"values": {path: row[path] for path in paths},
            "responsible_share": row["all.responsible_share"],
            "standards": list(standards.values())}


def read_levers(folder: Path) -> dict[str, Any] | None:
    """levers.json of a results folder, None when the forecast did not work the levers through;
    refused when it belongs to another run than the folder's results (an earlier forecast)."""
    from sim.results_folder import folder_run_id

    path = Path(folder) / LEVERS_FOLDER / LEVERS_FILE
    if not path.is_file():
        return None
    analysis: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    rid = folder_run_id(folder)
    if analysis.get("run_id") != rid:
        raise Refused(f"{path}: does not carry run id {rid} of manifest.json (the levers of "
                      "another run); run forecast --levers again, or remove "
                      f"{Path(folder) / LEVERS_FOLDER}")
    return analysis
