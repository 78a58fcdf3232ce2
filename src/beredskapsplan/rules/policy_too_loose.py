"""A plan policy looser than the law.

A plan's `policy:` may tighten the jurisdiction's intervals (exercise every
year instead of every second year) but never loosen a legal one: in Norway
`revise_every` may not exceed P1Y (forskrift om kommunal beredskapsplikt § 6)
and `exercise_every` may not exceed P2Y (§ 7). Tool defaults and guidance may
be set freely. `beredskap due` ignores a looser value and uses the law's.

Fix: set the policy to the legal interval or shorter, or remove it.

    policy:
      exercise_every: P3Y     # reported in Norway: the law says every second year
"""
from __future__ import annotations

from ..policy import too_loose
from ..i18n import _
from .base import hit

ID = "policy-too-loose"
SEVERITY = "error"
SCOPE = "plan"
SUMMARY = "a plan policy interval looser than the law allows"


def check(ctx):
    plan = ctx.plan
    for key, value in plan.policy.items():
        law = too_loose(plan, ctx.jurisdiction, key)
        if law is not None:
            yield hit(value.src, _(
                "the plan's policy {key}: {value} ({every}) is looser than the law, which "
                "requires {law} ({citation}); write {law_text} or shorter", key=key,
                value=value.text, every=value.duration, law=law.interval,
                citation=law.citation, law_text=law.interval_text))
