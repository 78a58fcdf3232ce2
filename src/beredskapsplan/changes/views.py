"""One version of a plan as the change document shows it, per audience.

A view holds what would be printed (numbers, titles, names, Markdown fields)
and, next to it, a fingerprint of the data behind it, so that a change is
found from the data even where the public version may not print it. The
public view is built with render's context builder, so it withholds exactly
what `render --audience public` withholds:

- a section exempt in either version is withheld in both: its title becomes
  the exempt heading, its text and sub-sections are left out, and only whether
  anything in it changed is kept (with its legal basis);
- people from a withheld annex file are shown as withheld; phone numbers,
  e-mail addresses and clearances are never part of a view;
- an exempt annex is only counted as changed or not.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from .. import digest as digests
from .. import model as m
from ..i18n import Translator, _, translator
from ..render.context import ContextBuilder, Status
from ..render.labels import LANGUAGES, Labels
from ..render.markdown import Fragments
from .numbering import section_numbers

# plan.yaml keys shown elsewhere in the views, or history (not part of the digest)
_OWN_KEYS = ("sections", "roles", "staff", "levels", "activation", "annexes")


def fingerprint(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def node_at(data: Any, path: tuple) -> Any:
    """The value at a path of keys and indices in a document's data (None if absent)."""
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def data_of(src: m.Src | None) -> Any:
    return node_at(src.doc.data, src.path) if src is not None else None


def plan_language(plan: m.Plan) -> str:
    if plan.language in LANGUAGES:
        return plan.language
    return {"NO": "nb", "DK": "da"}.get(plan.organization.country or "", "en")


def load_labels(language: str) -> Labels:
    return Labels.shipped(language)  # a change summary is not made with a --template-dir


@dataclass
class SectionView:
    key: str
    id: str | None
    number: str | None
    title: str
    body: str | None  # the Markdown, None when there is none or it is withheld
    exempt_note: str | None  # internal: the section is exempt (a note says so)
    withheld: str | None  # public: the note that replaces the withheld section
    own: str  # fingerprint of what the section itself holds (not its sub-sections)
    tree: str  # fingerprint of the section with everything under it
    settings: str  # fingerprint of covers, shows and numbered
    children: list["SectionView"] = field(default_factory=list)
    parent: str | None = None


@dataclass
class EntryView:
    """A role, a staff, a level or the activation: a title and lines of text."""

    key: str
    title: str
    lines: list[tuple[str, list[str]]]  # (label, values): a plain line, or a numbered list
    text: str | None  # its Markdown field (duties, description)
    data: dict[str, str]  # fingerprints of the parts that can change, by part name
    names: list[str] = field(default_factory=list)  # holders' names (roles)


@dataclass
class AnnexView:
    key: str
    letter: str
    title: str
    withheld: str | None
    entries: dict[str, str]  # entry key -> fingerprint
    rest: str  # fingerprint of the annex entry in plan.yaml and the files' other data


@dataclass
class PlanView:
    plan: m.Plan
    public: bool
    sections: list[SectionView]
    by_key: dict[str, SectionView]
    roles: list[EntryView]
    staff: list[EntryView]
    levels: list[EntryView]
    activation: list[EntryView]
    annexes: list[AnnexView]
    details: dict[str, str]  # other plan.yaml keys -> fingerprint
    builder: ContextBuilder

    @property
    def chapters(self) -> dict[str, list[EntryView]]:
        return {"roles": self.roles, "staff": self.staff, "levels": self.levels,
                "activation": self.activation}


def exempt_keys(plan: m.Plan) -> set[str]:
    return {_key(s, i) for i, s in enumerate(plan.all_sections()) if s.exempt is not None}


def _key(section: m.Section, index: int) -> str:
    return section.id if section.id else f"#{index}"


def build(plan: m.Plan, labels: Labels, *, public: bool, withhold: set[str],
          exempt_basis: dict[str, m.Exempt], tr: Translator | None = None) -> PlanView:
    """The view of one version. `withhold`: keys of the sections withheld from the public
    view (exempt in either version); `exempt_basis`: the exemption to name for each."""
    tr = tr or translator(labels.language)
    latest = None
    dated = [a for a in plan.approvals if a.date is not None] or plan.approvals
    if dated:
        latest = dated[-1]
    builder = ContextBuilder(plan, labels, Fragments("x"), public=public, draft=False,
                             status=Status(digests.status(plan.document.data, plan.approvals),
                                           latest))
    numbers = section_numbers(plan)
    index = {id(s): i for i, s in enumerate(plan.all_sections())}
    by_key: dict[str, SectionView] = {}

    def section(s: m.Section, parent: str | None) -> SectionView:
        key = _key(s, index[id(s)])
        data = data_of(s.src)
        own_data = {k: v for k, v in data.items() if k != "sections"} \
            if isinstance(data, dict) else data
        settings = {k: own_data.get(k) for k in ("covers", "shows", "numbered")} \
            if isinstance(own_data, dict) else None
        content = {k: v for k, v in own_data.items() if k not in ("covers", "shows", "numbered",
                                                                  "number")} \
            if isinstance(own_data, dict) else own_data
        view = SectionView(key=key, id=s.id, number=numbers.get(id(s)),
                           title=builder.text(s.title), body=s.body, exempt_note=None,
                           withheld=None, own=fingerprint(content), tree=fingerprint(data),
                           settings=fingerprint(settings), parent=parent)
        if public and key in withhold:
            basis = exempt_basis.get(key) or s.exempt
            view.title = labels.get("document.exempt_heading")
            view.body = None
            view.withheld = builder.exempt_note(basis) if basis is not None \
                else labels.get("document.exempt_note_nobasis")
        else:
            if s.exempt is not None:
                view.exempt_note = builder.exempt_note(s.exempt)
            view.children = [section(c, key) for c in s.sections]
        by_key.setdefault(key, view)
        return view

    sections = [section(s, None) for s in plan.sections]
    content = plan.document.data if isinstance(plan.document.data, dict) else {}
    details = {k: fingerprint(v) for k, v in content.items()
               if k not in digests.HISTORY_KEYS and k not in _OWN_KEYS}
    return PlanView(plan=plan, public=public, sections=sections, by_key=by_key,
                    roles=[_role(builder, labels, r, i) for i, r in enumerate(plan.roles)],
                    staff=[_staff(builder, labels, s, i) for i, s in enumerate(plan.staff)],
                    levels=[_level(builder, labels, lv, i) for i, lv in enumerate(plan.levels)],
                    activation=_activation(builder, labels, tr, plan.activation),
                    annexes=[_annex(builder, plan, a, i) for i, a in enumerate(plan.annexes)],
                    details=details, builder=builder)


def _ids(refs: list[m.Ref]) -> list[str]:
    return [r.id for r in refs]


def _role(builder: ContextBuilder, L: Labels, role: m.Role, index: int) -> EntryView:
    names = [builder.person_name(ref) for ref in role.holders]
    holders = [f"{name} ({L.get('roles.primary') if i == 0 else L.get('roles.deputy')})"
               for i, name in enumerate(names)]
    lines = [(L.get("roles.holders"), holders)]
    if role.clearance_required and not builder.public:
        lines.append((L.get("roles.clearance_required"), []))
    parts = {"title": fingerprint(role.title), "holders": fingerprint(_ids(role.holders)),
             "duties": fingerprint(role.duties)}
    if not builder.public:
        parts["clearance"] = fingerprint(role.clearance_required)
    return EntryView(key=role.id or f"#{index}", title=builder.text(role.title), lines=lines,
                     text=role.duties, data=parts, names=names)


def _staff(builder: ContextBuilder, L: Labels, staff: m.Staff, index: int) -> EntryView:
    lines = []
    if staff.lead is not None:
        lines.append((L.get("staff.lead"), [builder.role_title(staff.lead)]))
    members = [builder.role_title(r) for r in staff.members]
    if members:
        lines.append((L.get("staff.members"), [", ".join(members)]))
    parts = {"title": fingerprint(staff.title),
             "lead": fingerprint(staff.lead.id if staff.lead else None),
             "members": fingerprint(_ids(staff.members)),
             "description": fingerprint(staff.description)}
    return EntryView(key=staff.id or f"#{index}", title=builder.text(staff.title), lines=lines,
                     text=staff.description, data=parts)


def _level(builder: ContextBuilder, L: Labels, level: m.Level, index: int) -> EntryView:
    number = builder.text(level.level)
    title = f"{L.get('levels.level')} {number}" + (f" – {level.title}" if level.title else "")
    decided = [builder.role_title(r) for r in level.decided_by]
    lines = [(L.get("levels.decided_by"), [", ".join(decided)])] if decided else []
    parts = {"title": fingerprint(level.title), "decided_by": fingerprint(_ids(level.decided_by)),
             "description": fingerprint(level.description)}
    key = str(level.level) if level.level is not None else f"#{index}"
    return EntryView(key=key, title=title, lines=lines, text=level.description, data=parts)


def _activation(builder: ContextBuilder, L: Labels, tr: Translator,
                act: m.Activation | None) -> list[EntryView]:
    if act is None:
        return []
    lines = []
    order = [builder.role_title(r) for r in act.call_order]
    if order:
        lines.append((tr(_("Call order")), order))
    staffed = L.duration(act.full_staff_within)
    if staffed:
        lines.append((L.fmt("activation.full_staff", duration=staffed), []))
    sustain = L.duration(act.sustain_for)
    if sustain:
        lines.append((L.fmt("activation.sustain", duration=sustain), []))
    data = data_of(act.src) if isinstance(data_of(act.src), dict) else {}
    parts = {"call_order": fingerprint(_ids(act.call_order)),
             "full_staff_within": fingerprint(data.get("full_staff_within")),
             "sustain_for": fingerprint(data.get("sustain_for")),
             "description": fingerprint(act.description)}
    return [EntryView(key="activation", title=L.get("chapters.activation"), lines=lines,
                      text=act.description, data=parts)]


_ENTRY_LISTS = {"contacts": "people", "resources": "resources", "plan-register": "plans",
                "partners": "partners", "templates": "templates"}


def _annex(builder: ContextBuilder, plan: m.Plan, annex: m.Annex, index: int) -> AnnexView:
    letter = annex.letter or str(index + 1)
    withheld = None
    if builder.public:
        basis = annex.exempt or next((builder.withheld_docs[d] for d in annex.documents
                                      if d in builder.withheld_docs), None)
        if basis is not None:
            withheld = builder.exempt_note(basis)
    entries: dict[str, str] = {}
    rest: list[Any] = [data_of(annex.src)]
    for doc in annex.documents:
        data = doc.data
        name = doc.path.name
        if annex.cards is not None:
            card_id = data.get("id") if isinstance(data, dict) else None
            entries[f"card:{card_id or name}"] = fingerprint(data)
            continue
        key = _ENTRY_LISTS.get(data.get("kind")) if isinstance(data, dict) else None
        listed = data.get(key) if key else None
        if isinstance(listed, list):
            for i, entry in enumerate(listed):
                entry_id = entry.get("id") if isinstance(entry, dict) else None
                entries[f"{key}:{entry_id or i}"] = fingerprint(entry)
            rest.append({k: v for k, v in data.items() if k != key})
        else:
            rest.append(data)
    return AnnexView(key=annex.letter or f"#{index}", letter=letter,
                     title=builder.text(annex.title), withheld=withheld, entries=entries,
                     rest=fingerprint(rest))


def scrub_private(view: PlanView, redactions: list) -> None:
    """The public view with every private number and person's e-mail address written in
    its text (a section body, a role's duties, a title) replaced by the "withheld" label,
    as `render --audience public` does. `redactions`: one per version compared, since a
    number private in either version must not show in either."""
    redactions = [r for r in redactions if r is not None and r.finder]
    if not redactions:
        return

    def text(value: str | None, markdown: bool = False) -> str | None:
        if not value:
            return value
        for redaction in redactions:
            label = redaction.markdown_label if markdown else redaction.label
            value = redaction.finder.scrub(value, label, markdown=markdown)
        return value

    def section(s: SectionView) -> None:
        s.title = text(s.title)
        s.body = text(s.body, markdown=True)
        for child in s.children:
            section(child)

    for s in view.sections:
        section(s)
    for entries in view.chapters.values():
        for entry in entries:
            entry.title = text(entry.title)
            entry.text = text(entry.text, markdown=True)
            entry.lines = [(label, [text(v) for v in values]) for label, values in entry.lines]
            entry.names = [text(n) for n in entry.names]

