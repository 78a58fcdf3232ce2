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

from .base import hit

ID = "open-finding"
SEVERITY = "warning"
SCOPE = "file"
SUMMARY = "an exercise or incident finding past its due date and not closed"


def check(ctx):
    for exercise in ctx.plan.events:
        for finding in exercise.findings:
            if finding.closed is None and finding.due is not None and finding.due < ctx.today:
                owner = f" (owner: {finding.owner.id})" if finding.owner else ""
                yield hit(finding.src.child("due"), (
                    f"finding '{finding.id}' from '{exercise.title}' was due "
                    f"{finding.due.isoformat()} and is not closed{owner}"))
