"""The model process's side of the protocol: one dispatcher, one activity at a time, saving whenever asked.

`ModelServer.serve` reads commands until the window goes (its end of the pipe closes). `handle`
picks a method by the command's type: `Prepare`, `Train` and `Talk` start an activity (ending the one
that runs, if the window has not); `Stop` ends it with its last word; the commands of training and of
talk go to the activity that runs, and a late one for an activity that has ended means nothing; `Save`
works whatever runs. Between commands, a training run takes its steps (`TrainingRun.tick`).
"""

from __future__ import annotations

import functools
from typing import Callable

from . import models
from .frames import FrameSlot
from .protocol import (Ask, Compare, Load, NewConversation, Pause, Prepare, PrepareFailed, Problem, ProblemKind,
                       Restore, Run, Save, Saved, SaveFailed, Speed, Step, Stop, Talk, TalkEnded, Teach, Train,
                       TrainingEnded)
from .talk import TalkRun
from .training import TrainingRun


class ModelServer:
    def __init__(self, conn, lock, threads: int = 1):
        self.conn, self.lock, self.threads = conn, lock, threads
        self.training: TrainingRun | None = None
        self.talk: TalkRun | None = None

    def send(self, message) -> None:
        self.conn.send(message)

    def serve(self) -> None:
        """Until the window goes, perhaps without a word: then nobody is left to answer."""
        try:
            while True:
                run = self.training
                if self.conn.poll(run.wait_time() if run is not None else None):
                    self.handle(self.conn.recv())
                elif run is not None:
                    self._guarded(run.tick)
        except (EOFError, OSError):  # its end closed, perhaps halfway through a command
            pass
        finally:
            self._end()

    # --- the dispatcher -------------------------------------------------------------------------
    @functools.singledispatchmethod
    def handle(self, cmd) -> None:
        """A command of a kind this server does not know: nothing to do."""

    @handle.register
    def _prepare(self, cmd: Prepare) -> None:
        self._end()
        try:
            self.send(models.prepare(cmd))
        except Exception as e:
            self.send(PrepareFailed(models.problem_of(e)))

    @handle.register
    def _train(self, cmd: Train) -> None:
        self._end()
        frames = FrameSlot.attach(cmd.frames, self.lock)
        try:
            self.training = TrainingRun(cmd, frames, self.send, self.threads)
        except Exception as e:
            frames.close()
            self.send(TrainingEnded(None, models.problem_of(e)))

    @handle.register
    def _talk(self, cmd: Talk) -> None:
        self._end()
        run = TalkRun(cmd.sources, self.send, self.threads, cmd.resume)
        if run.opened:
            self.talk = run
        else:
            self.send(TalkEnded(run.problem))

    @handle.register
    def _stop(self, cmd: Stop) -> None:
        self._end()

    @handle.register
    def _save(self, cmd: Save) -> None:
        try:
            self.send(Saved(str(models.save(cmd.path, cmd.weights, cmd.model_config, cmd.training))))
        except Exception as e:  # a full disk, a folder that cannot be made: said, never raised
            self.send(SaveFailed(models.problem_of(e, cmd.path)))

    # Training's commands go to the run, talk's to the conversation; each is one method there.
    @handle.register
    def _run(self, cmd: Run) -> None:
        self._training_does(TrainingRun.run, cmd)

    @handle.register
    def _pause(self, cmd: Pause) -> None:
        self._training_does(TrainingRun.pause, cmd)

    @handle.register
    def _step(self, cmd: Step) -> None:
        self._training_does(TrainingRun.step, cmd)

    @handle.register
    def _speed(self, cmd: Speed) -> None:
        self._training_does(TrainingRun.set_speed, cmd)

    @handle.register
    def _ask(self, cmd: Ask) -> None:
        self._talk_does(TalkRun.ask, cmd)

    @handle.register
    def _new_conversation(self, cmd: NewConversation) -> None:
        self._talk_does(TalkRun.new_conversation, cmd)

    @handle.register
    def _load(self, cmd: Load) -> None:
        self._talk_does(TalkRun.load, cmd)

    @handle.register
    def _restore(self, cmd: Restore) -> None:
        self._talk_does(TalkRun.load, cmd)

    @handle.register
    def _teach(self, cmd: Teach) -> None:
        self._talk_does(TalkRun.teach, cmd)

    @handle.register
    def _compare(self, cmd: Compare) -> None:
        self._talk_does(TalkRun.compare, cmd)

    def _training_does(self, method: Callable, cmd) -> None:
        if self.training is not None:  # else a late command for a run that has ended
            run = self.training
            self._guarded(lambda: method(run, cmd))

    def _talk_does(self, method: Callable, cmd) -> None:
        if self.talk is not None:
            talk = self.talk
            self._guarded(lambda: method(talk, cmd))

    # --- ending ---------------------------------------------------------------------------------
    def _guarded(self, work: Callable[[], None]) -> None:
        """Run the activity's `work`; if it fails, the activity ends and says why (a bug, or a loss
        that became infinite), handing back what it can."""
        try:
            work()
        except (EOFError, BrokenPipeError, ConnectionError):
            raise
        except Exception as e:
            self._end(models.problem_of(e))

    def _end(self, problem: Problem | None = None) -> None:
        """End the activity that runs with its last word; training hands back where it got to."""
        run, self.training = self.training, None
        if run is not None:
            try:
                final = run.finish()
            except Exception:
                final, problem = None, problem or Problem(ProblemKind.CRASH, "", "could not hand back the run")
            run.frames.close()
            self._send_last(TrainingEnded(final, problem))
        talk, self.talk = self.talk, None
        if talk is not None:
            self._send_last(TalkEnded(problem))

    def _send_last(self, message) -> None:
        try:
            self.send(message)
        except (EOFError, BrokenPipeError, ConnectionError, OSError):
            pass  # the window has gone
