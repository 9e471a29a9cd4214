"""Reference engines for the M/M/c+M queue-engine benchmark: plain simpy and Ciw 3.2.7.

Each runner times one run without tracemalloc and measures peak memory in a second, traced run.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import ciw
import numpy as np
import simpy

ARRIVAL_RATE = 2.0  # calls per minute
MEAN_TALK = 4.0  # minutes
AGENTS = 9
MEAN_PATIENCE = 3.0  # minutes


def _measure(
    simulate: Callable[[], dict[str, Any]], measure_memory: bool
) -> tuple[dict[str, Any], float, float | None]:
    """Run `simulate` once for wall time and, if asked, again under tracemalloc for peak MB.

    The traced run must reproduce the timed run's counts, so both runs see the same model.
    """
    start = time.perf_counter()
    stats = simulate()
    wall = time.perf_counter() - start
    if not measure_memory:
        return stats, wall, None
    tracemalloc.start()
    try:
        traced = simulate()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    if traced != stats:
        raise RuntimeError(f"traced run differs from timed run: {traced} != {stats}")
    return stats, wall, peak / 1e6


def _result(stats: dict[str, Any], wall: float, peak_mb: float | None) -> dict[str, Any]:
    """Assemble the common result dict from raw counts and the two measurements."""
    calls = stats["calls"]
    return {
        "calls": calls,
        "answered": stats["answered"],
        "abandoned": stats["abandoned"],
        "abandon_share": stats["abandoned"] / calls,
        "mean_wait_minutes": stats["total_wait"] / calls,
        "wall_seconds": wall,
        "peak_mb": peak_mb,
    }


def run_plain_simpy(calls: int, seed: int, measure_memory: bool = True) -> dict[str, Any]:
    """Textbook simpy model: one process per call, `request | timeout(patience)` for reneging.

    Random numbers are drawn up front as arrays, so the timing and peak MB cover the engine only.
    """
    rng = np.random.default_rng(seed)
    # Lists of Python floats: indexing numpy arrays would hand np.float64 to simpy's clock.
    gaps = rng.exponential(1.0 / ARRIVAL_RATE, calls).tolist()
    talks = rng.exponential(MEAN_TALK, calls).tolist()
    patiences = rng.exponential(MEAN_PATIENCE, calls).tolist()

    def simulate() -> dict[str, Any]:
        env = simpy.Environment()
        agents = simpy.Resource(env, capacity=AGENTS)
        totals = [0, 0, 0.0]  # answered, abandoned, total wait

        def call(talk: float, patience: float):
            arrived = env.now
            req = agents.request()
            result = yield req | env.timeout(patience)
            if req in result:
                totals[0] += 1
                totals[2] += env.now - arrived
                yield env.timeout(talk)
                agents.release(req)
            else:
                req.cancel()
                totals[1] += 1
                totals[2] += env.now - arrived

        def source():
            for gap, talk, patience in zip(gaps, talks, patiences, strict=True):
                yield env.timeout(gap)
                env.process(call(talk, patience))

        env.process(source())
        env.run()
        return {
            "calls": calls,
            "answered": totals[0],
            "abandoned": totals[1],
            "total_wait": totals[2],
        }

    return _result(*_measure(simulate, measure_memory))


def run_ciw(calls: int, seed: int, measure_memory: bool = True) -> dict[str, Any]:
    """Ciw 3.2.7 M/M/9+M run to max_time = calls / lambda; `calls` reports the actual arrivals.

    In service at the horizon counts as answered; still queued is neither, wait cut at the horizon.
    """
    max_time = calls / ARRIVAL_RATE

    def simulate() -> ciw.Simulation:
        ciw.seed(seed)
        network = ciw.create_network(
            arrival_distributions=[ciw.dists.Exponential(ARRIVAL_RATE)],
            service_distributions=[ciw.dists.Exponential(1.0 / MEAN_TALK)],
            number_of_servers=[AGENTS],
            reneging_time_distributions=[ciw.dists.Exponential(1.0 / MEAN_PATIENCE)],
        )
        sim = ciw.Simulation(network)
        sim.simulate_until_max_time(max_time)
        return sim

    def summarise(sim: ciw.Simulation) -> dict[str, Any]:
        answered = abandoned = 0
        total_wait = 0.0
        for rec in sim.get_all_records(include_incomplete=True):
            if rec.record_type == "service":
                answered += 1
                total_wait += rec.waiting_time
            elif rec.record_type == "renege":
                abandoned += 1
                total_wait += rec.waiting_time
            elif rec.record_type == "incomplete":
                if rec.waiting_time is None:  # still queued at the horizon
                    total_wait += max_time - rec.arrival_date
                else:  # in service at the horizon
                    answered += 1
                    total_wait += rec.waiting_time
            else:
                raise ValueError(f"unexpected Ciw record type {rec.record_type!r}")
        return {
            "calls": sim.nodes[0].number_of_individuals,
            "answered": answered,
            "abandoned": abandoned,
            "total_wait": total_wait,
        }

    # Summarising walks Ciw's records after the run, outside the timed and traced regions.
    start = time.perf_counter()
    sim = simulate()
    wall = time.perf_counter() - start
    stats = summarise(sim)
    del sim
    peak_mb = None
    if measure_memory:
        tracemalloc.start()
        try:
            traced_sim = simulate()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        if summarise(traced_sim) != stats:
            raise RuntimeError("traced Ciw run differs from timed run")
        del traced_sim
        peak_mb = peak / 1e6
    return _result(stats, wall, peak_mb)


def main(calls: int = 20_000, seed: int = 1) -> None:
    """Quick check: run both reference engines and print one row each."""
    header = (
        f"{'engine':<12}{'calls':>9}{'answered':>10}{'abandoned':>10}{'abandon':>9}"
        f"{'wait min':>10}{'wall s':>9}{'calls/s':>10}{'peak MB':>9}"
    )
    print(header)
    for name, runner in (("plain simpy", run_plain_simpy), ("ciw 3.2.7", run_ciw)):
        r = runner(calls, seed)
        print(
            f"{name:<12}{r['calls']:>9}{r['answered']:>10}{r['abandoned']:>10}"
            f"{r['abandon_share']:>9.4f}{r['mean_wait_minutes']:>10.3f}{r['wall_seconds']:>9.2f}"
            f"{r['calls'] / r['wall_seconds']:>10.0f}{r['peak_mb']:>9.2f}"
        )


if __name__ == "__main__":
    main()
