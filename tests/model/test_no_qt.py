"""The model package never imports Qt: everything it computes can run without a window. Its command line
checks its options before it imports torch."""

import subprocess
import sys


def _holds(code: str) -> None:
    """Run `code` in a fresh interpreter (nothing another test imported can hide a breach); it exits 0."""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_importing_model_imports_no_qt():
    _holds("import sys, model, model.engine, model.trainer, model.teach, model.checkpoint, model.training, "
           "model.evaluate, model.bench, model.__main__; "
           "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'desktop', 'shiboken6')]; "
           "print(bad); sys.exit(1 if bad else 0)")


def test_the_command_line_checks_its_options_before_it_imports_torch():
    # torch takes seconds to import on a classroom machine: a mistyped option is said at once
    _holds("import sys, model.__main__ as m; m._check_options(m.parser().parse_args(['train', '--steps', '5'])); "
           "print(sorted(x for x in sys.modules if x.split('.')[0] == 'torch')[:3]); "
           "sys.exit(1 if 'torch' in sys.modules else 0)")
