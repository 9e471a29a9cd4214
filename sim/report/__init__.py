"""The printed forecast: an A4 PDF a health director reads on paper in five minutes.

Page 1 answers the question (is every service responsible in every week, and if not, when and
how badly) in plain sentences built from the verdict, with a verdict table week by service that
reads in black and white (`front_page`). A page per service follows with fan charts by day of its
headline metrics (`service_pages`), then the support desk and superusers when the scenario has
them, then the assumptions behind the numbers and where they come from (`assumptions`).
`render_comparison` puts several scenarios side by side the same way (`comparison`).

Everything is drawn from a results folder (no rerun): `render_report(results, results.verdict,
out)` with `results = read_results(folder)`. Words come from `sim.labels`, so `lang="nb"` prints
Norwegian.
"""

from sim.report.assumptions import levers
from sim.report.comparison import compare_folders, render_comparison
from sim.report.forecast import default_report_path, render_report, report_folder
from sim.report.service_pages import chart_metrics
from sim.report.verdict_words import (
    answer_sentences,
    milestones,
    overall_sentence,
    service_sentence,
    verdict_services,
)

__all__ = [
    "answer_sentences", "chart_metrics", "compare_folders", "default_report_path", "levers",
    "milestones", "overall_sentence", "render_comparison", "render_report", "report_folder",
    "service_sentence", "verdict_services",
]
