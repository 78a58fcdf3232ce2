"""The plan model turned into the data the templates print.

Everything the templates see is decided here: names instead of ids, dates and
durations in words, section numbers, and what the public version leaves out.
The public version is built by not putting withheld data into the context at
all, so no template can print it by mistake:

- every section, annex, annex file and register entry marked `exempt` is
  replaced by a note naming its legal basis (the title is replaced too);
- people, resources, partners and cards read from a withheld file are shown
  as withheld wherever they are referred to;
- private phone numbers (`private: true`), security clearances and the
  e-mail addresses of people are left out. The format has no way to mark an
  e-mail address private, so every person's address (annex A and the contact
  people of partners) counts as private; a partner organisation's own
  address is kept;
- the same private number or address written anywhere else (under another
  entry, in free text) is replaced by the "withheld" label (`redact.py`).

Markings are read failing closed (`markings.py`): what cannot be read as
"not exempt" or "not private" is withheld.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import model as m
from ..dates import add
from ..documents import Document
from ..private_data import withheld_documents
from . import orgchart
from .labels import Labels
from .markdown import Fragments, Md, Safe, one_paragraph
from .redact import Redaction
from .structure import ANNEX_BLOCKS, Place, next_chapter_numbers, placement, section_places

NBSP = "\u00a0"
_OWN_NUMBER = re.compile(r"\(?\d{1,3}[.)]\s")


@dataclass(frozen=True)
class Status:
    key: str  # approved | unverified | changed | never
    approval: m.Approval | None  # the latest approval, if any


@dataclass(frozen=True)
class Target:
    """Where a cross-reference `[](#id)` leads, and what it prints when it has no text."""

    anchor: str | None  # None: nothing in this version to link to (withheld)
    label: str


def version_date(plan: m.Plan) -> date | None:
    """The date of the text: its latest revision (else its latest approval)."""
    for history in (plan.revisions, plan.approvals):
        days = [x.date for x in history if x.date is not None]
        if days:
            return max(days)
    return None


class ContextBuilder:
    def __init__(self, plan: m.Plan, labels: Labels, fragments: Fragments, *,
                 public: bool, draft: bool, status: Status, logo: bool = False,
                 changed_sections: tuple[str, ...] = ()):
        self.plan = plan
        self.logo = logo  # a logo is shown on the title page
        self.changed_sections = changed_sections
        self.moved: dict[str, Target] = {}  # annex kind -> the section showing its table
        self.L = labels
        self.fragments = fragments
        self.public = public
        self.draft = draft
        self.status = status
        # a file is withheld wherever it is listed once any listing or the file says so
        self.withheld_docs: dict[Document, m.Exempt] = withheld_documents(plan)
        self.redaction = Redaction(plan, self.withheld_docs, labels.get("document.withheld")) \
            if public else None

    # -- small helpers ---------------------------------------------------------------------
    def text(self, value: Any) -> str:
        if value is None or value == "":
            return self.L.get("document.missing")
        return str(value)

    def md(self, value: str | None, level: int) -> Md | None:
        return self.fragments.add(value, level)

    def exempt_note(self, exempt: m.Exempt) -> str:
        if exempt.basis.strip():
            return self.L.fmt("document.exempt_note", basis=exempt.basis.strip())
        return self.L.get("document.exempt_note_nobasis")

    def withheld(self, entity: Any) -> m.Exempt | None:
        """Why an object is left out of the public version (None: it is not)."""
        if not self.public or entity is None:
            return None
        own = getattr(entity, "exempt", None)
        if isinstance(entity, m.SubPlan) and own is not None:
            return own
        return self.withheld_docs.get(entity.src.doc) or (own if own is not None else None)

    def date(self, day: date | None) -> str:
        return self.text(self.L.date(day))

    def phones(self, phones: list[m.Phone]) -> list[str]:
        out = []
        for phone in phones:
            if self.public and self.redaction.hides_phone(phone):
                continue
            number = phone.number.strip().replace(" ", NBSP)
            label = phone.label
            if phone.private and not label:
                label = self.L.get("document.private")
            out.append(f"{number} ({label})" if label else number)
        return out

    def person_name(self, ref: m.Ref | str | None) -> str:
        person = self.plan.lookup(ref)
        if person is None:
            return self.text(ref.id if isinstance(ref, m.Ref) else ref)
        if self.withheld(person):
            return self.L.get("document.withheld")
        return self.text(getattr(person, "name", None))

    def role_title(self, ref: m.Ref | None) -> str:
        role = self.plan.role(ref)
        if role is None:
            return self.text(ref.id if ref is not None else None)
        return self.text(role.title)

    def primary_name(self, role: m.Role | None) -> str | None:
        if role is None or not role.holders:
            return None
        return self.person_name(role.holders[0])

    def role_with_holder(self, ref: m.Ref | None) -> str:
        """"Tovholder (Signe Bak)": the role and its primary holder."""
        title = self.role_title(ref)
        name = self.primary_name(self.plan.role(ref))
        return f"{title} ({name})" if name else title

    def owner_text(self, ref: m.Ref | None) -> str:
        """An owner that may be a role or a partner."""
        target = self.plan.lookup(ref)
        if isinstance(target, m.Role):
            return self.role_with_holder(ref)
        if isinstance(target, m.Partner):
            return self.L.get("document.withheld") if self.withheld(target) \
                else self.text(target.name)
        return self.text(ref.id if ref is not None else None)

    def contact_lines(self, ref: m.Ref | None) -> list[str]:
        """A person or partner with their phone numbers."""
        target = self.plan.lookup(ref)
        if target is None:
            return [self.text(ref.id if ref is not None else None)]
        if self.withheld(target):
            return [self.L.get("document.withheld")]
        name = target.name if isinstance(target, (m.Person, m.Partner)) else None
        return [self.text(name), *self.phones(getattr(target, "phones", []))]

    # -- the document ----------------------------------------------------------------------
    def build(self) -> dict:
        plan, L = self.plan, self.L
        self.places = section_places(plan.sections, plan.numbering)
        self.placement = placement(plan)
        self.chapter_numbers = next_chapter_numbers(plan.sections, plan.numbering)
        self.targets: dict[str, Target] = {}
        self.nav: dict[str, str] = {}  # quick links: calllist, alertlist, cards -> anchor
        self.has_chart = False
        sections = self.sections(plan.sections, 1, None)
        chapters = [c for c in (self.chapter(key) for key in self.placement.chapters) if c]
        annexes = [self.annex(a, i) for i, a in enumerate(plan.annexes, 1)]
        return {
            "language": L.language,
            "public": self.public,
            "draft": self.draft,
            "L": L.data,
            "plan": {
                "title": self.text(plan.title),
                "subtitle": plan.subtitle,
                "organization": self.text(plan.organization.name),
                "municipality_number": plan.organization.municipality_number,
                "case_number": plan.case_number,
            },
            "title_page": self.title_page(),
            "footer": self.footer(),
            "changelog": self.changelog() if self.placement.changelog else None,
            "sections": sections,
            "chapters": chapters,
            "annexes": annexes,
        }

    def title_page(self) -> dict:
        """What a municipality writes on the cover: who approved the plan, when, in which
        case. How the approval was checked (the digest) is for the internal change log."""
        plan, L, status = self.plan, self.L, self.status
        approval = status.approval
        lines: list[str] = []
        notes: list[str] = []
        proposal = None
        if status.key in ("approved", "unverified") and approval is not None:
            lines.append(self.approved_by(approval))
        else:
            proposal = L.get("status.proposal")
            if status.key == "changed" and approval is not None:
                notes.append(L.fmt("status.changed", by=self.text(approval.by),
                                   date=self.date(approval.date)))
            else:
                notes.append(L.get("status.never"))
        case = plan.case_number or (approval.case if approval else None)
        details = []
        if case:
            details.append(f"{L.get('document.case_number')} {case}")
        if plan.organization.municipality_number:
            details.append(f"{L.get('document.municipality_number')} "
                           f"{plan.organization.municipality_number}")
        version = version_date(plan)
        if version:
            details.append(f"{L.get('document.version')} {L.date(version)}")
        submitted = [s for s in plan.submissions if s.date is not None]
        if submitted and status.key in ("approved", "unverified"):
            last = submitted[-1]
            notes.append(L.fmt("status.submitted", to=self.text(last.to),
                               date=self.date(last.date)))
        risk = plan.risk_analysis
        if risk is not None and risk.title:
            notes.append(L.fmt("document.risk_analysis", title=risk.title,
                               date=self.date(risk.date)) if risk.date
                         else L.fmt("document.risk_analysis_undated", title=risk.title))
        return {
            "status": status.key,
            "proposal": proposal,
            "status_lines": lines,
            "notes": notes,
            "details": details,
            # the titles of the sections changed since the approval (filled in by the
            # change detection; empty until then)
            "changed_sections": list(self.changed_sections),
            "logo": self.logo,
            "edition": L.get("document.public_edition") if self.public else None,
            "draft_note": L.get("status.draft_note") if self.draft else None,
        }

    def approved_by(self, approval: m.Approval) -> str:
        """"Godkendt af Kommunalbestyrelsen 8. oktober 2025, sag 23/5847"."""
        L = self.L
        by = self.text(approval.by)
        if approval.date and approval.case:
            return L.fmt("status.approved_case", by=by, date=self.date(approval.date),
                         case=approval.case)
        if approval.date:
            return L.fmt("status.approved", by=by, date=self.date(approval.date))
        if approval.case:
            return L.fmt("status.approved_undated_case", by=by, case=approval.case)
        return L.fmt("status.approved_undated", by=by)

    def footer(self) -> str:
        plan, L, status = self.plan, self.L, self.status
        parts = [self.text(plan.title)]
        version = version_date(plan)
        if version:
            parts.append(f"{L.get('document.version')} {L.date(version)}")
        approval = status.approval
        if status.key in ("approved", "unverified") and approval is not None:
            parts.append(L.fmt("status.approved_footer", date=self.date(approval.date)))
        elif status.key == "changed" and approval is not None:
            parts.append(L.fmt("status.changed_footer", date=self.date(approval.date)))
        else:
            parts.append(L.get("status.never_footer"))
        if self.public:
            parts.append(L.get("document.public_edition"))
        return " · ".join(parts)

    def changelog(self) -> list[dict]:
        """Revisions, approvals and submissions, oldest first. The internal version says
        of the latest approval whether the text is the one approved (its digest)."""
        L, plan = self.L, self.plan
        rows = []
        for i, r in enumerate(plan.revisions):
            rows.append((r.date or date.min, 0, i, {
                "date": self.date(r.date), "change": self.text(r.summary),
                "by": self.role_title(r.by) if r.by else ""}))
        latest = self.status.approval
        for i, a in enumerate(plan.approvals):
            change = self.approved_by(a)
            if a is latest and not self.public:
                note = {"approved": "status.verified_note", "unverified": "status.unverified_note",
                        "changed": "status.changed_note"}.get(self.status.key)
                if note:
                    change = f"{change}. {L.get(note)}"
            rows.append((a.date or date.min, 1, i, {"date": self.date(a.date), "change": change,
                                                    "by": ""}))
        for i, s in enumerate(plan.submissions):
            rows.append((s.date or date.min, 2, i, {
                "date": self.date(s.date),
                "change": L.fmt("changelog.submitted", to=self.text(s.to)), "by": ""}))
        rows.sort(key=lambda row: row[:3])
        return [row[3] for row in rows]

    # -- sections --------------------------------------------------------------------------
    def heading(self, number: str | None, title: str) -> str:
        return f"{number} {title}" if number else title

    def sections(self, sections: list[m.Section], level: int,
                 withheld_in: Target | None) -> list[dict]:
        """The plan's own sections (`withheld_in`: the withheld section these are part
        of, in the public version; they are not printed, and links to them lead there)."""
        out = []
        for section in sections:
            place: Place = self.places[id(section)]
            if withheld_in is not None:
                self.target(section.id, withheld_in)
                self.moved_to(section, withheld_in)
                self.sections(section.sections, level + 1, withheld_in)
                continue
            entry = {
                "number": place.number or "",
                "anchor": Safe(place.anchor),
                "level": level,
                "hashes": Safe("#" * min(level, 6)),
            }
            exempt = section.exempt if self.public else None
            if exempt is not None:
                title = self.L.get("document.exempt_heading")
                target = Target(place.anchor, self.heading(place.number, title))
                self.target(section.id, target)
                self.moved_to(section, target)
                entry.update(title=title, heading=target.label, exempt=self.exempt_note(exempt),
                             body=None, blocks=[], children=[])
                self.sections(section.sections, level + 1, target)  # their links lead here
            else:
                title = self.text(section.title)
                heading = self.heading(place.number, title)
                self.target(section.id, Target(place.anchor, heading))
                self.moved_to(section, Target(place.anchor, heading))
                blocks = [self.block(key, level, place.anchor)
                          for key in self.placement.in_section(section)]
                entry.update(title=title, heading=heading, exempt=None,
                             body=self.md(section.body, level),
                             blocks=[b for b in blocks if b is not None],
                             children=self.sections(section.sections, level + 1, None))
            out.append(entry)
        return out

    def moved_to(self, section: m.Section, target: Target) -> None:
        """The register or partner list this section shows: its annex points here."""
        for key in self.placement.in_section(section):
            if key in ANNEX_BLOCKS:
                self.moved.setdefault(ANNEX_BLOCKS[key], target)

    def target(self, ident: str | None, target: Target) -> None:
        if ident and ident not in self.targets:
            self.targets[ident] = target

    def chapter(self, key: str) -> dict | None:
        """A generated block in a chapter of its own, after the plan's sections."""
        number = next(self.chapter_numbers)
        title = self.L.get(f"chapters.{key}")
        anchor = f"k-{key}"
        block = self.block(key, 1, anchor, number)
        if block is None:
            return None
        return {"key": key, "number": number or "", "anchor": Safe(anchor), "title": title,
                "heading": self.heading(number, title), "block": block}

    # -- generated blocks ------------------------------------------------------------------
    def block(self, key: str, level: int, anchor: str, number: str | None = None) -> dict | None:
        """A block made from the plan's data, shown below a heading of `level`
        (`number`: the chapter number its own sub-headings continue; None in a section).
        None when the plan has no data for it."""
        plan = self.plan
        sub = level + 1
        content: dict[str, Any] | None = None
        if key == "levels" and plan.levels:
            content = {"rows": [
                {"level": self.text(lv.level), "title": self.text(lv.title),
                 "decided_by": [self.role_with_holder(r) for r in lv.decided_by],
                 "description": self.md(lv.description, sub)}
                for lv in plan.levels]}
        elif key == "roles" and plan.roles:
            content = {"rows": [self.role(r, sub) for r in plan.roles]}
        elif key == "staff" and plan.staff:
            self.has_chart = True
            content = {"chart": True, "groups": [
                self.staff(s, sub, f"{number}.{i}" if number else None, f"k-staff-{i}")
                for i, s in enumerate(plan.staff, 1)]}
        elif key == "activation" and plan.activation is not None:
            content = self.activation(sub)
            self.nav.setdefault("calllist", anchor)
        elif key == "exercises":
            content = self.exercises()
        elif key == "revisions":
            rows = self.changelog()
            content = {"rows": rows} if rows else None
        elif key in ("sub-plans", "partners"):
            rows = self.annex_rows(key)
            content = {"rows": rows} if rows else None
        if content is None:
            return None
        return {"key": key, "level": sub, "hashes": Safe("#" * min(sub, 6)), **content}

    def role(self, role: m.Role, level: int = 3) -> dict:
        L = self.L
        holders = []
        for i, ref in enumerate(role.holders):
            which = L.get("roles.primary") if i == 0 else L.get("roles.deputy")
            holders.append(f"{i + 1}. {self.person_name(ref)} ({which})")
        return {
            "title": self.text(role.title),
            "clearance": L.get("roles.clearance_required")
            if role.clearance_required and not self.public else None,
            "holders": holders,
            "duties": self.md(role.duties, level),
        }

    def staff(self, staff: m.Staff, level: int, number: str | None, anchor: str) -> dict:
        members = []
        refs = ([staff.lead] if staff.lead else []) + [r for r in staff.members
                                                       if not staff.lead or r.id != staff.lead.id]
        for ref in refs:
            role = self.plan.role(ref)
            members.append({"function": self.role_title(ref),
                            "person": self.primary_name(role) or self.L.get("document.missing"),
                            "lead": bool(staff.lead and ref.id == staff.lead.id)})
        title = self.text(staff.title)
        return {
            "number": number or "",
            "anchor": Safe(anchor),
            "title": title,
            "heading": self.heading(number, title),
            "listed": number is not None,
            # a staff of up to 25 members (about half a page) is printed on one page
            "box": Safe("keep-together" if len(members) <= 25 else "staff-group"),
            "lead": self.role_with_holder(staff.lead) if staff.lead else None,
            "members": members,
            "description": self.md(staff.description, level),
        }

    def activation(self, level: int) -> dict:
        act, L = self.plan.activation, self.L
        rows = []
        for i, ref in enumerate(act.call_order, 1):
            role = self.plan.role(ref)
            holders = role.holders if role else []
            if not holders:
                rows.append({"number": f"{i}.", "role": self.role_title(ref),
                             "person": L.get("document.missing"), "phones": []})
            for j, holder in enumerate(holders):
                person = self.plan.person(holder)
                hidden = person is None or self.withheld(person)
                rows.append({"number": f"{i}." if j == 0 else "",
                             "role": self.role_title(ref) if j == 0 else "",
                             "person": self.person_name(holder),
                             "phones": [] if hidden else self.phones(person.phones)})
        duration = L.duration(act.full_staff_within)
        sustain = L.duration(act.sustain_for)
        return {"rows": rows,
                "partners": self.activation_partners(act.partners, len(act.call_order)),
                "full_staff": L.fmt("activation.full_staff", duration=duration)
                if duration else None,
                "sustain": L.fmt("activation.sustain", duration=sustain) if sustain else None,
                "description": self.md(act.description, level)}

    def activation_partners(self, refs: list[m.Ref], after: int) -> list[dict]:
        """The external partners alerted after the roles, numbered on from the call order,
        each with its own numbers and then its contact people (as the call list has them)."""
        rows = []
        for i, ref in enumerate(refs, after + 1):
            partner = self.plan.lookup(ref)
            if not isinstance(partner, m.Partner):
                rows.append({"number": f"{i}.", "partner": self.text(ref.id), "person": "",
                             "phones": []})
                continue
            if self.withheld(partner):
                rows.append({"number": f"{i}.", "partner": self.L.get("document.withheld"),
                             "person": "", "phones": []})
                continue
            rows.append({"number": f"{i}.", "partner": self.text(partner.name), "person": "",
                         "phones": self.phones(partner.phones)})
            for contact in partner.contacts:
                who = self.text(contact.name) + (f", {contact.role}" if contact.role else "")
                rows.append({"number": "", "partner": "", "person": who,
                             "phones": self.phones(contact.phones)})
        return rows

    def exercises(self) -> dict:
        """Exercises and incidents, newest first, and what came of them: the auditor's
        first question ("when was the plan last tested, was it evaluated, what was done?")."""
        L, plan = self.L, self.plan
        events = sorted(enumerate(plan.events),
                        key=lambda e: (e[1].date or date.min, -e[0]), reverse=True)
        rows, findings = [], []
        for _, event in events:
            if isinstance(event, m.Incident):
                kind = L.fmt("exercises.incident_level", level=str(event.level)) \
                    if event.level is not None else L.get("exercises.incident")
            else:
                types = L.data.get("exercises", {}).get("types", {})
                kind = types.get(event.type) if isinstance(types, dict) and \
                    isinstance(types.get(event.type), str) else self.text(event.type)
            when = self.date(event.date)
            rows.append({"date": when, "title": self.text(event.title), "type": kind,
                         "evaluated": L.date(event.evaluated) or L.get("exercises.not_evaluated"),
                         "findings": str(len(event.findings)) if event.findings else ""})
            for finding in event.findings:
                status = L.fmt("exercises.closed", date=self.date(finding.closed)) \
                    if finding.closed else L.get("exercises.open")
                findings.append({"text": self.text(finding.text), "event": when,
                                 "owner": self.owner_of(finding.owner),
                                 "due": L.date(finding.due) or "", "status": status})
        return {"rows": rows, "findings": findings,
                "none": None if rows else L.get("exercises.none")}

    def chart(self) -> orgchart.Chart:
        """The organisation chart's content: call order, then staffs with lead and members."""
        plan, L = self.plan, self.L
        missing = L.get("document.missing")

        def holder(ref: m.Ref) -> tuple[str, str]:
            return self.role_title(ref), self.primary_name(plan.role(ref)) or missing

        units, leads, members = [], [], []
        for staff in plan.staff:
            others = [r for r in staff.members if not staff.lead or r.id != staff.lead.id]
            units.append(orgchart.Unit(self.text(staff.title),
                                       holder(staff.lead) if staff.lead else None,
                                       [holder(r) for r in others]))
            leads.append(staff.lead.id if staff.lead else None)
            members.append([r.id for r in staff.members])
        orgchart.hang(units, leads, members)
        calls = [holder(r) for r in plan.activation.call_order] if plan.activation else []
        return orgchart.Chart(L.get("chart.title"), L.get("chart.call_order"),
                              L.get("chart.lead"), calls, units)

    def owner_of(self, ref: m.Ref | None) -> str:
        """A finding's owner: a role (with its primary holder) or a staff."""
        target = self.plan.lookup(ref)
        if isinstance(target, m.Staff):
            return self.text(target.title)
        return self.role_with_holder(ref) if ref is not None else ""

    def annex_rows(self, key: str) -> list[dict]:
        """The rows of the register of sub-plans or of the partner list, from every annex
        of that kind this version may show."""
        kind = {"sub-plans": "plan-register", "partners": "partners"}[key]
        docs = [d for a in self.plan.annexes for d in a.documents if d.kind == kind
                and not (self.public and (a.exempt or d in self.withheld_docs))]
        if kind == "plan-register":
            return [self.subplan_row(p) for p in self.plan.subplans if p.src.doc in docs]
        # a partner carrying its own exemption marking is left out, as in its annex
        return [self.partner_row(p) for p in self.plan.partners
                if p.src.doc in docs and not self.withheld(p)]

    # -- annexes ---------------------------------------------------------------------------
    def annex(self, annex: m.Annex, index: int) -> dict:
        L = self.L
        letter = annex.letter or str(index)
        entry: dict[str, Any] = {
            "letter": letter,
            "anchor": Safe(f"annex-{index}"),
            "heading": f"{L.get('document.annex')} {letter}",
            "title": self.text(annex.title),
            "kind": None,
            "exempt": None,
            "missing": None,
            "description": None,
            "moved_to": None,
        }
        docs = annex.documents
        withheld = None
        if self.public:
            withheld = annex.exempt or (self.withheld_docs.get(docs[0])
                                        if annex.file and docs else None)
        self.annex_target(annex, entry, withheld is not None)
        if withheld is not None:
            entry.update(title=L.get("document.exempt_heading"), exempt=self.exempt_note(withheld))
            return entry
        if annex.cards is not None:
            self.nav.setdefault("cards", entry["anchor"])
            entry.update(kind="action-cards", cards=self.cards(docs, letter, index))
            return entry
        doc = docs[0] if docs else None
        if doc is None or doc.kind is None or doc.kind in ("plan", "action-card"):
            entry["missing"] = L.get("document.missing_file")
            return entry
        entry["kind"] = doc.kind
        if doc.kind == "contacts":
            self.nav.setdefault("alertlist", entry["anchor"])
        entry["description"] = self.md(doc.data.get("description")
                                       if isinstance(doc.data.get("description"), str) else None, 1)
        if doc.kind in self.moved:  # a section shows this table: the annex points there
            moved = self.moved[doc.kind]
            entry["moved_to"] = {"label": moved.label, "anchor": Safe(moved.anchor)}
            return entry

        def shown(entities):  # an entry carrying its own exemption marking is left out
            return [e for e in entities if e.src.doc is doc
                    and (isinstance(e, m.SubPlan) or not self.withheld(e))]

        if doc.kind == "contacts":
            entry["rows"] = [self.person_row(p) for p in shown(self.plan.people)]
        elif doc.kind == "resources":
            entry["rows"] = [self.resource_row(r) for r in shown(self.plan.resources)]
        elif doc.kind == "plan-register":
            entry["rows"] = [self.subplan_row(p) for p in shown(self.plan.subplans)]
        elif doc.kind == "partners":
            entry["rows"] = [self.partner_row(p) for p in shown(self.plan.partners)]
        elif doc.kind == "templates":
            entry["entries"] = [self.template_entry(t, letter, i) for i, t in enumerate(
                shown(self.plan.templates), 1)]
        return entry

    def annex_target(self, annex: m.Annex, entry: dict, withheld: bool) -> None:
        title = self.L.get("document.exempt_heading") if withheld else entry["title"]
        self.target(annex.id, Target(entry["anchor"], f"{entry['heading']} – {title}"))

    def person_row(self, p: m.Person) -> dict:
        L = self.L
        clearance = None
        if p.clearance is not None and not self.public:
            level = self.text(p.clearance.level)
            clearance = L.fmt("contacts.clearance_until", level=level,
                              date=self.date(p.clearance.expires)) \
                if p.clearance.expires else level
        return {
            "name": self.text(p.name),
            "position": [v for v in (p.position, p.unit) if v],
            "phones": self.phones(p.phones),
            "email": None if self.public else p.email,
            "clearance": clearance,
            "verified": self.L.date(p.verified) or "",
        }

    def resource_row(self, r: m.Resource) -> dict:
        L = self.L
        resource = [self.text(r.name)]
        if r.category:
            resource.append(r.category)
        if r.quantity not in (None, ""):
            resource.append(L.fmt("resources.quantity", quantity=str(r.quantity)))
        owner = []
        if r.owner is not None:
            owner.append(self.owner_text(r.owner))
        if r.contact is not None:
            owner.extend(self.contact_lines(r.contact))
        return {
            "resource": resource,
            "location": r.location or "",
            "owner": owner,
            "requisition": [v for v in (r.requisition, r.availability) if v],
            "verified": L.date(r.verified) or "",
        }

    def subplan_row(self, p: m.SubPlan) -> dict:
        L = self.L
        withheld = self.withheld(p)
        if withheld is not None:
            return {"withheld": self.exempt_note(withheld)}
        plan_cell = [self.text(p.title)]
        if p.statutory:
            plan_cell.append(L.get("subplans.statutory"))
        revised = [L.date(p.last_revised) or L.get("document.missing")]
        every = L.duration(p.review_every)
        if every:
            revised.append(L.fmt("subplans.review_every", duration=every))
        approved = [p.approved_by] if p.approved_by else []
        if p.level is not None:
            approved.append(f"{L.get('subplans.level')} {p.level}")
        return {
            "withheld": None,
            "plan": plan_cell,
            "owner": self.role_with_holder(p.owner) if p.owner else "",
            "approved": approved,
            "revised": revised,
            "location": p.location or "",
        }

    def partner_row(self, p: m.Partner) -> dict:
        L = self.L
        contacts = []
        for c in p.contacts:
            head = self.text(c.name) + (f", {c.role}" if c.role else "")
            contacts.append(head)
            contacts.extend(self.phones(c.phones))
            if c.email and not self.public:
                contacts.append(c.email)
        email = p.email if not (self.public and self.redaction.hides_email(p.email)) else None
        agreement = []
        if p.agreement is not None:
            agreement.append(self.text(p.agreement.title))
            if p.agreement.expires:
                agreement.append(L.fmt("partners.expires", date=self.date(p.agreement.expires)))
        return {
            "partner": [self.text(p.name)] + ([p.type] if p.type else []),
            "phones": self.phones(p.phones) + ([email] if email else []),
            "contacts": contacts,
            "agreement": agreement,
        }

    def template_entry(self, t: m.Template, letter: str, index: int) -> dict:
        return {
            "number": f"{letter}.{index}",
            "title": self.text(t.title),
            "purpose": t.purpose,
            "body": self.md(t.body, 3),
        }

    def cards(self, docs: list[Document], letter: str, annex_index: int) -> list[dict]:
        out = []
        by_doc = {c.src.doc: c for c in self.plan.cards}
        for index, doc in enumerate(docs, 1):
            card = by_doc.get(doc)
            number = f"{letter}.{index}"
            anchor = f"card-{annex_index}-{index}"
            withheld = self.withheld_docs.get(doc) if self.public else None
            if withheld is not None:
                if card is not None:
                    self.target(card.id, Target(None, f"{number} "
                                                      f"{self.L.get('document.exempt_heading')}"))
                out.append({"number": number, "withheld": self.exempt_note(withheld)})
                continue
            if card is None:
                out.append({"number": number, "withheld": None, "missing": True,
                            "title": self.text(doc.display), "anchor": Safe(anchor),
                            "owner": "", "level": "", "reviewed": ""})
                continue
            self.target(card.id, Target(anchor, f"{number} {self.text(card.title)}"))
            out.append(self.card(card, number, anchor))
        return out

    def card(self, card: m.ActionCard, number: str, anchor: str) -> dict:
        L = self.L
        level_title = None
        if card.level is not None:
            found = [lv for lv in self.plan.levels if lv.level == card.level]
            level_title = found[0].title if found and found[0].title else None
        steps = []
        for i, step in enumerate(card.steps, 1):
            within = L.duration(step.within)
            own_number = step.text is not None and _OWN_NUMBER.match(step.text.lstrip())
            steps.append({
                # a step that starts with its own number ("1. Udarbejd …") is not numbered twice
                "number": "" if own_number else str(i),
                # step text is one paragraph: "1. Udarbejd dagsorden" stays a step, never a list
                "text": self.md(one_paragraph(step.text), 4) or L.get("document.missing"),
                "who": self.role_with_holder(step.who) if step.who else None,
                "within": L.fmt("cards.within_value", duration=within) if within else None,
            })
        contacts = []
        for ref in card.contacts:
            target = self.plan.lookup(ref)
            function = ""
            if isinstance(target, m.Person) and not self.withheld(target):
                function = target.position or ""
            elif isinstance(target, m.Partner) and not self.withheld(target):
                function = target.type or ""
            lines = self.contact_lines(ref)
            contacts.append({"name": lines[0], "function": function, "phones": lines[1:]})
        description = card.src.doc.data.get("description") \
            if isinstance(card.src.doc.data, dict) else None
        review_every = card.review_every
        if card.reviewed:
            next_review = add(card.reviewed, review_every) if review_every else None
            review = L.fmt("cards.review", date=self.date(card.reviewed),
                           next=self.date(next_review)) if next_review \
                else f"{L.get('cards.reviewed')} {self.date(card.reviewed)}."
        else:
            review = L.get("cards.review_undated")
        return {
            "number": number,
            "anchor": Safe(anchor),
            "withheld": None,
            "missing": False,
            "title": self.text(card.title),
            "owner": self.role_with_holder(card.owner) if card.owner else "",
            "level": (f"{card.level} – {level_title}" if level_title else str(card.level))
            if card.level is not None else "",
            "reviewed": self.L.date(card.reviewed) or "",
            "trigger": self.md(card.trigger, 3),
            "description": self.md(description if isinstance(description, str) else None, 3),
            "steps": steps,
            "contacts": contacts,
            "review": review,
        }

