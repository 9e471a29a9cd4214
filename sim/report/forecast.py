"""The forecast of one results folder, page by page: what `golive-sim report` and `forecast`
print.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.labels import check_lang
from sim.report.assumptions import assumptions_pages
from sim.report.dependence import dependence_pages
from sim.report.front_page import Forecast, front_pages, levers_hint
from sim.report.layout import Page, write_pdf
from sim.report.levers_page import levers_pages
from sim.report.service_pages import chart_metrics, service_pages, simulated_metrics
from sim.report.verdict_words import Verdict

if TYPE_CHECKING:
    import pandas as pd

    from sim.experiment import Results


def render_report(results: Results, verdict: Verdict, out: str | Path, lang: str = "en",
                  levers: dict[str, Any] | None = None,
                  sensitivity: pd.DataFrame | None = None) -> Path:
    """Write the forecast of one results folder as an A4 portrait PDF; returns its path.

    Pages: the answer and the verdict table (continued if the forecast is long), one page of fan
    charts per simulated service, one for the support desk and superusers when the scenario has
    either, "What would make it responsible" when the levers were worked through (`levers`, from
    `sim.levers`), "What the answer depends on" when the scenario draws uncertain assumptions
    (from `sensitivity`, a `golive-sim sensitivity` table, when given), and the assumptions.
    """
    check_lang(lang)
    f = Forecast(results, verdict, lang)
    return write_pdf(Path(out), forecast_pages(f, levers, sensitivity), forecast_footer(f), lang)


def forecast_pages(f: Forecast, levers: dict[str, Any] | None = None,
                   sensitivity: pd.DataFrame | None = None) -> list[Page]:
    """Every page of a forecast, in order."""
    pages = front_pages(f, levers_hint(f) if levers is None else "")
    for service in f.simulated():
        metrics = chart_metrics(service, f.verdict, simulated_metrics(f.results, service))
        if metrics:
            pages += service_pages(f, service, metrics)
    if levers is not None:
        pages += levers_pages(f, levers)
    return pages + dependence_pages(f, sensitivity) + assumptions_pages(f)


def forecast_footer(f: Forecast) -> str:
    """The footer of every page: the scenario's title and the version that drew it."""
    return f"{f.title} · golive-sim {f.results.manifest.get('version', '')}".strip()


def report_folder(folder: str | Path, out: str | Path | None = None, lang: str = "en") -> Path:
    """Render the forecast of a results folder (default: report.pdf, or report-nb.pdf in
    Norwegian, inside the folder); what `golive-sim report DIR` does."""
    from sim.levers import read_levers
    from sim.results_folder import read_results

    folder = Path(folder)
    results = read_results(folder)
    return render_report(results, results.verdict, out or default_report_path(folder, lang), lang,
                         read_levers(folder))


def default_report_path(folder: Path, lang: str) -> Path:
    """Where a results folder's report goes unless told otherwise."""
    return folder / ("report.pdf" if lang == "en" else f"report-{lang}.pdf")
