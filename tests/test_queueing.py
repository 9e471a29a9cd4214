"""The shared FIFO queue: order of service, reneging, and agents coming and going."""

from __future__ import annotations

import simpy
from simpy.events import Timeout

from sim.queueing import ServiceQueue


class Agent:
    def __init__(self) -> None:
        self.on_duty = False
        self.busy = False


class Customer:
    def __init__(self, name: str) -> None:
        self.name = name
        self.waiting = False


def _desk(service_minutes: float):
    env = simpy.Environment()
    log: list[tuple[float, str, str]] = []

    def serve(agent, customer):
        log.append((env.now, "serve", customer.name))
        Timeout(env, service_minutes, agent).callbacks.append(lambda e: queue.release(e.value))

    def give_up(customer):
        log.append((env.now, "give up", customer.name))

    queue = ServiceQueue(env, serve, give_up)
    return env, queue, log


def _arrive(env, queue, at, name, patience):
    Timeout(env, at).callbacks.append(lambda _: queue.arrive(Customer(name), patience))


def test_customers_are_served_first_come_first_served_and_impatient_ones_leave():
    env, queue, log = _desk(service_minutes=10)
    queue.start_duty(Agent())
    _arrive(env, queue, 0, "a", 100)
    _arrive(env, queue, 1, "b", 5)    # would be served at 10: gives up at 6
    _arrive(env, queue, 2, "c", 100)  # served at 10, when a is done
    env.run()
    assert log == [(0, "serve", "a"), (6, "give up", "b"), (10, "serve", "c")]


def test_an_agent_ending_duty_finishes_the_customer_in_hand_then_takes_no_more():
    env, queue, log = _desk(service_minutes=10)
    agent = Agent()
    queue.start_duty(agent)
    _arrive(env, queue, 0, "a", 100)
    _arrive(env, queue, 1, "b", 100)
    Timeout(env, 5).callbacks.append(lambda _: queue.end_duty(agent))
    Timeout(env, 30).callbacks.append(lambda _: queue.start_duty(agent))
    env.run()
    assert log == [(0, "serve", "a"), (30, "serve", "b")]


def test_a_customer_who_hung_up_is_not_served_later():
    env, queue, log = _desk(service_minutes=10)
    _arrive(env, queue, 0, "a", 3)
    agent = Agent()
    Timeout(env, 5).callbacks.append(lambda _: queue.start_duty(agent))
    env.run()
    assert log == [(3, "give up", "a")]
    assert queue.agents_idle == 1 and queue.still_waiting() == []
