"""A generated block shown by more than one section.

A section's `shows` puts a block made from the plan's data (the levels, the
roles, the crisis staffs, the call order, the exercises, the change log, the
register of sub-plans, the partners) at the end of its text. Each block is
printed once, in the first section that shows it; a second section that names
it would print nothing there, which is rarely what its author meant.

Fix: keep the block in one section and refer to it from the other with a
cross-reference, e.g. `se [](#beredskabsniveauer)`.

    sections:
      - id: beredskabsniveauer
        shows: [levels]
      - id: aktivering
        shows: [levels, activation]   # reported: levels is already shown by 'beredskabsniveauer'
"""
from __future__ import annotations

from ..i18n import _
from .base import hit

ID = "duplicate-shows"
SEVERITY = "error"
SCOPE = "plan"
SUMMARY = "a generated block (shows) named by more than one section"


def check(ctx):
    first: dict[str, object] = {}
    for section in ctx.plan.all_sections():
        for i, block in enumerate(section.shows):
            if block not in first:
                first[block] = section
                continue
            other = first[block]
            yield hit(section.src.child("shows", i),
                      _("'{block}' is already shown by section '{section}'; a generated block "
                        "is shown by one section only", block=block,
                        section=other.id or other.title or "?"))
