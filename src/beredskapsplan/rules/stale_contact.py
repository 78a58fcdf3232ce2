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
from ..i18n import _
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
                yield hit(entry.src, _("{name} has never been verified; check the entry and "
                                       "add `verified:` with the date you did", name=name))
        elif entry.verified < oldest:
            yield hit(entry.verified_src, _(
                "{name} was last verified on {day}, more than {every} ago ({source}); check "
                "the entry and write today's date in `verified:`", name=name,
                day=entry.verified, every=every.duration, source=source(every)))


def source(every):
    """Where an interval comes from, for a message: the law's paragraph, the plan's own
    policy or the tool's default."""
    if every.basis == "policy":
        return _("the plan's policy")
    if every.basis == "default":
        return _("the tool's default")
    return every.source
