"""The forecast of one results folder, page by page: what `golive-sim report` and `forecast`
print.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sim.labels import check_lang
from sim.report.assumptions import assumptions_page
from sim.report.front_page import Forecast, front_pages
from sim.report.layout import write_pdf
from sim.report.service_pages import chart_metrics, service_page
from sim.report.verdict_words import Verdict

if TYPE_CHECKING:
    from sim.experiment import Results

def render_report(results: Results, verdict: Verdict, out: str | Path, lang: str = "en") -> Path:
    """Write the forecast of one results folder as an A4 portrait PDF; returns its path.

    Pages: the answer and the verdict table (continued if the forecast is long), one page of fan
    charts per simulated service, one for the support desk and superusers, and the assumptions.
    """
    check_lang(lang)
    f = Forecast(results, verdict, lang)
    pages = front_pages(f)
    for service in f.simulated():
        available = set(results.daily.loc[results.daily["service"] == service, "metric"])
        metrics = chart_metrics(service, verdict, available)
        if metrics:
            pages.append(service_page(f, service, metrics))
    pages.append(assumptions_page(f))
    version = results.manifest.get("version", "")
    footer = f"{results.scenario.name} · golive-sim {version}".strip()
    return write_pdf(Path(out), pages, footer, lang)


def report_folder(folder: str | Path, out: str | Path | None = None, lang: str = "en") -> Path:
    """Render the forecast of a results folder (default: report.pdf, or report-nb.pdf in
    Norwegian, inside the folder); what `golive-sim report DIR` does."""
    from sim.results_folder import read_results

    folder = Path(folder)
    results = read_results(folder)
    return render_report(results, results.verdict, out or default_report_path(folder, lang), lang)


def default_report_path(folder: Path, lang: str) -> Path:
    """Where a results folder's report goes unless told otherwise."""
    return folder / ("report.pdf" if lang == "en" else f"report-{lang}.pdf")
