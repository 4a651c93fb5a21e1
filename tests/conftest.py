"""Test set-up shared by all tests: Qt offscreen, settings in a temporary folder, small models."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
