"""golive-sim: simulate public health and care services through an EHR go-live.

The Python API for notebooks (design section 5): `load_scenario(path)` and `run(scenario, ...)`.
The experiment layer (pandas, scipy) is imported on first use, so that `golive-sim check` starts
quickly.
"""

from typing import TYPE_CHECKING, Any

from sim.scenario import Scenario
from sim.scenario_file import ScenarioError, load_scenario

if TYPE_CHECKING:
    from sim.experiment import Results, run
    from sim.optimiser import optimise
    from sim.sweeps import sweep

__all__ = ["Results", "Scenario", "ScenarioError", "load_scenario", "optimise", "run", "sweep"]


def __getattr__(name: str) -> Any:
    if name in ("Results", "run"):
        from sim import experiment

        return getattr(experiment, name)
    if name == "sweep":
        from sim.sweeps import sweep

        return sweep
    if name == "optimise":
        from sim.optimiser import optimise

        return optimise
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
