"""The `golive-sim` command (also `python -m sim`): run, check and forecast scenarios.

Exit codes (design section 5): 0 success, 1 a check failed, 2 bad input, with a message that names
the file and every problem, and no traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.changes import as_json, parse_cost, parse_set, parse_vary
from sim.decision_rule import CAP_REPLICATIONS, FIRST_REPLICATIONS
from sim.errors import Refused
from sim.scenario_file import ScenarioError, load_scenario, scenario_files
from sim.workload import MAX_REPLICATIONS

if TYPE_CHECKING:
    from sim.baselines import BaselineSet
    from sim.experiment import Results
    from sim.scenario import Scenario

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
    forecast.add_argument("--levers", action="store_true",
                          help="work through the scenario's [levers] table (the least value of "
                          "each lever alone, the first two swept together) and add the page "
                          "\"What would make it responsible\"; --replications is each value's "
                          "first look")
    forecast.add_argument("--sensitivity", type=Path, default=None, metavar="DIR",
                          help="a folder of `golive-sim sensitivity` for this scenario: its "
                          "low/high runs decide what the page \"What the answer depends on\" "
                          "says (default: the rank regression of the forecast's own draws)")
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

    sweep = commands.add_parser("sweep", help="run a grid of scenario values under common "
                                "random numbers: cells, sweep.csv and a heat map")
    _experiment_options(sweep, out_required=True)
    sweep.add_argument("--vary", dest="varied", action="append", required=True,
                       type=_checked(parse_vary), metavar="PATH=V1,V2,...",
                       help="a scenario key and the values it takes (repeatable: the grid is "
                       "every combination)")
    _language_option(sweep)
    sweep.set_defaults(command=_sweep)

    optimise = commands.add_parser(
        "optimise", help="the least lever value (or the cheapest combination of levers) that "
        "keeps every week after go-live responsible")
    _experiment_options(optimise, out_required=True, replications=FIRST_REPLICATIONS)
    optimise.add_argument("--lever", dest="levers", action="append", required=True,
                          type=_checked(_lever_path), metavar="PATH",
                          help="a scenario key to search (repeatable, with a --min and --max "
                          "each, in the same order)")
    optimise.add_argument("--min", dest="lows", action="append", required=True,
                          type=_checked(_finite), metavar="A", help="the lever's least value")
    optimise.add_argument("--max", dest="highs", action="append", required=True,
                          type=_checked(_finite), metavar="B", help="the lever's greatest value")
    optimise.add_argument("--step", dest="steps", action="append", default=[],
                          type=_checked(_finite), metavar="S",
                          help="the step between values tried (default 1 for whole numbers, a "
                          "tenth of the range otherwise); none or one per --lever")
    optimise.add_argument("--target", type=_checked(_finite), default=None, metavar="P",
                          help="the share of futures in which every week must be responsible "
                          "(default the scenario's standards.confidence)")
    optimise.add_argument("--cost", dest="costs", action="append", default=[],
                          type=_checked(parse_cost), metavar="PATH=COST_PER_UNIT",
                          help="a lever's cost per unit (one for each lever when there are "
                          "several: the cheapest responsible combination is searched)")
    optimise.add_argument("--max-replications", type=_replications, default=CAP_REPLICATIONS,
                          help="at most this many replications of one value before it is called "
                          f"undecided (default {CAP_REPLICATIONS})")
    optimise.set_defaults(command=_optimise)

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
    _executor_options(sensitivity)
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


def _experiment_options(parser: argparse.ArgumentParser, out_required: bool = False,
                        replications: int = DEFAULT_REPLICATIONS) -> None:
    parser.add_argument("scenario", metavar="SCENARIO", type=Path, help="scenario TOML file")
    parser.add_argument("--replications", "-n", type=_replications, default=replications,
                        help=f"independent replications (default {replications}, at most "
                        f"{MAX_REPLICATIONS:,})")
    parser.add_argument("--seed", type=_non_negative_int, default=1, help="run seed (default 1)")
    _executor_options(parser)
    parser.add_argument("--out", type=Path, default=None, required=out_required,
                        help="results folder" + ("" if out_required else
                                                 " (default out/<scenario name>)")
                        + "; a rerun into it reuses the replications it finished")
    parser.add_argument("--force", action="store_true",
                        help="replace the results of another run in --out, or write beside "
                        "other files there")
    parser.add_argument("--allow-large", action="store_true",
                        help="run even when the work estimate is above the limit (some twenty "
                        "minutes on two cores)")
    _set_option(parser)


def _set_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--set", dest="changes", action="append", default=[],
                        type=_checked(parse_set), metavar="PATH=VALUE",
                        help="change one scenario key for this run (repeatable), by key path: "
                        "phone.shifts[0].staff=30; VALUE is read as a TOML value")


def _checked(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argparse type from a parser that raises Refused: argparse exits 2 naming the option."""
    def checked(text: str) -> Any:
        try:
            return parse(text)
        except Refused as e:
            raise argparse.ArgumentTypeError(str(e)) from None
    checked.__name__ = parse.__name__
    return checked


def with_changes(scenario: Scenario, changes: list[tuple[str, Any]], path: Path) -> Scenario:
    """The scenario with the command line's changes, validated as a whole; ScenarioError names
    the file, the option and the key path of a bad change."""
    from sim.scenario import vary

    if not changes:
        return scenario
    try:
        return vary(scenario, dict(changes))
    except ScenarioError as e:
        raise ScenarioError(f"{path} with --set", e.problems) from None


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


def _executor_choice(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of `_executor_options` for sim.run, sweep, optimise and
    sensitivity; a bad choice (Dask not installed, --scheduler without it) is refused here,
    before any work."""
    from sim.executors import make_executor

    make_executor(args.executor, 1, args.scheduler)
    return {"jobs": args.jobs, "executor": args.executor, "scheduler": args.scheduler,
            "progress": False if args.quiet else None}


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
    from sim.experiment import run
    from sim.results_folder import open_folder, with_source
    from sim.workload import check_workload

    scenario = with_changes(load_scenario(args.scenario), args.changes, args.scenario)
    check_workload(scenario, args.replications, args.allow_large)
    executor = _executor_choice(args)
    folder = args.out or Path("out") / scenario.name
    with open_folder(folder, scenario, args.seed, scenario_files(args.scenario),
                     args.force) as target:
        try:
            results = with_source(run(scenario, replications=args.replications, seed=args.seed,
                                      store=target.store, allow_large=args.allow_large,
                                      **executor), args.scenario)
        except KeyboardInterrupt:
            print(f"{target.store.count()} finished replications are kept in {folder}: "
                  "run the same command again to resume", file=sys.stderr)
            raise
        if args.changes:
            results = dataclasses.replace(
                results, manifest={**results.manifest, "set": as_json(dict(args.changes))})
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

    scenario = with_changes(load_scenario(args.scenario), args.changes, args.scenario)
    if args.levers and not scenario.levers:
        raise BadInput(f"--levers: {args.scenario} has no [levers] table (scenarios/README.md)")
    if args.levers:
        from sim.levers import check_levers_workload

        check_levers_workload(scenario, args.replications, args.allow_large)
    sensitivity = None
    if args.sensitivity is not None:
        from sim.sensitivity import read_sensitivity

        sensitivity = read_sensitivity(args.sensitivity, scenario)
    results, folder = _execute(args)
    levers = None
    if args.levers:
        from sim.levers import analyse_levers

        levers = analyse_levers(results.scenario, folder, args.replications, seed=args.seed,
                                force=args.force, report=print, allow_large=args.allow_large,
                                **_executor_choice(args))
    pdf = render_report(results, results.verdict, default_report_path(folder, args.lang),
                        args.lang, levers, sensitivity)
    print(weekly_table(results))
    print()
    print(overall_sentence(results.verdict, args.lang))
    print(f"report written to {pdf}")
    return EXIT_OK


def _sweep(args: argparse.Namespace) -> int:
    from sim.sweeps import sweep

    paths = [path for path, _ in args.varied]
    if len(set(paths)) < len(paths):
        raise BadInput(f"--vary: a key varied twice ({', '.join(paths)}); give each key once "
                       "with all its values")
    scenario = with_changes(load_scenario(args.scenario), args.changes, args.scenario)
    executor = _executor_choice(args)
    try:
        table = sweep(scenario, dict(args.varied), replications=args.replications,
                      seed=args.seed, out=args.out, force=args.force,
                      allow_large=args.allow_large, lang=args.lang, **executor)
    except ScenarioError as e:
        raise ScenarioError(f"{args.scenario} with --vary", e.problems) from None
    shown = [*paths, "all.responsible_share", "all.weakest_meets_share", "all.weakest_week"]
    print(table[shown].to_string(index=False))
    print(f"sweep of {len(table)} cells written to {args.out} (sweep.csv, sweep.pdf, cells/)")
    return EXIT_OK


def _lever_path(text: str) -> str:
    from sim.paths import PathError, parse_path

    try:
        parse_path(text)
    except PathError as e:
        raise Refused(f"--lever: {e}") from None
    return text


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise Refused(f"found {text!r}; accepted: a number") from None
    if not math.isfinite(value):
        raise Refused(f"found {text!r}; accepted: a finite number")
    return value


def _optimise(args: argparse.Namespace) -> int:
    from sim.optimiser import Lever, optimise

    counts = {"--min": len(args.lows), "--max": len(args.highs)}
    for option, count in counts.items():
        if count != len(args.levers):
            raise BadInput(f"{option}: given {count} times for {len(args.levers)} --lever; give "
                           "one for each lever, in the same order")
    if args.steps and len(args.steps) != len(args.levers):
        raise BadInput(f"--step: given {len(args.steps)} times for {len(args.levers)} --lever; "
                       "give none or one for each lever")
    steps = args.steps or [None] * len(args.levers)
    levers = [Lever(*spec) for spec in zip(args.levers, args.lows, args.highs, steps,
                                           strict=True)]
    scenario = with_changes(load_scenario(args.scenario), args.changes, args.scenario)
    executor = _executor_choice(args)
    try:
        answer = optimise(scenario, levers, dict(args.costs), target=args.target,
                          seed=args.seed, out=args.out, first=args.replications,
                          cap=args.max_replications, force=args.force,
                          allow_large=args.allow_large, report=print, **executor)
    except ScenarioError as e:
        raise ScenarioError(f"{args.scenario} with --lever", e.problems) from None
    print(optimise_sentence(answer))
    print(f"written to {args.out / 'optimise.json'}")
    return EXIT_OK


def optimise_sentence(answer: dict[str, Any]) -> str:
    """The optimiser's answer in one line for the terminal."""
    target = f"responsible in at least {answer['target']:.0%} of futures"
    caveat = "" if answer["monotone"] else " (the results were not monotone: every value scanned)"
    if answer["least_value"] is None:
        return f"no value in the range keeps every week {target}{caveat}"
    if "cheapest" in answer:
        cheapest = answer["cheapest"]
        shown = ", ".join(f"{p}={v}" for p, v in cheapest["values"].items())
        return (f"cheapest combination {target}: {shown}, cost {cheapest['cost']:g} "
                f"({len(answer['frontier'])} on the frontier){caveat}")
    return f"least {answer['lever']} {target}: {answer['least_value']}{caveat}"


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
    from sim.report.dependence import render_sensitivity
    from sim.sensitivity import sensitivity
    from sim.workload import check_workload, sensitivity_runs

    scenario = load_scenario(args.scenario)
    if not scenario.uncertainty:
        raise BadInput(f"{args.scenario}: has no [uncertainty] table, so nothing to vary; add one "
                       "(scenarios/README.md, [uncertainty])")
    runs = sensitivity_runs(scenario)
    check_workload(scenario, args.replications * runs, args.allow_large)
    executor = _executor_choice(args)
    out = args.out
    if out.exists() and not out.is_dir():
        raise BadInput(f"{out}: is a file, not a folder; give a folder for --out")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BadInput(f"{out}: cannot write there ({e.strerror or e})") from None
    print(f"sensitivity: {runs} runs (each of {len(scenario.uncertainty)} assumptions low and "
          f"high, central, all drawn) of {args.replications} replications, "
          f"{runs * args.replications} in all", file=sys.stderr)
    result = sensitivity(scenario, args.replications, args.seed, **executor)
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
