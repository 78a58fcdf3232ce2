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

from ..i18n import _
from .base import a_kind, hit, one_of

ID = "wrong-ref-kind"
SEVERITY = "error"
SCOPE = "plan"
SUMMARY = "a reference to an object of the wrong kind (e.g. a role where a person is needed)"


def check(ctx):
    for ref in ctx.plan.refs:
        found = ctx.plan.ids.get(ref.id)
        if not found or any(e.KIND in ref.kinds for e in found):
            continue
        yield hit(ref.src, _("{what} '{id}' is {found}, but must be {kinds}; write the id of "
                             "{kinds} here", what=ref.what, id=ref.id,
                             found=a_kind(found[0].KIND), kinds=one_of(ref.kinds)))
