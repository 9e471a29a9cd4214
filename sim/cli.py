"""The `golive-sim` command (also `python -m sim`): run, check and forecast scenarios.

Exit codes (design section 5): 0 success, 1 a check failed, 2 bad input, with a message that names
the file and every problem, and no traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import Refused
from sim.scenario_file import ScenarioError, load_scenario, scenario_files
from sim.workload import MAX_REPLICATIONS

if TYPE_CHECKING:
    from sim.baselines import BaselineSet
    from sim.experiment import Results

EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class BadInput(Exception):
    """Input the command cannot use (other than a scenario file): exit 2 with this message."""

DEFAULT_REPLICATIONS = 30
"""Enough for a 95 % interval of week-1 phone service level within +-0.03 (docs/replications.md)."""

TABLE_METRICS = {
    "phone": ["calls_offered", "service_level", "asa_seconds", "p90_wait_seconds",
              "abandon_share"],
    "cases": ["cases_arrived", "backlog", "median_days", "overdue_share",
              "urgent_overdue_share"],
    "home_visits": ["visits_planned", "late_share", "critical_late_share", "missed_share",
                    "documentation_share"],
    "support": ["requests", "superuser_resolved_share", "desk_asa_minutes",
                "desk_abandon_share", "staff_hours_lost"],
}
"""The metrics `forecast` prints per service, week by week."""

SENSITIVITY_REPLICATIONS = 10
"""Replications of each run of `sensitivity`: common random numbers make low/high differences
clear with fewer than a forecast needs, and it runs two scenarios per uncertain key."""

DEFAULT_BASELINES = Path("scenarios/baselines.toml")
"""The baseline scenarios `regress` reruns, relative to the working directory."""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.command(args)
    except ScenarioError as e:
        print(e.report(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except (BadInput, Refused) as e:
        print(f"golive-sim: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="golive-sim",
        description="Simulate public health and care services through an EHR go-live.",
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    run_ = commands.add_parser("run", help="run replications of a scenario, write a results folder")
    _experiment_options(run_)
    run_.set_defaults(command=_run)

    forecast = commands.add_parser("forecast", help="run a scenario and print its forecast report")
    _experiment_options(forecast)
    _language_option(forecast)
    forecast.set_defaults(command=_forecast)

    report = commands.add_parser("report", help="render the printable forecast of a results folder")
    report.add_argument("folder", metavar="DIR", type=Path, help="results folder of `run`")
    report.add_argument("--out", type=Path, default=None,
                        help="PDF file (default DIR/report.pdf, DIR/report-nb.pdf in Norwegian)")
    _language_option(report)
    report.set_defaults(command=_report)

    compare = commands.add_parser("compare", help="scenarios side by side on paper")
    compare.add_argument("folders", metavar="DIR", type=Path, nargs="+",
                         help="results folders of `run`, two or more")
    compare.add_argument("--out", type=Path, required=True, help="PDF file to write")
    _language_option(compare)
    compare.set_defaults(command=_compare)

    check = commands.add_parser("check", help="validate scenario files, print what is wrong")
    check.add_argument("scenarios", nargs="+", metavar="SCENARIO", type=Path)
    check.set_defaults(command=_check)

    sensitivity = commands.add_parser(
        "sensitivity", help="each uncertain assumption at its low and high value: what the "
        "answer depends on")
    sensitivity.add_argument("scenario", metavar="SCENARIO", type=Path,
                             help="scenario TOML file with an [uncertainty] table")
    sensitivity.add_argument("--replications", "-n", type=_replications,
                             default=SENSITIVITY_REPLICATIONS,
                             help="replications of each run (default "
                             f"{SENSITIVITY_REPLICATIONS}; the command runs 2 per key, 2 more)")
    sensitivity.add_argument("--seed", type=_non_negative_int, default=1,
                             help="run seed, the same for every run (default 1)")
    sensitivity.add_argument("--jobs", "-j", type=_positive_int, default=None,
                             help="worker processes (default: all cores)")
    sensitivity.add_argument("--out", type=Path, required=True,
                             help="folder for sensitivity.csv, rank_regression.csv and the "
                             "tornado charts (sensitivity.pdf)")
    sensitivity.add_argument("--allow-large", action="store_true",
                             help="run even when the work estimate is above the limit")
    _language_option(sensitivity)
    sensitivity.set_defaults(command=_sensitivity)

    regress = commands.add_parser(
        "regress", help="rerun the baseline scenarios and compare them with the stored baselines")
    regress.add_argument("--update", action="store_true",
                         help="rewrite the stored baselines and print what changed")
    regress.add_argument("--baselines", type=Path, default=DEFAULT_BASELINES, metavar="FILE",
                         help=f"the list of baseline scenarios (default {DEFAULT_BASELINES})")
    regress.add_argument("--jobs", "-j", type=_positive_int, default=None,
                         help="worker processes (default: all cores)")
    regress.set_defaults(command=_regress)
    return parser


def _experiment_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", metavar="SCENARIO", type=Path, help="scenario TOML file")
    parser.add_argument("--replications", "-n", type=_replications, default=DEFAULT_REPLICATIONS,
                        help=f"independent replications (default {DEFAULT_REPLICATIONS}, at most "
                        f"{MAX_REPLICATIONS:,})")
    parser.add_argument("--seed", type=_non_negative_int, default=1, help="run seed (default 1)")
    _executor_options(parser)
    parser.add_argument("--out", type=Path, default=None,
                        help="results folder (default out/<scenario name>); a rerun into it "
                        "reuses the replications it finished")
    parser.add_argument("--force", action="store_true",
                        help="replace the results of another run in --out, or write beside "
                        "other files there")
    parser.add_argument("--allow-large", action="store_true",
                        help="run even when the work estimate is above the limit (some twenty "
                        "minutes on two cores)")


def _executor_options(parser: argparse.ArgumentParser) -> None:
    """Where the replications run and whether progress shows (docs/cluster.md)."""
    from sim.executors import EXECUTORS

    parser.add_argument("--jobs", "-j", type=_positive_int, default=None,
                        help="worker processes (default: all cores)")
    parser.add_argument("--executor", choices=EXECUTORS, default="process",
                        help="a local process pool (default) or a Dask distributed cluster")
    parser.add_argument("--scheduler", metavar="ADDR", default=None,
                        help="with --executor dask: the scheduler's address, e.g. "
                        "tcp://10.0.0.5:8786 (default: a LocalCluster of --jobs workers here)")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="no progress bar (there is none either when stderr is not a terminal)")


def _language_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("en", "nb"), default="en",
                        help="language of the report: English or Norwegian bokmål (default en)")


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _replications(text: str) -> int:
    value = _positive_int(text)
    if value > MAX_REPLICATIONS:
        raise argparse.ArgumentTypeError(f"expected at most {MAX_REPLICATIONS:,} replications, "
                                         f"got {text!r}")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 0, got {text!r}")
    return value


def _execute(args: argparse.Namespace) -> tuple[Results, Path]:
    """Load, check the output folder and the work, then run into the folder (resuming it)."""
    # imported here so that `check` answers without loading pandas and scipy
    from sim.executors import make_executor
    from sim.experiment import run
    from sim.results_folder import open_folder, with_source
    from sim.workload import check_workload

    scenario = load_scenario(args.scenario)
    check_workload(scenario, args.replications, args.allow_large)
    make_executor(args.executor, 1, args.scheduler)  # refuse a bad choice before any work
    folder = args.out or Path("out") / scenario.name
    with open_folder(folder, scenario, args.seed, scenario_files(args.scenario),
                     args.force) as target:
        try:
            results = with_source(run(scenario, replications=args.replications, seed=args.seed,
                                      jobs=args.jobs, store=target.store,
                                      allow_large=args.allow_large, executor=args.executor,
                                      scheduler=args.scheduler,
                                      progress=False if args.quiet else None), args.scenario)
        except KeyboardInterrupt:
            print(f"{target.store.count()} finished replications are kept in {folder}: "
                  "run the same command again to resume", file=sys.stderr)
            raise
        reused = results.manifest["reused_replications"]
        if reused:
            print(f"reused {reused} of {args.replications} replications already in {folder}",
                  file=sys.stderr)
        target.write(results)
    return results, folder


def _run(args: argparse.Namespace) -> int:
    _, folder = _execute(args)
    print(f"results written to {folder}")
    return EXIT_OK


def _forecast(args: argparse.Namespace) -> int:
    from sim.report import default_report_path, overall_sentence, render_report

    results, folder = _execute(args)
    pdf = render_report(results, results.verdict, default_report_path(folder, args.lang),
                        args.lang)
    print(weekly_table(results))
    print()
    print(overall_sentence(results.verdict, args.lang))
    print(f"report written to {pdf}")
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from sim.report import report_folder

    if args.out is not None:
        _require_writable_pdf(args.out)
    print(f"report written to {report_folder(args.folder, args.out, args.lang)}")
    return EXIT_OK


def _compare(args: argparse.Namespace) -> int:
    from sim.report import compare_folders

    if len(args.folders) < 2:
        print("golive-sim compare: give at least two results folders", file=sys.stderr)
        return EXIT_BAD_INPUT
    _require_writable_pdf(args.out)
    print(f"comparison written to {compare_folders(args.folders, args.out, args.lang)}")
    return EXIT_OK


def _require_writable_pdf(out: Path) -> None:
    """Refuse, before any rendering, an --out that cannot become a PDF file."""
    if out.is_dir():
        raise BadInput(f"{out}: is a folder; give the PDF file to write, e.g. {out / 'report.pdf'}")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BadInput(f"{out}: cannot write there ({e.strerror or e})") from None
    if not os.access(out.parent, os.W_OK):
        raise BadInput(f"{out}: cannot write there (permission denied)")


def _sensitivity(args: argparse.Namespace) -> int:
    """Low/high runs of each uncertain key and a run drawing them all; tables and tornado charts."""
    from sim.experiment import run
    from sim.report.dependence import render_sensitivity
    from sim.sensitivity import sensitivity
    from sim.workload import check_workload

    scenario = load_scenario(args.scenario)
    if not scenario.uncertainty:
        raise BadInput(f"{args.scenario}: has no [uncertainty] table, so nothing to vary; add one "
                       "(scenarios/README.md, [uncertainty])")
    check_workload(scenario, args.replications * (2 * len(scenario.uncertainty) + 2),
                   args.allow_large)
    out = args.out
    if out.exists() and not out.is_dir():
        raise BadInput(f"{out}: is a file, not a folder; give a folder for --out")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BadInput(f"{out}: cannot write there ({e.strerror or e})") from None
    result = sensitivity(scenario, run, args.replications, args.seed, args.jobs)
    result.table.to_csv(out / "sensitivity.csv", index=False)
    result.rank_regression.to_csv(out / "rank_regression.csv", index=False)
    name = "sensitivity.pdf" if args.lang == "en" else f"sensitivity-{args.lang}.pdf"
    render_sensitivity(result, out / name, args.lang)
    print(f"sensitivity written to {out} (sensitivity.csv, rank_regression.csv, {name})")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    """Validate each file: a scenario, or a list of baselines with every scenario it names."""
    from sim.baselines import is_baseline_list

    worst = EXIT_OK
    for path in args.scenarios:
        try:
            if is_baseline_list(path):
                baselines = _read_baselines(path)
                for baseline in baselines.baselines:
                    load_scenario(baselines.scenario_path(baseline))
            else:
                load_scenario(path)
        except ScenarioError as e:
            print(e.report(), file=sys.stderr)
            worst = EXIT_BAD_INPUT
        except BadInput as e:
            print(e, file=sys.stderr)
            worst = EXIT_BAD_INPUT
        else:
            print(f"{path}: ok")
    return worst


def _read_baselines(path: Path) -> BaselineSet:
    from sim.baselines import RegressionInputError, read_baseline_set

    try:
        return read_baseline_set(path)
    except RegressionInputError as e:
        raise BadInput(str(e)) from None


def _regress(args: argparse.Namespace) -> int:
    """Rerun every baseline scenario; exit 1 when a mean or a status moved beyond tolerance."""
    import time

    from sim import regression
    from sim.baselines import RegressionInputError
    from sim.experiment import run

    baselines = _read_baselines(args.baselines)
    print(f"regress: {len(baselines.baselines)} baseline scenarios of {args.baselines} "
          f"against {baselines.directory} (rule: docs/regression.md)", flush=True)
    moved: list[tuple[str, regression.Difference]] = []
    unstored = []
    for baseline in baselines.baselines:
        started = time.perf_counter()
        now = regression.run_baseline(baselines, baseline, args.jobs, run)
        path = baselines.stored_path(baseline)
        try:
            stored = regression.read_baseline(path) if path.is_file() else None
        except RegressionInputError as e:
            if not args.update:
                raise BadInput(str(e)) from None
            stored = None
        if stored is not None:
            comparison = regression.compare(baseline.name, stored, now, baselines.tolerance)
            moved += [(baseline.name, d) for d in comparison.differences]
            outcome, detail = comparison.outcome, _comparison_detail(comparison)
        else:
            unstored.append(baseline.name)
            outcome, detail = "NO BASELINE", f"nothing stored at {path}"
        if args.update:
            regression.write_baseline(now, path)
        seconds = time.perf_counter() - started
        print(f"  {baseline.name:<24} {outcome:<17} {detail} ({baseline.replications} "
              f"replications, seed {baseline.seed}, {seconds:.1f} s)", flush=True)
    moved.sort(key=lambda pair: -pair[1].beyond)
    failures = [pair for pair in moved if pair[1].fails]
    if args.update:
        if unstored:
            print(f"\nstored new baselines: {', '.join(unstored)}")
        if moved:
            print(f"\nupdated: {len(moved)} values changed, {len(failures)} of them beyond "
                  "tolerance; review and commit tests/baselines/ with the change")
            print(regression.difference_table(moved, limit=60))
        elif len(unstored) < len(baselines.baselines):
            print("\nupdated: every stored baseline reproduced exactly; nothing changed")
        return EXIT_OK
    if failures or unstored:
        if failures:
            print(f"\nFAILED: {len(failures)} values moved beyond tolerance "
                  "(x allowed: the move over the allowed difference)")
            print(regression.difference_table(failures))
        if unstored:
            print(f"\nFAILED: no stored baseline for {', '.join(unstored)}")
        print("\nIf the change is intended, run `golive-sim regress --update` and commit "
              "tests/baselines/ with it.")
        return EXIT_CHECK_FAILED
    identical = not moved
    print("\nregress: every baseline " + ("reproduced identically" if identical
                                          else "within tolerance"))
    return EXIT_OK


def _comparison_detail(comparison: Any) -> str:
    """One line on a comparison: rows compared, and the largest move when there is one."""
    text = f"{comparison.rows} rows"
    if comparison.differences:
        top = comparison.differences[0]
        text += (f", {len(comparison.differences)} moved, largest {top.service}.{top.metric} "
                 f"week {top.week}")
    if comparison.new_rows:
        text += f", {comparison.new_rows} rows not in the baseline (stored by --update)"
    return text


def weekly_table(results: Results) -> str:
    """Mean of the headline metrics per week, a block per service, for the terminal."""
    import pandas as pd

    summary = results.summary
    blocks = [f"{results.scenario.name}: {results.manifest.get('replications')} replications, "
              "weekly means (week 1 starts at go-live)"]
    for service, metrics in TABLE_METRICS.items():
        rows = summary[(summary["service"] == service) & summary["metric"].isin(metrics)]
        if rows.empty:
            continue
        table = rows.pivot(index="week", columns="metric", values="mean")[metrics]
        with pd.option_context("display.width", 120, "display.float_format", "{:,.3f}".format):
            blocks.append(f"\n{service}\n{table.to_string()}")
    return "\n".join(blocks)


if __name__ == "__main__":
    sys.exit(main())
