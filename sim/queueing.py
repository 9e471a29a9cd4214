"""A first-come-first-served queue served by a changing set of agents, with impatient customers.

Shared by the phone line (citizens calling) and the support desk (stuck employees). It is driven
by simpy timeouts with callbacks rather than one process per customer: a
customer who finds a free agent costs no event at all, a waiting one costs one timer for their
patience. Agents finishing work call `release`, which hands them the next customer still
waiting; customers who gave up are skipped there. This is what makes the phone line faster per
call than the textbook simpy model (design section 6).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

import simpy
from simpy.events import Timeout


class Customer(Protocol):
    """What the queue needs of a customer: whether they are still waiting."""

    waiting: bool


class Agent(Protocol):
    """What the queue needs of an agent: whether they are at work and whether they are busy."""

    on_duty: bool
    busy: bool


class ServiceQueue:
    """FIFO queue with reneging; `serve(agent, customer)` starts the service-specific work."""

    def __init__(
        self,
        env: simpy.Environment,
        serve: Callable[[Any, Any], None],
        give_up: Callable[[Any], None],
    ) -> None:
        self.env = env
        self._serve = serve
        self._give_up = give_up
        self._waiting: deque[Any] = deque()
        self._callbacks: deque[Any] = deque()
        """Customers who left a number: called back, in order, when nobody waits on the line."""
        self._idle: dict[Any, None] = {}
        """Idle agents as an insertion-ordered set: the last to become idle serves first, and
        an agent going off duty leaves it in constant time (a list cost a shift of n agents n²)."""

    def arrive(self, customer: Customer, patience_minutes: float) -> None:
        """A customer joins: served at once by an idle agent, else waits up to their patience."""
        if self._idle:
            agent, _ = self._idle.popitem()
            agent.busy = True
            self._serve(agent, customer)
            return
        customer.waiting = True
        self._waiting.append(customer)
        if patience_minutes < math.inf:
            Timeout(self.env, patience_minutes, customer).callbacks.append(self._renege)

    def _renege(self, event: Timeout) -> None:
        customer = event._value
        if customer.waiting:
            customer.waiting = False
            self._give_up(customer)

    def release(self, agent: Agent) -> None:
        """An agent is free (finished a customer, or came on duty): next customer, or idle."""
        agent.busy = False
        if not agent.on_duty:
            return
        waiting = self._waiting
        while waiting:
            customer = waiting.popleft()
            if customer.waiting:
                customer.waiting = False
                agent.busy = True
                self._serve(agent, customer)
                return
        if self._callbacks:
            customer = self._callbacks.popleft()
            agent.busy = True
            self._serve(agent, customer)
            return
        self._idle[agent] = None

    def leave_number(self, customer: Customer) -> None:
        """A customer who gave up on the line leaves a number: an idle agent calls back at once,
        else the first agent free with nobody on the line. (Their `waiting` stays False: it is
        about the line, where their stale place is skipped.)"""
        if self._idle:
            agent, _ = self._idle.popitem()
            agent.busy = True
            self._serve(agent, customer)
            return
        self._callbacks.append(customer)

    def drop_callbacks(self) -> list[Any]:
        """Forget the numbers not yet called back (the desk closes), in order."""
        dropped = list(self._callbacks)
        self._callbacks.clear()
        return dropped

    def start_duty(self, agent: Agent) -> None:
        """The agent's shift starts; a busy agent (overrunning the last shift) goes on working."""
        agent.on_duty = True
        if not agent.busy and agent not in self._idle:
            self.release(agent)

    def end_duty(self, agent: Agent) -> None:
        """The agent's shift ends: they finish the customer in hand, then take no more."""
        agent.on_duty = False
        if not agent.busy:
            self._idle.pop(agent, None)

    def still_waiting(self) -> list[Any]:
        """Customers waiting now, on the line then for a callback, in queue order (for
        end-of-run accounting)."""
        return [c for c in self._waiting if c.waiting] + list(self._callbacks)

    @property
    def agents_idle(self) -> int:
        return len(self._idle)
