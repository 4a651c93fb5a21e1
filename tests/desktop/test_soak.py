"""The soak benchmark (`python -m desktop.soak`) drives the real window through the whole visitor's
cycle and prints the figures the reliability promise is checked against. Its timings are not asserted
here (BENCHMARKS.md holds them); that it runs the cycle to the end and says every figure is."""

import json
import os
import subprocess
import sys

import pytest

from desktop.tools.soak import CYCLE, host_steal_ms, machine_slowed

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
    assert 0 <= figures["replies_over_2x_first_machine_slowed"] <= figures["replies_over_2x_first"] < figures["replies"]
    if host_steal_ms() is not None:  # Linux: the host's count beside every slow reply
        assert len(figures["replies_over_2x_first_host_steal_ms"]) == figures["replies_over_2x_first"]
        assert figures["host_steal_ms_all_replies"] >= 0
    assert len(figures["replies_over_2x_first_probe_ratio"]) == figures["replies_over_2x_first"]
    assert figures["probe_ms_median"] > 0 and 0 <= figures["probe_over_1_5x_all_replies"] <= figures["replies"]
    low, high = figures["rss_mb_band"]
    assert 0 < low <= figures["rss_mb_median_first_10"] == figures["rss_mb_median_last_10"] <= high  # one cycle
    assert "Traceback" not in out.stderr


@pytest.mark.slow
def test_the_long_conversation_measures_its_last_replies_beside_a_fresh_conversations_first(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-m", "desktop.soak", "--conversation", "24", "--json"],
                         capture_output=True, text=True, timeout=200, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    for key in ("reply_ms_1_20", "reply_ms_5_24", "reply_cpu_ms_5_24", "reply_mflop_5_24", "kib_per_reply_5_24",
                "reply_ms_1_20_beside", "last_over_first_beside"):
        assert figures[key] > 0, key  # "_1_20_beside": the fresh window answered all 20 asked of it
    assert "Traceback" not in out.stderr


def test_the_soak_refuses_nonsense_options_in_one_line():
    out = subprocess.run([sys.executable, "-m", "desktop.soak", "--minutes", "0"], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 2 and "--minutes must be above 0" in out.stderr and "Traceback" not in out.stderr


def test_a_slow_reply_is_put_down_to_the_machine_only_when_the_same_work_took_the_model_longer():
    # Two replies a cycle, three cycles: the model's own CPU ms for reply 0 is 20 in every cycle but the
    # last (45: the same work, run slower), reply 1's 10 throughout.
    times = [30, 20, 31, 21, 70, 65]
    own = [20, 10, 20, 10, 45, 10]
    assert machine_slowed(times, own, 2, 30.0) == 1  # 70 ms with its work 2.25× slower; 65 ms with its usual
    assert machine_slowed(times, own[:-1], 2, 30.0) is None  # a reply not costed: no pairing
    assert machine_slowed(times, [20, 10] * 3, 2, 30.0) == 0


def test_the_hosts_steal_is_read_from_the_cpu_line_in_milliseconds():
    tick = 1000 / os.sysconf("SC_CLK_TCK")
    assert host_steal_ms("cpu  6573588 4379868 571413 4237366 10637 0 45710 51008 0 0\ncpu0 1 2 3") == 51008 * tick
    assert host_steal_ms("intr 1 2 3") is None and host_steal_ms("cpu  1 2 3") is None  # not a cpu line; too short
