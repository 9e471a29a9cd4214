"""Scenario files: extending a base, changing by dotted path, and the resolved copy a run writes."""

from __future__ import annotations

import sim
from sim.baselines import is_baseline_list
from sim.scenario import vary
from sim.scenario_file import load_scenario, scenario_to_toml
from tests.conftest import SCENARIOS


def test_an_extending_file_replaces_a_distribution_whole_and_merges_tables(tmp_path):
    child = tmp_path / "child.toml"
    child.write_text(
        f'extends = "{SCENARIOS / "trondheim-2022.toml"}"\nname = "child"\n'
        '[phone]\ntalk_time_minutes = { dist = "exponential", mean = 5 }\n'
        '[phone.staff]\ntrained_share = 0.9\n'
    )
    base, scenario = load_scenario(SCENARIOS / "trondheim-2022.toml"), load_scenario(child)
    assert scenario.phone.talk_time_minutes.dist == "exponential"
    assert scenario.phone.staff.trained_share == 0.9
    assert scenario.phone.staff.superuser_share == base.phone.staff.superuser_share
    assert scenario.calendar == base.calendar


def test_vary_returns_a_new_scenario_and_leaves_the_original_alone(trondheim):
    changed = vary(trondheim, {"support_desk.surge_agents": 12, "calendar.weeks_after": 2})
    assert changed.support_desk.surge_agents == 12 and changed.calendar.weeks_after == 2
    assert trondheim.support_desk.surge_agents == 6 and trondheim.calendar.weeks_after == 8


def test_the_resolved_scenario_reads_back_as_the_same_scenario(tmp_path):
    for path in [*SCENARIOS.glob("*.toml"), *SCENARIOS.glob("*/*.toml")]:
        if is_baseline_list(path):
            continue
        scenario = sim.load_scenario(path)
        copy = tmp_path / path.name
        copy.write_text(scenario_to_toml(scenario))
        assert load_scenario(copy) == scenario, path.name


def test_every_shipped_scenario_has_a_title_in_both_languages():
    """Reports, sweeps and comparisons print the title; without one they would print the slug."""
    for path in [*SCENARIOS.glob("*.toml"), *SCENARIOS.glob("*/*.toml"),
                 *(SCENARIOS.parent / "tests" / "scenarios").glob("*.toml")]:
        if is_baseline_list(path):
            continue
        scenario = sim.load_scenario(path)
        assert scenario.title and scenario.title_nb, path.name
        assert scenario.display_title("nb") != scenario.name, path.name
