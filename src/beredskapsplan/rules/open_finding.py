"""An exercise finding past its due date and not closed.

Findings from exercises are the lessons a municipality promised itself to
learn. Each finding with a `due` date in the past and no `closed` date is
reported at the finding, naming its owner.

Fix: do the work and set `closed:`, or agree a new `due` date.

    findings:
      - {id: f-2024-1, text: Varslingslisten manglet stedfortredere,
         owner: beredskapskoordinator, due: 2025-03-01}      # reported after 2025-03-01
"""
from __future__ import annotations

from ..i18n import _
from .base import hit

ID = "open-finding"
SEVERITY = "warning"
SCOPE = "file"
SUMMARY = "an exercise or incident finding past its due date and not closed"


def check(ctx):
    for exercise in ctx.plan.events:
        for finding in exercise.findings:
            if finding.closed is None and finding.due is not None and finding.due < ctx.today:
                values = dict(id=finding.id, event=exercise.title, day=finding.due)
                yield hit(finding.src.child("due"), _(
                    "the finding '{id}' from '{event}' was due on {day} and is not closed "
                    "(responsible: {owner}); write `closed:` with the date it was dealt with, "
                    "or set a new `due:` date", owner=finding.owner.id, **values)
                    if finding.owner else _(
                    "the finding '{id}' from '{event}' was due on {day} and is not closed; "
                    "write `closed:` with the date it was dealt with, or set a new `due:` date",
                    **values))
