"""`python -m desktop.soak --minutes N [--json]`: the window, driven through a visitor's cycle (it lives in `desktop/tools/soak.py`)."""

import sys

from desktop.tools.soak import main

if __name__ == "__main__":
    sys.exit(main())
