"""Learning curves: values at go-live, after one half-life, at the floor; the power law."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.learning import StaffMember, proficiency
from sim.scenario import Learning, LearningCurve, StaffGroup

CURVE = LearningCurve(multiplier_at_go_live=3.0, multiplier_floor=1.0,
                      stuck_probability_at_go_live=0.2, stuck_probability_floor=0.0)


def _group(**learning) -> StaffGroup:
    return StaffGroup(learning=Learning(trained=CURVE, untrained=CURVE, **learning))


def test_exponential_curve_halves_the_excess_every_half_life():
    p = proficiency(_group(half_life_hours=10), trained=True)
    assert p.multiplier(0) == 3.0
    assert p.multiplier(10) == pytest.approx(2.0)
    assert p.multiplier(20) == pytest.approx(1.5)
    assert p.stuck_probability(10) == pytest.approx(0.1)


def test_power_law_follows_the_law_of_practice():
    """T(h) - floor = (T0 - floor) (1 + h / scale) ** -a."""
    p = proficiency(_group(curve="power", power_exponent=0.5, power_scale_hours=2), trained=True)
    assert p.multiplier(6) == pytest.approx(1 + 2 * 4 ** -0.5)


def test_a_group_without_learning_parameters_is_fully_proficient():
    p = proficiency(StaffGroup(), trained=False)
    assert p.multiplier(0) == 1.0 and p.stuck_probability(0) == 0.0


@given(st.floats(0, 1e4), st.floats(0, 1e4))
def test_curves_never_rise_with_practice_and_stay_above_the_floor(h1, h2):
    p = proficiency(_group(half_life_hours=7), trained=True)
    lo, hi = sorted((h1, h2))
    assert 1.0 <= p.multiplier(hi) <= p.multiplier(lo) <= 3.0


def test_hands_on_hours_grow_with_the_system_work_done():
    member = StaffMember(_group(half_life_hours=10), trained=True, superuser=False)
    assert member.do_system_work(20) == 60.0  # 20 base minutes x multiplier 3
    assert member.hands_on_hours == 1.0
    assert member.do_system_work(20) == pytest.approx(20 * (1 + 2 * math.exp(-math.log(2) / 10)))


@pytest.mark.parametrize("curve", ["exponential", "power"])
def test_stuck_then_system_work_gives_the_numbers_of_the_two_calls(curve):
    """The phone's shortcut: bit for bit what stuck_probability() then do_system_work() give."""
    group = _group(curve=curve, half_life_hours=3, power_exponent=0.4, power_scale_hours=2)
    one, two = (StaffMember(group, trained=True, superuser=False) for _ in range(2))
    for base_minutes in (7.3, 0.0, 12.9, 4.1):
        p_stuck = one.stuck_probability()
        assert two.stuck_then_system_work(base_minutes) == (p_stuck,
                                                             one.do_system_work(base_minutes))
        assert two.hands_on_hours == one.hands_on_hours
