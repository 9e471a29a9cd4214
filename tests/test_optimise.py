"""The optimiser: the least lever value that keeps every week responsible, against known answers.

Known answer: the phone line reduced to M/M/c (no go-live, around the clock, one shift, patient
callers) with a service-level standard. The least number of agents whose Erlang C service level
(`sim.theory.erlang_c`, P(wait <= t) = 1 - C exp(-(c mu - lambda) t)) reaches the standard is the
answer; each parameter set is chosen so that one agent fewer lies clearly below the standard and
the answer clearly above it, so a week of calls decides each value in a few replications.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import sim
from sim.decision_rule import NOT_RESPONSIBLE, RESPONSIBLE, UNDECIDED, decision
from sim.optimiser import Evaluation, Lever, least_value, optimise
from sim.scenario import Scenario, vary
from sim.theory import erlang_c
from tests.conftest import SCENARIOS
from tests.test_changes import exit_and_error

ERLANG_C = SCENARIOS / "validation" / "erlang-c.toml"
AGENTS = "phone.shifts[0].staff"
TARGET = 0.5
"""Half the futures: with 5 replications, 5 of 5 (interval from 0.57) and 0 of 5 (up to 0.43)
decide a value at its first look."""
FIRST = 5


def mmc(calls_per_minute: float, talk_minutes: float, seconds: float, standard: float
        ) -> Scenario:
    """The M/M/c line with `standard` as the least share of calls answered within `seconds`."""
    per_day = calls_per_minute * 1440
    return vary(sim.load_scenario(ERLANG_C), {
        "phone.calls_per_day": {"weekdays": per_day, "saturday": per_day, "sunday": per_day},
        "phone.talk_time_minutes": {"dist": "exponential", "mean": talk_minutes},
        "phone.service_level_seconds": seconds,
        "standards.phone.min_service_level": standard,
    })


def least_agents_by_erlang_c(calls_per_minute: float, talk_minutes: float, seconds: float,
                             standard: float) -> int:
    agents = int(calls_per_minute * talk_minutes) + 1
    while erlang_c(calls_per_minute, talk_minutes, agents).answered_within(seconds / 60) < standard:
        agents += 1
    return agents


@pytest.mark.parametrize("parameters", [
    (0.5, 6.0, 60, 0.7),   # 3 Erlangs: 4 agents answer 0.57 in a minute, 5 agents 0.83
    (2.0, 3.0, 30, 0.8),   # 6 Erlangs: 8 agents 0.74 in 30 s, 9 agents 0.88
    (0.8, 5.0, 120, 0.75),  # 4 Erlangs: 5 agents 0.63 in 2 minutes, 6 agents 0.87
])
def test_least_agents_is_the_erlang_c_answer(parameters: tuple[float, float, float, float],
                                             tmp_path: Path):
    known = least_agents_by_erlang_c(*parameters)
    answer = optimise(mmc(*parameters), [Lever(AGENTS, known - 2, known + 2)], target=TARGET,
                      first=FIRST, jobs=2, out=tmp_path, report=lambda line: None)
    assert answer["least_value"] == known
    assert answer["monotone"] and not answer["scanned"]
    written = json.loads((tmp_path / "optimise.json").read_text())
    assert {"lever", "least_value", "target", "evaluated"} <= written.keys()
    assert written["lever"] == AGENTS and written["target"] == TARGET
    tried = {e["values"][AGENTS]: e["decision"] for e in written["evaluated"]}
    assert tried[known] == RESPONSIBLE and tried[known - 1] == NOT_RESPONSIBLE


def test_the_cheapest_combination_and_the_frontier(tmp_path: Path):
    """Agents on the shift and extra agents in week 1 add up: Erlang C needs 5 in all (3 Erlangs,
    70 % within a minute), so the frontier is 4 + 1 and 3 + 2, and at 10 per agent and 15 per
    extra agent the cheapest is 4 + 1 (55 against 60)."""
    scenario = vary(mmc(0.5, 6.0, 60, 0.7), {"phone.extra_staff": [{"weeks": [1], "staff": 1}]})
    extra = "phone.extra_staff[0].staff"
    answer = optimise(scenario, [Lever(extra, 1, 2), Lever(AGENTS, 2, 5)],
                      {extra: 15, AGENTS: 10}, target=TARGET, first=FIRST, jobs=2, out=tmp_path,
                      report=lambda line: None)
    assert [entry["values"] for entry in answer["frontier"]] == [{extra: 1, AGENTS: 4},
                                                                 {extra: 2, AGENTS: 3}]
    assert answer["cheapest"] == {"values": {extra: 1, AGENTS: 4}, "cost": 55.0}


class Scripted:
    """An evaluator whose decisions are given, to test the search without simulating."""

    def __init__(self, path: str, decisions: dict[int, str]) -> None:
        self.path, self.decisions = path, decisions
        self.done: dict[str, Evaluation] = {}

    def __call__(self, values: dict[str, Any]) -> Evaluation:
        value = values[self.path]
        decided = self.decisions[value]
        share = {RESPONSIBLE: 1.0, NOT_RESPONSIBLE: 0.0, UNDECIDED: 0.5}[decided]
        evaluation = Evaluation(values, 10, int(share * 10), share, share, share, decided)
        self.done[str(value)] = evaluation
        return evaluation

    def many(self, combinations: list[dict[str, Any]]) -> list[Evaluation]:
        return [self(values) for values in combinations]


def test_bisection_evaluates_few_values_of_a_monotone_lever():
    decisions = {v: RESPONSIBLE if v >= 37 else NOT_RESPONSIBLE for v in range(101)}
    evaluate = Scripted("x", decisions)
    search = least_value(evaluate, "x", list(range(101)), {})  # type: ignore[arg-type]
    assert (search.least_value, search.monotone, search.scanned) == (37, True, False)
    assert len(evaluate.done) <= 10  # ends, about log2(100) = 7 bisections, and the check above


def test_results_that_are_not_monotone_are_said_and_scanned():
    """Bisection finds 2, the check above it finds 3 not responsible: every value is scanned and
    the least responsible one returned."""
    decisions = {0: NOT_RESPONSIBLE, 1: NOT_RESPONSIBLE, 2: RESPONSIBLE, 3: NOT_RESPONSIBLE,
                 4: RESPONSIBLE}
    evaluate = Scripted("x", decisions)
    search = least_value(evaluate, "x", [0, 1, 2, 3, 4], {})  # type: ignore[arg-type]
    assert (search.least_value, search.monotone, search.scanned) == (2, False, True)
    assert len(evaluate.done) == 5


def test_undecided_counts_as_not_responsible():
    decisions = {0: NOT_RESPONSIBLE, 1: UNDECIDED, 2: RESPONSIBLE, 3: RESPONSIBLE}
    search = least_value(Scripted("x", decisions), "x", [0, 1, 2, 3], {})  # type: ignore[arg-type]
    assert search.least_value == 2


def test_the_sequential_rule():
    assert decision(0.91, 1.0, 40, 0.9, 80) == RESPONSIBLE
    assert decision(0.5, 0.89, 10, 0.9, 80) == NOT_RESPONSIBLE
    assert decision(0.8, 0.95, 10, 0.9, 80) is None  # more replications
    assert decision(0.8, 0.95, 80, 0.9, 80) == UNDECIDED


@pytest.mark.parametrize(("arguments", "said"), [
    (["--lever", "phone.shifts[0].staf", "--min", "1", "--max", "3"], "did you mean 'staff'?"),
    (["--lever", "phone..staff", "--min", "1", "--max", "3"], "--lever"),
    (["--lever", AGENTS, "--min", "x", "--max", "3"], "--min"),
    (["--lever", AGENTS, "--min", "5", "--max", "3"], "--min 5 is above --max 3"),
    (["--lever", AGENTS, "--min", "1", "--max", "nan"], "--max"),
    (["--lever", AGENTS, "--min", "1", "--max", "3", "--step", "0"], "--step"),
    (["--lever", AGENTS, "--min", "1", "--max", "3", "--min", "2"], "--min: given 2 times"),
    (["--lever", AGENTS, "--min", "1.5", "--max", "3"], "phone.shifts[0].staff: found 1.5"),
    (["--lever", AGENTS, "--min", "1", "--max", "3", "--target", "1.5"], "--target"),
    (["--lever", AGENTS, "--min", "1", "--max", "3", "--cost", "phone.x=3"],
     "--cost phone.x: not one of the levers"),
    (["--lever", AGENTS, "--min", "1", "--max", "3", "--cost", f"{AGENTS}=-3"], "--cost"),
    (["--lever", AGENTS, "--min", "1", "--max", "3", "--lever", "support_desk.surge_agents",
      "--min", "0", "--max", "2", "--cost", f"{AGENTS}=3"], "--cost: several levers need"),
])
def test_a_bad_optimise_argument_exits_2_naming_it(tmp_path: Path, capsys, arguments: list[str],
                                                   said: str):
    code, err = exit_and_error(capsys, "optimise", ERLANG_C, *arguments, "--out", tmp_path / "o")
    assert code == 2, err
    assert said in err and "Traceback" not in err
    assert not (tmp_path / "o" / "optimise.json").exists()
