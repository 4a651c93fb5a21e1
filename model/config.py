"""The model's and the training's settings, and the limits a model file's numbers must keep: no torch
here, so that a command line can check its options before it imports any (seconds on a classroom machine)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class GPTConfig:
    vocab_size: int = 101
    block_size: int = 384  # the context window, in tokens: both partners corrected in a visitor's words fit
    n_layer: int = 4  # the shipped model's size (the live scene trains a smaller one: LIVE_MODEL)
    n_head: int = 4
    n_embd: int = 96
    canon_kernel: int = 4  # characters each query and key sees (the canon layer's width)
    qk_norm: int = 16  # queries and keys normalised, this the largest attention score (0: neither, as GPT-2)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class TrainConfig:
    seed: int = 1
    batch_size: int = 5  # conversations a step, of up to 374 characters: as many characters as 8 of up to 246
    lr: float = 6e-3
    min_lr: float = 6e-4
    warmup_steps: int = 100
    decay_steps: int = 42000  # cosine from lr to min_lr over these steps, then constant (the shipped run's)
    weight_decay: float = 0.01
    grad_clip: float = 1.0
    trainable: str = "all"  # "all" or "mlp": which weights the optimiser may move
    average: float = 0.995  # decay of a running average of the weights (0: none); see Trainer.evaluated_model
    mix: str = "visitor"  # the corpus: "visitor" (the shipped model's) or "story" (the live scene's); see model.corpus
    train_window: int = 0  # characters the training conversations fill (0: the model's whole window)
    muon_lr: float = 0.0  # peak learning rate of Muon for the attention's matrices (0: AdamW moves every weight)


# What a model file's config may hold: beyond these it is not a model of this exhibit (nor one to build).
LIMITS = {"n_layer": (1, 16), "n_head": (1, 32), "n_embd": (8, 1024), "block_size": (8, 4096),
          "canon_kernel": (1, 16), "vocab_size": (7, 1024), "qk_norm": (0, 64)}


# The live scene's run: what the window trains from random weights while a visitor watches. It learns the
# story's few phrasings (the "story" mix) and is checked on them; the shipped model (`make model`) learns the
# visitor's own words and takes its time. `python -m model train --live` is this run.
# It trains on conversations of up to 256 characters and reads 320: in 256 the story, told as its check tells
# it (both partners corrected, then both asked), often lost a correction from the window (BENCHMARKS.md).
# QK-norm (every model's default since the ninth shipped model): a single correction and the whole story
# come hundreds of steps sooner (BENCHMARKS.md). Two heads of 32 channels, not four of 16: a query and a key
# hold more of the characters before them, and a name is copied whole a hundred or two steps sooner.
LIVE_MODEL = GPTConfig(n_layer=3, n_head=2, n_embd=64, block_size=320, qk_norm=16)
# Muon moves the attention's matrices: a single correction comes hundreds of steps sooner (BENCHMARKS.md).
LIVE_TRAIN = TrainConfig(mix="story", decay_steps=12000, batch_size=8,  # 8 learns the story sooner than 16
                         train_window=256, muon_lr=0.02)
