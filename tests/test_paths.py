"""Key paths with list indices: one grammar for vary, --set, sweeps and uncertainty tables."""

from __future__ import annotations

import pytest

import sim
from sim.paths import PathError, get_path, parse_path, set_path
from sim.scenario import vary
from tests.conftest import SCENARIOS


def test_a_path_is_names_and_list_indices():
    assert parse_path("phone.shifts[0].staff") == ["phone", "shifts", 0, "staff"]
    assert parse_path("phone.hourly_profile[8]") == ["phone", "hourly_profile", 8]
    assert parse_path("a[1][2].b") == ["a", 1, 2, "b"]


@pytest.mark.parametrize("bad", ["", "phone..x", "phone.", ".phone", "phone.shifts[-1]",
                                 "phone.shifts[x]", "phone shifts", "phone/shifts", "a[1]b"])
def test_a_path_outside_the_grammar_is_refused(bad):
    with pytest.raises(PathError, match="not a key path"):
        parse_path(bad)


def test_get_and_set_walk_tables_and_lists():
    data = {"phone": {"shifts": [{"staff": 24}, {"staff": 3}]}}
    assert get_path(data, "phone.shifts[1].staff") == 3
    assert set_path(data, "phone.shifts[1].staff", 5) is None  # every table was there
    assert set_path(data, "support_desk.base_agents", 2) == "support_desk"  # made this one
    assert data == {"phone": {"shifts": [{"staff": 24}, {"staff": 5}]},
                    "support_desk": {"base_agents": 2}}
    with pytest.raises(PathError, match="has 2 entries, so no index 2"):
        set_path(data, "phone.shifts[2].staff", 1)
    with pytest.raises(PathError, match="phone.shifts is a list of 2, not a table"):
        get_path(data, "phone.shifts.staff")


def test_vary_changes_a_list_entry_and_leaves_the_original_alone(trondheim):
    changed = vary(trondheim, {"phone.shifts[0].staff": 30, "phone.hourly_profile[8]": 2.0})
    assert changed.phone.shifts[0].staff == 30 and changed.phone.hourly_profile[8] == 2.0
    assert trondheim.phone.shifts[0].staff == 24 and trondheim.phone.hourly_profile[8] == 1.4


@pytest.mark.parametrize(("changes", "said"), [
    ({"phone.shifts[3].staff": 1}, "phone.shifts has 1 entries, so no index 3"),
    ({"phone.shifts[0].staf": 1}, "did you mean 'staff'"),
    ({"phone.shifts[0].staff": -1}, "phone.shifts[0].staff"),
])
def test_vary_names_the_path_of_a_bad_change(changes, said):
    scenario = sim.load_scenario(SCENARIOS / "small" / "fjordvik-phone.toml")
    with pytest.raises(sim.ScenarioError) as error:
        vary(scenario, changes)
    assert said in error.value.report()
