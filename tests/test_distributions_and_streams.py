"""Distributions draw with the moments they are written with; streams are independent by name."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import TypeAdapter

from sim.distributions import Distribution, Sampler
from sim.streams import Streams, replication_seeds

SPECS = TypeAdapter(Distribution)


@pytest.mark.parametrize("table", [
    {"dist": "exponential", "mean": 3.0},
    {"dist": "lognormal", "mean": 6.0, "sd": 4.0},
    {"dist": "gamma", "mean": 6.0, "sd": 4.0},
    {"dist": "fixed", "value": 2.5},
    {"dist": "empirical", "values": [1, 2, 10], "weights": [1, 1, 2]},
])
def test_samples_have_the_written_mean(table):
    spec = SPECS.validate_python(table)
    draws = spec.draw(np.random.default_rng(0), 200_000)
    assert draws.mean() == pytest.approx(spec.mean_value, rel=0.02)
    if "sd" in table:
        assert draws.std() == pytest.approx(table["sd"], rel=0.03)


def test_sampler_hands_out_the_batch_in_draw_order():
    spec = SPECS.validate_python({"dist": "exponential", "mean": 1.0})
    sampler = Sampler(spec, np.random.default_rng(4))
    one_by_one = [sampler() for _ in range(5000)]
    assert one_by_one == spec.draw(np.random.default_rng(4), 4096).tolist() + spec.draw(
        np.random.default_rng(4), 8192).tolist()[4096:5000]


def test_a_stream_does_not_depend_on_which_other_streams_exist():
    seed = replication_seeds(9, 3)[1]
    alone = Streams(seed).generator("phone.arrivals").random(5)
    crowded = Streams(seed)
    crowded.generator("home_visits.plan").random(100)
    assert (crowded.generator("phone.arrivals").random(5) == alone).all()


def test_streams_differ_by_name_and_by_replication():
    a, b = replication_seeds(9, 2)
    assert Streams(a).generator("x").random() != Streams(a).generator("y").random()
    assert Streams(a).generator("x").random() != Streams(b).generator("x").random()
