"""sim/events.py keeps simpy's order of events: a timed callback, a chain of arrivals and the run
loop give the same sequence as simpy's Timeout, process and `run(until=...)`, ties included
(equal times run in the order they were scheduled)."""

from __future__ import annotations

import pytest
import simpy
from simpy.events import Timeout

from sim.events import call_later, one_after_another, run_until

DELAYS = [3.0, 1.0, 3.0, 0.0, 2.0, 3.0, 5.0]
"""With ties at 3.0 and one at the end time 5.0, which `run(until=5)` leaves unprocessed."""
END = 5.0


def _simpy_order() -> list[tuple[float, int]]:
    env = simpy.Environment()
    seen: list[tuple[float, int]] = []
    for i, delay in enumerate(DELAYS):
        Timeout(env, delay, i).callbacks.append(lambda e: seen.append((e.env.now, e.value)))
    env.run(until=END)
    return seen


def test_call_later_mixed_with_timeouts_and_run_until_keep_simpys_order_of_ties():
    env = simpy.Environment()
    seen: list[tuple[float, int]] = []
    for i, delay in enumerate(DELAYS):
        if i % 2:
            call_later(env, delay, lambda e: seen.append((env.now, e._value)), i)
        else:
            Timeout(env, delay, i).callbacks.append(lambda e: seen.append((env.now, e.value)))
    run_until(env, END)
    assert seen == _simpy_order()
    assert (5.0, 6) not in seen and len(seen) == len(DELAYS) - 1


def test_one_after_another_acts_as_a_process_waiting_for_each_time():
    times = [0.5, 0.5, 1.25, 4.0]

    def as_process(env: simpy.Environment, seen: list):
        for at in times:
            yield env.timeout(at - env.now)
            seen.append(env.now)

    env, by_process = simpy.Environment(), []
    env.process(as_process(env, by_process))
    env.run(until=END)
    env, by_chain = simpy.Environment(), []
    one_after_another(env, ((at, at) for at in times), lambda at: by_chain.append(env.now))
    run_until(env, END)
    assert by_chain == by_process == times


def test_a_negative_delay_is_refused_as_simpy_does():
    with pytest.raises(ValueError):
        call_later(simpy.Environment(), -1.0, lambda e: None)
