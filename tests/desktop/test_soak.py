"""The soak benchmark (`python -m desktop.soak`) drives the real window through the whole visitor's
cycle and prints the figures the reliability promise is checked against. Its timings are not asserted
here (BENCHMARKS.md holds them); that it runs the cycle to the end and says every figure is."""

import json
import os
import subprocess
import sys

import pytest

from desktop.tools.soak import CYCLE

KEYS = {"cycles", "replies", "reply_ms_first", "reply_ms_last", "reply_ms_max", "reply_ms_p99", "reply_cpu_ms_first",
        "reply_cpu_ms_last", "rss_mb_start", "rss_mb_end", "threads_start", "threads_end", "fds_start", "fds_end"}


@pytest.mark.slow
def test_one_cycle_of_the_soak_runs_the_visitors_cycle_and_prints_its_figures(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-m", "desktop.soak", "--minutes", "0.01", "--warmup", "0", "--json"],
                         capture_output=True, text=True, timeout=200, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert KEYS <= set(figures) and figures["cycles"] == 1
    assert figures["replies"] >= 10  # every step of the cycle that asks got its reply, the idle reset's too
    assert all(figures[k] > 0 for k in KEYS)
    assert figures["reply_ms_max_step"] in dict(CYCLE)  # where the slowest reply was asked
    assert set(figures["reply_ms_max_by_step"]) == {name for name, _ in CYCLE if name != "train"}  # all that ask
    assert max(figures["reply_ms_max_by_step"].values()) == figures["reply_ms_max"]
    assert 0 <= figures["replies_over_2x_first"] < figures["replies"]
    assert "Traceback" not in out.stderr


def test_the_soak_refuses_nonsense_options_in_one_line():
    out = subprocess.run([sys.executable, "-m", "desktop.soak", "--minutes", "0"], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 2 and "--minutes must be above 0" in out.stderr and "Traceback" not in out.stderr
