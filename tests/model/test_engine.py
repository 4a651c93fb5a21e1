"""The frozen engine: replies stream from the context, and no amount of talking moves a weight."""

import random

import pytest

from model.engine import KEEP, MAX_REPLY, RUNAWAY, Engine, _runaway, weights_fingerprint
from model.tokenizer import END, UNKNOWN_CHAR


def _junk(rng: random.Random) -> str:
    kinds = [
        lambda: "".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(0, 40))),
        lambda: "who does the books?",
        lambda: "no, Mara does the books.",
        lambda: "🙂" * rng.randint(1, 500),
        lambda: "\x00\n\r\t" * rng.randint(1, 30),
        lambda: "x" * rng.randint(0, 3000),
        lambda: "",
    ]
    return rng.choice(kinds)()


def test_a_thousand_random_conversations_change_no_weight(tiny, tok):
    engine = Engine(tiny, tok)
    before = weights_fingerprint(engine.model)
    trained_before = weights_fingerprint(tiny)
    rng = random.Random(0)
    for i in range(1000):
        if i % 3 == 0:
            engine.new_conversation(note="Mara does the books." if i % 2 else None)
        engine.reply_text(_junk(rng), max_tokens=rng.choice((1, 4, 12)), temperature=rng.choice((0.0, 1.0)),
                          attention=i % 10 == 0)
    assert weights_fingerprint(engine.model) == before == engine.fingerprint()
    assert weights_fingerprint(tiny) == trained_before  # nor those of the model it was copied from
    assert all(not p.requires_grad for p in engine.model.parameters())


def test_the_engine_holds_its_own_copy(tiny, tok):
    engine = Engine(tiny, tok)
    before = engine.fingerprint()
    with __import__("torch").no_grad():
        next(tiny.parameters()).add_(1.0)  # the trainer moving its model...
    assert engine.fingerprint() == before  # ...does not move the engine's


def test_the_conversation_grows_and_a_fresh_one_is_empty(tiny, tok):
    engine = Engine(tiny, tok)
    engine.reply_text("hello", max_tokens=5)
    n1 = len(engine.context)
    engine.reply_text("again", max_tokens=5)
    assert len(engine.context) > n1
    assert [t.role for t in engine.turns] == ["visitor", "model", "visitor", "model"]
    engine.new_conversation()
    assert engine.context == []


def test_outgrowing_the_window_drops_the_oldest_turns_and_says_so(tiny, tok):
    engine = Engine(tiny, tok)  # a 96-token window
    for i in range(12):
        engine.reply_text(f"message number {i}", max_tokens=8)
        assert len(engine.context) <= tiny.config.block_size
    assert engine.dropped, "nothing was reported dropped"
    assert tok.decode(engine.dropped[0].text_ids) == "message number 0"
    assert "message number 11" in tok.decode(engine.context)


def test_a_long_conversation_rereads_its_window_seldom_and_reads_on_from_the_cache_between(tok):
    """A full window drops down to three quarters: the replies after read on from the cache. Dropping only
    what the next reply needs made every reply of a long conversation reread the whole window (8x the work)."""
    from model.gpt import GPT, GPTConfig

    engine = Engine(GPT(GPTConfig(vocab_size=tok.vocab_size, block_size=384, n_layer=1, n_head=2, n_embd=16)), tok)
    engine._allowed[END] = float("-inf")  # every reply takes its 8 tokens: each exchange the same size
    rereads, after_drop = 0, []
    for i in range(120):
        engine.reply_text("who does the books?" if i % 2 else "no, Mara does the books.", max_tokens=8)
        if engine.last.dropped:
            rereads += 1
            after_drop.append(len(engine.context) - len(engine.turns[-1].ids) - len(engine.turns[-2].ids))
    assert len(engine.dropped) > 150, "the conversation never outgrew the window"
    assert rereads <= 120 // 3, f"{rereads} of 120 replies reread what the window held"
    assert after_drop and max(after_drop) <= 384 * KEEP  # what stayed of the older turns


def test_nothing_drops_while_the_window_has_room_for_a_reply(tiny, tok):
    """Turns drop only when the window is full, not to keep room for the longest reply there could be."""
    engine = Engine(tiny, tok)  # a 96-token window
    engine._allowed[:END] = 0.0
    engine._allowed[END + 1:] = float("-inf")  # a model that ends every reply at once
    engine.reply_text("x" * 30)
    engine.reply_text("who does the books?")
    assert len(engine.context) + MAX_REPLY > tiny.config.block_size  # no room for the longest reply...
    assert not engine.dropped and not engine.last.dropped  # ...but it did not need it


def test_a_reply_that_outgrows_the_window_drops_the_oldest_turns_as_it_goes(tiny, tok):
    engine = Engine(tiny, tok)  # a 96-token window
    engine._allowed[END] = float("-inf")  # a model that never ends a reply: each takes all it may
    engine.reply_text("x" * 20, max_tokens=8)
    first = engine.turns[0]
    reply = engine.reply("y" * 20)
    text = next(reply)
    assert engine.turns[0] is first and not engine.dropped  # written into the room the window had
    text += "".join(reply)
    assert len(text) == tiny.config.block_size // 2 - 1
    assert engine.last.dropped and engine.last.dropped[0] is first and engine.dropped[0] is first
    assert len(engine.context) <= tiny.config.block_size
    att = engine.last.attention
    assert len(att) == len(engine.context) and abs(att.sum() - 1) < 1e-9


def test_junk_is_cut_and_marked(tiny, tok):
    engine = Engine(tiny, tok)
    engine.reply_text("é" * 10 + "a" * 100_000, max_tokens=4)
    assert engine.last.cut > 0
    assert len(engine.last.replaced) == 10
    assert UNKNOWN_CHAR in tok.decode(engine.turns[0].text_ids)
    assert len(engine.context) <= tiny.config.block_size


def test_attention_covers_the_context(tiny, tok):
    engine = Engine(tiny, tok)
    engine.reply_text("who does the books?", max_tokens=6)
    att = engine.last.attention
    assert att is not None and abs(att.sum() - 1) < 1e-6
    assert len(att) == len(engine.context)


def test_greedy_replies_repeat_and_sampling_is_seeded(tiny, tok):
    a, b = Engine(tiny, tok, seed=3), Engine(tiny, tok, seed=3)
    assert a.reply_text("hi", max_tokens=10) == b.reply_text("hi", max_tokens=10)
    assert a.reply_text("hi", temperature=1.0, max_tokens=10) == b.reply_text("hi", temperature=1.0, max_tokens=10)


@pytest.mark.parametrize("qk_norm", [0, 12])  # the shipped model's attention, and the live scene's
def test_the_one_token_path_computes_what_the_whole_model_does(tok, qk_norm):
    import torch

    from model.gpt import GPT, Decoder, GPTConfig

    torch.manual_seed(3)
    model = GPT(GPTConfig(vocab_size=tok.vocab_size, block_size=64, qk_norm=qk_norm)).eval()
    with torch.no_grad():  # canon and smear start at zero: give them something to get wrong
        for p in model.parameters():
            p.add_(0.3 * torch.randn_like(p))
    ids = torch.randint(0, tok.vocab_size, (1, 40))
    with torch.inference_mode():
        full, _ = model(ids)
        caches = [{} for _ in model.h]
        model(ids[:, :25], caches=caches)
        model.set_record_attention(True)
        decode = Decoder(model)
        for t in range(25, 40):
            step = decode(int(ids[0, t]), caches, t)
            assert torch.allclose(step, full[0, t], atol=1e-4), t
            att = model.attention_maps()[0]
            assert att.shape == (1, model.config.n_head, 1, t + 1)
            assert torch.allclose(att.sum(-1), torch.ones(1, model.config.n_head, 1))


def test_recording_attention_changes_no_reply_and_keeps_what_the_newest_token_read(tok):
    """The window records attention and the evaluation does not: both must read the same replies."""
    import torch

    from model.gpt import GPT, GPTConfig

    torch.manual_seed(4)
    model = GPT(GPTConfig(vocab_size=tok.vocab_size, block_size=64)).eval()
    ids = torch.randint(0, tok.vocab_size, (1, 30))
    with torch.inference_mode():
        plain, _ = model(ids)
        model.set_record_attention(True)
        recorded, _ = model(ids)
        att = model.attention_maps()
    assert torch.equal(plain, recorded)
    assert len(att) == model.config.n_layer and all(a.shape == (1, model.config.n_head, 1, 30) for a in att)
    assert torch.allclose(att[0].sum(-1), torch.ones(1, model.config.n_head, 1))


def test_attention_after_a_reply_is_one_share_per_context_token(tiny, tok):
    engine = Engine(tiny, tok)
    engine.reply_text("who does the books?", max_tokens=6)
    engine.reply_text("no, Mara does the books.", max_tokens=6)
    att = engine.last.attention
    assert att is not None and len(att) == engine.last.context_tokens == len(engine.context)
    assert abs(att.sum() - 1.0) < 1e-9 and (att >= 0).all()


@pytest.mark.parametrize("qk_norm", [0, 12])
def test_prompt_after_generated_tokens_continues_the_same_cache(tok, qk_norm):
    """Reply, then a visitor turn of several tokens, then reply again: both paths share one cache."""
    import torch

    from model.gpt import GPT, Decoder, GPTConfig

    torch.manual_seed(4)
    model = GPT(GPTConfig(vocab_size=tok.vocab_size, block_size=64, qk_norm=qk_norm)).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.3 * torch.randn_like(p))
    ids = torch.randint(0, tok.vocab_size, (1, 50))
    decode = Decoder(model)
    with torch.inference_mode():
        full, _ = model(ids)
        caches = [{} for _ in model.h]
        model(ids[:, :10], caches=caches)
        for t in range(10, 20):
            decode(int(ids[0, t]), caches, t)
        after, _ = model(ids[:, 20:30], caches=caches, pos=20)
        assert torch.allclose(after[0], full[0, 20:30], atol=1e-4)
        assert torch.allclose(decode(int(ids[0, 30]), caches, 30), full[0, 30], atol=1e-4)


def test_a_small_window_still_replies_within_it(tok):
    """A model trained with `--block-size 64` talks too: a reply never outgrows the window."""
    from model.gpt import GPT, GPTConfig

    engine = Engine(GPT(GPTConfig(vocab_size=tok.vocab_size, block_size=64, n_layer=1, n_head=2, n_embd=16)), tok)
    for text in ("who does the books?", "x" * 500, "no, Mara does the books."):
        engine.reply_text(text, temperature=1.0)
        assert len(engine.context) <= 64


def test_a_reply_counts_the_forward_flops_of_every_token_it_runs(shipped):
    engine = Engine(shipped.model, shipped.tokenizer)
    model = shipped.model
    engine.reply_text("who does the books?")
    run = len(engine.context) - 1  # every token but the closing <end>, which is picked and never run
    assert engine.last.flops == sum(model.flops_per_token(p + 1) for p in range(run))
    cached = len(engine.context) - 1
    engine.reply_text("no, Mara does the books.")  # with the cache: only the tokens not yet run are run
    run = len(engine.context) - 1 - cached
    assert engine.last.flops == sum(model.flops_per_token(cached + p + 1) for p in range(run)) > 0


def test_a_reply_that_runs_round_a_loop_is_cut_there_and_marked(tiny, tok):
    engine = Engine(tiny, tok)
    engine._allowed[:] = float("-inf")
    engine._allowed[tok.encode("v")[0]] = 0.0  # a model that can only say "vvvv…"
    text = engine.reply_text("who does the books?")
    assert text == "v" * RUNAWAY and engine.last.truncated
    assert engine.turns[-1].ids[-1] == END  # the turn is closed: the next one reads a whole reply


def test_a_reply_that_ends_by_itself_is_not_marked_cut(shipped):
    engine = Engine(shipped.model, shipped.tokenizer)
    assert engine.reply_text("who does the books?").startswith("the books:")
    assert not engine.last.truncated


def test_no_reply_runs_past_the_cap(tiny, tok):
    engine = Engine(tiny, tok)
    engine._allowed[END] = float("-inf")  # a model that never ends a reply
    rng = random.Random(7)
    for _ in range(30):
        text = engine.reply_text(_junk(rng), temperature=1.0)
        assert len(text) < MAX_REPLY and engine.last.truncated


@pytest.mark.parametrize("text, runaway", [("ok, kovvrvrvrvrvrvr", True), ("IwIwIwIwIwIwIw", True),
                                           ("Rnooooooooooooo", True), ("ok, the books: Abcdefghijkl.", False),
                                           ("ok, the books: Kezra. the shop: Ulo.", False)])
def test_what_counts_as_running_round_a_loop(text, runaway):
    assert _runaway(text) is runaway
