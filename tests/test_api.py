"""The Python API validates what it is given, as the command line does (design section 5, API):
`sim.run` takes a Scenario or a scenario file, refuses what cannot be repeated or does not mean
the same as on the command line, and checks scenarios changed after loading."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.scenario import Scenario, vary
from sim.workload import TooLarge, check_workload

ERLANG_C = Path(__file__).resolve().parent.parent / "scenarios" / "validation" / "erlang-c.toml"


@pytest.fixture(scope="module")
def small() -> Scenario:
    """The Erlang C line for one day: a replication in a few hundredths of a second."""
    return vary(sim.load_scenario(ERLANG_C), {"phone.calls_per_day.weekdays": 288,
                                              "phone.calls_per_day.saturday": 288,
                                              "phone.calls_per_day.sunday": 288})


def run(scenario: object, **options: object) -> sim.Results:
    return sim.run(scenario, **{"replications": 2, "jobs": 1, "progress": False, **options})


def test_run_accepts_a_path_as_well_as_a_scenario(small: Scenario, tmp_path: Path):
    from sim.scenario_file import scenario_to_toml

    path = tmp_path / "small.toml"
    path.write_text(scenario_to_toml(small), encoding="utf-8")
    by_path, by_text = run(path), run(str(path))
    pd.testing.assert_frame_equal(by_path.weekly, run(small).weekly)
    pd.testing.assert_frame_equal(by_text.weekly, by_path.weekly)


@pytest.mark.parametrize("given", [{"name": "x"}, 42, None])
def test_run_refuses_what_is_not_a_scenario(given: object):
    with pytest.raises(TypeError, match="a Scenario or the path of a scenario file"):
        run(given)


def test_run_of_a_missing_file_names_it(tmp_path: Path):
    with pytest.raises(sim.ScenarioError, match="no such file"):
        run(tmp_path / "nowhere.toml")


def test_seed_none_is_recorded_so_the_run_can_be_repeated(small: Scenario):
    drawn = run(small, seed=None)
    seed = drawn.manifest["seed"]
    assert isinstance(seed, int) and drawn.manifest["seed_drawn"] is True
    pd.testing.assert_frame_equal(run(small, seed=seed).weekly, drawn.weekly)
    assert run(small, seed=1).manifest["seed_drawn"] is False


@pytest.mark.parametrize("seed", [-1, 1.5, "1", True])
def test_bad_seed_is_refused(small: Scenario, seed: object):
    with pytest.raises(ValueError, match="seed"):
        run(small, seed=seed)


@pytest.mark.parametrize("jobs", [0, -1, 2.0, True, 10**9])
def test_jobs_means_what_it_means_on_the_command_line(small: Scenario, jobs: object):
    """`--jobs` takes a whole number of at least 1 (absent: all cores); so does `jobs`."""
    with pytest.raises(ValueError, match="jobs"):
        run(small, jobs=jobs)


def test_jobs_none_is_all_cores_and_gives_the_same_numbers(small: Scenario):
    pd.testing.assert_frame_equal(run(small, jobs=None).weekly, run(small, jobs=1).weekly)


@pytest.mark.parametrize("replications", [0, -3, 2.5, 10**9])
def test_bad_replications_are_refused_before_any_work(small: Scenario, replications: object):
    with pytest.raises(ValueError, match="replications"):
        run(small, replications=replications)


@pytest.mark.parametrize(
    ("update", "key"),
    [({"name": "../escape"}, "name"),
     ({"description": "x" * 10_000}, "description")],
)
def test_a_copy_changed_without_validation_is_checked_before_running(
        small: Scenario, update: dict[str, object], key: str):
    changed = small.model_copy(update=update)
    with pytest.raises(sim.ScenarioError, match=key):
        run(changed)


def test_a_copy_with_an_invalid_table_is_checked(small: Scenario):
    assert small.phone is not None
    phone = small.phone.model_copy(update={"redial_probability": 7.0})
    with pytest.raises(sim.ScenarioError, match="phone.redial_probability"):
        run(small.model_copy(update={"phone": phone}))


@pytest.mark.parametrize(
    ("changes", "path"),
    [({"phone.redial_probability": 2}, "phone.redial_probability"),
     ({"phone.no_such_key": 1}, "phone.no_such_key"),
     ({"name.part": 1}, "name.part"),
     ({"calendar.weeks_after": "many"}, "calendar.weeks_after")],
)
def test_vary_errors_name_the_path(small: Scenario, changes: dict[str, object], path: str):
    with pytest.raises(sim.ScenarioError) as error:
        vary(small, changes)
    assert path in error.value.report()


def test_vary_leaves_the_original_alone(small: Scenario):
    changed = vary(small, {"phone.redial_probability": 0.5})
    assert changed.phone is not None and small.phone is not None
    assert (changed.phone.redial_probability, small.phone.redial_probability) == (0.5, 0.0)


def test_work_estimate_refuses_unless_allowed(small: Scenario):
    busy = vary(small, {"calendar.weeks_after": 104, "phone.calls_per_day.weekdays": 1e6,
                        "phone.calls_per_day.saturday": 1e6, "phone.calls_per_day.sunday": 1e6})
    with pytest.raises(TooLarge, match="allow_large"):
        run(busy)
    check_workload(busy, 2, allow_large=True)  # allowed: no error
    check_workload(small, 100, allow_large=False)  # the control: small runs pass


def test_the_long_tables_list_replication_service_metric_then_day():
    """Rows by replication, then service and metric in the model's order, then day, one value
    each (the results-folder contract's order); a metric missing a day is an error."""
    from sim.experiment import _tidy
    from sim.replication import ReplicationResult

    one = ReplicationResult({"phone": {"b": np.array([1.0, 2.0]), "a": np.array([3.0, 4.0])},
                             "cases": {"c": np.array([5.0, 6.0])}}, {})
    two = ReplicationResult({"phone": {"b": np.array([7.0, 8.0]), "a": np.array([9.0, 10.0])},
                             "cases": {"c": np.array([11.0, 12.0])}}, {})
    table = _tidy([one, two], "daily", "day", [-1, 1])
    assert list(table.columns) == ["replication", "day", "service", "metric", "value"]
    assert table["value"].tolist() == [float(v) for v in range(1, 13)]
    assert table["replication"].tolist() == [0] * 6 + [1] * 6
    assert table["day"].tolist() == [-1, 1] * 6
    assert table["metric"].tolist()[:6] == ["b", "b", "a", "a", "c", "c"]
    assert table["service"].tolist()[4:8] == ["cases", "cases", "phone", "phone"]
    with pytest.raises(ValueError, match="one value per day"):
        _tidy([one], "daily", "day", [1, 2, 3])
