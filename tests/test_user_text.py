"""User text is text: a scenario's description is drawn as written (no mathtext), and the longest
description the schema accepts leaves page 1 holding the answer and the verdict table."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pypdf import PdfReader

from sim.report import render_report
from sim.results_folder import read_results
from sim.scenario import MAX_TEXT_CHARACTERS

FOLDER = Path(__file__).resolve().parent / "data" / "results-small"


def page_one(description: str, tmp_path: Path) -> str:
    results = read_results(FOLDER)
    scenario = results.scenario.model_copy(update={"description": description})
    changed = dataclasses.replace(results, scenario=scenario)
    out = render_report(changed, changed.verdict, tmp_path / "report.pdf")
    return " ".join(PdfReader(out).pages[0].extract_text().split())


def test_dollar_signs_are_drawn_literally(tmp_path: Path):
    """Two `$` would switch matplotlib to mathtext: garbled text, or a crash after the results
    are written (an unbalanced formula)."""
    texts = ["US$2M, $40/hour", "$x_1$", r"$\frac{$ and $^$"]
    page = page_one("; ".join(texts), tmp_path)
    for text in texts:
        assert text in page


def test_longest_description_leaves_the_answer_on_page_one(tmp_path: Path):
    words = ("A long description of what this scenario assumes and why. " * 20)
    text = page_one(words[:MAX_TEXT_CHARACTERS], tmp_path)
    assert "The answer" in text and "Verdict week by week" in text
    assert "Week 2" in text, "the verdict table was pushed off page 1"
