"""A YAML file in the plan folder that no annex uses.

A file that the plan does not list is never checked and never rendered, so an
edit to it changes nothing: usually a forgotten annex entry or a renamed file.
Files in sub-folders with their own `plan.yaml` belong to that plan and are not
reported.

Fix: add the file to `annexes` in `plan.yaml`, or delete it.
"""
from __future__ import annotations

from ..i18n import _
from .base import hit

from ..documents import Document, Location, display_path

ID = "unreferenced-file"
SEVERITY = "warning"
SCOPE = "folder"
SUMMARY = "a YAML file in the plan folder that no annex uses"


def check(ctx):
    for path in ctx.unreferenced:
        doc = Document(path=path, display=display_path(path))
        yield hit(Location(doc, 1, 1), _(
            "{name} is not used by any annex in plan.yaml; add it to `annexes:` or delete it",
            name=path.name))
