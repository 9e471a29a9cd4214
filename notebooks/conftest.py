"""The test suite runs the notebooks small: each reads its replications from this variable."""

import os

os.environ.setdefault("GOLIVE_SIM_REPLICATIONS", "4")
