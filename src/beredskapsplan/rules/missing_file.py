"""An annex path that does not exist.

Each entry of `annexes` in `plan.yaml` names a `file` or a `cards` folder,
relative to the plan folder. A path that does not exist (or is a folder where a
file is expected, or the other way round) is reported at the path.

Fix: correct the path, or create the file (`beredskap init` shows each kind).

    annexes:
      - {letter: A, title: Varslingsliste, file: vedlegg-a.yml}   # reported if only .yaml exists
"""
from __future__ import annotations

from .base import path_problems

ID = "missing-file"
SEVERITY = "error"
SCOPE = "folder"
SUMMARY = "an annex path that does not exist"


def check(ctx):
    return path_problems(ctx, ID)
