"""AdamW in a dozen lines of torch's multi-tensor ("foreach") operations, and Muon for the live scene.

Why not `torch.optim.AdamW`: building one imports torch's compiler stack (dynamo, sympy, ...), about
75 MB more resident memory in every process that trains, for a feature a 160k-weight model on a
two-core machine never uses. The update is the one of Loshchilov & Hutter ("Decoupled weight decay
regularization", 2019) with bias correction, as `torch.optim.AdamW` computes it; `tests/model` checks
the two agree.
"""

from __future__ import annotations

import math
from concurrent.futures import Executor

import torch


class AdamW:
    def __init__(self, groups: list[tuple[list[torch.Tensor], float]], lr: float,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8):
        """`groups`: (parameters, weight decay) pairs."""
        self.groups = [(list(params), float(wd)) for params, wd in groups if params]
        self.lr, self.betas, self.eps = lr, betas, eps
        self.steps = 0
        self.m = [[torch.zeros_like(p) for p in params] for params, _ in self.groups]
        self.v = [[torch.zeros_like(p) for p in params] for params, _ in self.groups]

    def zero_grad(self) -> None:
        for params, _ in self.groups:
            for p in params:
                p.grad = None

    @torch.no_grad()
    def step(self) -> None:
        self.steps += 1
        b1, b2 = self.betas
        step_size = self.lr / (1 - b1 ** self.steps)
        root_c2 = math.sqrt(1 - b2 ** self.steps)
        for (params, wd), m, v in zip(self.groups, self.m, self.v):
            live = [i for i, p in enumerate(params) if p.grad is not None]
            if not live:
                continue
            ps, gs = [params[i] for i in live], [params[i].grad for i in live]
            ms, vs = [m[i] for i in live], [v[i] for i in live]
            if wd:
                torch._foreach_mul_(ps, 1 - self.lr * wd)
            torch._foreach_lerp_(ms, gs, 1 - b1)
            torch._foreach_mul_(vs, b2)
            torch._foreach_addcmul_(vs, gs, gs, value=1 - b2)
            denom = torch._foreach_sqrt(vs)
            torch._foreach_div_(denom, root_c2)
            torch._foreach_add_(denom, self.eps)
            torch._foreach_addcdiv_(ps, ms, denom, value=-step_size)

    def state_dict(self) -> dict:
        """Copies of the moments and the step count, to carry a run across processes."""
        return {"steps": self.steps, "m": [[t.clone() for t in g] for g in self.m],
                "v": [[t.clone() for t in g] for g in self.v]}

    def load_state_dict(self, state: dict) -> None:
        shapes = [[tuple(t.shape) for t in g] for g in self.m]
        for key in ("m", "v"):
            got = [[tuple(t.shape) for t in g] for g in state[key]]
            if got != shapes:
                raise ValueError(f"optimiser state '{key}' does not fit these weights")
        with torch.no_grad():
            for key in ("m", "v"):
                for mine, theirs in zip(getattr(self, key), state[key]):
                    for a, b in zip(mine, theirs):
                        a.copy_(torch.as_tensor(b))
        self.steps = int(state["steps"])


class Muon:
    """Momentum, then each matrix's update made orthogonal: every direction of the matrix moves by
    about the same amount, however unevenly the gradient weighs them (Jordan et al., "Muon: an
    optimizer for the hidden layers of neural networks", 2024). For 2-D weights only; the trainer
    gives it the attention's matrices and AdamW the rest.

    `decay` is the share the weights shrink by at each step (decoupled weight decay), set by the
    trainer to the one its AdamW gives the other matrices."""

    def __init__(self, params: list[torch.Tensor], lr: float, momentum: float = 0.95,
                 pool: Executor | None = None):
        """`pool`: threads that orthogonalise every other matrix while this one does the rest (each
        matrix alone, so the result is the same whichever thread computes it)."""
        self.params = list(params)
        if any(p.dim() != 2 for p in self.params):
            raise ValueError("Muon moves matrices only")
        self.lr, self.momentum, self.decay = lr, momentum, 0.0
        self.buffers = [torch.zeros_like(p) for p in self.params]
        self.pool = pool

    @torch.no_grad()
    def step(self) -> None:
        live = [(p, buf) for p, buf in zip(self.params, self.buffers) if p.grad is not None]
        looks = []
        for p, buf in live:
            buf.mul_(self.momentum).add_(p.grad)
            looks.append(p.grad.add(buf, alpha=self.momentum))  # Nesterov's look-ahead
        later = {i: self.pool.submit(orthogonalised, g) for i, g in enumerate(looks) if i % 2} if self.pool else {}
        for i, ((p, _), g) in enumerate(zip(live, looks)):
            update = later[i].result() if i in later else orthogonalised(g)
            if self.decay:
                p.mul_(1 - self.decay)
            # A tall matrix's orthogonal update has smaller entries: scale it up to match.
            p.add_(update, alpha=-self.lr * max(1.0, p.shape[0] / p.shape[1]) ** 0.5)

    def state_dict(self) -> dict:
        return {"buffers": [b.clone() for b in self.buffers]}

    def load_state_dict(self, state: dict) -> None:
        got = [tuple(t.shape) for t in state["buffers"]]
        if got != [tuple(b.shape) for b in self.buffers]:
            raise ValueError("Muon's state does not fit these weights")
        with torch.no_grad():
            for mine, theirs in zip(self.buffers, state["buffers"]):
                mine.copy_(torch.as_tensor(theirs))


def orthogonalised(g: torch.Tensor, steps: int = 5) -> torch.Tensor:
    """About the nearest orthogonal matrix to `g` (its singular values brought near 1, its singular
    vectors kept), by the quintic Newton–Schulz iteration of Muon: five products, no SVD."""
    a, b, c = 3.4445, -4.7750, 2.0315
    x = g / (g.norm() + 1e-7)
    tall = x.shape[0] > x.shape[1]
    if tall:
        x = x.T
    for _ in range(steps):
        s = x @ x.T
        x = a * x + (b * s + c * s @ s) @ x
    return x.T if tall else x
