"""golive-sim: simulate public health and care services through an EHR go-live.

The Python API for notebooks (design section 5): `load_scenario(path)` and `run(scenario, ...)`.
"""

from sim.experiment import Results, run
from sim.scenario import Scenario
from sim.scenario_file import ScenarioError, load_scenario

__all__ = ["Results", "Scenario", "ScenarioError", "load_scenario", "run"]
