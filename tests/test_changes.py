"""`--set PATH=VALUE` on run and forecast: any scenario key by path, lists by index, the changed
scenario validated as a whole, bad changes refused with exit 2 naming the argument and the path.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.changes import parse_cost, parse_value, parse_vary
from sim.cli import main
from sim.errors import Refused
from tests.conftest import SCENARIOS

ERLANG_C = SCENARIOS / "validation" / "erlang-c.toml"


def exit_and_error(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str]:
    """Exit code and stderr of the command line run in this process (argparse exits itself)."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as e:
        code = int(e.code or 0)
    return code, capsys.readouterr().err


def test_values_are_read_as_toml_values_or_else_as_text():
    assert parse_value("3") == 3 and parse_value("0.8") == 0.8 and parse_value("true") is True
    assert parse_value("[1, 2]") == [1, 2] and parse_value('"x"') == "x"
    assert parse_value("lognormal") == "lognormal"


def test_set_changes_a_list_entry_and_records_it(tmp_path: Path, capsys):
    out = tmp_path / "run"
    code, err = exit_and_error(capsys, "run", ERLANG_C, "-n", 1, "--jobs", 1, "--out", out,
                               "--set", "phone.shifts[0].staff=11",
                               "--set", "phone.service_level_seconds=30")
    assert code == 0, err
    assert 'staff = 11 }' in (out / "scenario.toml").read_text()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["set"] == {"phone.shifts[0].staff": 11, "phone.service_level_seconds": 30}


@pytest.mark.parametrize(("change", "said"), [
    ("phone.shifts[0].staff=x", "phone.shifts[0].staff: found 'x'; accepted: a whole number"),
    ("phon.shifts[0].staff=3", "did you mean 'phone'?"),
    ("phone.shifts[0].staf=3", "did you mean 'staff'?"),
    ("phone.shifts[3].staff=3", "no index 3"),
    ("phone.shifts[0].staff=-1", "phone.shifts[0].staff: found -1"),
    ("phone.shifts[0].staff=nan", "phone.shifts[0].staff: found nan"),
    ("phone.shifts[0].staff=", "--set"),
    ("phone.shifts[0].staff", "expected PATH=VALUE"),
    ("=3", "expected PATH=VALUE"),
    ("phone..x=1", "not a key path"),
    ("home_visits.faults.lost_item_noticed_share=0.5",
     "home_visits: the scenario has no [home_visits] table, so one key alone cannot make it"),
])
def test_a_bad_set_exits_2_naming_the_argument(tmp_path: Path, capsys, change: str, said: str):
    code, err = exit_and_error(capsys, "run", ERLANG_C, "-n", 1, "--out", tmp_path / "r",
                               "--set", change)
    assert code == 2, err
    assert "--set" in err and said in err and "Traceback" not in err
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize(("text", "said"), [
    ("support_desk.surge_agents=", "at least one value"),
    ("support_desk.surge_agents=1,,2", "empty value"),
    ("support_desk.surge_agents=1,1", "given twice"),
    ("support_desk.surge_agents", "expected PATH=V1,V2"),
    ("support_desk..surge_agents=1", "not a key path"),
])
def test_a_bad_vary_is_refused_naming_the_argument(text: str, said: str):
    with pytest.raises(Refused, match="--vary") as error:
        parse_vary(text)
    assert said in str(error.value)


def test_vary_reads_lists_of_toml_values():
    assert parse_vary("support_desk.surge_agents=0,2,4") == ("support_desk.surge_agents", [0, 2, 4])
    assert parse_vary("phone.staff.trained_share=0.5, 0.9") == ("phone.staff.trained_share",
                                                               [0.5, 0.9])


@pytest.mark.parametrize("text", ["support_desk.surge_agents=-1", "support_desk.surge_agents=x",
                                  "support_desk.surge_agents=nan", "support_desk.surge_agents=",
                                  "support_desk.surge_agents=inf", "=3"])
def test_a_bad_cost_is_refused_naming_the_argument(text: str):
    with pytest.raises(Refused, match="--cost"):
        parse_cost(text)


def test_a_key_set_for_the_run_is_sourced_to_the_change_not_to_the_files_comment():
    """The assumptions page must not print the file's source beside a value --set replaced
    ("two more agents" beside 7): the change is named instead, and a table holding a changed
    entry names it too."""
    from sim.report.assumptions import sources, with_changes

    comments = {"support_desk.surge_agents": "assumption: two more agents",
                "support_desk.surge_weeks": "assumption: two weeks",
                "phone.shifts": "assumption: the rota", "phone.staff.trained_share": "assumption"}
    out = with_changes(comments, ["support_desk.surge_agents", "phone.shifts[0].staff"], "en")
    assert sources(["support_desk.surge_agents", "support_desk.surge_weeks"], out) == (
        "set for this run (support_desk.surge_agents), not the scenario file's value; "
        "assumption: two weeks")
    assert sources(["phone.shifts"], out) == (
        "assumption: the rota; set for this run (phone.shifts[0].staff), not the scenario "
        "file's value")
    assert out["phone.staff.trained_share"] == "assumption"
    whole = with_changes({"support_desk.surge_agents": "assumption"}, ["support_desk"], "nb")
    assert whole["support_desk.surge_agents"].startswith("satt for denne kjøringen (support_desk)")
