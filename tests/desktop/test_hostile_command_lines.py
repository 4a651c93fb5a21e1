"""Both command lines (`python -m model`, `python -m desktop`) given bad files and bad options, each run as a
user runs it, under a 4 GB address-space cap and a 30 s bound: one `error:` line naming what is wrong,
exit status 2, no traceback, nothing written. A device that never ends, a pipe with no writer, a header
that asks for gigabytes: none may hang or eat the machine's memory."""

import os
import resource
import subprocess
import sys

import pytest

from model import checkpoint

from .test_bad_files import _huge, _training_oops, _with_header

CAP = 4 << 30
BOUND_S = 30  # a bound on a hang, not a speed: a refusal takes a second or two


def _capped():
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def _run(module, *args):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", module, *args], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=BOUND_S, preexec_fn=_capped, env=env)


def _refused(r, *says):
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2, (r.returncode, r.stderr[-2000:])
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in r.stderr, r.stderr[-2000:]
    for words in says:
        assert words in lines[0], (words, lines[0])


def _bad_file(kind, tiny, tmp):
    """(a path, words the refusal must hold) for each kind of file a model must not be read from."""
    path = tmp / f"{kind}.safetensors"
    data = tiny.read_bytes()
    if kind == "nowhere":
        return str(path), "cannot read it"
    if kind == "device":
        return "/dev/zero", "not a regular file"
    if kind == "folder":
        return str(tmp), "not a regular file"
    if kind == "fifo":
        os.mkfifo(path)  # a reader would wait for a writer for ever
        return str(path), "not a regular file"
    if kind == "oversized":
        path.write_bytes(b"")
        os.truncate(path, checkpoint.MAX_BYTES + 1)  # sparse: no disk spent
        return str(path), "too large"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif kind == "text":
        path.write_text("hello, I am not a model")
    elif kind == "header_length":  # a header that says it is 2**62 bytes long
        path.write_bytes((1 << 62).to_bytes(8, "little") + data[8:])
    elif kind == "huge_config":  # a model of gigabytes: refused before any is allocated
        _with_header(tiny, path, _huge)
        return str(path), "n_layer = 64"
    elif kind == "metadata":
        _with_header(tiny, path, _training_oops)
    elif kind == "header_json":
        n = int.from_bytes(data[:8], "little")
        path.write_bytes(data[:8] + b"{" * n + data[8 + n:])
    return str(path), path.name


FILES = ["nowhere", "device", "folder", "fifo", "oversized", "empty", "truncated", "text", "header_length",
         "huge_config", "metadata", "header_json"]


@pytest.mark.parametrize("kind", FILES)
def test_a_bad_model_file_on_the_model_command_line(tmp_path, tiny_checkpoint, kind):
    path, says = _bad_file(kind, tiny_checkpoint, tmp_path)
    _refused(_run("model", "fingerprint", "--checkpoint", path), path, says)
    if kind in ("device", "huge_config"):
        out = tmp_path / "taught.safetensors"
        _refused(_run("model", "teach", "Mara does the books.", "--checkpoint", path, "--out", str(out)), says)
        assert not out.exists()


@pytest.mark.parametrize("args", [
    ["eval", "--trials", "0"], ["eval", "--teach-trials", "-1"], ["chat", "--temperature", "nan"],
    ["chat", "--temperature", "-1"], ["chat", "--temperature", "warm"], ["chat", "--bogus"],
    ["train", "--n-head", "5", "--steps", "1"], ["train", "--lr", "inf", "--steps", "1"],
    ["train", "--n-layer", "500", "--steps", "1"], ["train", "--steps", "0"], ["train", "--steps", "many"],
    ["train", "--average", "1"], ["train", "--muon-lr", "-0.1", "--steps", "1"],
    ["train", "--qk-norm", "-1", "--steps", "1"], ["bench", "--steps", "0"],
    ["teach", "Mara does the books.", "--out", "."],
    ["sing"],
])
def test_a_bad_option_on_the_model_command_line(args):
    _refused(_run("model", *args))


@pytest.mark.parametrize("kind", ["nowhere", "device", "folder", "fifo"])
def test_a_model_file_no_window_can_read_on_the_exhibit_command_line(tmp_path, tiny_checkpoint, kind):
    path, says = _bad_file(kind, tiny_checkpoint, tmp_path)
    _refused(_run("desktop", "--checkpoint", path), "--checkpoint", says)


def _config_file(tmp, kind):
    if kind == "device":
        return "/dev/zero", "not a regular file"
    if kind == "nowhere":
        return str(tmp / "nowhere.ini"), "cannot read it"
    path = tmp / f"{kind}.ini"
    if kind == "huge":
        path.write_bytes(b"[kiosk]\n" + b"#" * (10 << 20))
        return str(path), "too large"
    if kind == "binary":
        path.write_bytes(bytes(range(256)) * 4)
        return str(path), "cannot be read as an INI file"
    path.write_text("[kiosk]\nidle_seconds = soon\n")
    return str(path), "idle_seconds = 'soon'"


@pytest.mark.parametrize("kind", ["device", "nowhere", "huge", "binary", "value"])
def test_a_bad_kiosk_config_file(tmp_path, kind):
    path, says = _config_file(tmp_path, kind)
    _refused(_run("desktop", "--kiosk", "--config", path), path, says)


@pytest.mark.parametrize("args, says", [
    (["--font-scale", "nan"], "--font-scale"), (["--font-scale", "9"], "--font-scale"),
    (["--worker", "bogus"], "--worker"), (["--kiosk", "--presenter"], "choose one"),
    (["--kiosk", "--idle-seconds", "-5"], "--idle-seconds"), (["--kiosk", "--operator-pin", "abc"], "--operator-pin"),
    (["--train-seconds", "nan"], "--train-seconds"), (["--train-seconds", "-3"], "--train-seconds"),
    (["--screenshots", "/proc/self/nope"], "--screenshots"), (["--save-dir", "/dev/null"], "--save-dir"),
    (["--size", "abc"], "--size"), (["--size", "99999x99999"], "--size"), (["--bogus"], "--bogus"),
])
def test_a_bad_option_on_the_exhibit_command_line(args, says):
    _refused(_run("desktop", *args), says)

