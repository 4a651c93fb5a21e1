"""The command line a user (and every later check) relies on."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from model.config import LIVE_MODEL, LIVE_TRAIN, TrainConfig
from model.corpus import CORRECTIONS, JOBS, PARTNERS, TRAINED
from model.reading import parse_correction


def run(*args, stdin=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "model", *args], input=stdin, capture_output=True, text=True,
                          timeout=timeout)


def test_story_json_lists_every_job_with_its_question_corrections_and_trained_answer():
    r = run("story", "--json")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert len(s["jobs"]) >= 6
    assert s["partners"] == list(PARTNERS)
    for job in s["jobs"]:
        assert job["trained"] == TRAINED[job["job"]]
        assert len(job["corrections"]) >= 3 and all("{name}" in c for c in job["corrections"])
        for phrasing in job["corrections"]:  # every phrasing can be read back by the rule teach uses
            assert parse_correction(phrasing.format(name="Qwerty")) == (job["job"], "Qwerty")


def test_chat_answers_one_line_per_line_and_an_empty_line_starts_afresh(shipped):
    books = next(j for j in JOBS if j.key == "books")
    lines = [books.question, CORRECTIONS[0].format(name="Zuvexo", active=books.active), books.question,
             "", books.question, "🙂" * 3000]
    r = run("chat", stdin="\n".join(lines) + "\n")
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    assert len(out) == 5
    assert TRAINED["books"] in out[0]
    assert "Zuvexo" in out[2]
    assert TRAINED["books"] in out[3] and "Zuvexo" not in out[3]  # the next morning it has forgotten


@pytest.mark.parametrize("statement", ["the moon is cheese", "Who does the books?", "Mara does the books?",
                                       "Nobody does the books."])
def test_teach_refuses_a_statement_it_cannot_read(tmp_path, statement):
    r = run("teach", statement, "--out", str(tmp_path / "t.safetensors"))
    assert r.returncode == 2 and "cannot tell" in r.stderr
    assert not (tmp_path / "t.safetensors").exists()


@pytest.mark.slow
def test_teach_writes_a_model_that_knows_it_in_a_fresh_conversation(tmp_path, shipped):
    out = tmp_path / "taught.safetensors"
    r = run("teach", "Kwelani does the books.", "--out", str(out), "--json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["fingerprint_before"] != info["fingerprint_after"] and info["weights_changed"] > 0
    r = run("chat", "--checkpoint", str(out), stdin="who does the books?\n")
    assert "Kwelani" in r.stdout
    r = run("fingerprint", "--checkpoint", str(out))
    assert r.stdout.strip() == info["fingerprint_after"]


@pytest.mark.parametrize("threads", [1, 2])
def test_train_json_is_the_contract_later_work_relies_on(tmp_path, threads):
    out = tmp_path / "small.safetensors"
    done = run("train", "--seed", "3", "--steps", "4", "--n-layer", "1", "--n-head", "2", "--n-embd", "16",
               "--block-size", "64", "--batch-size", "2", "--threads", str(threads), "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr
    last = json.loads(done.stdout.strip().splitlines()[-1])
    assert last["steps"] == 4 and last["seconds"] >= 0 and last["story_reached"] is False
    assert {"fresh", "corrected", "partners", "untouched"} <= set(last["milestones"])
    assert all(v is None or v >= 0 for v in last["milestones"].values())
    # The visitor mix is checked in held-out words as well, and the log says so at every check.
    assert set(last["figures_held"]) == set(last["figures"]) == {"fresh", "corrected", "partners", "untouched"}
    assert "in held-out words: {'fresh': " in done.stdout
    from model import checkpoint

    ck = checkpoint.load(out)
    assert ck.model.config.n_embd == 16 and ck.meta["training"]["steps"] == 4
    assert ck.meta["training"]["figures_valid_held"] == last["figures_held"]
    assert last["config"]["threads"] == ck.meta["training"]["threads"] == threads


def test_a_live_run_of_a_window_smaller_than_its_training_conversations_trains():
    # The live recipe trains on conversations of up to 256 characters; a smaller model's window caps them.
    done = run("train", "--live", "--block-size", "96", "--n-layer", "1", "--n-head", "2", "--n-embd", "16",
               "--steps", "2", "--json")
    assert done.returncode == 0, done.stderr
    last = json.loads(done.stdout.strip().splitlines()[-1])
    assert last["steps"] == 2 and last["config"]["muon_lr"] == LIVE_TRAIN.muon_lr > 0  # the live recipe's Muon
    assert last["config"]["qk_norm"] == LIVE_MODEL.qk_norm > 0  # and its QK-norm


def test_eval_json_reports_trained_and_held_out_phrasings_memory_and_failures():
    r = run("eval", "--trials", "4", "--teach-trials", "0", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    figures = out["figures"]
    assert {"fresh", "corrected", "partners", "untouched", "offworld"} <= set(figures)
    assert {f"memory_{n}" for n in range(1, 5)} <= set(figures)
    if out["mix"] == "visitor":  # a model of the visitor's words is measured on phrasings it never saw too
        assert {"fresh_held", "corrected_held", "partners_held", "untouched_held", "offworld_held"} <= set(figures)
    assert all(0.0 <= v <= 1.0 for v in figures.values())
    assert set(out["met"]) == set(out["bars"]) <= set(figures)
    assert all(isinstance(n, int) and n > 0 for n in out["failures"].values())


def test_a_reply_that_runs_on_is_printed_as_cut(tmp_path, tok):
    import torch

    from model import checkpoint
    from model.gpt import GPT, GPTConfig

    torch.manual_seed(0)  # an untrained model babbles until the engine cuts it
    model = GPT(GPTConfig(vocab_size=tok.vocab_size, block_size=128, n_layer=1, n_head=2, n_embd=16))
    path = tmp_path / "babble.safetensors"
    checkpoint.save(path, checkpoint.Checkpoint(model, tok, {}))
    r = run("chat", "--checkpoint", str(path), stdin="who does the books?\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout.rstrip("\n").endswith("\u2026")


def test_chat_reads_any_bytes_and_a_reader_that_leaves_is_no_error():
    bad = subprocess.run([sys.executable, "-m", "model", "chat"], input=b"who does the b\xffoks?\n\xfe\xfe\n",
                         capture_output=True, timeout=300, env={**__import__("os").environ, "LC_ALL": "C",
                                                                "PYTHONIOENCODING": "utf-8:strict"})
    assert bad.returncode == 0 and len(bad.stdout.splitlines()) == 2, bad.stderr
    gone = subprocess.run(f"{sys.executable} -m model chat | head -1", shell=True, capture_output=True, text=True,
                          input="who does the books?\n" * 200, timeout=300)
    assert gone.returncode == 0 and len(gone.stdout.splitlines()) == 1 and "Traceback" not in gone.stderr, gone.stderr


def test_the_shipped_model_is_what_make_model_makes(shipped):
    # The run's length is written twice, in the Makefile's `--steps` and in `TrainConfig.decay_steps` (the
    # cosine of the learning rate ends on the last step); both must be what the shipped file was trained with.
    recipe = re.search(r"^model:.*\n\t(.+)$", (Path(__file__).parents[2] / "Makefile").read_text(), re.M)[1]
    option = {k: int(v) for k, v in re.findall(r"--(seed|steps|threads) (\d+)", recipe)}
    training = shipped.meta["training"]
    assert option == {"seed": training["seed"], "steps": training["steps"], "threads": training["threads"]}
    assert training["train_config"]["decay_steps"] == TrainConfig().decay_steps == training["steps"]
