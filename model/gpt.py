"""A small decoder-only transformer over characters (nanoGPT-sized, readable on one screen).

Four choices differ from GPT-2, all to make copying a name from the conversation come early in
training, which is what the whole story rests on:
- rotary position embeddings (RoPE): attention depends on how far back a token is, not where;
- smeared keys (Olsson et al., 2022, "In-context learning and induction heads"): each head's key at
  position t mixes in the key of t-1 with a learned weight, so one layer can find "the token after the
  last time I saw this one", the induction pattern that copying a new name needs;
- a short causal convolution before attention (a "canon layer"): queries and keys see the last four
  characters, so "the books: |" finds the name after the last "the books: " and not after "the shop: ";
- with `qk_norm` (the live scene's model), queries and keys of one length, so that a score is their
  cosine times a fixed largest score (QK-norm, Henry et al., 2020): attention can point at one
  character from the first steps, before its weights have grown.

The newest token's attention weights in the last forward pass are kept when `record_attention` is set,
so the exhibit can light up what the model read while it answered. Names follow the paper: B, T, C,
n_embd, n_head.
"""

from __future__ import annotations

import functools
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .config import GPTConfig


def rope_table(T: int, hs: int) -> torch.Tensor:
    """e^(i * position * frequency) for each position and pair of channels: (T, hs/2), complex."""
    inv = 1.0 / (10000 ** (torch.arange(0, hs, 2, dtype=torch.float32) / hs))
    return torch.polar(torch.ones(T, hs // 2), torch.outer(torch.arange(T, dtype=torch.float32), inv))


def apply_rope(x: torch.Tensor, rot: torch.Tensor) -> torch.Tensor:
    """Rotate each pair of channels (x[2i], x[2i+1]) of x (..., T, hs) by its angle in `rot` (T, hs/2)."""
    xc = torch.view_as_complex(x.reshape(*x.shape[:-1], -1, 2))
    return torch.view_as_real(xc * rot).flatten(-2)


class Canon(nn.Module):
    """x + a causal depthwise convolution over the last `k` positions ("canon layer", Allen-Zhu 2025).

    It lets every query and key see the few characters before it, so attention can match a short
    string ("oks: ", the end of "the books: ") rather than one character."""

    def __init__(self, n_embd: int, k: int = 4):
        super().__init__()
        self.k = k
        self.weight = nn.Parameter(torch.zeros(n_embd, 1, k))

    def forward(self, x, cache=None):
        B, T, C = x.shape
        past = cache.get("canon") if cache is not None else None
        if past is None:
            past = x.new_zeros(B, self.k - 1, C)
        full = torch.cat([past, x], dim=1)  # (B, k-1+T, C)
        if cache is not None:
            cache["canon"] = full[:, -(self.k - 1):]
        w = self.weight[:, 0, :]  # (C, k): per channel, the weight of each of the last k positions
        if T == 1:  # one new token (generation): a weighted sum over the last k inputs
            return x + (full * w.t()).sum(dim=1, keepdim=True)
        y = x * w[:, -1]
        for j in range(self.k - 1):
            y = y + full[:, j: j + T] * w[:, j]
        return x + y


class CausalSelfAttention(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.n_head = cfg.n_head
        self.block_size = cfg.block_size
        self.c_attn = nn.Linear(cfg.n_embd, 3 * cfg.n_embd, bias=False)
        self.c_proj = nn.Linear(cfg.n_embd, cfg.n_embd, bias=False)
        self.smear = nn.Parameter(torch.zeros(cfg.n_head))  # sigmoid(smear): share of the previous key
        hs = cfg.n_embd // cfg.n_head
        # With qk_norm, a query and a key of the same direction score qk_norm (each has length sqrt(hs)).
        self.qk_norm = cfg.qk_norm
        self.scale = cfg.qk_norm / hs if cfg.qk_norm else 1.0 / math.sqrt(hs)
        self.record_attention = False
        self.last_att: torch.Tensor | None = None  # (B, nh, 1, T_total): the newest token's, when recorded

    def forward(self, x, rot, cache=None):
        B, T, C = x.shape
        nh, hs = self.n_head, C // self.n_head
        q, k, v = self.c_attn(x).view(B, T, 3, nh, hs).permute(2, 0, 3, 1, 4).unbind(0)  # (B, nh, T, hs)
        if cache is not None and "last_k" in cache:
            prev_k = cache["last_k"]
        else:
            prev_k = k.new_zeros(B, nh, 1, hs)
        k_prev = prev_k if T == 1 else torch.cat([prev_k, k[:, :, :-1]], dim=2)
        k_raw_last = k[:, :, -1:]
        k = torch.lerp(k, k_prev, torch.sigmoid(self.smear).view(1, nh, 1, 1))
        if self.qk_norm:
            q, k = F.rms_norm(q, (hs,)), F.rms_norm(k, (hs,))
        q, k = apply_rope(torch.stack((q, k)), rot).unbind(0)
        if cache is not None:  # keys (transposed, as generation reads them) and values, window-sized
            n = cache.get("n", 0)
            if "kt" not in cache:
                cache["kt"] = k.new_zeros(B, nh, hs, self.block_size)
                cache["v"] = v.new_zeros(B, nh, self.block_size, hs)
            cache["kt"][:, :, :, n: n + T] = k.transpose(-2, -1)
            cache["v"][:, :, n: n + T] = v
            if n:  # the whole context's keys and values (copied: attention runs faster on contiguous ones)
                k, v = cache["kt"][:, :, :, : n + T].transpose(-2, -1).contiguous(), cache["v"][:, :, : n + T]
            cache.update(n=n + T, last_k=k_raw_last)
        Tk = k.shape[2]
        if self.record_attention:  # what the newest token reads (it sees every key): one row, not T
            self.last_att = ((q[:, :, -1:] @ k.transpose(-2, -1)) * self.scale).softmax(dim=-1).detach()
        if T == Tk:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=self.scale)
        elif T == 1:  # one new token after a cache: it may see everything
            y = F.scaled_dot_product_attention(q, k, v, scale=self.scale)
        else:  # new tokens after a cache: each sees the whole cache and the new tokens before it
            mask = torch.ones(T, Tk, dtype=torch.bool, device=x.device).tril(Tk - T)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=self.scale)
        return self.c_proj(y.transpose(1, 2).reshape(B, T, C))


class MLP(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.c_fc = nn.Linear(cfg.n_embd, 4 * cfg.n_embd, bias=False)
        self.c_proj = nn.Linear(4 * cfg.n_embd, cfg.n_embd, bias=False)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.ln_1 = nn.LayerNorm(cfg.n_embd)
        self.canon = Canon(cfg.n_embd, cfg.canon_kernel)
        self.attn = CausalSelfAttention(cfg)
        self.ln_2 = nn.LayerNorm(cfg.n_embd)
        self.mlp = MLP(cfg)

    def forward(self, x, rot, cache=None):
        x = x + self.attn(self.canon(self.ln_1(x), cache), rot, cache)
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.config = cfg
        self.wte = nn.Embedding(cfg.vocab_size, cfg.n_embd)
        self.h = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layer))
        self.ln_f = nn.LayerNorm(cfg.n_embd)
        self.lm_head = nn.Linear(cfg.n_embd, cfg.vocab_size, bias=False)
        self.register_buffer("rope", rope_table(cfg.block_size, cfg.n_embd // cfg.n_head), persistent=False)
        self.apply(self._init_weights)
        for name, p in self.named_parameters():  # scaled residual projections, as in GPT-2
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * cfg.n_layer))

    @staticmethod
    def _init_weights(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, mean=0.0, std=0.02)

    def set_record_attention(self, on: bool) -> None:
        for block in self.h:
            block.attn.record_attention = on
            block.attn.last_att = None

    def attention_maps(self) -> list[torch.Tensor]:
        """Per layer, the newest token's attention weights (B, nh, 1, T_total) in the last recorded pass."""
        return [b.attn.last_att for b in self.h if b.attn.last_att is not None]

    def forward(self, idx, targets=None, weights=None, caches=None, pos: int = 0):
        """Logits (B, T, vocab) and, with targets, the loss averaged over `weights` (B, T)."""
        B, T = idx.shape
        if pos + T > self.config.block_size:
            raise ValueError(f"{pos + T} tokens exceed the context window of {self.config.block_size}")
        rot = self.rope[pos: pos + T]
        x = self.wte(idx)  # (B, T, C)
        for i, block in enumerate(self.h):
            x = block(x, rot, None if caches is None else caches[i])
        logits = self.lm_head(self.ln_f(x))
        if targets is None:
            return logits, None
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), reduction="none")
        if weights is None:
            return logits, loss.mean()
        w = weights.view(-1)
        return logits, (loss * w).sum() / w.sum().clamp_min(1.0)

    @functools.cached_property
    def matmul_weights(self) -> int:
        """Weights that multiply every token (the embedding table is only looked up)."""
        return sum(p.numel() for n, p in self.named_parameters() if p.dim() == 2 and not n.startswith("wte"))

    def flops_per_token(self, T: int) -> int:
        """Forward FLOPs per token at context T: 2 per weight of the matmuls, plus attention."""
        cfg = self.config
        return 2 * self.matmul_weights + 4 * cfg.n_layer * cfg.n_embd * T

    def cached_flops(self, start: int, n: int) -> int:
        """Forward FLOPs of reading `n` tokens at positions start.. with a cache of the `start` before:
        each token pays the matmuls and attends to itself and every token before it."""
        if n <= 0:
            return 0
        cfg = self.config
        attended = n * start + n * (n + 1) // 2  # sum of (position + 1) over the n tokens
        return n * self.flops_per_token(0) + 4 * cfg.n_layer * cfg.n_embd * attended


_SQRT_HALF = math.sqrt(0.5)


class Decoder:
    """Generation, one token at a time, through a model whose weights hold still (an engine's frozen copy).

    The same maths as `GPT.forward` with a cache, written out with as few torch operations as it allows:
    at one 64-wide token a step, a reply pays per operation (about 5 microseconds each here), not per
    multiplication, and looking weights up through the modules costs more than using them. The
    caches are the ones `GPT.forward` fills for the prompt; `tests/model` checks both paths agree.
    """

    def __init__(self, model: GPT):
        cfg = model.config
        self.C, self.nh, self.hs = cfg.n_embd, cfg.n_head, cfg.n_embd // cfg.n_head
        self.block_size = cfg.block_size
        self.wte = model.wte.weight.detach()
        # RoPE at one position is a rotation of each channel pair: a (hs, hs) matrix per position.
        eye = torch.eye(self.hs)
        self.rotations = apply_rope(eye.expand(cfg.block_size, self.hs, self.hs), model.rope[:, None]).contiguous()
        self.ln_f = (model.ln_f.weight.detach(), model.ln_f.bias.detach(), model.ln_f.eps)
        self.head = model.lm_head.weight.detach()
        # Derived once from the weights, which is why they must hold still: the query rows of c_attn
        # carry attention's scale (with qk_norm it comes after the normalising), the MLP's output
        # carries GELU's 1/2, the smear its sigmoid.
        self.qk_scale = model.h[0].attn.scale if cfg.qk_norm else 0.0  # with qk_norm, the queries' scale
        q_scale = torch.ones(3 * self.C, 1)
        q_scale[: self.C] = 1.0 if cfg.qk_norm else model.h[0].attn.scale
        self.layers = [(
            b.ln_1.weight.detach(), b.ln_1.bias.detach(), b.ln_1.eps,
            b.canon.weight.detach()[:, 0, :].t(),  # (k, C): the weight of each of the last k inputs
            b.attn.c_attn.weight.detach() * q_scale, torch.sigmoid(b.attn.smear.detach())[:, None],
            b.attn.c_proj.weight.detach(), b.ln_2.weight.detach(), b.ln_2.bias.detach(), b.ln_2.eps,
            b.mlp.c_fc.weight.detach(), 0.5 * b.mlp.c_proj.weight.detach(), b.attn,
        ) for b in model.h]

    def __call__(self, token: int, caches: list[dict], pos: int) -> torch.Tensor:
        """Logits (vocab,) after `token` at position `pos`, the caches (batch of one) holding pos tokens."""
        if pos + 1 > self.block_size:
            raise ValueError(f"{pos + 1} tokens exceed the context window of {self.block_size}")
        C, nh, hs = self.C, self.nh, self.hs
        x, rot = self.wte[token], self.rotations[pos]
        for (w1, b1, e1, canon, qkv, smear, proj, w2, b2, e2, fc, out, attn), cache in zip(self.layers, caches):
            h = torch.layer_norm(x, (C,), w1, b1, e1)
            recent = torch.cat([cache["canon"][0], h[None]])  # canon layer: the last k inputs
            cache["canon"] = recent[None, 1:]
            h = h + (recent * canon).sum(dim=0)
            q, k, v = (qkv @ h).view(3, nh, hs).unbind(0)
            k_raw = k
            k = torch.lerp(k, cache["last_k"].view(nh, hs), smear)  # smeared key
            if self.qk_scale:  # QK-norm
                q, k = torch.rms_norm(q, (hs,)) * self.qk_scale, torch.rms_norm(k, (hs,))
            q, k = (torch.stack((q, k)) @ rot).unbind(0)  # RoPE
            keys, values = cache["kt"][0], cache["v"][0]  # (nh, hs, window), (nh, window, hs)
            keys.select(2, pos).copy_(k)
            values.select(1, pos).copy_(v)
            cache.update(n=pos + 1, last_k=k_raw.view(1, nh, 1, hs))
            n = pos + 1
            att = torch.bmm(q.view(nh, 1, hs), keys.narrow(2, 0, n)).view(nh, n).softmax(dim=-1)
            if attn.record_attention:
                attn.last_att = att.view(1, nh, 1, n)
            x = x + proj @ torch.bmm(att.view(nh, 1, n), values.narrow(1, 0, n)).view(C)
            h = fc @ torch.layer_norm(x, (C,), w2, b2, e2)
            g = (h * _SQRT_HALF).erf_().add_(1.0).mul_(h)  # 2 GELU(h): exact GELU, the 1/2 is in `out`
            x = x + out @ g
        w, b, e = self.ln_f
        return self.head @ torch.layer_norm(x, (C,), w, b, e)
