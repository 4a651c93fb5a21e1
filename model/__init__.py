"""Marginalia's model: everything the exhibit computes, with no Qt in it.

A character-level transformer (`gpt`), the world and corpus it learns from (`corpus`), the trainer
(`trainer`), the frozen inference engine (`engine`), teaching by fine-tuning (`teach`), the story
figures (`evaluate`) and checkpoints (`checkpoint`). `python -m model --help` is the command line.
"""
