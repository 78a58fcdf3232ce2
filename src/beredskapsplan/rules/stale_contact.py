"""An entry not verified within `contacts_verify_every`.

People leave, change numbers and swap phones; a number last checked two years
ago is a guess. Every person (annex A), resource (B) and partner (D) carries
`verified:` (or inherits the file's `verified:`), the date someone last
checked it. An entry older than the plan's `policy.contacts_verify_every`
(default: the jurisdiction's, else P6M) or never verified is reported.
`beredskap due` lists when each check falls due.

Fix: check the entry and set `verified:` to today's date.
"""
from __future__ import annotations

from ..dates import subtract
from ..policy import interval
from .base import hit

ID = "stale-contact"
SEVERITY = "warning"
SCOPE = "file"
SUMMARY = "a person, resource or partner not verified within contacts_verify_every"


def check(ctx):
    plan = ctx.plan
    every = interval(plan, ctx.jurisdiction, "contacts_verify_every")
    oldest = subtract(ctx.today, every.duration)
    for entry in (*plan.people, *plan.resources, *plan.partners):
        name = getattr(entry, "name", None) or entry.id
        if entry.verified is None:
            # a bad date, or a person without one, is the schema rule's business
            if entry.verified_src is None and entry.KIND != "person":
                yield hit(entry.src, f"{name} has never been verified; add `verified:` with the "
                                     "date the entry was last checked")
        elif entry.verified < oldest:
            yield hit(entry.verified_src, f"{name} was last verified on "
                      f"{entry.verified.isoformat()}, more than {every.text} ago "
                      f"({every.source})")
