"""The printed forecast for any go-live: the test family of tests/scenarios (a weekday morning in
autumn; 22:00 on New Year's Eve with a week before go-live of one day; the phone line alone for
twelve weeks in spring 2027 without desk, superusers or [organisation]; case handling without
standards or desk) runs through `forecast` in English and bokmål and `compare` with two folders
(in bokmål) and three (in English), with one replication each.

Every page of every PDF is measured as it is written, with matplotlib's renderer: no two texts
overlap, none leaves the page, and every fan chart's days begin at go-live's time of day, where
its go-live line is.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pytest
from matplotlib.figure import Figure
from pypdf import PdfReader

import sim.report.layout
from sim.charts import date_x, format_date_axis
from sim.cli import main
from sim.labels import label
from sim.results_folder import SOURCE_FILE, read_results
from sim.scenario_file import load_scenario
from tests.conftest import ROOT
from tests.page_geometry import outside, overlaps, text_boxes

FAMILY = ROOT / "tests" / "scenarios"
SCENARIOS = ("fjordvik-autumn", "fjordvik-new-year", "fjordvik-phone-spring",
             "fjordvik-cases-no-standards")
LANGUAGES = ("en", "nb")


@dataclass
class Page:
    """One written page: what it is part of, its texts' trouble and its charts' days."""

    document: str
    number: int
    overlaps: list[tuple[str, str]]
    outside: list[str]
    charts: list[tuple[float | None, np.ndarray]]
    """Per fan chart: the x of its go-live line (None if it has none) and its days' edges."""
    texts: list[str]


def _charts(fig: Figure, lang: str) -> list[tuple[float | None, np.ndarray]]:
    charts = []
    for ax in fig.axes:
        lines = ax.get_lines()
        medians = [line for line in lines if line.get_label() == label("chart.median", lang)]
        go_live = [float(np.asarray(line.get_xdata())[0]) for line in lines
                   if line.get_label() == label("chart.go_live", lang)]
        for median in medians:
            charts.append((go_live[0] if go_live else None,
                           np.asarray(median.get_xdata(), dtype=float)))
    return charts


@pytest.fixture(scope="module")
def written(tmp_path_factory, monkeypatch_module):
    """Run the family through the commands; measure every page as the PDF takes it."""
    pages: list[Page] = []
    document = {"name": ""}
    original = sim.report.layout.page_figures

    def measured(page_list, footer, lang):
        for number, fig in enumerate(original(page_list, footer, lang), start=1):
            yield fig
            boxes = text_boxes(fig)
            pages.append(Page(document["name"], number, overlaps(boxes), outside(fig, boxes),
                              _charts(fig, lang), [text for text, _ in boxes]))

    monkeypatch_module.setattr(sim.report.layout, "page_figures", measured)
    root = tmp_path_factory.mktemp("family")
    folders, pdfs = {}, {}
    for name in SCENARIOS:
        for lang in LANGUAGES:
            folder = root / f"{name}-{lang}"
            document["name"] = f"forecast {name} {lang}"
            assert main(["forecast", str(FAMILY / f"{name}.toml"), "--replications", "1",
                         "--jobs", "1", "--out", str(folder), "--lang", lang]) == 0
            folders[name] = folder
            pdfs[document["name"]] = folder / ("report.pdf" if lang == "en" else "report-nb.pdf")
    # two folders in Norwegian (its longer words), three in English
    for group, names, lang in (("two", SCENARIOS[:2], "nb"), ("three", SCENARIOS[1:], "en")):
        out = root / f"compare-{group}-{lang}.pdf"
        document["name"] = f"compare {group} {lang}"
        assert main(["compare", *(str(folders[n]) for n in names), "--out", str(out),
                     "--lang", lang]) == 0
        pdfs[document["name"]] = out
    return pages, folders, pdfs


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_every_command_writes_its_pdf(written):
    pages, _, pdfs = written
    assert len(pdfs) == len(SCENARIOS) * len(LANGUAGES) + 2
    for document, pdf in pdfs.items():
        measured = [p for p in pages if p.document == document]
        assert len(PdfReader(pdf).pages) == len(measured) >= 2, document


def test_no_two_texts_overlap_on_any_page(written):
    pages, _, _ = written
    trouble = [(p.document, p.number, p.overlaps[:3]) for p in pages if p.overlaps]
    assert not trouble


def test_no_text_leaves_the_page(written):
    pages, _, _ = written
    trouble = [(p.document, p.number, p.outside[:3]) for p in pages if p.outside]
    assert not trouble


def test_every_charts_days_begin_at_go_lives_time_of_day(written):
    pages, _, _ = written
    charts = [(p.document, go_live, edges) for p in pages for go_live, edges in p.charts]
    assert len(charts) > 50
    for document, go_live, edges in charts:
        assert go_live is not None, document
        offsets = (edges[np.isfinite(edges)] - go_live) % 1.0
        assert np.all(np.minimum(offsets, 1 - offsets) < 1e-6), document


def test_a_service_page_that_goes_on_keeps_the_charts_that_fit_on_its_first_page(written):
    pages, _, _ = written
    continued = [(before, page) for before, page in zip(pages, pages[1:], strict=False)
                 if before.document == page.document and page.number == before.number + 1
                 and any(text.endswith(("(continued)", "(fortsatt)")) for text in page.texts)]
    assert continued  # New Year's Eve's home-visit page goes on, in both languages
    for before, page in continued:
        assert before.charts and page.charts, (page.document, page.number)


def test_the_go_live_line_of_a_new_years_eve_go_live_is_at_22_00(written):
    pages, _, _ = written
    go_live = date_x(dt.datetime(2025, 12, 31, 22, 0))
    lines = [x for p in pages if p.document.startswith("forecast fjordvik-new-year")
             for x, _ in p.charts]
    assert lines and all(math.isclose(x, go_live) for x in lines)


def test_the_results_folder_keeps_the_scenario_file_it_was_run_from(written):
    _, folders, _ = written
    results = read_results(folders["fjordvik-new-year"])
    path = FAMILY / "fjordvik-new-year.toml"
    assert results.manifest["source_path"] == str(path.resolve())
    kept = (folders["fjordvik-new-year"] / SOURCE_FILE).read_text(encoding="utf-8")
    assert kept.endswith(path.read_text(encoding="utf-8"))
    assert "fjordvik-autumn.toml" in kept  # the file it extends comes first


def test_a_one_day_week_before_go_live_has_no_verdict_row(written):
    _, folders, _ = written
    results = read_results(folders["fjordvik-new-year"])
    assert results.scenario.calendar.days_before == 8
    assert -2 in set(results.weekly["week"])
    assert [w["week"] for w in results.verdict["weeks"]] == [-1, 1, 2]


def test_no_support_page_or_desk_row_without_a_support_desk(written):
    pages, _, pdfs = written
    text = " ".join(page.extract_text() for page in PdfReader(
        pdfs["forecast fjordvik-phone-spring en"]).pages)
    for absent in ("Support desk", "superusers", "Employees switching system"):
        assert absent not in text, absent
    cases = " ".join(page.extract_text() for page in PdfReader(
        pdfs["forecast fjordvik-cases-no-standards en"]).pages)
    assert "Superusers" in cases and "Support desk" not in cases
    assert "responsible in every week" not in cases


def test_compare_says_what_is_not_comparable(written):
    _, _, pdfs = written
    first = " ".join(PdfReader(pdfs["compare three en"]).pages[0].extract_text().split())
    assert "go live at different moments" in first
    assert "followed for different numbers of weeks" in first
    assert "C: no phone line simulated" in first
    assert "B: no support desk and superusers simulated" in first


def test_the_measures_find_overprinted_and_cut_off_text():
    """The page measures themselves, on a page made wrong on purpose."""
    fig = Figure(figsize=sim.report.layout.A4_INCHES)
    fig.text(0.1, 0.5, "100%")
    fig.text(0.13, 0.5, "100%")
    fig.text(0.1, 0.3, "apart")
    fig.text(0.97, 0.1, "off the edge")
    boxes = text_boxes(fig)
    assert overlaps(boxes) == [("100%", "100%")]
    assert outside(fig, boxes) == ["off the edge"]


def test_a_date_axis_across_new_year_names_the_years():
    scenario = load_scenario(FAMILY / "fjordvik-new-year.toml")
    fig = Figure()
    ax = fig.add_subplot()
    format_date_axis(ax, scenario, "en")
    ticks = [ax.xaxis.get_major_formatter()(x, i)
             for i, x in enumerate(ax.xaxis.get_major_locator()())]
    # ticks at the start of weeks -1, 1, 2 and the end of the run (22:00 on each date)
    assert ticks == ["24 Dec 2025", "31 Dec", "7 Jan 2026", "14 Jan"]
    spring = load_scenario(FAMILY / "fjordvik-phone-spring.toml")
    format_date_axis(ax, spring, "nb")
    labels = [ax.xaxis.get_major_formatter()(x, 0) for x in ax.xaxis.get_major_locator()()]
    # thirteen weeks: every other week from go-live, and no year within one year
    assert labels[:2] == ["8. mar", "22. mar"] and not any("2027" in t for t in labels)
