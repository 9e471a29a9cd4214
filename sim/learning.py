"""Learning curves: how slow a person is on the new system, and how often they get stuck.

Both the work multiplier and the stuck probability start at their go-live values and decay towards
a floor with the person's own hands-on hours on the new system (docs/model.md, "Learning"):

    value(h) = floor + (at_go_live - floor) * decay(h)
    exponential: decay(h) = 0.5 ** (h / half_life_hours)
    power law:   decay(h) = (1 + h / power_scale_hours) ** -power_exponent

Before go-live (or with no new system) the multiplier is 1 and nobody gets stuck.
"""

from __future__ import annotations

import math

from sim.scenario import Learning, LearningCurve, StaffGroup

OLD_SYSTEM = LearningCurve(multiplier_at_go_live=1.0)
"""The curve of a group without learning parameters: fully proficient, never stuck."""


class Proficiency:
    """One learning curve (a group's trained or untrained staff), ready to evaluate."""

    __slots__ = ("_m0", "_m_floor", "_p0", "_p_floor", "_power", "_rate", "_scale", "_exponent")

    def __init__(self, learning: Learning | None, curve: LearningCurve) -> None:
        self._m0, self._m_floor = curve.multiplier_at_go_live, curve.multiplier_floor
        self._p0, self._p_floor = curve.stuck_probability_at_go_live, curve.stuck_probability_floor
        self._power = learning is not None and learning.curve == "power"
        self._rate = math.log(2) / learning.half_life_hours if learning else 0.0
        self._scale = learning.power_scale_hours if learning else 1.0
        self._exponent = learning.power_exponent if learning else 0.0

    def decay(self, hands_on_hours: float) -> float:
        """Share of the go-live excess that remains after this many hands-on hours."""
        if self._power:
            return (1.0 + hands_on_hours / self._scale) ** -self._exponent
        return math.exp(-self._rate * hands_on_hours)

    def multiplier(self, hands_on_hours: float) -> float:
        """Factor on the base time of system work."""
        return self._m_floor + (self._m0 - self._m_floor) * self.decay(hands_on_hours)

    def stuck_probability(self, hands_on_hours: float) -> float:
        """Chance that one system task leaves the person stuck and needing help."""
        return self._p_floor + (self._p0 - self._p_floor) * self.decay(hands_on_hours)

    def multiplier_and_stuck(self, hands_on_hours: float) -> tuple[float, float]:
        """`multiplier` and `stuck_probability` at once, the decay computed once (the same
        numbers: a route starts with both)."""
        decay = self.decay(hands_on_hours)
        return (self._m_floor + (self._m0 - self._m_floor) * decay,
                self._p_floor + (self._p0 - self._p_floor) * decay)


def proficiency(group: StaffGroup, trained: bool) -> Proficiency:
    """The curve that applies to a trained or untrained member of `group`."""
    learning = group.learning
    if learning is None:
        return Proficiency(None, OLD_SYSTEM)
    return Proficiency(learning, learning.trained if trained else learning.untrained)


class StaffMember:
    """One employee simulated individually: their training, role, and hands-on hours so far."""

    __slots__ = ("trained", "superuser", "proficiency", "hands_on_hours", "on_duty", "busy")

    def __init__(self, group: StaffGroup, trained: bool, superuser: bool) -> None:
        self.trained = trained
        self.superuser = superuser
        self.proficiency = proficiency(group, trained)
        self.hands_on_hours = 0.0
        self.on_duty = False
        self.busy = False

    def do_system_work(self, base_minutes: float) -> float:
        """Minutes this person takes for `base_minutes` of system work, learning as they go."""
        minutes = base_minutes * self.proficiency.multiplier(self.hands_on_hours)
        self.hands_on_hours += minutes / 60.0
        return minutes

    def stuck_then_system_work(self, base_minutes: float) -> tuple[float, float]:
        """`stuck_probability()` before the work, then `do_system_work(base_minutes)`: the same
        numbers with the learning curve evaluated once (an answered call needs both)."""
        multiplier, p_stuck = self.proficiency.multiplier_and_stuck(self.hands_on_hours)
        minutes = base_minutes * multiplier
        self.hands_on_hours += minutes / 60.0
        return p_stuck, minutes

    def stuck_probability(self) -> float:
        return self.proficiency.stuck_probability(self.hands_on_hours)
