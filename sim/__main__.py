"""`python -m sim` is the `golive-sim` command."""

import sys

from sim.cli import main

sys.exit(main())
