"""A progress bar on the terminal for runs over many plans, where people wait.

Shown on stderr, and only where a person watches: stderr is a terminal, the
output is for people (not json, sarif, …), `CI` is not set, and the run has
lasted half a second — a pre-commit check of one plan never flickers. Never in
pipes, CI logs or machine formats.
"""
from __future__ import annotations

import os
import sys
import time

DELAY = 0.5  # seconds before the bar appears


def wanted(for_people: bool, stream=None, environ=None) -> bool:
    stream = sys.stderr if stream is None else stream
    env = os.environ if environ is None else environ
    return (for_people and stream.isatty() and not env.get("CI")
            and env.get("TERM") != "dumb")


class Progress:
    """`progress(done)` after each finished item; `close()` at the end (or use `with`)."""

    def __init__(self, total: int, label: str, enabled: bool):
        self.total = total
        self.label = label
        self.enabled = enabled and total > 1
        self.started = time.monotonic()
        self._bar = None
        self._task = None

    def __call__(self, done: int) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            if time.monotonic() - self.started < DELAY:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, \
                TextColumn, TimeRemainingColumn

            self._bar = Bar(TextColumn("{task.description}"), BarColumn(),
                            MofNCompleteColumn(), TimeRemainingColumn(),
                            console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total)
        self._bar.update(self._task, completed=done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()
