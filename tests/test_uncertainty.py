"""Uncertain assumptions (sim.uncertainty): each replication draws its own values of the keys of
the `[uncertainty]` table on streams of their own, so the random events stay those of the same
scenario without the table (common random numbers)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.experiment import run
from sim.influence import rank_fit
from sim.results_folder import FolderError, read_results, write_results
from sim.scenario import vary
from sim.scenario_file import ScenarioError, load_scenario, scenario_from_dict
from sim.uncertainty import Normal, Triangular, Uniform, draw_values
from tests.conftest import ROOT, SCENARIOS

PHONE = SCENARIOS / "small" / "fjordvik-phone.toml"
UNCERTAIN = ROOT / "tests" / "scenarios" / "fjordvik-uncertain.toml"
TABLES = ("daily", "weekly", "summary")


def _with_table(scenario, table):
    data = scenario.model_dump(mode="python", exclude_none=True)
    return scenario_from_dict({**data, "uncertainty": table}, source="test")


def _csv(results, name):
    return getattr(results, name).to_csv(index=False)


@pytest.fixture(scope="module")
def phone():
    return load_scenario(PHONE)


def test_a_degenerate_range_gives_byte_identical_tables_to_no_table(phone):
    degenerate = _with_table(phone, {
        "phone.shifts[0].staff": {"dist": "uniform", "low": 6, "high": 6},
        "phone.talk_time_minutes.mean": {"dist": "choice", "values": [4.0]},
        "phone.staff.trained_share": {"dist": "triangular", "low": 0.7, "mode": 0.7, "high": 0.7},
    })
    plain = run(phone, replications=2, seed=3, jobs=1, progress=False)
    drawn = run(degenerate, replications=2, seed=3, jobs=1, progress=False)
    for name in TABLES:
        assert _csv(drawn, name) == _csv(plain, name)
    assert set(drawn.parameters["path"]) == set(degenerate.uncertainty)


def test_talk_time_uncertain_between_two_values_lies_between_the_two_fixed_runs(phone):
    """Replication by replication the uncertain run is the fixed run at the value it drew (the
    same random events), so its meets_share lies between the two fixed runs'."""
    key = "phone.talk_time_minutes.mean"
    fixed = {talk: run(vary(phone, {key: talk}), replications=6, seed=2, jobs=1, progress=False)
             for talk in (3.0, 5.5)}
    uncertain = run(_with_table(phone, {key: {"dist": "choice", "values": [3.0, 5.5]}}),
                    replications=6, seed=2, jobs=1, progress=False)
    drawn = uncertain.parameters.set_index("replication")["value"]
    assert set(drawn) == {3.0, 5.5}, "six draws of two equally likely values gave only one"
    for replication, talk in drawn.items():
        mine = uncertain.weekly[uncertain.weekly.replication == replication]
        theirs = fixed[talk].weekly[fixed[talk].weekly.replication == replication]
        assert mine["value"].to_numpy() == pytest.approx(theirs["value"].to_numpy(),
                                                         nan_ok=True)

    def share(results, week):
        row = results.summary[(results.summary.week == week)
                              & (results.summary.metric == "service_level")]
        return float(row["meets_share"].iloc[0])

    moved = 0
    for week in (1, 2, 3, 4):
        low, high = sorted((share(fixed[3.0], week), share(fixed[5.5], week)))
        assert low <= share(uncertain, week) <= high
        moved += low < high
    assert moved, "talk time moved no week's meets_share: the test shows nothing"


def test_draws_are_reproducible_and_independent_of_jobs(tmp_path):
    scenario = load_scenario(UNCERTAIN)
    one = run(scenario, replications=3, seed=7, jobs=1, progress=False)
    again = run(scenario, replications=3, seed=7, jobs=1, progress=False)
    two = run(scenario, replications=3, seed=7, jobs=2, progress=False)
    other = run(scenario, replications=3, seed=8, jobs=1, progress=False)
    assert one.parameters.to_csv(index=False) == again.parameters.to_csv(index=False)
    assert one.parameters.to_csv(index=False) == two.parameters.to_csv(index=False)
    assert one.parameters.to_csv(index=False) != other.parameters.to_csv(index=False)
    for name in TABLES:
        assert _csv(one, name) == _csv(two, name)
    write_results(one, tmp_path)
    assert (tmp_path / "parameters.csv").read_text().startswith("replication,path,value\n")
    back = read_results(tmp_path)
    assert back.parameters["value"].astype(float).tolist() == pytest.approx(
        one.parameters["value"].astype(float).tolist())


def test_a_key_added_to_the_table_leaves_the_other_keys_draws_alone(phone):
    key = "phone.talk_time_minutes.mean"
    alone = _with_table(phone, {key: {"dist": "uniform", "low": 3, "high": 5}})
    more = _with_table(phone, {
        "phone.staff.trained_share": {"dist": "uniform", "low": 0, "high": 1},
        key: {"dist": "uniform", "low": 3, "high": 5}})
    seed = np.random.SeedSequence(11)
    assert draw_values(alone, seed)[key] == draw_values(more, seed)[key]


def test_whole_number_keys_draw_whole_numbers_over_the_range(phone):
    scenario = _with_table(phone, {"phone.shifts[0].staff": {"dist": "uniform", "low": 4,
                                                            "high": 6}})
    drawn = [draw_values(scenario, s)["phone.shifts[0].staff"]
             for s in np.random.SeedSequence(1).spawn(60)]
    assert all(isinstance(v, int) for v in drawn)
    assert set(drawn) == {4, 5, 6}


def test_normal_is_truncated_to_the_keys_valid_range():
    normal = Normal(dist="normal", mean=0.9, sd=0.5)
    rng = np.random.default_rng(1)
    values = [normal.draw(rng, (0.0, 1.0), False) for _ in range(2000)]
    assert 0 <= min(values) and max(values) <= 1
    # truncated normal mean: mu + sd (phi(a) - phi(b)) / (Phi(b) - Phi(a)), a, b the bounds in sd
    a, b = (0 - 0.9) / 0.5, (1 - 0.9) / 0.5
    expected = 0.9 + 0.5 * (stats.norm.pdf(a) - stats.norm.pdf(b)) / (stats.norm.cdf(b)
                                                                      - stats.norm.cdf(a))
    assert np.mean(values) == pytest.approx(expected, abs=0.01)


def test_triangular_and_uniform_means_match_their_formulas():
    rng = np.random.default_rng(2)
    triangle = Triangular(dist="triangular", low=1, mode=2, high=6)
    uniform = Uniform(dist="uniform", low=1, high=6)
    assert np.mean([triangle.draw(rng, (0, 10), False) for _ in range(4000)]) == pytest.approx(
        3.0, abs=0.06)  # (low + mode + high) / 3
    assert np.mean([uniform.draw(rng, (0, 10), False) for _ in range(4000)]) == pytest.approx(
        3.5, abs=0.06)


@pytest.mark.parametrize("table, words", [
    ({"phone.staff.trained_share": {"dist": "uniform", "low": 0.2, "high": 1.5}},
     "outside the key's valid range"),
    ({"phone.nonsense": {"dist": "uniform", "low": 0, "high": 1}}, "is not set"),
    ({"phone.talk_time_minutes": {"dist": "uniform", "low": 0, "high": 1}}, "not a number"),
    ({"phone.shifts[2].staff": {"dist": "uniform", "low": 1, "high": 2}}, "no index 2"),
    ({"phone.shifts[0].staff": {"dist": "uniform", "low": 4.2, "high": 4.8}}, "no whole number"),
    ({"phone..x": {"dist": "uniform", "low": 0, "high": 1}}, "not a key path"),
    ({"phone.staff.trained_share": {"dist": "uniform", "low": 0.6, "high": 0.2}}, "below low"),
    ({"phone.staff.trained_share": {"dist": "normal", "mean": 0.5, "sd": -1}}, "at least 0"),
    ({"phone.staff.trained_share": {"dist": "uniform", "low": float("nan"), "high": 1}},
     "finite"),
    ({"phone.staff.trained_share": {"dist": "choice", "values": []}}, "at least 1"),
    ({"phone.staff.trained_share": {"dist": "beta"}}, "'uniform'"),
])
def test_bad_uncertainty_tables_are_refused_by_key(phone, table, words):
    with pytest.raises(ScenarioError) as error:
        _with_table(phone, table)
    assert words in error.value.report()


def test_a_folder_without_its_parameters_is_refused(tmp_path):
    results = run(load_scenario(UNCERTAIN), replications=2, seed=1, jobs=1, progress=False)
    write_results(results, tmp_path)
    (tmp_path / "parameters.csv").write_text("replication,path,value\n0,x,1\n")
    with pytest.raises(FolderError, match="parameters.csv"):
        read_results(tmp_path)


def test_rank_fit_finds_the_key_that_drives_the_metric():
    """y = rank-monotone in a, independent of b: a's coefficient near 1, b's near 0."""
    rng = np.random.default_rng(4)
    drawn = pd.DataFrame({"a": rng.random(40), "b": rng.random(40)})
    coefficients, explained = rank_fit(drawn, pd.Series(np.exp(3 * drawn["a"])))
    assert coefficients["a"] == pytest.approx(1.0, abs=1e-9)
    assert abs(coefficients["b"]) < 1e-9
    assert explained == pytest.approx(1.0)
    noise = pd.Series(rng.random(40))
    assert rank_fit(drawn, noise)[1] < 0.2


def test_a_key_given_a_value_by_vary_is_no_longer_drawn(phone):
    key = "phone.staff.learning.untrained.multiplier_at_go_live"
    uncertain = _with_table(phone, {key: {"dist": "uniform", "low": 1.5, "high": 3.0},
                                    "phone.staff.sick_leave_share": {"dist": "uniform",
                                                                     "low": 0.05, "high": 0.1}})
    fixed = vary(uncertain, {"phone.staff.learning.untrained": {"multiplier_at_go_live": 5.0,
                                                                "multiplier_floor": 5.0}})
    assert list(fixed.uncertainty or {}) == ["phone.staff.sick_leave_share"]
    assert draw_values(fixed, np.random.SeedSequence(1)).keys() == {"phone.staff.sick_leave_share"}
    assert vary(fixed, {"phone.staff.sick_leave_share": 0.07}).uncertainty is None


def test_every_uncertain_key_of_a_shipped_scenario_is_named_in_words():
    """The dependence page names assumptions for a director: no key path of the shipped scenarios
    may reach it raw, in either language."""
    from sim.report.dependence import assumption_name

    for path in [*SCENARIOS.glob("*.toml"), *(ROOT / "tests" / "scenarios").glob("*.toml")]:
        if path.name == "baselines.toml":
            continue
        for key in (load_scenario(path).uncertainty or {}):
            for lang in ("en", "nb"):
                assert assumption_name(key, lang) != key, (path.name, key)
