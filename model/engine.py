"""The frozen inference engine: a conversation is a growing list of tokens, the weights never change.

The engine holds its own copy of the weights (`eval()`, `requires_grad_(False)`, every forward pass under
`torch.inference_mode()`), so nothing a visitor types can reach them; `fingerprint()` proves it. A
conversation is a list of turns; each reply rereads them all (through a KV cache, which is only a
faster way of rereading). When the conversation outgrows the context window, whole turns drop from the
oldest end, down to three quarters of the window, and the engine says which. `reply()` is a generator
that yields the reply a character at a time, so a window streams it for free.
"""

from __future__ import annotations

import copy
import hashlib
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np
import torch

from .corpus import NOTE_PREFIX, ROLE_TOKEN
from .gpt import GPT, Decoder
from .tokenizer import END, MODEL, Tokenizer

MAX_REPLY = 64  # tokens a reply may take, the end mark included (the longest this world needs is about 58)
# A reply that has lost its way repeats a few characters ("vrvrvrvr…"): the last RUNAWAY characters made
# of one unit of 1 to 4 characters end it there (a name of this world has at most 12 letters).
RUNAWAY = 12
# Tokens kept free for a reply before it starts: a longer reply than that (this world's longest answer
# is about 30) drops more of the oldest turns as it goes, so a reply never costs context it does not use.
REPLY_ROOM = 32
# Of a window that overflows, the share kept (see `Engine._fit`). Half made a reply of a long conversation
# 5x cheaper than rereading the whole window each time, but lost a first correction in 4 of 100 both-partners
# trials; three quarters, 3x cheaper, lost it in 1 (BENCHMARKS.md, 2026-12-06).
KEEP = 0.75
# The name in a reply: the first word after "the books: " (replies name people only there), as typed.
_FIRST_NAME = re.compile(r"(?<=: )[^\s:.,!?]+")
_NAME_ENDS = " .,!?:"


def _shares(total: np.ndarray) -> np.ndarray:
    return total / max(1e-12, float(total.sum()))


@dataclass
class Turn:
    role: str  # "visitor", "model" or "note"
    ids: list[int]  # role token, text, end token

    @property
    def text_ids(self) -> list[int]:
        return self.ids[1:-1] if self.ids and self.ids[-1] == END else self.ids[1:]


@dataclass
class ReplyInfo:
    """What the last reply did besides its text."""

    text: str = ""
    replaced: list[tuple[int, str]] = field(default_factory=list)  # visitor characters shown as unknown
    cut: int = 0  # visitor characters cut because the message was longer than the window allows
    dropped: list[Turn] = field(default_factory=list)  # turns that fell out of the window
    attention: np.ndarray | None = None  # per context token: share of attention while replying (see _read_by_newest)
    name: str = ""  # the name in the reply (the first word after "the books: "), if any
    name_attention: np.ndarray | None = None  # per context token: share of attention while writing `name`
    tokens: int = 0  # tokens generated
    truncated: bool = False  # the reply ran on (past MAX_REPLY, or round a loop) and was cut
    context_tokens: int = 0  # tokens reread to write it
    flops: int = 0  # forward FLOPs spent writing it (`GPT.cached_flops` of every token run through the model)


def _runaway(text: str) -> bool:
    """Whether `text` ends in RUNAWAY characters that repeat one unit of 1 to 4 characters."""
    tail = text[-RUNAWAY:]
    return len(tail) == RUNAWAY and any(tail == (tail[:n] * RUNAWAY)[:RUNAWAY] for n in range(1, 5))


def weights_fingerprint(model: torch.nn.Module) -> str:
    """SHA-256 over every weight's name, shape, dtype and bytes, in a fixed order."""
    h = hashlib.sha256()
    for name, t in sorted(model.state_dict().items()):
        a = t.detach().cpu().contiguous().numpy()
        h.update(f"{name}:{a.dtype}:{a.shape};".encode())
        h.update(a.tobytes())
    return h.hexdigest()


@contextmanager
def single_thread():
    """Run replies on one thread: a reply is a chain of tiny operations, one token at a time, where a
    second thread only adds waiting (and on a 2-core machine fights the trainer for a core)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


class Engine:
    def __init__(self, model: GPT, tok: Tokenizer, seed: int = 0):
        self.model = copy.deepcopy(model).eval()
        self.model.requires_grad_(False)
        self._decoder = Decoder(self.model)
        self.tok = tok
        self.block_size = model.config.block_size
        self.turns: list[Turn] = []
        self.dropped: list[Turn] = []
        self.last = ReplyInfo()
        self._gen = torch.Generator().manual_seed(seed)
        self._allowed = torch.zeros(model.config.vocab_size)  # added to the logits before picking
        self._allowed[:END] = float("-inf")
        self._caches: list[dict] = []  # per layer: keys, values and recent inputs of the context
        self._cached = 0  # how many context tokens the caches hold
        self._reset_cache()

    # --- the conversation -------------------------------------------------------------------------
    @property
    def context(self) -> list[int]:
        return [t for turn in self.turns for t in turn.ids]

    def new_conversation(self, note: str | None = None) -> None:
        """Forget the conversation (the weights stay as they are); optionally paste a memory note."""
        self.turns, self.dropped, self.last = [], [], ReplyInfo()
        self._reset_cache()
        if note:
            ids = self.tok.encode(NOTE_PREFIX + note)[: self.block_size // 2]
            self.turns.append(Turn("note", [ROLE_TOKEN["note"], *ids, END]))

    def fingerprint(self) -> str:
        return weights_fingerprint(self.model)

    # --- replying ---------------------------------------------------------------------------------
    def reply(self, text: str, max_tokens: int = MAX_REPLY, temperature: float = 0.0,
              attention: bool = True) -> Iterator[str]:
        """Add the visitor's `text` to the conversation and yield the model's reply a character at a time."""
        enc = self.tok.encode_with_report(text)
        max_tokens = max(1, min(max_tokens, self.block_size // 2))  # a small window keeps room to read
        limit = self.block_size - max_tokens - 3
        info = self.last = ReplyInfo(replaced=enc.replaced, cut=max(0, len(enc.ids) - limit))
        self.turns.append(Turn("visitor", [ROLE_TOKEN["visitor"], *enc.ids[:limit], END]))
        self.turns.append(Turn("model", [MODEL]))
        info.dropped = self._fit(min(max_tokens, REPLY_ROOM))
        self.dropped.extend(info.dropped)
        self.model.set_record_attention(attention)
        att_sum = torch.zeros(self.block_size, dtype=torch.float64) if attention else None
        name_sum = torch.zeros(self.block_size, dtype=torch.float64) if attention else None
        reply_turn = self.turns[-1]
        try:
            logits = self._advance()
            for _ in range(max_tokens):
                read = self._read_by_newest() if attention else None
                nxt = self._pick(logits, temperature)
                if read is not None:
                    att_sum[: read.shape[0]] += read
                    if self._in_first_name(info.text, self.tok.token_text(nxt)):
                        name_sum[: read.shape[0]] += read
                reply_turn.ids.append(nxt)
                if nxt == END:
                    break
                info.tokens += 1
                ch = self.tok.token_text(nxt)
                info.text += ch
                yield ch
                if len(reply_turn.ids) == max_tokens or _runaway(info.text):  # cut it: close the turn ourselves
                    reply_turn.ids.append(END)
                    info.truncated = True
                    break
                gone = self._fit(1)  # the window is full: the oldest turns drop now, the reply goes on
                if gone:
                    info.dropped.extend(gone)
                    self.dropped.extend(gone)
                    n = sum(len(t.ids) for t in gone)
                    for total in (att_sum, name_sum):  # what was read keeps its token as positions shift
                        if total is not None:
                            total[:-n] = total[n:].clone()
                            total[-n:] = 0
                logits = self._advance()
        finally:
            self.model.set_record_attention(False)
            if reply_turn.ids[-1] != END:  # the caller stopped early: close the turn
                reply_turn.ids.append(END)
        info.context_tokens = len(self.context)
        if att_sum is not None:  # one share per context token; the reply's last tokens were never read
            info.attention = _shares(att_sum[: info.context_tokens].numpy())
            m = _FIRST_NAME.search(info.text)
            if m is not None and name_sum.any():
                info.name, info.name_attention = m.group(0), _shares(name_sum[: info.context_tokens].numpy())
        self.last = info

    def reply_text(self, text: str, **kw) -> str:
        return "".join(self.reply(text, **kw))

    # --- internals --------------------------------------------------------------------------------
    def _fit(self, room: int) -> list[Turn]:
        """When the context plus `room` outgrows the window, drop whole turns from the oldest end until it
        fills at most KEEP of it. What stays is reread once, as positions moved; the replies after read on
        from the cache until the window is full again. Dropping only what the next reply needs would
        reread the whole window at every reply of a long conversation (llama.cpp discards half)."""
        if len(self.context) + room <= self.block_size:
            return []
        dropped = []
        while len(self.context) + room > int(self.block_size * KEEP) and len(self.turns) > 2:
            dropped.append(self.turns.pop(0))
        if dropped:
            self._reset_cache()
        return dropped

    def _reset_cache(self) -> None:
        self._caches = [{} for _ in self.model.h]
        self._cached = 0

    def _advance(self) -> torch.Tensor:
        """Run the context tokens the cache has not seen; logits for the next token."""
        ctx = self.context
        new = ctx[self._cached:]
        self.last.flops += self.model.cached_flops(self._cached, len(new))
        with torch.inference_mode():
            if len(new) == 1 and self._cached:  # one generated character: the lean path
                logits = self._decoder(new[0], self._caches, self._cached)
            else:
                logits = self.model(torch.tensor([new], dtype=torch.long), caches=self._caches, pos=self._cached)[0][0, -1]
        self._cached = len(ctx)
        return logits

    def _read_by_newest(self) -> torch.Tensor:
        """What the newest token read to write the next one: per context token, the strongest attention
        any head of any layer paid it. Most heads look at the last few characters whatever is written;
        the head that copies a name looks hard at the letter it copies, and a sum would drown it."""
        rows = [m[0, :, -1, :] for m in self.model.attention_maps()]  # per layer (nh, Tk)
        return torch.cat(rows).amax(dim=0)

    @staticmethod
    def _in_first_name(written: str, ch: str) -> bool:
        """Whether `ch`, written after `written`, is a character of the reply's name (see _FIRST_NAME)."""
        at = written.find(": ")
        return at >= 0 and ch not in _NAME_ENDS and not any(c in _NAME_ENDS for c in written[at + 2:])

    def _pick(self, logits: torch.Tensor, temperature: float) -> int:
        logits = logits + self._allowed  # no padding, roles or unknown marks in a reply, but its end
        if temperature <= 0:
            return int(logits.argmax())
        probs = torch.softmax(logits / temperature, dim=-1)
        return int(torch.multinomial(probs, 1, generator=self._gen))
