"""Building the model from a plan folder's documents.

Tolerant by design: a value of the wrong type becomes None and the `schema`
rule reports it, so one typo never hides every other finding.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from . import model as m
from .markings import exemption, is_private
from .dates import parse_date, parse_duration
from .documents import Document, display_path, readable
from .i18n import Message, _, with_value
from .project import PLAN_FILE, DocumentCache, Resolved, card_files, repository_root, \
    resolve_inside, stray_yaml_files

ROLE = frozenset({"role"})
PERSON = frozenset({"person"})
PARTNER = frozenset({"partner"})
ROLE_OR_STAFF = frozenset({"role", "staff"})
ROLE_OR_PARTNER = frozenset({"role", "partner"})
PERSON_OR_PARTNER = frozenset({"person", "partner"})

# what a reference is, for the messages about it ("role holder 'x' is not the id of a person")
REF_NAMES: dict[str, Message] = {
    "plan owner": _("plan owner"), "revision author": _("revision author"),
    "incident level": _("incident level"), "finding owner": _("finding owner"),
    "level decided by": _("level decided by"), "role holder": _("role holder"),
    "staff lead": _("staff lead"), "staff member": _("staff member"),
    "call order entry": _("call order entry"), "resource owner": _("resource owner"),
    "resource contact": _("resource contact"), "sub-plan owner": _("sub-plan owner"),
    "sub-plan level": _("sub-plan level"), "step owner": _("step owner"),
    "card owner": _("card owner"), "card level": _("card level"),
    "card contact": _("card contact"),
}

POLICY_KEYS = ("revise_every", "approve_every", "exercise_every", "evaluate_within", "risk_review_every",
               "contacts_verify_every", "cards_review_every", "submit_within")


@dataclass(slots=True)
class PathIssue:
    """An annex path that could not be used (`missing-file`, `unsafe-path`)."""

    rule: str
    message: Message
    src: m.Src


@dataclass(eq=False)
class LoadedPlan:
    plan: m.Plan
    path_issues: list[PathIssue]
    unreferenced: list[Path]


def text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def integer(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def items(value: Any) -> Iterator[tuple[int, dict]]:
    """(index, mapping) for each mapping in a list; anything else is skipped."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


class Builder:
    def __init__(self, plan: m.Plan):
        self.plan = plan

    # -- references and ids ------------------------------------------------
    def ref(self, value: Any, src: m.Src, kinds: frozenset, what: str) -> m.Ref | None:
        if not isinstance(value, str):
            return None
        ref = m.Ref(value, src, kinds, REF_NAMES.get(what, what))
        self.plan.refs.append(ref)
        return ref

    def refs(self, value: Any, src: m.Src, kinds: frozenset, what: str) -> list[m.Ref]:
        if not isinstance(value, list):
            return []
        found = (self.ref(v, src.child(i), kinds, what) for i, v in enumerate(value))
        return [r for r in found if r is not None]

    def level_ref(self, value: Any, src: m.Src, what: str) -> int | None:
        level = integer(value)
        if level is not None:
            self.plan.level_refs.append(m.LevelRef(level, src, REF_NAMES.get(what, what)))
        return level

    def register(self, entity: m.Entity) -> m.Entity:
        if entity.id is not None:
            self.plan.ids.setdefault(entity.id, []).append(entity)
        return entity

    # -- small shared pieces ----------------------------------------------
    @staticmethod
    def phones(value: Any, src: m.Src, owner: dict | None = None) -> list[m.Phone]:
        # is_private fails closed: `private: yes`, a misspelt key or a label "privat" count,
        # and a `private` marking on the entry holding the numbers marks all of them
        everything = owner is not None and is_private(owner, label=False)
        return [m.Phone(text(p.get("number")) or "", text(p.get("label")),
                        everything or is_private(p), src.child(i))
                for i, p in items(value) if text(p.get("number"))]

    @staticmethod
    def verified(entry: dict, src: m.Src, default: tuple) -> tuple:
        if "verified" in entry:
            return parse_date(entry["verified"]), src.child("verified")
        return default

    # -- plan.yaml -----------------------------------------------------------
    def plan_file(self, doc: Document) -> None:
        data, plan = doc.data, self.plan
        root = m.Src(doc, ())
        plan.id = text(data.get("id"))
        plan.title = text(data.get("title"))
        plan.subtitle = text(data.get("subtitle"))
        org = data.get("organization") if isinstance(data.get("organization"), dict) else {}
        plan.organization = m.Organization(text(org.get("name")), text(org.get("country")),
                                           text(org.get("municipality_number")),
                                           text(org.get("logo")))
        plan.language = text(data.get("language"))
        plan.owner = self.ref(data.get("owner"), root.child("owner"), ROLE, "plan owner")
        plan.case_number = text(data.get("case_number"))
        plan.jurisdiction = text(data.get("jurisdiction"))
        if data.get("numbering") in ("auto", "as-adopted", "none"):
            plan.numbering = data["numbering"]
        render = data.get("render")
        if isinstance(render, dict) and isinstance(render.get("generated"), list):
            plan.generated = [b for b in render["generated"] if isinstance(b, str)]
        self.history(data, root)
        self.organisation(data, root)
        plan.sections = self.sections(data.get("sections"), root.child("sections"))
        for i, a in items(data.get("annexes")):
            src = root.child("annexes", i)
            annex = m.Annex(text(a.get("letter")), text(a.get("title")), text(a.get("file")),
                            text(a.get("cards")), exemption(a, src), src, id=text(a.get("id")))
            plan.annexes.append(annex)
            if annex.id:  # in the plan's one id namespace, like every other id
                plan.ids.setdefault(annex.id, []).append(annex)

    def history(self, data: dict, root: m.Src) -> None:
        plan = self.plan
        for i, a in items(data.get("approvals")):
            plan.approvals.append(m.Approval(parse_date(a.get("date")), text(a.get("by")),
                                             text(a.get("case")), text(a.get("digest")),
                                             root.child("approvals", i),
                                             text(a.get("substantive_digest"))))
        for i, s in items(data.get("submissions")):
            plan.submissions.append(m.Submission(parse_date(s.get("date")), text(s.get("to")),
                                                 root.child("submissions", i)))
        for i, r in items(data.get("revisions")):
            src = root.child("revisions", i)
            plan.revisions.append(m.Revision(parse_date(r.get("date")), text(r.get("summary")),
                                             self.ref(r.get("by"), src.child("by"), ROLE,
                                                      "revision author"), src))
        risk = data.get("risk_analysis")
        if isinstance(risk, dict):
            plan.risk_analysis = m.RiskAnalysis(text(risk.get("title")),
                                                parse_date(risk.get("date")),
                                                parse_duration(risk.get("review_every")),
                                                root.child("risk_analysis"))
        for i, e in items(data.get("exercises")):
            src = root.child("exercises", i)
            plan.exercises.append(self.register(m.Exercise(
                text(e.get("id")), src, date=parse_date(e.get("date")), title=text(e.get("title")),
                type=text(e.get("type")), evaluated=parse_date(e.get("evaluated")),
                findings=self.findings(e.get("findings"), src))))
        for i, n in items(data.get("incidents")):
            src = root.child("incidents", i)
            plan.incidents.append(self.register(m.Incident(
                text(n.get("id")), src, date=parse_date(n.get("date")), title=text(n.get("title")),
                level=self.level_ref(n.get("level"), src.child("level"), "incident level"),
                evaluated=parse_date(n.get("evaluated")),
                findings=self.findings(n.get("findings"), src))))
        policy = data.get("policy")
        if isinstance(policy, dict):
            for key in POLICY_KEYS:
                if isinstance(policy.get(key), str):
                    plan.policy[key] = m.PolicyValue(key, policy[key], parse_duration(policy[key]),
                                                     root.child("policy", key))

    def findings(self, value: Any, src: m.Src) -> list[m.ExerciseFinding]:
        """The findings of an exercise or incident."""
        found = []
        for j, f in items(value):
            fsrc = src.child("findings", j)
            found.append(self.register(m.ExerciseFinding(
                text(f.get("id")), fsrc, text=text(f.get("text")),
                owner=self.ref(f.get("owner"), fsrc.child("owner"), ROLE_OR_STAFF, "finding owner"),
                due=parse_date(f.get("due")), closed=parse_date(f.get("closed")))))
        return found

    def organisation(self, data: dict, root: m.Src) -> None:
        plan = self.plan
        for i, lv in items(data.get("levels")):
            src = root.child("levels", i)
            plan.levels.append(m.Level(integer(lv.get("level")), text(lv.get("title")),
                                       text(lv.get("description")),
                                       self.refs(lv.get("decided_by"), src.child("decided_by"),
                                                 ROLE, "level decided by"), src))
        for i, r in items(data.get("roles")):
            src = root.child("roles", i)
            plan.roles.append(self.register(m.Role(
                text(r.get("id")), src, title=text(r.get("title")),
                holders=self.refs(r.get("holders"), src.child("holders"), PERSON, "role holder"),
                clearance_required=r.get("clearance_required") is True,
                duties=text(r.get("duties")))))
        for i, s in items(data.get("staff")):
            src = root.child("staff", i)
            plan.staff.append(self.register(m.Staff(
                text(s.get("id")), src, title=text(s.get("title")),
                lead=self.ref(s.get("lead"), src.child("lead"), ROLE, "staff lead"),
                members=self.refs(s.get("members"), src.child("members"), ROLE, "staff member"),
                description=text(s.get("description")))))
        act = data.get("activation")
        if isinstance(act, dict):
            src = root.child("activation")
            plan.activation = m.Activation(
                self.refs(act.get("call_order"), src.child("call_order"), ROLE, "call order entry"),
                parse_duration(act.get("full_staff_within")), parse_duration(act.get("sustain_for")),
                text(act.get("description")), src,
                self.refs(act.get("partners"), src.child("partners"), PARTNER,
                          "activation partner"))

    def sections(self, value: Any, src: m.Src) -> list[m.Section]:
        result = []
        for i, s in items(value):
            ssrc = src.child(i)
            covers = [c for c in s.get("covers", []) if isinstance(c, str)] \
                if isinstance(s.get("covers"), list) else []
            shows = [b for b in s.get("shows", []) if isinstance(b, str)] \
                if isinstance(s.get("shows"), list) else []
            result.append(self.register(m.Section(
                text(s.get("id")), ssrc, title=text(s.get("title")), number=text(s.get("number")),
                numbered=s.get("numbered") is not False, covers=covers, shows=shows,
                body=text(s.get("body")), exempt=exemption(s, ssrc),
                sections=self.sections(s.get("sections"), ssrc.child("sections")))))
        return result

    # -- annex files -----------------------------------------------------------
    def annex_file(self, doc: Document) -> None:
        data = doc.data
        if not readable(doc):
            return
        root = m.Src(doc, ())
        exempt = exemption(data, root)
        default_verified = (parse_date(data.get("verified")), root.child("verified")) \
            if "verified" in data else (None, None)
        reader = getattr(self, "kind_" + str(data.get("kind")).replace("-", "_"), None)
        if reader is not None:
            reader(data, root, exempt, default_verified)

    def kind_contacts(self, data, root, exempt, default_verified) -> None:
        for i, p in items(data.get("people")):
            src = root.child("people", i)
            clearance = p.get("clearance")
            verified, verified_src = self.verified(p, src, default_verified)
            self.plan.people.append(self.register(m.Person(
                text(p.get("id")), src, name=text(p.get("name")), position=text(p.get("position")),
                unit=text(p.get("unit")), phones=self.phones(p.get("phones"), src.child("phones"), p),
                email=text(p.get("email")),
                clearance=m.Clearance(text(clearance.get("level")),
                                      parse_date(clearance.get("expires")), src.child("clearance"))
                if isinstance(clearance, dict) else None,
                verified=verified, verified_src=verified_src, exempt=exemption(p, src) or exempt)))

    def kind_resources(self, data, root, exempt, default_verified) -> None:
        for i, r in items(data.get("resources")):
            src = root.child("resources", i)
            verified, verified_src = self.verified(r, src, default_verified)
            self.plan.resources.append(self.register(m.Resource(
                text(r.get("id")), src, name=text(r.get("name")), category=text(r.get("category")),
                quantity=r.get("quantity"), location=text(r.get("location")),
                owner=self.ref(r.get("owner"), src.child("owner"), ROLE_OR_PARTNER,
                               "resource owner"),
                contact=self.ref(r.get("contact"), src.child("contact"), PERSON_OR_PARTNER,
                                 "resource contact"),
                requisition=text(r.get("requisition")), availability=text(r.get("availability")),
                verified=verified, verified_src=verified_src, exempt=exemption(r, src) or exempt)))

    def kind_plan_register(self, data, root, exempt, default_verified) -> None:
        for i, p in items(data.get("plans")):
            src = root.child("plans", i)
            self.plan.subplans.append(self.register(m.SubPlan(
                text(p.get("id")), src, title=text(p.get("title")),
                owner=self.ref(p.get("owner"), src.child("owner"), ROLE, "sub-plan owner"),
                level=self.level_ref(p.get("level"), src.child("level"), "sub-plan level"),
                approved_by=text(p.get("approved_by")),
                last_revised=parse_date(p.get("last_revised")),
                review_every=parse_duration(p.get("review_every")),
                location=text(p.get("location")), statutory=text(p.get("statutory")),
                exempt=exemption(p, src) or exempt)))

    def kind_partners(self, data, root, exempt, default_verified) -> None:
        for i, p in items(data.get("partners")):
            src = root.child("partners", i)
            agreement = p.get("agreement")
            verified, verified_src = self.verified(p, src, default_verified)
            self.plan.partners.append(self.register(m.Partner(
                text(p.get("id")), src, name=text(p.get("name")), type=text(p.get("type")),
                phones=self.phones(p.get("phones"), src.child("phones"), p),
                email=text(p.get("email")),
                contacts=[m.PartnerContact(text(c.get("name")), text(c.get("role")),
                                           self.phones(c.get("phones"),
                                                       src.child("contacts", j, "phones"), c),
                                           text(c.get("email")), src.child("contacts", j))
                          for j, c in items(p.get("contacts"))],
                agreement=m.Agreement(text(agreement.get("title")),
                                      parse_date(agreement.get("expires")), src.child("agreement"))
                if isinstance(agreement, dict) else None,
                verified=verified, verified_src=verified_src, exempt=exemption(p, src) or exempt)))

    def kind_templates(self, data, root, exempt, default_verified) -> None:
        for i, t in items(data.get("templates")):
            src = root.child("templates", i)
            self.plan.templates.append(self.register(m.Template(
                text(t.get("id")), src, title=text(t.get("title")), purpose=text(t.get("purpose")),
                body=text(t.get("body")), exempt=exemption(t, src) or exempt)))

    def kind_action_card(self, data, root, exempt, default_verified) -> None:
        steps = []
        for i, s in items(data.get("steps")):
            src = root.child("steps", i)
            steps.append(m.Step(text(s.get("text")),
                                self.ref(s.get("who"), src.child("who"), ROLE, "step owner"),
                                parse_duration(s.get("within")), src))
        self.plan.cards.append(self.register(m.ActionCard(
            text(data.get("id")), root, title=text(data.get("title")),
            owner=self.ref(data.get("owner"), root.child("owner"), ROLE, "card owner"),
            level=self.level_ref(data.get("level"), root.child("level"), "card level"),
            trigger=text(data.get("trigger")), steps=steps,
            contacts=self.refs(data.get("contacts"), root.child("contacts"), PERSON_OR_PARTNER,
                               "card contact"),
            reviewed=parse_date(data.get("reviewed")),
            review_every=parse_duration(data.get("review_every")), exempt=exempt)))


def load_plan(folder: Path, cache: DocumentCache | None = None,
              strays: bool = True) -> LoadedPlan:
    """Read a plan folder: plan.yaml, then every annex it lists. Never raises.

    `strays=False` skips looking for YAML files the plan does not use."""
    cache = cache or DocumentCache()
    folder = folder.absolute()
    root = repository_root(folder)
    issues: list[PathIssue] = []
    real_folder, real_root = folder.resolve(), root.resolve()
    plan_file = resolve_inside(real_folder, PLAN_FILE, real_root, real=True)
    if plan_file.rule == "unsafe-path":  # a symlink out of the repository: never read it
        document = Document(folder / PLAN_FILE, display_path(folder / PLAN_FILE))
        plan = m.Plan(folder=folder, root=root, document=document)
        issues.append(PathIssue("unsafe-path", with_value(
            plan_file.message, path=display_path(folder / PLAN_FILE)), m.Src(document, ())))
        return LoadedPlan(plan, issues, [])
    document = cache.read(folder / PLAN_FILE)
    plan = m.Plan(folder=folder, root=root, document=document)
    used = {plan_file.path or (folder / PLAN_FILE).resolve()}
    if not readable(document):
        return LoadedPlan(plan, issues, [])
    builder = Builder(plan)
    builder.plan_file(document)
    for annex in plan.annexes:
        for key in ("file", "cards"):
            relative = getattr(annex, key)
            if relative is None:
                continue
            resolved = resolve_inside(real_folder, relative, real_root, real=True)
            if resolved.path is None:
                issues.append(PathIssue(resolved.rule, resolved.message, annex.src.child(key)))
                continue
            paths, unsafe = _annex_paths(resolved, key, relative, real_root)
            issues.extend(PathIssue(u.rule, u.message, annex.src.child(key)) for u in unsafe)
            for path in paths:
                used.add(path)
                annex.documents.append(cache.read(path, real=True))  # resolve_inside made it real
    for doc in plan.documents[1:]:
        builder.annex_file(doc)
    return LoadedPlan(plan, issues, stray_yaml_files(folder, used) if strays else [])


def _annex_paths(resolved: Resolved, key: str, relative: str, root: Path):
    path = resolved.path
    if key == "file":
        if not path.is_file():
            return [], [Resolved(None, "missing-file", _("'{path}' is a folder, not a file; "
                                                         "name the file, or use `cards:` for "
                                                         "a folder of action cards",
                                                         path=relative))]
        return [path], []
    if not path.is_dir():
        return [], [Resolved(None, "missing-file", _("'{path}' is a file, not a folder of "
                                                     "cards; name the folder, or use `file:` "
                                                     "for a single annex file",
                                                     path=relative))]
    return card_files(path, root, relative)


def load_annex_file(doc: Document) -> m.Plan:
    """A single annex file read on its own, as a plan holding only that file."""
    plan = m.Plan(folder=doc.path.parent, root=repository_root(doc.path.parent), document=doc)
    Builder(plan).annex_file(doc)
    return plan
