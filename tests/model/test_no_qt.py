"""The model package never imports Qt: everything it computes can run without a window."""

import subprocess
import sys


def test_importing_model_imports_no_qt():
    code = ("import sys, model, model.engine, model.trainer, model.teach, model.checkpoint, model.training, "
            "model.evaluate, model.bench, model.__main__; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'desktop', 'shiboken6')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
