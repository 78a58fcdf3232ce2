"""A reference to an id (or level) that does not exist.

References are ids: role holders name people from annex A, `owner`,
`call_order`, `staff` and step `who` name roles, card `contacts` name people or
partners, and `level` names a number from the plan's `levels`. A reference to
nothing is reported with the closest existing id of the right kind.

A Markdown link to an id in a text (`[](#koordinering)`, `[se her](#bilag-b)`)
is a cross-reference: the rendered document prints the section's, action
card's or annex's number and title there. A link to an id that no section,
action card or annex has is reported too.

While an annex file cannot be read (see `yaml-syntax`, `missing-file`,
`unsafe-path`), references to people, partners, resources and cards are not
judged: the missing entry may be in that file.

Fix: correct the id, or add the missing entry.

    roles:
      - id: borgmester
        holders: [anna-jensen, per-hansn]   # reported: did you mean 'per-hansen'?
    sections:
      - id: koordinering
        body: Møderne følger [](#arbejdsgang).   # reported: did you mean 'arbejdsgange'?
"""
from __future__ import annotations

import difflib
import re

from .. import model as m
from ..documents import readable
from ..i18n import _
from .base import hit, one_of

ID = "unknown-ref"
SEVERITY = "error"
SCOPE = "plan"
SUMMARY = "a reference to an id or level that does not exist"


# kinds defined in plan.yaml itself; everything else lives in an annex file
PLAN_KINDS = frozenset({"role", "staff", "section", "exercise finding", "annex"})
# what a cross-reference `[](#id)` may name
LINK_KINDS = frozenset({"section", "action card", "annex"})
# the target of a Markdown link to an id: `](#id)`, `](#id "title")`; not in code
_LINK = re.compile(r"\]\(\s*<?#([^)\s\">]+)")
_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)


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

    for src, value in markdown_fields(plan):
        if not isinstance(value, str) or "](" not in value:
            continue
        for ident in _LINK.findall(_CODE.sub("", value)):
            found = plan.ids.get(ident)
            if found and found[0].KIND in LINK_KINDS:
                continue
            if not found and annex_unreadable:
                continue  # an action card in the unreadable file may have it
            candidates = [i for i, f in plan.ids.items() if f[0].KIND in LINK_KINDS]
            close = difflib.get_close_matches(ident, candidates, n=1, cutoff=0.6)
            yield hit(src, _("the link to '#{id}' leads to no section, action card or annex in "
                             "this plan{hint}", id=ident,
                             hint=_("; did you mean '{id}'?", id=close[0]) if close else ""))


def markdown_fields(plan: m.Plan):
    """Every Markdown text of the plan and its files, with where it is."""
    for section in plan.all_sections():
        yield section.src.child("body"), section.body
    for level in plan.levels:
        yield level.src.child("description"), level.description
    for role in plan.roles:
        yield role.src.child("duties"), role.duties
    for staff in plan.staff:
        yield staff.src.child("description"), staff.description
    if plan.activation is not None:
        yield plan.activation.src.child("description"), plan.activation.description
    for card in plan.cards:
        yield card.src.child("trigger"), card.trigger
        for step in card.steps:
            yield step.src.child("text"), step.text
    for template in plan.templates:
        yield template.src.child("body"), template.body
    for doc in plan.documents:
        if isinstance(doc.data, dict):
            yield m.Src(doc, ("description",)), doc.data.get("description")
