"""What both command lines (`python -m model`, `python -m desktop`) share: every error is one line."""

from __future__ import annotations

import argparse


class Parser(argparse.ArgumentParser):
    """argparse's parser, whose errors are one line, `error: …`, exit status 2 (argparse's own prints its
    usage first: lines a technician or a script must pick the reason out of). Its subcommands' parsers
    are of this class too (argparse makes them with the parser's own class)."""

    def error(self, message: str):
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")
