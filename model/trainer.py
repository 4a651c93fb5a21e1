"""Training as a generator: one record per optimiser step, nothing else.

The trainer knows nothing of the window nor of the story: it takes a model and a function that makes
batches, and yields a `StepRecord` per step. Whoever iterates decides the pace: pausing is not asking
for the next step, stopping is `stop()` or simply dropping the generator. Copies of the weights are made
on request (`snapshot()`), as fresh numpy arrays, never views of live tensors.

Batches are made between steps, on the training thread. A helper thread making the next one during
the step was measured here to cost more than it hid: at 8 conversations a batch takes under a
millisecond to make, while its thread held the interpreter lock that each of torch's operations needs
back, and the steps came 5 % slower than a bare loop over ready-made batches.
"""

from __future__ import annotations

import copy
import math
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np
import torch

from .config import TrainConfig
from .gpt import GPT
from .optim import AdamW, Muon


class NonFiniteLoss(RuntimeError):
    """Training met a NaN or infinite loss; the model keeps the weights of the last good step."""


@dataclass(frozen=True)
class StepRecord:
    step: int
    loss: float
    chars: int  # characters (tokens) read so far, padding excluded
    flops: float  # training FLOPs spent so far (forward + backward, about 3x forward)
    seconds: float  # training time so far, pauses excluded
    changed: int  # weights whose value changed in this step (of the average, with one: see Trainer.shown_parameters)


BatchFn = Callable[[random.Random], tuple[np.ndarray, np.ndarray, np.ndarray]]


def weight_count(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def snapshot(model: torch.nn.Module) -> dict[str, np.ndarray]:
    """A copy of every weight as a numpy array, safe to hand to another thread."""
    return {n: p.detach().clone().numpy() for n, p in model.named_parameters()}


def share_cores(threads: int = 0) -> int:
    """Make this process ready for a `Trainer` of `threads` threads (0: as many as torch would use
    itself) and return that number. The trainer's threads share out the cores, so torch's own
    threads are set to one (for the whole process: engines made here use one thread anyway)."""
    threads = threads or torch.get_num_threads()
    torch.set_num_threads(1)
    return max(1, threads)


class Trainer:
    """Steps of AdamW (and Muon, with `muon_lr`) on batches from `make_batch`, as a generator of records (`run`).

    With `threads` > 1, each step splits its batch into that many parts, computes their gradients at
    once on as many threads (each on one core: see `share_cores`), and adds them up in a fixed order,
    so a run is the same bit for bit each time it is made with the same `threads` on the same kind of
    processor (another rounds differently, and the run drifts). Each part is also
    cut to its own longest conversation. Measured here (2 cores, 8 conversations a step, the two
    ways in turns of 20 steps): 60 ms a step (median of 12 turns) against 75 ms with one thread and
    torch's own two threads sharing every operation, which wait for each other at every operation
    (and for anything else that takes a core from one of them, such as the window); these wait once
    a step. `python -m model bench`: 1.28 times the speed of a bare loop (torch's threads, whole batch).
    """

    def __init__(self, model: GPT, make_batch: BatchFn, cfg: TrainConfig = TrainConfig(), threads: int = 1):
        self.model = model
        self.make_batch = make_batch
        self.cfg = cfg
        self.threads = max(1, min(int(threads), cfg.batch_size))
        self._pool = ThreadPoolExecutor(self.threads - 1, "trainer") if self.threads > 1 else None
        self.step = 0
        self.chars = 0
        self.flops = 0.0
        self.seconds = 0.0
        self._stop = threading.Event()
        self._rng = random.Random(cfg.seed)
        params = [p for n, p in model.named_parameters() if cfg.trainable == "all" or ".mlp." in n]
        names = {id(p): n for n, p in model.named_parameters()}
        for p in model.parameters():
            p.requires_grad_(False)
        for p in params:
            p.requires_grad_(True)
        self._params = params  # in the model's order: the gradient norm adds them up in this order
        # All trainable weights live in one buffer, and their gradients in another (each parameter a view
        # into it), the weights that decay first: the optimiser, clipping and "weights changed" are then
        # a few operations over two long vectors, not a few for each of 40 tensors. Measured here, the
        # step around its forward and backward passes: 4.7..5.4 ms before, 2.3..2.6 ms after. The
        # arithmetic is the same, weight by weight: 150 steps give the same fingerprint as before.
        # With `muon_lr`, Muon moves the attention's matrices (first in the buffer) and AdamW the rest.
        muon = [p for p in params if cfg.muon_lr and p.dim() == 2 and ".attn." in names[id(p)]]
        decay = [p for p in params if p.dim() >= 2 and not any(p is m for m in muon)]
        no_decay = [p for p in params if p.dim() < 2]
        self._weights = _one_buffer(muon + decay + no_decay)
        self._grads = torch.zeros_like(self._weights)
        self._before = torch.empty_like(self._weights)  # the weights before the step in progress
        groups, at = [], 0
        for p in muon:
            p.grad = self._grads[at: at + p.numel()].view_as(p)
            at += p.numel()
        for group, wd in ((decay, cfg.weight_decay), (no_decay, 0.0)):
            n = sum(p.numel() for p in group)
            for p in group:
                p.grad = self._grads[at: at + p.numel()].view_as(p)
                at += p.numel()
            if n:
                segment = self._weights[at - n: at]
                segment.grad = self._grads[at - n: at]
                groups.append(([segment], wd))
        self._grad_views = [p.grad for p in params]  # in the model's order
        # A running average of the weights, in the buffer's order: moved towards the weights after
        # every step by 1 - `average` of the distance. With it, the model "is" the average: it is
        # what `evaluated_model` answers with, `shown_parameters` shows and `StepRecord.changed` counts.
        self._average = self._weights.detach().clone() if cfg.average > 0 else None
        self._average_views = {}
        if self._average is not None:
            at = 0
            for p in muon + decay + no_decay:
                self._average_views[names[id(p)]] = self._average[at: at + p.numel()].view_as(p)
                at += p.numel()
        self._moved = torch.empty_like(self._weights, dtype=torch.bool)
        self.optimizer = AdamW(groups, lr=cfg.lr, betas=(0.9, 0.99))
        self.muon = Muon(muon, cfg.muon_lr, pool=self._pool) if muon else None

    def lr_at(self, step: int) -> float:
        c = self.cfg
        if step < c.warmup_steps:
            return c.lr * (step + 1) / c.warmup_steps
        t = min(1.0, (step - c.warmup_steps) / max(1, c.decay_steps))
        return c.min_lr + 0.5 * (c.lr - c.min_lr) * (1 + math.cos(math.pi * t))

    def resume(self, step: int, chars: int = 0, flops: float = 0.0, seconds: float = 0.0) -> None:
        """Carry on the counters of an earlier run whose weights (and optimiser state) were loaded."""
        self.step, self.chars, self.flops, self.seconds = step, chars, flops, seconds

    def stop(self) -> None:
        """Ask the running generator to end after the step in progress."""
        self._stop.set()

    def snapshot(self) -> dict[str, np.ndarray]:
        """The model's own weights (those the optimiser moves), as fresh numpy arrays."""
        return snapshot(self.model)

    def shown_parameters(self) -> list[torch.Tensor]:
        """The weights the model answers with, in the model's parameter order: its own or, with
        `average`, the running average's (live tensors: copy them before they are handed on)."""
        return [self._average_views.get(n, p) for n, p in self.model.named_parameters()]

    def shown_snapshot(self) -> dict[str, np.ndarray]:
        """`shown_parameters` as fresh numpy arrays, by name."""
        return {n: t.detach().clone().numpy() for (n, _), t in zip(self.model.named_parameters(),
                                                                   self.shown_parameters())}

    def training_state(self) -> dict:
        """What a new trainer needs, beside the shown weights, to go on as this one would
        (`load_training_state`): the optimiser's state and, with `average`, the model's own weights."""
        state = {"optimizer": self.optimizer.state_dict()}
        if self.muon is not None:
            state["muon"] = self.muon.state_dict()
        if self._average is not None:
            state["weights"] = {n: p.detach().clone() for n, p in self.model.named_parameters()}
        return state

    def load_training_state(self, shown: dict[str, np.ndarray], state: dict | None) -> None:
        """Go on from an earlier run: its `shown_snapshot` and its `training_state` (tensors; None to
        start the optimiser afresh, from the shown weights)."""
        with torch.no_grad():
            for n, p in self.model.named_parameters():
                p.copy_(torch.as_tensor(np.asarray(shown[n])))
            if self._average is not None:
                self._average.copy_(self._weights)
            if state is not None and self._average is not None and "weights" in state:
                for n, p in self.model.named_parameters():
                    p.copy_(state["weights"][n])
        if state is not None:
            self.optimizer.load_state_dict(state["optimizer"])
            if self.muon is not None and "muon" in state:
                self.muon.load_state_dict(state["muon"])

    def run(self, max_steps: int | None = None) -> Iterator[StepRecord]:
        """Train, yielding one record per step, until `max_steps` more steps or `stop()`."""
        self._stop.clear()
        self.model.train()
        done = 0
        while not self._stop.is_set() and (max_steps is None or done < max_steps):
            t0 = time.perf_counter()
            x, y, w = self.make_batch(self._rng)
            loss, changed = self._step(x, y, w)
            self.seconds += time.perf_counter() - t0
            self.step += 1
            done += 1
            real = int((x != 0).sum())
            self.chars += real
            self.flops += 3.0 * real * self.model.flops_per_token(x.shape[1] // 2)
            yield StepRecord(self.step, loss, self.chars, self.flops, self.seconds, changed)

    def _step(self, x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, int]:
        self.optimizer.lr = self.lr_at(self.step)
        if self.muon is not None:  # the same schedule, from its own peak; the same weight decay as AdamW's
            self.muon.lr = self.optimizer.lr / self.cfg.lr * self.cfg.muon_lr
            self.muon.decay = self.optimizer.lr * self.cfg.weight_decay
        if self._pool is None:
            xb, yb, wb = torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(w)
            _, loss = self.model(xb, yb, wb)
            value = loss.item()
            self._check_loss(value)
            self._grads.zero_()
            loss.backward()  # adds each gradient into its view of the buffer
            if any(p.grad is not g for p, g in zip(self._params, self._grad_views)):
                raise RuntimeError("a gradient left the trainer's buffer")  # autograd's contract; never seen
        else:
            value = self._parallel_gradients(x, y, w)
        norm = self._clip()
        # Finite gradients (their norm says so) make a finite update: the weights cannot become
        # non-finite, and are not touched when the gradients are not.
        if not math.isfinite(norm):
            raise NonFiniteLoss(f"gradients became {norm} at step {self.step + 1}; "
                                f"kept the weights of step {self.step}")
        if self._average is None:
            self._before.copy_(self._weights)
            self._optimise()
            changed = int(torch.ne(self._weights, self._before, out=self._moved).sum())
        else:
            self._optimise()
            self._before.copy_(self._average)
            self._average.lerp_(self._weights, 1.0 - self.cfg.average)
            changed = int(torch.ne(self._average, self._before, out=self._moved).sum())
        return value, changed

    def _optimise(self) -> None:
        self.optimizer.step()
        if self.muon is not None:
            self.muon.step()

    def evaluated_model(self) -> GPT:
        """The model to measure and to save: the model itself or, with `average`, a copy of it holding
        the running average of its weights.

        The weights of one step wander around where training is heading, the more so while the
        learning rate is high; their average sits nearer. Measured here, the default config with
        0.995: `train --until-story` met the single correction at step 2,048 of seed 1 (150 s), where
        the weights themselves met it at step 3,955; a scratch run of seeds 2 and 3 met it at step
        2,160 and not by step 2,732, where the weights themselves had not by then either."""
        if self._average is None:
            return self.model
        model = copy.deepcopy(self.model)
        with torch.no_grad():
            for p, shown in zip(model.parameters(), self.shown_parameters()):
                p.copy_(shown)
        return model

    def _check_loss(self, value: float) -> None:
        if not math.isfinite(value):
            raise NonFiniteLoss(f"loss became {value} at step {self.step + 1}; kept the weights of step {self.step}")

    def _parallel_gradients(self, x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
        """The batch's loss, and its gradients in the buffer: each part's computed on its own thread.

        A part's loss is its share of the batch's weighted mean (its weighted sum over the whole
        batch's weight), so the parts' gradients add up to the batch's. They are added into the
        buffer one part after the other, in order: the same sums whichever thread ends first."""
        total = max(1.0, float(w.sum()))
        parts = [_trimmed(x[r], y[r], w[r]) for r in np.array_split(np.arange(len(x)), self.threads)]
        later = [self._pool.submit(self._part_gradients, part, total) for part in parts[1:]]
        results = [self._part_gradients(parts[0], total)] + [f.result() for f in later]
        value = sum(v for v, _ in results)
        self._check_loss(value)
        self._grads.zero_()
        for _, grads in results:
            torch._foreach_add_(self._grad_views, grads)
        return value

    def _part_gradients(self, part: tuple[np.ndarray, ...], total: float) -> tuple[float, tuple[torch.Tensor, ...]]:
        x, y, w = (torch.from_numpy(a) for a in part)
        _, loss = self.model(x, y, w)
        loss = loss * (float(w.sum()) / total)  # the model's mean over this part, times the part's share
        return loss.item(), torch.autograd.grad(loss, self._params)

    def _clip(self) -> float:
        """Scale the gradients down to a total norm of `grad_clip` if above it, as
        `torch.nn.utils.clip_grad_norm_` does (the same norms, added up in the same order) but with one
        multiplication of the whole buffer; the norm before clipping."""
        total = torch.nn.utils.get_total_norm(self._grad_views, 2.0, foreach=True)
        self._grads.mul_(torch.clamp(self.cfg.grad_clip / (total + 1e-6), max=1.0))
        return total.item()


def _trimmed(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, ...]:
    """Rows of a batch without the padding columns they all end with (padding is token 0, as `run`
    counts characters), each a contiguous array."""
    used = np.flatnonzero((x != 0).any(axis=0))
    T = int(used[-1]) + 1 if used.size else 1
    return tuple(np.ascontiguousarray(a[:, :T]) for a in (x, y, w))


def _one_buffer(params: list[torch.Tensor]) -> torch.Tensor:
    """Move `params` into one new contiguous buffer, in this order; each becomes a view into it."""
    flat = torch.cat([p.detach().reshape(-1) for p in params]) if params else torch.zeros(0)
    at = 0
    for p in params:
        p.data = flat[at: at + p.numel()].view_as(p)
        at += p.numel()
    return flat
