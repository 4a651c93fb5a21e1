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

import math
import random
import threading
import time
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np
import torch

from .gpt import GPT
from .optim import AdamW


class NonFiniteLoss(RuntimeError):
    """Training met a NaN or infinite loss; the model keeps the weights of the last good step."""


@dataclass(frozen=True)
class TrainConfig:
    seed: int = 1
    batch_size: int = 8  # conversations per step: 8 learns the story in fewer seconds than 16 on two cores
    lr: float = 6e-3
    min_lr: float = 6e-4
    warmup_steps: int = 100
    decay_steps: int = 12000  # cosine from lr to min_lr over these steps, then constant
    weight_decay: float = 0.01
    grad_clip: float = 1.0
    trainable: str = "all"  # "all" or "mlp": which weights the optimiser may move


@dataclass(frozen=True)
class StepRecord:
    step: int
    loss: float
    chars: int  # characters (tokens) read so far, padding excluded
    flops: float  # training FLOPs spent so far (forward + backward, about 3x forward)
    seconds: float  # training time so far, pauses excluded
    changed: int  # weights whose value changed in this step


BatchFn = Callable[[random.Random], tuple[np.ndarray, np.ndarray, np.ndarray]]


def weight_count(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def snapshot(model: torch.nn.Module) -> dict[str, np.ndarray]:
    """A copy of every weight as a numpy array, safe to hand to another thread."""
    return {n: p.detach().clone().numpy() for n, p in model.named_parameters()}


class Trainer:
    def __init__(self, model: GPT, make_batch: BatchFn, cfg: TrainConfig = TrainConfig()):
        self.model = model
        self.make_batch = make_batch
        self.cfg = cfg
        self.step = 0
        self.chars = 0
        self.flops = 0.0
        self.seconds = 0.0
        self._stop = threading.Event()
        self._rng = random.Random(cfg.seed)
        params = [p for n, p in model.named_parameters() if cfg.trainable == "all" or ".mlp." in n]
        for p in model.parameters():
            p.requires_grad_(False)
        for p in params:
            p.requires_grad_(True)
        decay = [p for p in params if p.dim() >= 2]
        no_decay = [p for p in params if p.dim() < 2]
        self.optimizer = AdamW([(decay, cfg.weight_decay), (no_decay, 0.0)], lr=cfg.lr, betas=(0.9, 0.99))
        self._params = params

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
        return snapshot(self.model)

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

    def _flat(self) -> torch.Tensor:
        return torch.cat([p.detach().reshape(-1) for p in self._params])

    def _step(self, x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, int]:
        self.optimizer.lr = self.lr_at(self.step)
        xb, yb, wb = torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(w)
        _, loss = self.model(xb, yb, wb)
        if not torch.isfinite(loss):
            raise NonFiniteLoss(f"loss became {loss.item()} at step {self.step + 1}; kept the weights of step {self.step}")
        self.optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self._params, self.cfg.grad_clip, foreach=True)
        before = self._flat()  # one copy of every trainable weight: a few operations, not a hundred
        self.optimizer.step()
        with torch.no_grad():
            after = self._flat()
            changed = int((after != before).sum())
            if not bool(torch.isfinite(after).all()):
                at = 0
                for p in self._params:
                    p.copy_(before[at: at + p.numel()].view_as(p))
                    at += p.numel()
                raise NonFiniteLoss(f"weights became non-finite at step {self.step + 1}; kept step {self.step}")
        return float(loss.item()), changed
