"""The `[levers]` table and the forecast's page "What would make it responsible": levers are
checked against the scenario, change nothing in the simulation, and their page is drawn in both
languages without words running into each other or off the page."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

import sim
from sim.errors import Refused
from sim.levers import analyse_levers, blocking, read_levers
from sim.report.forecast import forecast_pages
from sim.report.front_page import Forecast, levers_hint
from sim.report.layout import A4_INCHES, Sheet, report_style
from sim.report.levers_page import blocking_sentence
from sim.results_folder import write_results
from sim.scenario import vary
from tests.conftest import SCENARIOS
from tests.page_geometry import outside, overlaps, text_boxes
from tests.test_changes import exit_and_error

FJORDVIK = SCENARIOS / "small" / "fjordvik-phone.toml"
LEVERS = {
    "surge": {"path": "support_desk.surge_agents", "min": 0, "max": 1, "unit_cost": 30.0,
              "label": "Desk surge agents", "label_nb": "Ekstra agenter i brukerstøtten"},
    "agents": {"path": "phone.shifts[0].staff", "min": 6, "max": 8, "unit_cost": 50.0,
               "label": "Phone agents on the shift", "label_nb": "Telefonagenter på vakt"},
}


@pytest.fixture(scope="module")
def with_levers():
    return vary(sim.load_scenario(FJORDVIK), {"calendar.weeks_after": 1, "levers": LEVERS})


@pytest.fixture(scope="module")
def worked(with_levers, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("levers")
    results = sim.run(with_levers, replications=3, seed=1, jobs=2)
    write_results(results, folder)
    analysis = analyse_levers(with_levers, folder, replications=3, jobs=2, cap=10,
                              report=lambda line: None)
    return results, analysis, folder


def test_levers_change_nothing_in_the_simulation(with_levers):
    without = vary(with_levers, {"levers": None})
    assert without.levers is None
    a = sim.run(with_levers, replications=2, seed=5, jobs=1).weekly
    b = sim.run(without, replications=2, seed=5, jobs=1).weekly
    pd.testing.assert_frame_equal(a, b)


def test_the_analysis_finds_each_lever_alone_and_the_cheapest_cell(worked):
    _, analysis, folder = worked
    assert read_levers(folder) == analysis
    assert [lever["name"] for lever in analysis["levers"]] == ["surge", "agents"]
    rows = pd.DataFrame(analysis["map"]["rows"])
    assert len(rows) == 2 * 3  # surge 0-1 by agents 6-8
    cheapest = analysis["cheapest"]
    if cheapest is not None:  # the least-cost cell among those at or above the target
        ok = rows[rows["all.responsible_share"] >= analysis["target"]]
        costs = ok["support_desk.surge_agents"] * 30 + ok["phone.shifts[0].staff"] * 50
        assert cheapest["cost"] == costs.min()


BLOCKING = {"values": {"support_desk.surge_agents": 1, "phone.shifts[0].staff": 8},
            "responsible_share": 0.4,
            "standards": [{"service": "phone", "metric": "service_level", "rule": "at_least",
                           "threshold": 0.8, "weeks": [1, 2, 3], "least_meets_share": 0.1}]}
"""What blocks, as levers.json gives it when nothing in the ranges reaches the target."""


def test_levers_json_carries_the_run_id_and_is_refused_for_another_run(worked):
    _, analysis, folder = worked
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert analysis["run_id"] == manifest["run_id"]
    stale = folder / "stale"
    shutil.copytree(folder, stale)
    (stale / "levers" / "levers.json").write_text(json.dumps({**analysis, "run_id": "0" * 16}))
    with pytest.raises(Refused, match="does not carry run id"):
        read_levers(stale)


def test_what_blocks_is_each_standard_short_of_the_target_with_its_weeks(tmp_path):
    """A hand-made verdict at the best cell: the phone line's service level is short in weeks 1
    and 3 (its least share 0.5), abandonment only before go-live, cases never."""
    def week(number, service_level, abandon):
        return {"week": number, "services": {
            "phone": {"standards": [
                {"metric": "service_level", "rule": "at_least", "threshold": 0.8,
                 "meets_share": service_level},
                {"metric": "abandon_share", "rule": "at_most", "threshold": 0.15,
                 "meets_share": abandon}]},
            "cases": {"standards": [{"metric": "overdue_share", "rule": "at_most",
                                     "threshold": 0.05, "meets_share": 1.0}]}}}
    verdict = {"weeks": [week(-1, 0.2, 0.1), week(1, 0.5, 0.95), week(2, 0.9, None),
                         week(3, 0.7, 1.0)]}
    (tmp_path / "verdict.json").write_text(json.dumps(verdict))
    row = {"a": 3, "b": 0.9, "all.responsible_share": 0.4}
    found = blocking(tmp_path, row, ["a", "b"], target=0.9)
    assert found == {"values": {"a": 3, "b": 0.9}, "responsible_share": 0.4, "standards": [
        {"service": "phone", "metric": "service_level", "rule": "at_least", "threshold": 0.8,
         "weeks": [1, 3], "least_meets_share": 0.5}]}
    assert blocking_sentence(BLOCKING, {"support_desk.surge_agents": "Surge",
                                        "phone.shifts[0].staff": "Agents"}, "en").endswith(
        "what blocks: Phone line, “Calls answered in time ≥ 80%” in weeks 1–3 (met in as few "
        "as 10% of the futures).")


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_the_levers_page_is_drawn_without_overlaps(worked, lang: str):
    results, analysis, _ = worked
    analysis = {**analysis, "blocking": BLOCKING}
    f = Forecast(results, results.verdict, lang)
    pages = forecast_pages(f, analysis)
    assert len(pages) == len(forecast_pages(f)) + 1
    levers_page = pages[-2]  # before the assumptions
    with report_style():
        fig = Figure(figsize=A4_INCHES)
        levers_page(Sheet(fig))
        boxes = text_boxes(fig)
    words = " ".join(text for text, _ in boxes)
    title = "What would make it responsible" if lang == "en" else "Hva som ville gjort det"
    assert title in words and ("Phone agents on the shift" if lang == "en"
                               else "Telefonagenter på vakt") in words
    assert ("what blocks:" if lang == "en" else "dette hindrer det:") in words
    assert overlaps(boxes) == [] and outside(fig, boxes) == []


@pytest.mark.parametrize(("lever", "said"), [
    ({"path": "support_desk.surge_agent", "min": 0, "max": 1}, "levers.x.path"),
    ({"path": "support_desk..surge_agents", "min": 0, "max": 1}, "not a key path"),
    ({"path": "support_desk.surge_agents", "min": 2, "max": 1}, "below min"),
    ({"path": "support_desk.surge_agents", "min": 0, "max": 1, "step": 0}, "step"),
    ({"path": "support_desk.surge_agents", "min": 0, "max": 1, "unit_cost": -1}, "unit_cost"),
    ({"path": "levers.x.min", "min": 0, "max": 1}, "cannot change the [levers] table"),
])
def test_a_bad_lever_names_its_key(lever: dict[str, object], said: str):
    with pytest.raises(sim.ScenarioError) as error:
        vary(sim.load_scenario(FJORDVIK), {"levers": {"x": lever}})
    assert said in error.value.report()


def test_forecast_levers_needs_a_levers_table(tmp_path: Path, capsys):
    code, err = exit_and_error(capsys, "forecast", FJORDVIK, "--levers", "-n", 1,
                               "--out", tmp_path / "f")
    assert code == 2 and "--levers" in err and "no [levers] table" in err


def test_the_reference_scenario_carries_its_levers(trondheim):
    assert list(trondheim.levers) == ["surge_agents", "surge_weeks", "trained_share",
                                      "phone_agents", "day_routes"]
    assert all(lever.unit_cost is not None for lever in trondheim.levers.values())


def test_forecast_levers_on_the_reference_is_refused_before_any_work(tmp_path: Path, capsys):
    """The reference's first two levers make a 7 x 7 grid: 1,470 replications at the default
    30, more than the work estimate's limit; refused before the forecast runs."""
    out = tmp_path / "out"
    code, err = exit_and_error(capsys, "forecast", SCENARIOS / "trondheim-2022.toml",
                               "--levers", "--out", out)
    assert code == 2 and "1,470 replications" in err and "--allow-large" in err
    assert not out.exists()


def test_page_one_says_that_levers_add_a_page_only_when_they_were_not_worked_through(
        worked, trondheim):
    results, analysis, _ = worked
    f = Forecast(dataclasses.replace(results, scenario=trondheim), results.verdict, "en")
    hint = levers_hint(f)
    assert "forecast --levers" in hint and "54 times" in hint  # 7 x 7 cells and 5 searches
    plain = dataclasses.replace(results, scenario=vary(trondheim, {"levers": None}))
    assert levers_hint(Forecast(plain, results.verdict, "en")) == ""
