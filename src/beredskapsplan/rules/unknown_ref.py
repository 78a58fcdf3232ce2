"""A reference to an id (or level) that does not exist.

References are ids: role holders name people from annex A, `owner`,
`call_order`, `staff` and step `who` name roles, card `contacts` name people or
partners, and `level` names a number from the plan's `levels`. A reference to
nothing is reported with the closest existing id of the right kind.

Fix: correct the id, or add the missing entry.

    roles:
      - id: borgmester
        holders: [anna-jensen, per-hansn]   # reported: did you mean 'per-hansen'?
"""
from __future__ import annotations

from .base import hit

import difflib

ID = "unknown-ref"
SEVERITY = "error"
SCOPE = "plan"
SUMMARY = "a reference to an id or level that does not exist"


def check(ctx):
    plan = ctx.plan
    for ref in plan.refs:
        if ref.id in plan.ids:
            continue
        candidates = [i for i, found in plan.ids.items() if found[0].KIND in ref.kinds]
        close = difflib.get_close_matches(ref.id, candidates, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        kinds = " or ".join(sorted(ref.kinds))
        yield hit(ref.src, f"{ref.what} '{ref.id}' refers to no {kinds} in this plan{hint}")
    levels = plan.level_numbers
    for ref in plan.level_refs:
        if ref.level not in levels:
            known = ", ".join(str(n) for n in sorted(levels)) or "none"
            yield hit(ref.src, f"{ref.what} {ref.level} is not one of the plan's levels ({known})")
