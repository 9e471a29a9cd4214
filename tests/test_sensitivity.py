"""`golive-sim sensitivity` and the forecast page "What the answer depends on": a key that moves
the phone line ranks above one that cannot move any outcome, and the pages print in both languages
without overprinted text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader
from scipy.stats import spearmanr

from sim.assumption_effects import effects_from_regression, effects_from_sensitivity
from sim.cli import main
from sim.experiment import run
from sim.influence import rank_fit_tested
from sim.report.dependence import (
    assumption_name,
    dependence_pages,
    direction_words,
    tornado_page,
)
from sim.report.front_page import Forecast
from sim.report.layout import page_figures, report_style
from sim.scenario_file import load_scenario, scenario_from_dict
from sim.sensitivity import key_ranking, sensitivity
from sim.verdict import status, worst
from sim.workload import check_workload, sensitivity_runs
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

    # the forecast's page takes its directions and flips from those low/high runs
    forecast = ["forecast", str(scenario), "-n", "2", "-j", "1", "--quiet", "--out",
                str(tmp_path / "forecast"), "--sensitivity"]
    assert main([*forecast, str(tmp_path)]) == 0
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "forecast" /
                                                               "report.pdf").pages)
    assert "golive-sim sensitivity); a week can turn" in " ".join(text.split())
    capsys.readouterr()
    assert main([*forecast, str(tmp_path / "nowhere")]) == 2
    assert "--sensitivity" in capsys.readouterr().err
    other = tmp_path / "other"
    other.mkdir()
    table.assign(path="phone.staff.sick_leave_share").to_csv(other / "sensitivity.csv")
    assert main([*forecast, str(other)]) == 2
    assert "run golive-sim sensitivity on this scenario" in capsys.readouterr().err
    assert main(["forecast", str(plain), "-n", "1", "--sensitivity", str(tmp_path)]) == 2
    assert "no [uncertainty] table" in capsys.readouterr().err


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


def test_the_effects_from_low_and_high_runs_give_direction_and_flips(built, result):
    effects = {e.path: e for e in effects_from_sensitivity(result.table, {
        "standards": [{"service": "phone", "metric": m, "rule": r, "threshold": t}
                      for m, r, t in built.standards.phone.rules()]}, built.standards)}
    assert list(effects) == [STAFF, INERT]
    assert direction_words(effects[STAFF], "en").endswith("its standard is met more often.")
    assert effects[INERT].sign == 0 and effects[INERT].flips == {}
    staff = result.table[result.table.path == STAFF]
    expected = {int(week) for week, rows in staff.groupby("week")
                if worst([status(s, built.standards) for s in rows["meets_share_low"]])
                != worst([status(s, built.standards) for s in rows["meets_share_high"]])}
    assert set(effects[STAFF].flips) == expected


def test_the_effects_from_the_forecasts_draws_need_significance_and_an_unsettled_week():
    """A key significant in weeks 1 and 2 flips only week 2, where the standard is met in some
    futures but not all; a key with large but insignificant coefficients flips nothing."""
    regression = pd.DataFrame([
        {"week": w, "service": "home_visits", "metric": "late_share", "path": path,
         "coefficient": c, "p_value": p, "explained_share": 0.5}
        for w in (1, 2) for path, c, p in (("a", 0.6, 0.001), ("b", -0.7, 0.2))])
    verdict = {"standards": [{"service": "home_visits", "metric": "late_share",
                              "rule": "at_most", "threshold": 0.2}],
               "weeks": [{"week": w, "services": {"home_visits": {"standards": [
                   {"metric": "late_share", "meets_share": share}]}}}
                   for w, share in ((1, 0.0), (2, 0.4))]}
    effects = effects_from_regression(regression, verdict)
    assert [e.path for e in effects] == ["b", "a"]
    b, a = effects
    assert a.flips == {2: ["home_visits"]} and b.flips == {}
    assert direction_words(a, "en") == ("A higher value raises “Visits started late” (home "
                                        "visits): its standard is met less often.")
    assert direction_words(b, "nb") == "Ingen tydelig virkning på noe krav."


def test_the_p_value_of_a_single_key_is_spearmans():
    """With one key the standardised rank regression is Spearman's correlation, and its t test
    the one scipy's spearmanr makes."""
    rng = np.random.default_rng(3)
    drawn = pd.DataFrame({"a": rng.uniform(size=25)})
    values = pd.Series(drawn["a"] + rng.normal(scale=0.4, size=25))
    coefficients, p_values, _ = rank_fit_tested(drawn, values)
    rho, p = spearmanr(drawn["a"], values)
    assert coefficients["a"] == pytest.approx(rho)
    assert p_values["a"] == pytest.approx(p)


def test_sensitivity_counts_all_its_runs_in_the_work_estimate(capsys):
    """Four uncertain keys: ten runs. 5,000 replications are one run's share of the limit but
    not ten runs'."""
    scenario = ROOT / "tests" / "scenarios" / "fjordvik-uncertain.toml"
    assert sensitivity_runs(load_scenario(scenario)) == 10
    check_workload(load_scenario(scenario), 5000, allow_large=False)
    assert main(["sensitivity", str(scenario), "-n", "5000", "--out", "unused"]) == 2
    assert "more than the limit" in capsys.readouterr().err


def test_with_fewer_futures_than_the_regression_needs_the_page_says_so():
    """Four uncertain keys need at least six futures; with three the page says it cannot tell
    rather than "no effect"."""
    results = run(load_scenario(ROOT / "tests" / "scenarios" / "fjordvik-uncertain.toml"),
                  replications=3, seed=1, jobs=1, progress=False)
    (page,) = dependence_pages(Forecast(results, results.verdict, "en"))
    with report_style():
        (fig,) = page_figures([page], "footer", "en")
        words = " ".join(text for text, _ in text_boxes(fig))
    assert "Too few simulated futures to tell" in words and "needs at least 6" in words
    assert "No clear effect" not in words
