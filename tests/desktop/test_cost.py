"""Scene 6, the cost: the figures on screen are the model's own counts of what actually ran."""

import math

from desktop.control.cost import PUBLISHED, project, replies_to_overtake
from desktop.control.exhibit import Exhibit
from desktop.control.state import Mode, Panel
from desktop.scenes.cost import si
from model import checkpoint
from model.engine import Engine
from model.gpt import GPTConfig
from model.trainer import TrainConfig
from model.training import new_model
from resources import shipped_checkpoint

from .conftest import TINY_MODEL, TINY_TRAIN, enter_train, wait_idle

ASKED = ("who does the books?", "no, Mara does the books.", "who runs the shop?")


def test_the_replies_cost_is_what_the_engine_counts_and_survives_a_restart(qtbot, shipped_window, settings):
    w = shipped_window
    e = w.exhibit
    for text in ASKED:
        assert e.talk.ask(text)
        wait_idle(qtbot, e)
    shipped = checkpoint.load(shipped_checkpoint())
    engine = Engine(shipped.model, shipped.tokenizer)  # the same conversation, counted here
    flops = 0
    for text in ASKED:
        engine.reply_text(text)
        flops += engine.last.flops
    life = e.cost.life
    assert life.replies == 3 and life.flops == flops > 0 and life.cpu_seconds > 0
    w.actions_by_name["cost"].trigger()
    assert e.panel is Panel.COST and w.stack.currentWidget() is w.cost_panel
    panel = w.cost_panel
    assert si(shipped.meta["training"]["flops"]) in panel.training.text()
    if "cpu_seconds" not in shipped.meta["training"]:  # a file from before they were recorded: said, and estimated
        assert "an estimate" in panel.training.text() and "not the CPU-seconds" in panel.training.text()
    assert f"{life.replies:,} written" in panel.replies.text() and si(flops) in panel.replies.text()
    assert life.last_flops == engine.last.flops and f"the latest, {si(engine.last.flops)} FLOPs" in panel.replies.text()
    assert math.isclose(panel.overtake, shipped.meta["training"]["flops"] / (flops / 3))
    assert si(math.ceil(panel.overtake)) in panel.crossing.text()
    w.close()  # the next day: the counter goes on from where it was
    again = Exhibit(settings)
    assert again.cost.life.replies == 3 and again.cost.life.flops == flops
    again.shutdown()


def test_the_training_cost_of_the_live_model_is_the_trainers_count_for_the_steps_run(qtbot, exhibit):
    t, c = enter_train(qtbot, exhibit), exhibit.talk.conversation
    t.step_once()
    t.step_once()
    qtbot.waitUntil(lambda: t.live.counters.step == 2, timeout=30_000)
    exhibit.enter_talk()
    qtbot.waitUntil(lambda: c.is_open and c.model.kind == "live", timeout=30_000)
    _, trainer, _ = new_model(GPTConfig(**TINY_MODEL), TrainConfig(**TINY_TRAIN))
    records = list(trainer.run(2))
    assert c.model.flops == records[-1].flops > 0
    assert c.model.cpu_seconds > 0
    exhibit.show_panel(Panel.COST)
    assert exhibit.panel is Panel.COST and exhibit.mode is Mode.TALK
    exhibit.enter_train()
    assert exhibit.panel is Panel.CHAT  # the cost belongs to Talk


def test_the_projection_is_the_published_figures_arithmetic():
    gpt3 = PUBLISHED[0]
    p = project(gpt3, replies_per_day=10_000_000, tokens_per_reply=300)
    assert p.flops_per_reply == 2 * 175e9 * 300
    assert math.isclose(p.days, 3.14e23 / (2 * 175e9 * 300 * 10_000_000))
    assert project(gpt3, 0, 300).days == math.inf and replies_to_overtake(1e9, 0) == math.inf
