"""The `[levers]` table and the forecast's page "What would make it responsible": levers are
checked against the scenario, change nothing in the simulation, and their page is drawn in both
languages without words running into each other or off the page."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

import sim
from sim.levers import analyse_levers, read_levers
from sim.report.forecast import forecast_pages
from sim.report.front_page import Forecast
from sim.report.layout import A4_INCHES, Sheet, report_style
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


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_the_levers_page_is_drawn_without_overlaps(worked, lang: str):
    results, analysis, _ = worked
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
