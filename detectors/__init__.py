"""Detectors: pure functions of a read-only repo view, returning facts with their sources.

One module per stack, each with ``detect(repo) -> <Stack>Facts | None`` (None: not this stack).
Which detectors exist, and in which order they run, is the stack registry's business
(``generator/stacks.py``); nothing here lists the stacks.
"""
