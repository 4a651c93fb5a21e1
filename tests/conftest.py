"""Test set-up shared by all tests: Qt offscreen, OpenMP threads that sleep rather than spin (as the
exhibit sets them), settings in a temporary folder, small models."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before torch is imported: see desktop.process.entry
