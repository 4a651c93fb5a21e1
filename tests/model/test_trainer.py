"""The trainer: seeded and repeatable, copies not views, and a bad loss stops it cleanly."""

import random

import numpy as np
import pytest
import torch

from model.corpus import batch
from model.gpt import GPTConfig
from model.tokenizer import Tokenizer
from model.trainer import NonFiniteLoss, TrainConfig, Trainer, share_cores
from model.training import StoryRun, checkpoint_of, initial_model, new_model

SMALL = GPTConfig(block_size=96, n_layer=2, n_head=2, n_embd=32)


def _run(seed, steps=6, threads=1):
    model, trainer, _ = new_model(SMALL, TrainConfig(seed=seed, batch_size=4), threads=threads)
    records = list(trainer.run(steps))
    return records, trainer.snapshot()


@pytest.mark.parametrize("threads", [1, 2])
def test_same_seed_same_losses_and_weights(threads):
    (ra, wa), (rb, wb) = _run(5, threads=threads), _run(5, threads=threads)
    assert [r.loss for r in ra] == [r.loss for r in rb]
    assert all(np.array_equal(wa[k], wb[k]) for k in wa)
    rc, _ = _run(6, threads=threads)
    assert [r.loss for r in rc] != [r.loss for r in ra]


def test_threads_sharing_a_batch_train_as_one_thread_does():
    (r1, w1), (r2, w2) = _run(5, threads=1), _run(5, threads=2)
    assert [r.chars for r in r1] == [r.chars for r in r2]  # the same batches
    assert np.allclose([r.loss for r in r1], [r.loss for r in r2], rtol=1e-4)
    assert all(np.allclose(w1[k], w2[k], atol=1e-5) for k in w1)
    assert not all(np.array_equal(w1[k], w2[k]) for k in w1)  # really the other path: sums in another order


def test_an_average_of_the_weights_follows_them_and_is_what_is_checked_and_saved():
    model, trainer, tok = new_model(SMALL, TrainConfig(seed=5, batch_size=4, average=0.75), threads=2)
    expected = trainer.snapshot()
    for _ in trainer.run(3):
        now = trainer.snapshot()
        expected = {k: expected[k] + 0.25 * (now[k] - expected[k]) for k in now}
    averaged = dict(trainer.evaluated_model().named_parameters())
    assert all(np.allclose(averaged[k].detach().numpy(), expected[k], atol=1e-6) for k in expected)
    assert not all(np.array_equal(averaged[k].detach().numpy(), now[k]) for k in now)  # not the weights
    assert all(np.array_equal(p.detach().numpy(), now[n]) for n, p in model.named_parameters())  # untouched
    saved = dict(checkpoint_of(trainer, tok, StoryRun()).model.named_parameters())
    assert all(torch.equal(saved[k], averaged[k]) for k in averaged)
    _, plain, _ = new_model(SMALL, TrainConfig(seed=5, batch_size=4, average=0.0))
    assert plain.evaluated_model() is plain.model


@pytest.mark.parametrize("average, muon_lr", [(0.0, 0.0), (0.75, 0.0), (0.75, 0.02)])
def test_a_trainer_given_anothers_state_goes_on_as_that_one_does(average, muon_lr):
    tok = Tokenizer()
    fixed = batch(tok, random.Random(0), 4, SMALL.block_size)  # every step the same batch: no generator to carry
    cfg = TrainConfig(seed=1, batch_size=4, average=average, muon_lr=muon_lr)

    def trainer(state=None, shown=None):
        t = Trainer(initial_model(SMALL, 1, tok), lambda rng: fixed, cfg)
        if shown is not None:
            t.load_training_state(shown, state)
            t.resume(3)
        return t

    a = trainer()
    list(a.run(3))
    shown, state = a.shown_snapshot(), a.training_state()
    list(a.run(2))
    b, afresh = trainer(state, shown), trainer(None, shown)
    assert all(np.array_equal(b.shown_snapshot()[k], v) for k, v in shown.items())
    list(b.run(2))
    list(afresh.run(2))
    for got in (a, b):
        assert got.step == 5
    assert all(np.array_equal(a.snapshot()[k], v) for k, v in b.snapshot().items())
    assert all(np.array_equal(a.shown_snapshot()[k], v) for k, v in b.shown_snapshot().items())
    assert not all(np.array_equal(a.snapshot()[k], v) for k, v in afresh.snapshot().items())  # Adam afresh
    shown_now = a.shown_snapshot()
    assert (average > 0) == (not all(np.array_equal(shown_now[k], v) for k, v in a.snapshot().items()))


def test_records_count_up_and_weights_change():
    records, _ = _run(1, steps=4)
    assert [r.step for r in records] == [1, 2, 3, 4]
    assert all(b.chars > a.chars and b.flops > a.flops and b.seconds >= a.seconds for a, b in zip(records, records[1:]))
    assert all(r.changed > 0 for r in records)


def test_snapshot_is_a_copy_not_a_view():
    model, trainer, _ = new_model(SMALL, TrainConfig(seed=1, batch_size=4))
    snap = trainer.snapshot()
    kept = {k: v.copy() for k, v in snap.items()}
    list(trainer.run(2))
    assert all(np.array_equal(snap[k], kept[k]) for k in snap), "a snapshot moved with the weights"
    assert any(not np.array_equal(snap[k], v) for k, v in trainer.snapshot().items())


def test_stop_ends_between_steps_and_training_can_resume():
    model, trainer, _ = new_model(SMALL, TrainConfig(seed=1, batch_size=4))
    seen = []
    for rec in trainer.run():
        seen.append(rec.step)
        if rec.step == 3:
            trainer.stop()
    assert seen == [1, 2, 3]
    assert [r.step for r in trainer.run(2)] == [4, 5]


@pytest.mark.parametrize("threads", [1, 2])
def test_a_non_finite_loss_stops_with_a_clear_error_and_keeps_the_last_good_weights(threads):
    model, trainer, _ = new_model(SMALL, TrainConfig(seed=1, batch_size=4), threads=threads)
    list(trainer.run(2))
    good = trainer.snapshot()
    with torch.no_grad():
        model.lm_head.weight[0, 0] = float("inf")
    good["lm_head.weight"][0, 0] = float("inf")
    with pytest.raises(NonFiniteLoss, match="step 3"):
        list(trainer.run(1))
    now = trainer.snapshot()
    assert all(np.array_equal(now[k], good[k]) for k in now)


@pytest.mark.parametrize("threads", [1, 2])
def test_non_finite_gradients_stop_before_any_weight_moves(threads):
    model, trainer, _ = new_model(SMALL, TrainConfig(seed=1, batch_size=4), threads=threads)
    list(trainer.run(2))
    good = trainer.snapshot()
    model.lm_head.weight.register_hook(lambda g: g * float("nan"))  # the loss stays finite
    with pytest.raises(NonFiniteLoss, match="gradients became nan at step 3"):
        list(trainer.run(1))
    now = trainer.snapshot()
    assert all(np.array_equal(now[k], good[k]) for k in now)


def test_our_adamw_moves_weights_as_torchs_does():
    from model.optim import AdamW

    torch.manual_seed(0)
    a = torch.nn.Linear(8, 4)
    b = torch.nn.Linear(8, 4)
    b.load_state_dict(a.state_dict())
    ours = AdamW([([a.weight], 0.1), ([a.bias], 0.0)], lr=1e-2, betas=(0.9, 0.99))
    theirs = torch.optim.AdamW([{"params": [b.weight], "weight_decay": 0.1}, {"params": [b.bias], "weight_decay": 0.0}],
                               lr=1e-2, betas=(0.9, 0.99))
    for i in range(20):
        x = torch.randn(16, 8)
        for model, opt in ((a, ours), (b, theirs)):
            opt.zero_grad()
            model(x).pow(2).mean().backward()
            opt.step()
    assert torch.allclose(a.weight, b.weight, atol=1e-6) and torch.allclose(a.bias, b.bias, atol=1e-6)
    assert not torch.allclose(a.weight, torch.nn.Linear(8, 4).weight)


def test_our_muon_moves_weights_as_torchs_does():
    from model.optim import Muon

    torch.manual_seed(0)
    a, b = torch.nn.Linear(8, 24, bias=False), torch.nn.Linear(8, 24, bias=False)  # tall: its scale-up too
    b.load_state_dict(a.state_dict())
    ours = Muon([a.weight], lr=1e-2)
    ours.decay = 1e-2 * 0.1
    theirs = torch.optim.Muon([b.weight], lr=1e-2, weight_decay=0.1)
    for i in range(20):
        x = torch.randn(16, 8)
        for model, opt in ((a, ours), (b, theirs)):
            model.weight.grad = None
            model(x).pow(2).mean().backward()
            opt.step()
    start = torch.nn.Linear(8, 24, bias=False)
    assert torch.allclose(a.weight, b.weight, atol=2e-3)  # torch's orthogonalises in bfloat16, ours in float32
    assert (a.weight - b.weight).abs().max() < 0.02 * (a.weight - start.weight).abs().max()


def test_muon_sharing_its_matrices_with_another_thread_moves_them_the_same():
    from concurrent.futures import ThreadPoolExecutor

    from model.optim import Muon

    torch.manual_seed(0)
    start = [torch.randn(*shape) for shape in ((24, 8), (8, 8), (8, 32), (16, 8))]
    got = []
    for pool in (None, ThreadPoolExecutor(1)):
        params = [torch.nn.Parameter(t.clone()) for t in start]
        opt = Muon(params, lr=1e-2, pool=pool)
        for i in range(3):
            for p in params:
                p.grad = torch.sin(p.detach() * (i + 1))
            opt.step()
        got.append(params)
    assert all(torch.equal(a, b) for a, b in zip(*got))
    assert not any(torch.equal(a, t) for a, t in zip(got[0], start))


def test_muon_moves_the_attentions_matrices_and_adamw_the_rest():
    model, trainer, _ = new_model(SMALL, TrainConfig(seed=1, batch_size=4, muon_lr=0.02))
    muon = {id(p) for p in trainer.muon.params}
    names = {n for n, p in model.named_parameters() if id(p) in muon}
    assert names == {n for n, p in model.named_parameters() if ".attn.c_" in n}
    assert len(names) == 2 * SMALL.n_layer and not any(".mlp." in n for n in names)
    adam = sum(t.numel() for params, _ in trainer.optimizer.groups for t in params)
    assert adam + sum(p.numel() for p in trainer.muon.params) == sum(p.numel() for p in model.parameters())
    before = trainer.snapshot()
    list(trainer.run(2))
    after = trainer.snapshot()
    assert all(not np.array_equal(before[n], after[n]) for n in after if n.endswith("weight"))
    _, plain, _ = new_model(SMALL, TrainConfig(seed=1, batch_size=4))
    assert plain.muon is None


def test_share_cores_gives_torchs_threads_to_the_trainer():
    before = torch.get_num_threads()
    try:
        assert share_cores() == before and torch.get_num_threads() == 1
        assert share_cores(3) == 3 and torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
