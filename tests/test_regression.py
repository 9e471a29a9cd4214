"""`golive-sim regress`: the tolerance rule on hand-worked numbers, a perturbed model caught and an
unchanged one reported identical (docs/regression.md)."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.baselines import Tolerance, read_baseline_set
from sim.cli import main
from sim.regression import STATUS_METRIC, compare, standard_error_of_difference

ROOT = Path(__file__).resolve().parent.parent
TOLERANCE = Tolerance(standard_errors=4, floors={"share": 0.005, "seconds": 1.0, "minutes": 0.05,
                                                 "hours": 0.1, "days": 0.05, "count": 0.5})
PHONE = ROOT / "scenarios" / "small" / "fjordvik-phone.toml"


def _table(rows: list[tuple[int, str, str, str, list[float]]]) -> pd.DataFrame:
    """A baseline table from (week, service, metric, status, values) rows."""
    n = max(len(values) for *_, values in rows)
    records = []
    for week, service, metric, status, values in rows:
        defined = [v for v in values if not np.isnan(v)]
        record = {"week": week, "service": service, "metric": metric, "status": status,
                  "mean": np.mean(defined) if defined else np.nan}
        record.update({f"r{i}": v for i, v in enumerate(values)})
        records.append(record)
    return pd.DataFrame(records, columns=["week", "service", "metric", "status", "mean",
                                          *(f"r{i}" for i in range(n))])


def test_paired_standard_error_is_that_of_the_replications_differences():
    before = np.array([0.80, 0.82, 0.78, 0.80])
    after = before + np.array([0.010, 0.012, 0.008, 0.010])
    # differences 0.010, 0.012, 0.008, 0.010: sd 0.0016330, standard error 0.0008165
    assert standard_error_of_difference(before, after, paired=True) == pytest.approx(8.164966e-4)
    # as independent samples: sqrt(var_b/4 + var_a/4), var_b = 0.000266667, var_a = 0.000322667
    assert standard_error_of_difference(before, after, paired=False) == pytest.approx(
        math.sqrt(0.000266667 / 4 + 0.000322667 / 4), rel=1e-4)


def test_a_mean_fails_beyond_four_paired_standard_errors_plus_the_floor():
    before = [0.80, 0.82, 0.78, 0.80]
    moved = [b + d for b, d in zip(before, [0.010, 0.012, 0.008, 0.010], strict=True)]
    stored = _table([(1, "phone", "service_level", "", before)])
    result = compare("x", stored, _table([(1, "phone", "service_level", "", moved)]), TOLERANCE)
    (difference,) = result.differences
    # allowed 4 x 0.00081650 + 0.005 (share floor) = 0.0082660; moved 0.010
    assert difference.allowed == pytest.approx(0.0082660, abs=1e-7)
    assert difference.beyond == pytest.approx(0.010 / 0.0082660, rel=1e-4)
    assert result.outcome == "FAILED"
    small = [b + 0.004 for b in before]
    result = compare("x", stored, _table([(1, "phone", "service_level", "", small)]), TOLERANCE)
    assert result.outcome == "within tolerance"
    assert result.differences[0].beyond == pytest.approx(0.004 / 0.005)


def test_a_changed_status_fails_and_identical_rows_are_identical():
    stored = _table([(1, "phone", STATUS_METRIC, "at_risk", []),
                     (1, "phone", "asa_seconds", "", [30.0, 40.0])])
    assert compare("x", stored, stored.copy(), TOLERANCE).outcome == "identical"
    changed = stored.copy()
    changed.loc[0, "status"] = "not_responsible"
    result = compare("x", stored, changed, TOLERANCE)
    assert result.outcome == "FAILED"
    assert (result.failures[0].baseline, result.failures[0].now) == ("at_risk", "not_responsible")


def test_a_value_that_becomes_undefined_or_vanishes_fails_and_a_new_row_does_not():
    stored = _table([(1, "cases", "median_days", "", [3.0, 4.0]),
                     (2, "cases", "median_days", "", [np.nan, np.nan])])
    undefined = _table([(1, "cases", "median_days", "", [np.nan, np.nan]),
                        (2, "cases", "median_days", "", [np.nan, np.nan])])
    assert compare("x", stored, undefined, TOLERANCE).outcome == "FAILED"
    assert compare("x", stored, stored.iloc[1:], TOLERANCE).failures[0].now == "missing"
    grown = pd.concat([stored, _table([(1, "cases", "new_metric", "", [1.0, 2.0])])])
    result = compare("x", stored, grown, TOLERANCE)
    assert (result.outcome, result.new_rows) == ("identical", 1)


def _baselines_file(folder: Path, scenario: Path, directory: Path) -> Path:
    """A baselines file of one entry: fjordvik-phone, compared with `directory`."""
    shipped = (ROOT / "scenarios" / "baselines.toml").read_text(encoding="utf-8")
    tolerance = shipped[shipped.index("[tolerance]"):shipped.index("[[baseline]]")]
    entry = read_baseline_set(ROOT / "scenarios" / "baselines.toml").baselines
    phone = next(b for b in entry if b.name == "fjordvik-phone")
    file = folder / "baselines.toml"
    file.write_text(f'directory = "{directory}"\n{tolerance}\n[[baseline]]\n'
                    f'name = "{phone.name}"\nscenario = "{scenario}"\nseed = {phone.seed}\n'
                    f"replications = {phone.replications}\n", encoding="utf-8")
    return file


def test_regress_catches_ten_percent_longer_talk_time_and_passes_without_it(tmp_path, capsys):
    perturbed = tmp_path / "fjordvik-phone.toml"
    text = PHONE.read_text(encoding="utf-8")
    talk = 'talk_time_minutes = { dist = "lognormal", mean = 4, sd = 3 }'
    assert talk in text
    perturbed.write_text(text.replace(
        talk, 'talk_time_minutes = { dist = "lognormal", mean = 4.4, sd = 3.3 }'), "utf-8")
    stored = ROOT / "tests" / "baselines"

    assert main(["regress", "--baselines", str(_baselines_file(tmp_path, perturbed, stored))]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out
    for moved in ("phone.service_level", "phone.asa_seconds", "phone.abandon_share"):
        assert moved in out

    assert main(["regress", "--baselines", str(_baselines_file(tmp_path, PHONE, stored))]) == 0
    out = capsys.readouterr().out
    assert "identical" in out and "FAILED" not in out


def test_update_stores_what_changed_and_then_reproduces_it(tmp_path, capsys):
    stored = tmp_path / "baselines"
    shutil.copytree(ROOT / "tests" / "baselines", stored)
    perturbed = tmp_path / "fjordvik-phone.toml"
    perturbed.write_text(PHONE.read_text(encoding="utf-8").replace(
        "staff = 6 }", "staff = 7 }"), encoding="utf-8")
    file = _baselines_file(tmp_path, perturbed, stored)

    assert main(["regress", "--update", "--baselines", str(file)]) == 0
    out = capsys.readouterr().out
    assert "values changed" in out and "phone.service_level" in out
    assert main(["regress", "--baselines", str(file)]) == 0
    assert "reproduced identically" in capsys.readouterr().out


@pytest.mark.parametrize(("edit", "named"), [
    (("replications = 8", "replications = 0"), "baseline[0].replications"),
    (("scenario = \"", "scenario = \"missing-"), "baseline[0].scenario"),
    (("standard_errors = 4", "standard_errors = -1"), "tolerance.standard_errors"),
    ((", count = 0.5", ""), "tolerance.floors: missing count"),
])
def test_a_bad_baselines_file_exits_2_naming_the_key(tmp_path, capsys, edit, named):
    file = _baselines_file(tmp_path, PHONE, tmp_path)
    file.write_text(file.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    assert main(["regress", "--baselines", str(file)]) == 2
    err = capsys.readouterr().err
    assert named in err and "Traceback" not in err


def test_a_corrupt_stored_baseline_exits_2_naming_the_file(tmp_path, capsys):
    (tmp_path / "fjordvik-phone.csv").write_text("garbage\n1,2\n", encoding="utf-8")
    assert main(["regress", "--baselines", str(_baselines_file(tmp_path, PHONE, tmp_path))]) == 2
    assert "fjordvik-phone.csv" in capsys.readouterr().err


def test_check_validates_a_baselines_file_and_the_scenarios_it_names(tmp_path, capsys):
    assert main(["check", str(ROOT / "scenarios" / "baselines.toml")]) == 0
    broken = tmp_path / "broken.toml"
    broken.write_text("name = 'x'\n[calendar]\n", encoding="utf-8")
    assert main(["check", str(_baselines_file(tmp_path, broken, tmp_path))]) == 2
    assert "calendar.start" in capsys.readouterr().err
