"""An annex path that leaves the repository, or a symlink loop.

Annex files may live in the plan folder, in sub-folders or in a shared folder
of the same repository (`../_shared/partnere.yaml`), but never outside the
repository root (the nearest folder above the plan with `beredskap.yaml` or
`.git`). A path that would leave it, directly, through `..` or through a
symlink, is reported and its target is never read: a plan from an untrusted
pull request must not make CI read other files on the machine.

Fix: move the file into the repository and use a relative path.

    annexes:
      - {letter: D, title: Partnere, file: ../../../etc/passwd}   # reported, not read
"""
from __future__ import annotations

from .base import path_problems

ID = "unsafe-path"
SEVERITY = "error"
SCOPE = "folder"
SUMMARY = "an annex path that leaves the repository root, or a symlink loop (never read)"


def check(ctx):
    return path_problems(ctx, ID)
