"""`python -m desktop.bench [--json]`: the window's benchmark (it lives in `desktop/tools/bench.py`)."""

import sys

from desktop.tools.bench import main

if __name__ == "__main__":
    sys.exit(main())
