"""A reference to the wrong kind of object.

Each reference field says what it may point to: a role holder must be a
person, an owner or a call-order entry must be a role, a finding's owner a role
or a staff, a card contact a person or a partner. An id that exists but names
something else is reported with what it is and what was expected.

Fix: point at an object of the right kind (for instance the role the person
holds, not the person).

    activation:
      call_order: [anna-jensen]   # reported: 'anna-jensen' is a person, a role is expected
"""
from __future__ import annotations

from .base import hit

ID = "wrong-ref-kind"
SEVERITY = "error"
SCOPE = "plan"
SUMMARY = "a reference to an object of the wrong kind (e.g. a role where a person is needed)"


def check(ctx):
    for ref in ctx.plan.refs:
        found = ctx.plan.ids.get(ref.id)
        if not found or any(e.KIND in ref.kinds for e in found):
            continue
        kinds = " or ".join(sorted(ref.kinds))
        yield hit(ref.src, f"{ref.what} '{ref.id}' is a {found[0].KIND}, but must be a {kinds}")
