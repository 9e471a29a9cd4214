"""Timed callbacks on the simpy clock, cheaper than simpy's own Timeout events.

Most of the model reacts to time with a callback, never with a process waiting on the event. For
those, `call_later` puts a small object straight on the environment's event queue, as
`Environment.schedule` does (same time, priority and insertion counter, so the same order of
events and the same numbers), without building a full simpy Timeout. `one_after_another` replaces
a simpy process that only waits for each of a list of times in turn, and `run_until` is
`Environment.run(until=...)` with the step inlined in its loop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from heapq import heappop, heappush
from typing import Any, TypeVar

import simpy
from simpy.core import NORMAL, URGENT
from simpy.events import Event

Item = TypeVar("Item")


class Timed:
    """What `Environment.step` needs of an event: its callbacks, whether it failed, its value."""

    __slots__ = ("callbacks", "_ok", "_value")

    def __init__(self, callback: Callable[[Timed], None], value: Any) -> None:
        self.callbacks: list[Callable[[Timed], None]] | None = [callback]
        self._ok = True
        self._value = value

    @property
    def value(self) -> Any:
        return self._value


def call_later(env: simpy.Environment, delay_minutes: float,
               callback: Callable[[Timed], None], value: Any = None) -> None:
    """Call `callback(event)` in `delay_minutes`, `event.value` being `value` (a simpy Timeout
    with one callback, at a third of the cost)."""
    if delay_minutes < 0:
        raise ValueError(f"negative delay {delay_minutes}")
    queue: list[Any] = env._queue  # the event queue `Environment.schedule` pushes onto
    heappush(queue, (env._now + delay_minutes, NORMAL, next(env._eid), Timed(callback, value)))


def one_after_another(env: simpy.Environment, timed_items: Iterator[tuple[float, Item]],
                      act: Callable[[Item], None]) -> None:
    """`act(item)` at each item's time (times in order), one pending event at a time, as a
    process looping over `yield env.timeout(at - env.now)` would do."""

    def fire(event: Timed) -> None:
        act(event._value)
        schedule_next()

    def schedule_next() -> None:
        for at_minutes, item in timed_items:
            call_later(env, at_minutes - env.now, fire, item)
            return

    schedule_next()


def run_until(env: simpy.Environment, end_minutes: float) -> None:
    """Process every event before `end_minutes`, as `env.run(until=end_minutes)` does (a stop
    event at URGENT priority at that time), one function call per event fewer."""
    stop = Event(env)
    stop._ok = True
    stop._value = None
    env.schedule(stop, URGENT, end_minutes - env.now)
    queue: list[Any] = env._queue  # type: ignore[attr-defined]
    while True:
        env._now, _, _, event = heappop(queue)
        if event is stop:
            return
        callbacks, event.callbacks = event.callbacks, None
        for callback in callbacks:
            callback(event)
        if not event._ok and not hasattr(event, "_defused"):
            raise event._value  # a process failed: as simpy does, stop the run with its error
