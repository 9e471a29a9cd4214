"""`golive-sim sensitivity` and the forecast page "What the answer depends on": a key that moves
the phone line ranks above one that cannot move any outcome, and the pages print in both languages
without overprinted text."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.cli import main
from sim.experiment import run
from sim.report.dependence import assumption_name, dependence_pages, tornado_page
from sim.report.front_page import Forecast
from sim.report.layout import page_figures, report_style
from sim.scenario_file import load_scenario, scenario_from_dict
from sim.sensitivity import key_ranking, sensitivity
from tests.conftest import ROOT, SCENARIOS
from tests.page_geometry import outside, overlaps, text_boxes

STAFF = "phone.shifts[0].staff"
INERT = "standards.at_risk_share"
"""Moves statuses between at risk and not responsible, never a value or a meets_share."""


@pytest.fixture(scope="module")
def built():
    """The Fjordvik phone line with one key that matters (its agents) and one that does not."""
    phone = load_scenario(SCENARIOS / "small" / "fjordvik-phone.toml")
    data = phone.model_dump(mode="python", exclude_none=True)
    data["calendar"]["weeks_after"] = 2
    data["uncertainty"] = {INERT: {"dist": "uniform", "low": 0.3, "high": 0.7},
                           STAFF: {"dist": "uniform", "low": 5, "high": 7}}
    return scenario_from_dict(data, source="test")


@pytest.fixture(scope="module")
def result(built):
    return sensitivity(built, replications=3, seed=1, jobs=1)


def test_the_key_that_matters_ranks_above_the_one_that_does_not(result):
    ranking = key_ranking(result.table)
    assert list(ranking.index) == [STAFF, INERT]
    inert = result.table[result.table.path == INERT]
    assert (inert["mean_change"] == 0).all() and (inert["meets_share_change"] == 0).all()
    staff = result.table[result.table.path == STAFF]
    service_level = staff[staff.metric == "service_level"]
    assert (service_level["mean_change"] > 0).all(), "two more agents answer more calls in time"


def test_low_and_high_are_the_ends_and_central_the_midpoint(result):
    row = result.table[result.table.path == STAFF].iloc[0]
    assert (row["low"], row["central"], row["high"]) == (5, 6, 7)


def test_rank_regression_of_the_drawn_run_has_a_coefficient_per_key(result):
    keys = set(result.rank_regression["path"])
    assert keys <= {STAFF, INERT}


def test_the_command_writes_its_tables_and_charts_and_refuses_a_scenario_without_a_table(
        tmp_path, capsys):
    scenario = ROOT / "tests" / "scenarios" / "fjordvik-uncertain.toml"
    assert main(["sensitivity", str(scenario), "-n", "2", "-j", "1", "--out",
                 str(tmp_path)]) == 0
    table = pd.read_csv(tmp_path / "sensitivity.csv")
    assert set(table["path"]) == set(load_scenario(scenario).uncertainty or {})
    assert (tmp_path / "sensitivity.pdf").stat().st_size > 0
    assert (tmp_path / "rank_regression.csv").is_file()
    plain = SCENARIOS / "small" / "fjordvik-phone.toml"
    assert main(["sensitivity", str(plain), "--out", str(tmp_path / "x")]) == 2
    assert "no [uncertainty] table" in capsys.readouterr().err
    assert main(["sensitivity", str(scenario), "--out", str(tmp_path / "sensitivity.csv")]) == 2


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_the_new_pages_have_no_overprinted_or_cut_off_text(built, result, lang):
    results = run(load_scenario(ROOT / "tests" / "scenarios" / "fjordvik-uncertain.toml"),
                  replications=8, seed=1, jobs=1, progress=False)
    pages = dependence_pages(Forecast(results, results.verdict, lang))
    assert pages, "a run with drawn assumptions has a page on what the answer depends on"
    pages.append(tornado_page(result, "phone", lang))
    with report_style():
        for fig in page_figures(pages, "footer", lang):
            boxes = text_boxes(fig)
            assert overlaps(boxes) == []
            assert outside(fig, boxes) == []


def test_no_page_without_uncertain_assumptions():
    results = run(load_scenario(SCENARIOS / "small" / "fjordvik-phone.toml"), replications=2,
                  seed=1, jobs=1, progress=False)
    assert dependence_pages(Forecast(results, results.verdict, "en")) == []


def test_key_paths_are_named_in_words_or_shown_as_written():
    assert assumption_name("phone.staff.learning.untrained.multiplier_at_go_live", "en") == (
        "Phone line, untrained: slowness in the new system at go-live (× time)")
    assert assumption_name("cases.urgent_share", "nb") == "cases.urgent_share"
