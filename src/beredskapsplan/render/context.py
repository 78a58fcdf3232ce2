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

from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import model as m
from ..dates import add
from ..documents import Document
from ..private_data import withheld_documents
from .labels import Labels
from .markdown import Fragments, Md, Safe
from .redact import Redaction

NBSP = "\u00a0"


@dataclass(frozen=True)
class Status:
    key: str  # approved | unverified | changed | never
    approval: m.Approval | None  # the latest approval, if any


def version_date(plan: m.Plan) -> date | None:
    """The date of the text: its latest revision (else its latest approval)."""
    for history in (plan.revisions, plan.approvals):
        days = [x.date for x in history if x.date is not None]
        if days:
            return max(days)
    return None


class ContextBuilder:
    def __init__(self, plan: m.Plan, labels: Labels, fragments: Fragments, *,
                 public: bool, draft: bool, status: Status):
        self.plan = plan
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
        sections = self.sections(plan.sections, (), 1)
        chapters = self.chapters(len(plan.sections))
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
            "changelog": self.changelog(),
            "sections": sections,
            "chapters": chapters,
            "annexes": [self.annex(a, i) for i, a in enumerate(plan.annexes, 1)],
        }

    def title_page(self) -> dict:
        plan, L, status = self.plan, self.L, self.status
        approval = status.approval
        lines: list[str] = []
        notes: list[str] = []
        proposal = None
        if status.key in ("approved", "unverified") and approval is not None:
            by = self.text(approval.by)
            lines.append(L.fmt("status.approved", by=by, date=self.date(approval.date))
                         if approval.date else L.fmt("status.approved_undated", by=by))
            notes.append(L.get("status.verified_note" if status.key == "approved"
                               else "status.unverified_note"))
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
        if approval is not None and approval.case and approval.case != case \
                and status.key in ("approved", "unverified"):
            details.append(f"{L.get('status.approval_case')} {approval.case}")
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
            "edition": L.get("document.public_edition") if self.public else None,
            "draft_note": L.get("status.draft_note") if self.draft else None,
        }

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
        """The plan's revisions, oldest first (approvals are on the title page)."""
        rows = [(r.date or date.min, i, {"date": self.date(r.date), "change": self.text(r.summary),
                                         "by": self.role_title(r.by) if r.by else ""})
                for i, r in enumerate(self.plan.revisions)]
        rows.sort(key=lambda row: (row[0], row[1]))
        return [row[2] for row in rows]

    # -- sections --------------------------------------------------------------------------
    def sections(self, sections: list[m.Section], prefix: tuple, level: int) -> list[dict]:
        out = []
        for i, section in enumerate(sections, 1):
            number = (*prefix, i)
            entry = {
                "number": ".".join(map(str, number)),
                "anchor": Safe("s-" + "-".join(map(str, number))),
                "level": level,
                "hashes": Safe("#" * min(level, 6)),
            }
            exempt = section.exempt if self.public else None
            if exempt is not None:
                entry.update(title=self.L.get("document.exempt_heading"),
                             exempt=self.exempt_note(exempt), body=None, children=[])
            else:
                entry.update(title=self.text(section.title), exempt=None,
                             body=self.md(section.body, level),
                             children=self.sections(section.sections, number, level + 1))
            out.append(entry)
        return out

    def chapters(self, count: int) -> dict:
        plan = self.plan
        numbers = iter(range(count + 1, count + 10))
        result: dict[str, Any] = dict.fromkeys(("levels", "roles", "staff", "activation"))
        if plan.levels:
            result["levels"] = self.chapter(next(numbers), "levels", rows=[
                {"level": self.text(lv.level), "title": self.text(lv.title),
                 "decided_by": [self.role_with_holder(r) for r in lv.decided_by],
                 "description": self.md(lv.description, 2)}
                for lv in plan.levels])
        if plan.roles:
            result["roles"] = self.chapter(next(numbers), "roles", rows=[
                self.role(r) for r in plan.roles])
        if plan.staff:
            number = next(numbers)
            result["staff"] = self.chapter(number, "staff", groups=[
                self.staff(s, f"{number}.{i}") for i, s in enumerate(plan.staff, 1)])
        if plan.activation is not None:
            result["activation"] = self.activation(next(numbers))
        return result

    def chapter(self, number: int, key: str, **content) -> dict:
        return {"number": str(number), "anchor": Safe(f"k-{key}"),
                "title": self.L.get(f"chapters.{key}"), **content}

    def role(self, role: m.Role) -> dict:
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
            "duties": self.md(role.duties, 3),
        }

    def staff(self, staff: m.Staff, number: str) -> dict:
        members = []
        refs = ([staff.lead] if staff.lead else []) + [r for r in staff.members
                                                       if not staff.lead or r.id != staff.lead.id]
        for ref in refs:
            role = self.plan.role(ref)
            members.append({"function": self.role_title(ref),
                            "person": self.primary_name(role) or self.L.get("document.missing"),
                            "lead": bool(staff.lead and ref.id == staff.lead.id)})
        return {
            "number": number,
            "anchor": Safe("k-staff-" + number.replace(".", "-")),
            "title": self.text(staff.title),
            "lead": self.role_with_holder(staff.lead) if staff.lead else None,
            "members": members,
            "description": self.md(staff.description, 3),
        }

    def activation(self, number: int) -> dict:
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
        return self.chapter(number, "activation", rows=rows,
                            full_staff=L.fmt("activation.full_staff", duration=duration)
                            if duration else None,
                            sustain=L.fmt("activation.sustain", duration=sustain)
                            if sustain else None,
                            description=self.md(act.description, 2))

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
        }
        docs = annex.documents
        withheld = None
        if self.public:
            withheld = annex.exempt or (self.withheld_docs.get(docs[0])
                                        if annex.file and docs else None)
        if withheld is not None:
            entry.update(title=L.get("document.exempt_heading"), exempt=self.exempt_note(withheld))
            return entry
        if annex.cards is not None:
            entry.update(kind="action-cards", cards=self.cards(docs, letter))
            return entry
        doc = docs[0] if docs else None
        if doc is None or doc.kind is None or doc.kind in ("plan", "action-card"):
            entry["missing"] = L.get("document.missing_file")
            return entry
        entry["kind"] = doc.kind
        entry["description"] = self.md(doc.data.get("description")
                                       if isinstance(doc.data.get("description"), str) else None, 1)

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

    def cards(self, docs: list[Document], letter: str) -> list[dict]:
        out = []
        by_doc = {c.src.doc: c for c in self.plan.cards}
        for index, doc in enumerate(docs, 1):
            card = by_doc.get(doc)
            number = f"{letter}.{index}"
            withheld = self.withheld_docs.get(doc) if self.public else None
            if withheld is not None:
                out.append({"number": number, "withheld": self.exempt_note(withheld)})
                continue
            if card is None:
                out.append({"number": number, "withheld": None, "missing": True,
                            "title": self.text(doc.display), "anchor": Safe(f"card-{index}"),
                            "owner": "", "level": "", "reviewed": ""})
                continue
            out.append(self.card(card, number, index))
        return out

    def card(self, card: m.ActionCard, number: str, index: int) -> dict:
        L = self.L
        level_title = None
        if card.level is not None:
            found = [lv for lv in self.plan.levels if lv.level == card.level]
            level_title = found[0].title if found and found[0].title else None
        steps = []
        for i, step in enumerate(card.steps, 1):
            within = L.duration(step.within)
            steps.append({
                "number": str(i),
                "text": self.md(step.text, 4) or L.get("document.missing"),
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
            "anchor": Safe(f"card-{index}"),
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

