"""Fixtures for model tests: a tiny random model, and the shipped one."""

import pytest
import torch

from model import checkpoint
from model.gpt import GPT, GPTConfig
from model.tokenizer import Tokenizer
from resources import shipped_checkpoint


@pytest.fixture
def tok():
    return Tokenizer()


@pytest.fixture
def tiny(tok):
    torch.manual_seed(0)
    return GPT(GPTConfig(vocab_size=tok.vocab_size, block_size=96, n_layer=2, n_head=2, n_embd=32))


@pytest.fixture(scope="session")
def shipped():
    return checkpoint.load(shipped_checkpoint())
