"""The printed forecast: rendered from a stored results folder (tests/data/results-small, made by
tests/data/make_results_small.py), never by rerunning the model.

What a director relies on: A4 portrait pages, the answer in words on page 1, a verdict table
whose every week reads as in verdict.json, everything in Norwegian when asked, fonts embedded
as TrueType and no text below 9 pt; and what an analyst relies on: every metric has a label in
both languages, and closed days are gaps in the charts, not zeros.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from pypdf import PdfReader

from sim.cases import case_metrics
from sim.charts import day_date, fan_chart, quantile_bands
from sim.home_visits import visit_metrics
from sim.labels import (
    LABELS,
    format_date,
    format_percent,
    format_week,
    label,
    metric_title,
)
from sim.metrics import Totals
from sim.phone import phone_metrics
from sim.report import (
    answer_sentences,
    render_comparison,
    render_report,
    verdict_services,
)
from sim.results_folder import read_results, with_source
from sim.support import support_metrics

FOLDER = Path(__file__).resolve().parent / "data" / "results-small"
A4_POINTS = (595.0, 842.0)
PAGES = ["summary", "phone", "cases", "home_visits", "support"]
"""Page 1, a page per simulated service, the support desk and superusers; the assumptions follow
on as many pages as they take."""
REFERENCE = FOLDER.parent.parent.parent / "scenarios" / "trondheim-2022.toml"
STATUS_WORDS = {
    "en": r"Not responsible|Responsible|At risk|No verdict",
    "nb": r"Ikke forsvarlig|Forsvarlig|I faresonen|Ingen vurdering",
}
ROW_START = {"en": r"Week −?\d+ (?:from|before)", "nb": r"Uke −?\d+ (?:fra|før)"}


@pytest.fixture(scope="module")
def results():
    """The stored results, with the reference scenario file as their source (run from a file)."""
    return with_source(read_results(FOLDER), REFERENCE)


@pytest.fixture(scope="module")
def verdict(results):
    return results.verdict


@pytest.fixture(scope="module")
def every_status(verdict):
    """The stored verdict changed by hand so that the table holds every status and a week
    without verdict."""
    changed = copy.deepcopy(verdict)
    before, first = changed["weeks"][0], changed["weeks"][1]
    phone = before["services"]["phone"]
    phone["status"] = before["status"] = "at_risk"
    phone["standards"][0].update(meets_share=0.6, status="at_risk")
    cases = first["services"]["cases"]
    cases["status"] = None
    for standard in cases["standards"]:
        standard.update(meets_share=None, status=None)
    return changed


def _render(results, verdict, tmp_path_factory, lang):
    out = tmp_path_factory.mktemp(f"report-{lang}") / "forecast.pdf"
    render_report(results, verdict, out, lang=lang)
    return PdfReader(out)


@pytest.fixture(scope="module")
def pdf_en(results, verdict, tmp_path_factory):
    return _render(results, verdict, tmp_path_factory, "en")


@pytest.fixture(scope="module")
def pdf_nb(results, every_status, tmp_path_factory):
    return _render(results, every_status, tmp_path_factory, "nb")


@pytest.fixture(scope="module")
def pdf_every_status(results, every_status, tmp_path_factory):
    return _render(results, every_status, tmp_path_factory, "en")


def _text(page) -> str:
    """A page's text with every run of white space as one space."""
    return re.sub(r"\s+", " ", page.extract_text())


def _all_text(pdf) -> str:
    return " ".join(_text(page) for page in pdf.pages)


def _table_rows(text: str, lang: str) -> dict[str, list[str]]:
    """Each verdict-table row of page 1, keyed by its week title, with its statuses in order."""
    table = text[:text.index(label("responsible", lang) + " ! " + label("at_risk", lang))]
    rows = re.split(f"(?={ROW_START[lang]})", table)[1:]
    return {" ".join(row.split()[:2]): re.findall(STATUS_WORDS[lang], row) for row in rows}


def _expected_rows(verdict, lang: str) -> dict[str, list[str]]:
    services = [*verdict_services(verdict), None]
    expected = {}
    for week in verdict["weeks"]:
        title = format_week(week["week"], lang).capitalize()
        statuses = [week["status"] if s is None else week["services"][s]["status"]
                    for s in services]
        expected[title] = [label(s or "no_verdict", lang) for s in statuses]
    return expected


def test_the_report_is_a4_portrait_with_a_page_per_section(pdf_en):
    assert len(pdf_en.pages) > len(PAGES)
    assert "Assumptions and provenance" in _text(pdf_en.pages[len(PAGES)])
    for page in pdf_en.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (width, height) == pytest.approx(A4_POINTS, abs=1.0)


def test_page_one_gives_the_answer_in_sentences_built_from_the_verdict(pdf_en, verdict, results):
    page_one = _text(pdf_en.pages[0])
    sentences = answer_sentences(verdict, "en", [*results.scenario.services, "support"])
    assert sentences[0].startswith("Not every service stays responsible after go-live")
    for sentence in sentences:
        assert " ".join(sentence.split()) in page_one


def test_the_headline_names_the_worst_week_and_how_often_its_standard_is_met(verdict):
    phone = next(s for s in answer_sentences(verdict, "en") if s.startswith("Phone line"))
    worst = verdict["headline"]["phone"]["worst_week"]
    week = next(w for w in verdict["weeks"] if w["week"] == worst)
    share = min(s["meets_share"] for s in week["services"]["phone"]["standards"])
    assert f"In week {worst} the standard" in phone
    assert f"is met in {format_percent(share)} of simulated futures" in phone


@pytest.mark.parametrize("fixture", ["pdf_en", "pdf_every_status"])
def test_the_verdict_table_shows_every_weeks_statuses_as_in_the_verdict(fixture, request,
                                                                       verdict, every_status):
    pdf = request.getfixturevalue(fixture)
    stored = verdict if fixture == "pdf_en" else every_status
    assert _table_rows(_text(pdf.pages[0]), "en") == _expected_rows(stored, "en")


def test_a_week_without_verdict_reads_no_verdict_not_responsible(pdf_every_status):
    rows = _table_rows(_text(pdf_every_status.pages[0]), "en")
    assert rows["Week 1"][1] == "No verdict"
    assert rows["Week −1"][0] == "At risk"


def test_the_norwegian_report_is_norwegian_throughout(pdf_nb, every_status, results):
    text = _all_text(pdf_nb)
    assert " ".join(results.scenario.description_nb.split()) in " ".join(text.split())
    assert results.scenario.description not in text
    assert "uke 1" in text and "Uke 1" in text and "uke 19" not in text
    assert "forsvarlig" in text and "Forsvarlig" in text
    assert format_date(dt.date(2022, 5, 7), "nb") == "7. mai 2022"
    assert "7. mai 2022" in text
    # the assumptions pages quote the scenario file's comments (its sources) as written
    own_words = " ".join(_text(page) for page in pdf_nb.pages[:len(PAGES)])
    for english in ("responsible", "at risk", "no verdict", "week", "standard", "go-live"):
        assert english not in own_words.lower(), english
    assert _table_rows(_text(pdf_nb.pages[0]), "nb") == _expected_rows(every_status, "nb")
    simulated = [*results.scenario.services, "support"]
    for sentence in answer_sentences(every_status, "nb", simulated):
        assert " ".join(sentence.split()) in _text(pdf_nb.pages[0])


def test_the_assumptions_page_names_the_levers_the_run_and_the_sources(pdf_every_status,
                                                                       results):
    text = " ".join(_text(page) for page in pdf_every_status.pages[len(PAGES):])
    for words in ("Staff fully trained at go-live", "60% in every staff group",
                  "Support desk agents on duty", "3, plus 6 in the first 3 weeks",
                  "Superusers released from normal duty", "1,200 calls",
                  # the comments beside the keys in the scenario file: a standard's and a lever's
                  "(source: assumption: borrows the out-of-hours emergency line's norm "
                  "(akuttmedisinforskriften § 13: 80 % within 2 minutes",
                  "T-2022: 17 FTE (middle of 15-20) as agents on duty",
                  str(REFERENCE.resolve())):
        assert " ".join(words.split()) in text, words
    manifest = results.manifest
    assert f"Simulated futures (replications) {manifest['replications']}" in text
    assert f"Seed {manifest['seed']}" in text
    if manifest.get("git_commit"):
        assert manifest["git_commit"][:12] in text


def test_fonts_are_embedded_as_truetype_never_type3(pdf_en, pdf_nb):
    for pdf in (pdf_en, pdf_nb):
        for page in pdf.pages:
            fonts = page["/Resources"]["/Font"]
            assert fonts
            for font in fonts.values():
                font = font.get_object()
                assert font["/Subtype"] != "/Type3"
                inner = (font["/DescendantFonts"][0].get_object()
                         if font["/Subtype"] == "/Type0" else font)
                assert "/FontFile2" in inner["/FontDescriptor"].get_object()


def test_no_text_is_smaller_than_nine_points(pdf_en):
    for page in pdf_en.pages:
        sizes = [float(size) for size in
                 re.findall(rb"/F\d+ ([\d.]+) Tf", page.get_contents().get_data())]
        assert sizes and min(sizes) >= 9


class _Anything(dict):
    """Totals' counts, samples and levels for a metric function, whatever it asks for."""

    def __init__(self, value: object) -> None:
        super().__init__()
        self.value = value

    def __missing__(self, key: str) -> object:
        return self.value

    def __bool__(self) -> bool:
        return True


@pytest.mark.parametrize("metrics", [phone_metrics, case_metrics, visit_metrics, support_metrics])
def test_every_metric_of_every_metric_function_has_an_english_and_norwegian_label(metrics):
    totals = Totals(_Anything(2.0), _Anything([1.0, 3.0]), _Anything(2.0))
    for key in metrics(totals):
        assert key in LABELS, f"{metrics.__name__} returns {key!r}, which has no label"
        for lang in ("en", "nb"):
            assert label(key, lang).strip()
            assert metric_title(key, lang).strip()


def test_every_metric_in_the_results_folder_has_a_label(results):
    for metric in results.daily["metric"].unique():
        assert label(metric, "en") and label(metric, "nb")


def test_labels_refuse_an_unknown_language():
    with pytest.raises(ValueError, match="nb"):
        label("phone", "sv")


def test_a_day_the_service_is_closed_is_a_gap_in_the_fan_chart_not_a_zero(results):
    scenario = results.scenario
    bands = quantile_bands(results.daily, "phone", "service_level")
    sunday = next(day for day in bands.index if day_date(scenario, day).weekday() == 6)
    assert bands.loc[sunday].isna().all()
    fig, ax = plt.subplots()
    assert fan_chart(ax, results.daily, "phone", "service_level", scenario)
    median = ax.lines[-1].get_ydata()
    position = 2 * list(bands.index).index(sunday)
    assert math.isnan(median[position]) and math.isnan(median[position + 1])
    plt.close(fig)


def test_the_comparison_puts_scenarios_side_by_side_on_a4(results, verdict, every_status,
                                                         tmp_path):
    out = render_comparison([results, results], [verdict, every_status], tmp_path / "c.pdf")
    pdf = PdfReader(out)
    assert len(pdf.pages) >= 1 + 4 + 1  # answers and table, four services, levers
    for page in pdf.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (width, height) == pytest.approx(A4_POINTS, abs=1.0)
    first = _text(pdf.pages[0])
    title = results.scenario.display_title("en")
    assert f"A {title}" in first and f"B {title}" in first
    assert "! 60%" in first  # the hand-changed week of scenario B, beside A's


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True,
                          cwd=FOLDER.parent.parent.parent)


def test_report_command_renders_a_results_folder_without_rerunning(tmp_path):
    out = tmp_path / "forecast.pdf"
    done = _cli("report", str(FOLDER), "--out", str(out), "--lang", "nb")
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 10_000 and str(out) in done.stdout


def test_report_command_refuses_a_folder_run_did_not_write(tmp_path):
    done = _cli("report", str(tmp_path))
    assert done.returncode == 2
    assert "not a results folder" in done.stderr and "verdict.json" in done.stderr
    assert "Traceback" not in done.stderr
