"""Computing a plan's deadlines from the model and its jurisdiction.

Each deadline says what is due, for which subject, when, who is responsible,
and the source of the rule: the law and paragraph from the jurisdiction file,
"plan policy" when the plan's own (stricter) interval applied, or the tool's
default. Intervals come from `policy.interval`, which never uses a policy
looser than the law.
"""
from __future__ import annotations

from datetime import date
from typing import NamedTuple

from .. import digest as digests
from ..dates import add, parse_duration
from ..i18n import DEFAULT, Message, Translator, _, _n, translator
from ..jurisdiction import Jurisdiction
from ..model import Entity, Plan, Ref, Src
from ..policy import Interval, interval
from .elections import due_after
from .words import WHAT, interval as interval_words, within

STATUSES = ("never", "overdue", "soon", "ok")

DEFAULT_REAPPROVE_WITHIN = "P3M"


class Deadline(NamedTuple):
    """One row of `due`. A tuple, because a national run sends tens of thousands of
    them from the worker processes, and tuples cross processes several times quicker."""

    plan_id: str
    plan: str  # the organisation's name, or the plan id
    # what identifies the plan across runs and municipalities: calendar UIDs use it
    plan_key: str
    what: str  # a key of WHAT
    subject: str
    subject_id: str  # stable across runs: used for calendar UIDs
    due: date
    status: str
    last_done: date | None
    responsible_role: str | None
    responsible_name: str | None
    source: str
    basis: str  # law | guidance | default | policy
    path: str
    line: int
    # the row as a JSON object, when the worker process that computed it was asked to
    # write it (`due --format json`): the main process then only has to print it
    encoded: str | None = None

    @property
    def label(self) -> str:
        """The obligation in English (`words.WHAT` in other languages)."""
        return str(WHAT[self.what])

    @property
    def responsible(self) -> str:
        if self.responsible_role and self.responsible_name:
            return f"{self.responsible_name} ({self.responsible_role})"
        return self.responsible_name or self.responsible_role or ""

    def as_dict(self) -> dict:
        return {"plan": self.plan, "plan_id": self.plan_id, "what": self.what,
                "obligation": self.label, "subject": self.subject, "subject_id": self.subject_id,
                "due": self.due.isoformat(), "status": self.status,
                "last_done": self.last_done.isoformat() if self.last_done else None,
                "responsible_role": self.responsible_role,
                "responsible_name": self.responsible_name, "source": self.source,
                "basis": self.basis, "path": self.path, "line": self.line}


DEFAULT_SOURCE = "beredskap default"  # policy.TOOL_DEFAULTS' source


def _source(rule: Interval, key: str) -> Message | str:
    if rule.basis == "policy" and rule.source == "plan policy":
        return _("plan policy")
    if rule.basis in ("policy", "law", "guidance"):
        return rule.source
    words = interval_words(key, rule.duration) if rule.duration is not None else rule.text
    if rule.source == DEFAULT_SOURCE:
        return _("beredskap default ({interval})", interval=words)
    return _("{source} ({interval})", source=rule.source, interval=words)


class _Collector:
    def __init__(self, plan: Plan, jurisdiction: Jurisdiction | None, today: date, soon: date,
                 tr: Translator):
        self.plan, self.jurisdiction, self.today, self.soon = plan, jurisdiction, today, soon
        self.tr = tr
        self._texts: dict = {}  # messages written once: most rows share their source
        self._sources: dict = {}
        self.rows: list[Deadline] = []
        # the same for every row of the plan
        self.plan_id = plan.id or plan.folder.name
        self.plan_key = f"{plan.organization.name or plan.folder.name}/{plan.id or ''}"
        self.plan_name = plan.organization.name or plan.title or plan.id or plan.folder.name
        self._responsible: dict[int, tuple] = {}  # by owner object: most rows share one
        self._intervals: dict[str, Interval | None] = {}

    def text(self, message: Message | str) -> str:
        if not isinstance(message, Message):
            return message
        found = self._texts.get(message)
        if found is None:
            found = self._texts[message] = self.tr(message)
        return found

    def status(self, due: date | None) -> str:
        if due is None:
            return "never"
        if due < self.today:
            return "overdue"
        return "soon" if due <= self.soon else "ok"

    def interval(self, key: str) -> Interval | None:
        if key not in self._intervals:
            self._intervals[key] = interval(self.plan, self.jurisdiction, key)
        return self._intervals[key]

    def responsible(self, ref: Ref | str | None) -> tuple[str | None, str | None]:
        """(role title, primary holder's name) for a role (or a staff's lead)."""
        plan = self.plan
        found = plan.lookup(ref)
        if found is not None and found.KIND == "staff" and found.lead is not None:
            found = plan.lookup(found.lead)
        if found is None or found.KIND != "role":
            return (ref.id if isinstance(ref, Ref) else ref), None
        holders = plan.holders(found)
        return found.title or found.id, (holders[0].name if holders else None)

    def add(self, what: str, subject: Message | str, subject_id: str, due: date | None,
            last: date | None, owner, source: Message | str, basis: str, src) -> None:
        known = self._responsible.get(id(owner))
        if known is None or known[0] is not owner:
            known = self._responsible[id(owner)] = (owner, *self.responsible(owner))
        _owner, role, name = known
        where = src.at() if src is not None else self.plan.document.at(())
        self.rows.append(Deadline(
            plan_id=self.plan_id, plan_key=self.plan_key, plan=self.plan_name, what=what,
            subject=self.text(subject), subject_id=subject_id, due=due or self.today,
            status=self.status(due), last_done=last, responsible_role=role,
            responsible_name=name, source=self.text(source), basis=basis,
            path=where.doc.display, line=where.line))

    def every(self, what: str, key: str, last: date | None, subject: str, subject_id: str,
              owner, src, own: Interval | None = None) -> None:
        """A recurring obligation: due one interval after it was last done."""
        rule = own or self.interval(key)
        if rule is None or rule.duration is None:
            return
        due = add(last, rule.duration) if last else None
        source = self._sources.get((key, rule))
        if source is None:
            source = self._sources[(key, rule)] = self.text(_source(rule, key))
        self.add(what, subject, subject_id, due, last, owner, source, rule.basis, src)


def _latest(dates) -> date | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def _plan_rows(c: _Collector) -> None:
    plan, j = c.plan, c.jurisdiction
    title = plan.title or plan.id or "plan"
    approved = _latest(a.date for a in plan.approvals)
    last_revision = _latest([*(r.date for r in plan.revisions), approved])
    c.every("revise", "revise_every", last_revision, title, "plan", plan.owner,
            _at(plan, "revisions"))
    _approval_rows(c, title, approved)
    c.every("exercise", "exercise_every", _latest(e.date for e in plan.exercises),
            title, "plan", plan.owner, _at(plan, "exercises"))
    rule = interval(plan, j, "evaluate_within")
    for kind, events in (("exercise", plan.exercises), ("incident", plan.incidents)):
        days = [e.date for e in events]
        for event in events:
            if event.evaluated is None and event.date is not None:
                named = _("{title} ({day})", title=event.title or _kind(kind), day=event.date)
                c.add("evaluate", named, _event_key(kind, event, days),
                      add(event.date, rule.duration), None, plan.owner,
                      _source(rule, "evaluate_within"), rule.basis, event.src)
    _risk_rows(c, title)
    for event in plan.events:
        for finding in event.findings:
            if finding.closed is None and finding.due is not None:
                c.add("finding", _short(f"{finding.id}: {finding.text or ''}"),
                      f"finding-{finding.id}", finding.due, None, finding.owner,
                      _("{kind} {day} '{title}'", kind=_kind(event.KIND),
                        day=event.date or "", title=event.title or ""), "policy", finding.src)


def _kind(kind: str) -> Message:
    return _("exercise") if kind == "exercise" else _("incident")


def _event_key(kind: str, event, days: list) -> str:
    """Stable, and unique even for two events on one day (then told apart by id or title)."""
    key = f"{kind}-{event.date.isoformat()}"
    if days.count(event.date) > 1:
        import hashlib

        key += "-" + (event.id or hashlib.sha256((event.title or "").encode()).hexdigest()[:8])
    return key


def _at(plan: Plan, key: str) -> Src:
    return Src(plan.document, (key,))


def _approval_rows(c: _Collector, title: str, approved: date | None) -> None:
    plan, j = c.plan, c.jurisdiction
    law = j.obligation("approve") if j else None
    policy = interval(plan, None, "approve_every")
    candidates = []  # (due, source, basis)
    if law is not None and law.data.get("rule") == "election-period":
        due = due_after(approved, j.data["elections"]) if approved else None
        candidates.append((due, law.citation, law.basis))
    if policy is not None:
        candidates.append((add(approved, policy.duration) if approved else None,
                           "plan policy", "policy"))
    if candidates:
        due, source, basis = min(candidates, key=lambda c_: c_[0] or date.min)
        c.add("approve", title, "plan", due, approved, plan.owner, source, basis,
              _at(plan, "approvals"))
    if approved is None:
        return
    _reapproval_row(c, title, approved, law)
    _submission_rows(c, title)


def _reapproval_row(c: _Collector, title: str, approved: date, law) -> None:
    plan = c.plan
    latest = plan.approvals[-1]
    data = plan.document.data
    if not latest.digest or digests.status(data, plan.approvals) != "changed":
        return
    recorded = latest.substantive_digest
    if recorded and recorded == digests.substantive_digest(data):
        return  # only non-substantive keys changed: no new council decision needed
    # when the change was made is known only from a revision recorded after the
    # approval; without one, count from the approval (the earliest it could be)
    changed_on = _latest(r.date for r in plan.revisions if r.date and r.date >= approved)
    start = changed_on or approved
    period = parse_duration(DEFAULT_REAPPROVE_WITHIN)
    source = _("{citation}; beredskap default ({duration} after the change)",
               citation=law.citation if law else "DESIGN §3.3", duration=period)
    c.add("reapprove", title, "plan", add(start, period), approved, plan.owner,
          source, "default", latest.src)


def _submission_rows(c: _Collector, title: str) -> None:
    plan, j = c.plan, c.jurisdiction
    law = j.obligation("submit") if j else None
    if law is None or law.interval is None:
        return
    rule = interval(plan, j, "submit_within")
    names = {n.casefold() for n in [law.data.get("recipient"), *law.data.get("recipient_aliases", [])]
             if n}
    dated = [a for a in plan.approvals if a.date]
    if not dated:
        return
    # the approved plan in force must be with the authority; older ones are superseded
    approval = max(dated, key=lambda a: a.date)
    sent = any(s.date and s.date >= approval.date
               and (s.to is None or s.to.casefold() in names or not names)
               for s in plan.submissions)
    if not sent:
        recipient = law.data.get("recipient") or _("the authority")
        source = _("plan policy") if rule.basis == "policy" else \
            _("{citation}; {within}: beredskap default", citation=law.citation,
              within=within(rule.duration))
        c.add("submit", _("{title} → {recipient}", title=title, recipient=recipient),
              f"approval-{approval.date.isoformat()}",
              add(approval.date, rule.duration), None, plan.owner, source, rule.basis,
              approval.src)


def _risk_rows(c: _Collector, title: str) -> None:
    plan, risk = c.plan, c.plan.risk_analysis
    own = None
    if risk is not None and risk.review_every is not None and "risk_review_every" not in plan.policy:
        text = plan.document.get(("risk_analysis", "review_every"))
        own = Interval(risk.review_every, text, "plan policy", "policy")
    subject = (risk.title if risk and risk.title else "ROS")
    c.every("risk-review", "risk_review_every", risk.date if risk else None, subject,
            "risk-analysis", plan.owner, risk.src if risk else _at(plan, "risk_analysis"), own)


def _entity_rows(c: _Collector, group_checks: bool = False) -> None:
    plan, j = c.plan, c.jurisdiction
    checked = (*plan.people, *plan.resources, *plan.partners)
    if group_checks:
        _grouped_checks(c, checked)
    else:
        for entry in checked:
            c.every("verify", "contacts_verify_every", entry.verified, _name(entry),
                    f"{entry.KIND}-{entry.id}", plan.owner, entry.verified_src or entry.src)
    for person, roles in plan.role_holders(clearance_required=True):
        clearance = person.clearance
        expires = clearance.expires if clearance else None
        c.add("clearance", _name(person), f"clearance-{person.id}", expires, None,
              plan.owner, _("role '{role}' requires security clearance (clearance_required)",
                            role=_role_title(plan, roles[0])), "policy",
              clearance.src if clearance else person.src)
    for card in plan.cards:
        own = Interval(card.review_every, plan_text(card.src, "review_every"), "plan policy",
                       "policy") if card.review_every is not None else None
        c.every("card-review", "cards_review_every", card.reviewed, _name(card),
                f"card-{card.id}", card.owner, card.src, own)
    statutory = (j.data.get("statutory_subplans") or {}) if j else {}
    for sub in plan.subplans:
        _subplan_row(c, sub, statutory.get(sub.statutory or "", None), j)
    for partner in plan.partners:
        if partner.agreement and partner.agreement.expires:
            c.add("agreement", f"{_name(partner)}: {partner.agreement.title or ''}".rstrip(": "),
                  f"agreement-{partner.id}", partner.agreement.expires, None, plan.owner,
                  _("agreement expiry date"), "policy", partner.agreement.src)


def _role_title(plan: Plan, role_id: str) -> str:
    role = plan.role(role_id)
    return (role.title if role is not None and role.title else role_id)


def _annex_name(plan: Plan, doc) -> str:
    for annex in plan.annexes:
        if doc in annex.documents:
            return " – ".join(p for p in (annex.letter, annex.title) if p) or doc.display
    title = doc.data.get("title") if isinstance(doc.data, dict) else None
    return title if isinstance(title, str) else doc.display


def _grouped_checks(c: _Collector, checked) -> None:
    """One contact check per annex file: due when its first entry is, done when its
    oldest check was; the entries to check now named in the subject."""
    rule = c.interval("contacts_verify_every")
    if rule is None or rule.duration is None:
        return
    files: dict[int, list] = {}
    for entry in checked:
        files.setdefault(id(entry.src.doc), []).append(entry)
    source = _source(rule, "contacts_verify_every")
    for entries in files.values():
        doc = entries[0].src.doc
        dues = [(add(e.verified, rule.duration) if e.verified else None, e) for e in entries]
        never = [e for d, e in dues if d is None]
        dated = sorted(((d, e) for d, e in dues if d is not None), key=lambda pair: pair[0])
        due = None if never or not dated else dated[0][0]
        pending = never + [e for d, e in dated if d <= c.soon]
        subject: Message = _n("{annex}: {n} entry", "{annex}: {n} entries", len(entries),
                              annex=_annex_name(c.plan, doc))
        if pending:
            names = [_name(e) for e in pending[:4]] + (["…"] if len(pending) > 4 else [])
            subject = _n("{entries}; {n} to check now: {names}",
                         "{entries}; {n} to check now: {names}", len(pending),
                         entries=subject, names=", ".join(names))
        last = None if never else min(e.verified for e in entries)
        where = never[0] if never else dated[0][1]
        key = _relative(c.plan, doc)
        c.add("verify", subject, f"contacts-{key}", due, last, c.plan.owner, source,
              rule.basis, where.verified_src or where.src)


def _relative(plan: Plan, doc) -> str:
    import os

    try:
        return os.path.relpath(doc.path, plan.folder).replace(os.sep, "/")
    except ValueError:
        return doc.path.name


def _subplan_row(c: _Collector, sub, statutory: dict | None, j) -> None:
    last = sub.last_revised
    if statutory and statutory.get("rule") == "election-period":
        due = due_after(last, j.data["elections"]) if last else None
        source, basis = statutory.get("citation", ""), statutory.get("basis", "law")
        if last and sub.review_every is not None and add(last, sub.review_every) < due:
            due, source, basis = add(last, sub.review_every), REGISTER, \
                "policy"  # the register's own, stricter interval
        c.add("subplan-review", _name(sub), f"subplan-{sub.id}", due, last, sub.owner,
              source, basis, sub.src)
        return
    if sub.review_every is not None:
        source = REGISTER
        if statutory:
            source = _("{citation}; {source}", citation=statutory.get("citation"),
                       source=REGISTER)
        c.add("subplan-review", _name(sub), f"subplan-{sub.id}",
              add(last, sub.review_every) if last else None, last, sub.owner, source,
              "policy", sub.src)


REGISTER = _("plan register (review_every)")


def plan_text(src, key: str) -> str:
    value = src.doc.get(src.path + (key,))
    return value if isinstance(value, str) else ""


def _short(text: str, limit: int = 80) -> str:
    """One line of at most `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _name(entity: Entity) -> str:
    return getattr(entity, "name", None) or getattr(entity, "title", None) or entity.id or "?"


def deadlines_for_plan(plan: Plan, jurisdiction: Jurisdiction | None, today: date,
                       soon_until: date, language: str = DEFAULT,
                       group_checks: bool = False) -> list[Deadline]:
    """Every deadline of one plan, sorted by due date, its texts in `language`.
    `group_checks`: one contact-check row per annex file instead of one per entry."""
    collector = _Collector(plan, jurisdiction, today, soon_until, translator(language))
    _plan_rows(collector)
    _entity_rows(collector, group_checks)
    return sort_deadlines(collector.rows)


_RANK = {"never": 0, "overdue": 1, "soon": 2, "ok": 3}


def deadline_order(d: Deadline) -> tuple:
    """Never-done and overdue first, then by due date."""
    return (_RANK[d.status] > 1, d.due, _RANK[d.status], d.plan, d.label, d.subject)


def sort_deadlines(rows: list[Deadline]) -> list[Deadline]:
    return sorted(rows, key=deadline_order)
