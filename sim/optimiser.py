"""The least lever value that keeps every week responsible, and the cheapest combination of levers.

A value is decided by the sequential rule of `sim.decision_rule` on the 95 % Wilson interval of
its responsible share (the share of replications in which every week after go-live meets every
standard). Every value shares the run's seed (common random numbers), so values differ by the
lever only.

The search assumes that more of a lever never makes things worse: it evaluates the range's ends,
then bisects. It checks that assumption on what it evaluated (a higher value whose interval lies
wholly below a lower value's) and at the value just above the answer; where the results are not
monotone it says so and scans the whole range. An undecided value counts as not responsible, so
the answer errs on the side of more.

Several levers with a cost per unit each: for every combination of the other levers' values, the
least value of the last one is found as above; these are the cost-feasible frontier (combinations
that are responsible and cannot lower any lever alone), and the cheapest of them is the answer.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sim.decision_rule import (
    BATCH_REPLICATIONS,
    CAP_REPLICATIONS,
    FIRST_REPLICATIONS,
    NOT_RESPONSIBLE,
    RESPONSIBLE,
    decision,
)
from sim.errors import Refused
from sim.executors import Executor
from sim.experiment import (
    Results,
    cpu_count,
    executor_for,
    map_replications,
    run,
    validated,
    whole_number,
)
from sim.progress import progress_bar
from sim.proportion import wilson_interval
from sim.replication_store import ReplicationStore
from sim.scenario import Scenario, vary
from sim.streams import replication_seeds
from sim.verdict import ALL_SERVICES, responsible_replications
from sim.workload import MAX_JOBS, MAX_REPLICATIONS

MAX_VALUES = 1_000
"""Values of one lever's range: a finer step is not a decision a person makes."""


@dataclass(frozen=True)
class Lever:
    """A scenario key searched from `low` to `high` in steps of `step`."""

    path: str
    low: float
    high: float
    step: float | None = None

    def values(self) -> list[Any]:
        """The range's values; whole numbers when the ends and the step are whole."""
        if not (math.isfinite(self.low) and math.isfinite(self.high)):
            raise Refused(f"--lever {self.path}: --min and --max must be finite numbers")
        if self.low > self.high:
            raise Refused(f"--lever {self.path}: --min {self.low:g} is above --max "
                          f"{self.high:g}; accepted: min at most max")
        whole = all(float(v).is_integer() for v in (self.low, self.high))
        step = self.step if self.step is not None else (1 if whole else
                                                         (self.high - self.low) / 10)
        if not math.isfinite(step) or step <= 0 and self.high > self.low:
            raise Refused(f"--lever {self.path}: --step {step:g}; accepted: a number above 0")
        count = 1 if self.high == self.low else math.floor((self.high - self.low) / step + 1e-9) + 1
        if count > MAX_VALUES:
            raise Refused(f"--lever {self.path}: {count:,} values from --min to --max; accepted: "
                          f"at most {MAX_VALUES:,} (a larger --step)")
        values = [self.low + k * step for k in range(count)]
        if whole and float(step).is_integer():
            return [int(round(v)) for v in values]
        return [round(v, 12) for v in values]


@dataclass
class Evaluation:
    """One combination of lever values, decided by the sequential rule."""

    values: dict[str, Any]
    replications: int
    responsible_replications: int
    meets_share: float
    low: float
    high: float
    decision: str

    def line(self) -> str:
        shown = ", ".join(f"{p}={v}" for p, v in self.values.items())
        return (f"  {shown}: {self.replications} replications, meets_share "
                f"{self.meets_share:.3f} (95 % interval {self.low:.3f}-{self.high:.3f}): "
                f"{self.decision.replace('_', ' ')}")


@dataclass
class Evaluator:
    """Decides combinations of lever values, each once, keeping each value's replications in a
    results folder under `folder/values/` so that a rerun resumes. Several combinations decided
    together (`many`) send their replications to the executor at once."""

    base: Scenario
    target: float
    seed: int
    pool: Executor
    folder: Path
    first: int = FIRST_REPLICATIONS
    batch: int = BATCH_REPLICATIONS
    cap: int = CAP_REPLICATIONS
    force: bool = False
    allow_large: bool = False
    report: Callable[[str], None] = lambda line: None
    progress: bool | None = False
    done: dict[str, Evaluation] = field(default_factory=dict)

    def __call__(self, values: dict[str, Any]) -> Evaluation:
        return self.many([values])[0]

    def many(self, combinations: list[dict[str, Any]]) -> list[Evaluation]:
        """Each combination decided by the sequential rule; at each look, the replications due
        at every combination still undecided are submitted together."""
        from sim.results_folder import open_folder
        from sim.sweeps import cell_name

        keys = [_key(values) for values in combinations]
        due = {key: values for key, values in zip(keys, combinations, strict=True)
               if key not in self.done}
        scenarios = {key: vary(self.base, values) for key, values in due.items()}
        with ExitStack() as stack:
            targets = {key: stack.enter_context(open_folder(
                self.folder / "values" / cell_name(len(self.done) + k, values), scenarios[key],
                self.seed, (), self.force)) for k, (key, values) in enumerate(due.items())}
            counts = dict.fromkeys(due, self.first)
            decided: dict[str, Evaluation] = {}
            while len(decided) < len(due):
                undecided = [key for key in due if key not in decided]
                self._replicate({key: (scenarios[key], targets[key].store, counts[key])
                                 for key in undecided})
                for key in undecided:
                    evaluation, results = self._decide(due[key], scenarios[key],
                                                       targets[key].store, counts[key])
                    if evaluation is None:
                        counts[key] = min(counts[key] + self.batch, self.cap)
                    else:
                        targets[key].write(results)
                        decided[key] = evaluation
        for key in due:
            self.done[key] = decided[key]
            self.report(decided[key].line())
        return [self.done[key] for key in keys]

    def _replicate(self, wanted: dict[str, tuple[Scenario, ReplicationStore, int]]) -> None:
        """The replications missing from each store up to its count, all at once."""
        seeds = replication_seeds(self.seed, max(n for _, _, n in wanted.values()))
        work = {(key, i): (scenario, seeds[i]) for key, (scenario, store, n) in wanted.items()
                for i in range(n) if store.load(i) is None}
        with progress_bar(len(work), "optimise", "rep", 0, self.progress) as bar:
            for (key, i), outcome in map_replications(work, self.pool):
                wanted[key][1].save(i, outcome)
                bar.update(1)

    def _decide(self, values: dict[str, Any], scenario: Scenario, store: ReplicationStore,
                n: int) -> tuple[Evaluation | None, Results]:
        """The decision on the first `n` stored replications; None while more are due."""
        results = run(scenario, replications=n, seed=self.seed, jobs=1, progress=False,
                      store=store, allow_large=self.allow_large)
        meets = responsible_replications(results.weekly, scenario)[ALL_SERVICES]
        low, high = wilson_interval(int(meets.sum()), n)
        decided = decision(low, high, n, self.target, self.cap)
        if decided is None:
            return None, results
        return Evaluation(dict(values), n, int(meets.sum()), float(meets.mean()), low, high,
                          decided), results


def _key(values: dict[str, Any]) -> str:
    return json.dumps(values, sort_keys=True, default=str)


@dataclass
class Search:
    """The least value of one lever (the others fixed), and how it was found."""

    least_value: Any
    monotone: bool
    scanned: bool


def least_value(evaluate: Evaluator, path: str, values: list[Any], fixed: dict[str, Any]
                ) -> Search:
    """The least of `values` at which `path` (with `fixed` set) is decided responsible: ends first,
    then bisection, with a monotonicity check; a scan of every value where it fails."""
    def ok(index: int) -> bool:
        return evaluate({**fixed, path: values[index]}).decision == RESPONSIBLE

    evaluate.many([{**fixed, path: values[-1]}, {**fixed, path: values[0]}])  # both ends at once
    if not ok(len(values) - 1):
        return Search(None, _monotone(evaluate, path, values, fixed), False)
    if ok(0):
        found = 0
    else:
        low, high = 0, len(values) - 1
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (low, middle) if ok(middle) else (middle, high)
        found = high
    if found + 1 < len(values):
        ok(found + 1)  # the check above the answer: more must not be worse
    if _monotone(evaluate, path, values, fixed) and (found + 1 >= len(values) or ok(found + 1)):
        return Search(values[found], True, False)
    evaluate.many([{**fixed, path: value} for value in values])  # the scan, all values at once
    decided = [ok(i) for i in range(len(values))]
    return Search(next((values[i] for i, d in enumerate(decided) if d), None), False, True)


def _monotone(evaluate: Evaluator, path: str, values: list[Any], fixed: dict[str, Any]) -> bool:
    """Whether what was evaluated of this lever agrees with "more is never worse": no higher value
    decided below a lower value (its interval wholly under the other's)."""
    runs = [e for e in evaluate.done.values() if e.values.keys() == {*fixed, path}
            and all(e.values[p] == v for p, v in fixed.items())]
    runs.sort(key=lambda e: values.index(e.values[path]))
    return all(not (later.high < earlier.low or (earlier.decision == RESPONSIBLE
                                                 and later.decision == NOT_RESPONSIBLE))
               for earlier, later in itertools.combinations(runs, 2))


def optimise(scenario: Scenario | str | Path, levers: list[Lever],
             costs: dict[str, float] | None = None, target: float | None = None,
             seed: int = 1, jobs: int | None = None, out: str | Path | None = None,
             first: int = FIRST_REPLICATIONS, cap: int = CAP_REPLICATIONS, force: bool = False,
             allow_large: bool = False, report: Callable[[str], None] | None = None,
             progress: bool | None = False, executor: str | Executor = "process",
             scheduler: str | None = None) -> dict[str, Any]:
    """Find the least value of one lever, or the cheapest responsible combination of several
    (each with a cost per unit in `costs`), and return optimise.json's content; with `out`, each
    evaluated value is a results folder under `out/values/` and `out/optimise.json` is written.
    `target` defaults to the scenario's `standards.confidence`. `executor` and `scheduler` as for
    `sim.run`; the pool or cluster is started once for every evaluation."""
    base = validated(scenario)
    target = base.standards.confidence if target is None else target
    if isinstance(target, bool) or not isinstance(target, int | float) \
            or not 0 < target < 1:
        raise Refused(f"--target: found {target!r}; accepted: a share above 0 and below 1")
    first = whole_number("first replications", first, 2, MAX_REPLICATIONS)
    cap = whole_number("replication cap", cap, first, MAX_REPLICATIONS)
    jobs = cpu_count() if jobs is None else whole_number("jobs", jobs, 1, MAX_JOBS)
    costs = _checked_costs(levers, costs or {})
    grids = {lever.path: lever.values() for lever in levers}
    if len(grids) < len(levers):
        raise Refused("--lever: a key given twice; give each lever once")
    for path, values in grids.items():  # every value of every lever is a valid scenario
        for value in (values[0], values[-1]):
            vary(base, {path: value})
    report = report or (lambda line: print(line, file=sys.stderr))
    with ExitStack() as stack:
        folder = Path(out) if out is not None else Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="golive-optimise-")))
        pool = stack.enter_context(executor_for(executor, jobs, scheduler))
        evaluate = Evaluator(base, target, seed, pool, folder, first=first, cap=cap, force=force,
                             allow_large=allow_large, report=report, progress=progress)
        answer = _optimise(evaluate, levers, grids, costs)
    if out is None:
        return answer
    (Path(out) / "optimise.json").write_text(json.dumps(answer, indent=2, default=str) + "\n",
                                             encoding="utf-8")
    return answer


def _checked_costs(levers: list[Lever], costs: dict[str, float]) -> dict[str, float]:
    paths = [lever.path for lever in levers]
    for path, cost in costs.items():
        if path not in paths:
            raise Refused(f"--cost {path}: not one of the levers ({', '.join(paths)}); give a "
                          "cost for each --lever")
        if isinstance(cost, bool) or not isinstance(cost, int | float) \
                or not math.isfinite(cost) or cost < 0:
            raise Refused(f"--cost {path}: found {cost!r}; accepted: a finite number of at least 0")
    if len(levers) > 1 and set(costs) != set(paths):
        missing = [p for p in paths if p not in costs]
        raise Refused(f"--cost: several levers need a cost per unit each; missing for "
                      f"{', '.join(missing)}")
    return costs


def _optimise(evaluate: Evaluator, levers: list[Lever], grids: dict[str, list[Any]],
              costs: dict[str, float]) -> dict[str, Any]:
    paths = list(grids)
    *others, last = paths
    frontier, monotone, scanned = [], True, False
    for combination in itertools.product(*(grids[p] for p in others)):
        fixed = dict(zip(others, combination, strict=True))
        search = least_value(evaluate, last, grids[last], fixed)
        monotone, scanned = monotone and search.monotone, scanned or search.scanned
        if search.least_value is not None:
            frontier.append({**fixed, last: search.least_value})
    frontier = [p for p in frontier if not any(q != p and all(q[k] <= p[k] for k in paths)
                                               for q in frontier)]
    answer: dict[str, Any] = {
        "lever": paths[0] if len(paths) == 1 else paths,
        "least_value": None,
        "target": evaluate.target,
        "rule": (f"{evaluate.first} replications, then {BATCH_REPLICATIONS} more at a time, "
                 "until the 95 % Wilson interval of the responsible share lies wholly at or "
                 "above the target (responsible) or below it (not responsible), at most "
                 f"{evaluate.cap} (undecided)"),
        "seed": evaluate.seed,
        "monotone": monotone,
        "scanned": scanned,
        "ranges": {lever.path: grids[lever.path] for lever in levers},
        "evaluated": [asdict(e) for e in evaluate.done.values()],
        "replications_used": sum(e.replications for e in evaluate.done.values()),
    }
    if len(paths) == 1:
        answer["least_value"] = frontier[0][last] if frontier else None
    if costs:
        priced = sorted(({"values": p, "cost": sum(costs[k] * p[k] for k in paths)}
                         for p in frontier), key=lambda entry: entry["cost"])
        answer.update(costs=costs, frontier=priced, cheapest=priced[0] if priced else None)
        if len(paths) > 1:
            answer["least_value"] = priced[0]["values"] if priced else None
    return answer
