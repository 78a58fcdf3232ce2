"""A reference to an id (or level) that does not exist.

References are ids: role holders name people from annex A, `owner`,
`call_order`, `staff` and step `who` name roles, card `contacts` name people or
partners, and `level` names a number from the plan's `levels`. A reference to
nothing is reported with the closest existing id of the right kind.

While an annex file cannot be read (see `yaml-syntax`, `missing-file`,
`unsafe-path`), references to people, partners, resources and cards are not
judged: the missing entry may be in that file.

Fix: correct the id, or add the missing entry.

    roles:
      - id: borgmester
        holders: [anna-jensen, per-hansn]   # reported: did you mean 'per-hansen'?
"""
from __future__ import annotations

from ..documents import readable
from ..i18n import _
from .base import hit, one_of

import difflib

ID = "unknown-ref"
SEVERITY = "error"
SCOPE = "plan"
SUMMARY = "a reference to an id or level that does not exist"


# kinds defined in plan.yaml itself; everything else lives in an annex file
PLAN_KINDS = frozenset({"role", "staff", "section", "exercise finding"})


def check(ctx):
    plan = ctx.plan
    # an annex that could not be read may hold the target: say nothing rather than guess
    annex_unreadable = bool(ctx.path_issues) or any(
        not readable(doc) for doc in plan.documents[1:])
    for ref in plan.refs:
        if ref.id in plan.ids or (annex_unreadable and ref.kinds - PLAN_KINDS):
            continue
        candidates = [i for i, found in plan.ids.items() if found[0].KIND in ref.kinds]
        close = difflib.get_close_matches(ref.id, candidates, n=1, cutoff=0.6)
        values = dict(what=ref.what, id=ref.id, kinds=one_of(ref.kinds))
        yield hit(ref.src, _("{what} '{id}' is not the id of {kinds} in this plan; did you "
                             "mean '{close}'?", close=close[0], **values) if close
                  else _("{what} '{id}' is not the id of {kinds} in this plan; check the "
                         "spelling, or add it", **values))
    levels = plan.level_numbers
    for ref in plan.level_refs:
        if ref.level not in levels:
            values = dict(what=ref.what, level=ref.level)
            yield hit(ref.src, _("{what} {level} is not one of the plan's levels ({known}); "
                                 "use one of them, or add the level under `levels:`",
                                 known=[str(n) for n in sorted(levels)], **values) if levels
                      else _("{what} {level} is not one of the plan's levels: the plan has "
                             "none; add it under `levels:`", **values))
