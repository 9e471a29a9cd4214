"""The forecast notebook works for any scenario, not only the reference it names by default.

`make test` runs every notebook top to bottom as it is (nbmake, with few replications:
notebooks/conftest.py); this test runs the forecast notebook on a go-live of another weekday,
season, year and size, with one service, through its one scenario parameter.
"""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from tests.conftest import ROOT


def test_forecast_notebook_runs_on_another_scenario_and_writes_its_pdf(monkeypatch):
    monkeypatch.setenv("GOLIVE_SIM_SCENARIO", "scenarios/small/nordoy-cases.toml")
    monkeypatch.setenv("GOLIVE_SIM_REPLICATIONS", "3")
    pdf = ROOT / "out" / "notebooks" / "nordoy-cases" / "report-en.pdf"
    pdf.unlink(missing_ok=True)
    notebook = nbformat.read(ROOT / "notebooks" / "01_forecast.ipynb", as_version=4)
    NotebookClient(notebook, timeout=300, resources={"metadata": {"path": str(ROOT)}}).execute()
    printed = "".join(output.get("text", "") for cell in notebook.cells
                      for output in cell.get("outputs", []))
    assert "Nordøy case office alone" in printed
    assert f"forecast in {pdf}" in printed
    assert pdf.read_bytes().startswith(b"%PDF")
