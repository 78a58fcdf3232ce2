"""The typed model of a loaded plan, shared by rules, `due` and `render`.

Every object keeps `src`, the place in its YAML file it came from, so any
finding or deadline can point back at the exact line. Fields that were missing
or of the wrong type are None (the `schema` rule reports them); the model never
guesses a value.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, Iterator

from .documents import Document, Location


@dataclass(frozen=True, slots=True)
class Src:
    """A node in a document: the file and the path of keys and indices to it."""

    doc: Document
    path: tuple

    def at(self, *sub, key: bool = False) -> Location:
        return self.doc.at(self.path + sub, key=key)

    def child(self, *sub) -> "Src":
        return Src(self.doc, self.path + sub)


@dataclass(slots=True)
class Ref:
    """A reference by id, and the kinds of object it may point to."""

    id: str
    src: Src
    kinds: frozenset[str]
    what: Any  # what the reference is, for messages (an i18n Message): "role holder"


@dataclass(slots=True)
class LevelRef:
    """A preparedness level named by number, where it was written."""
    level: int
    src: Src
    what: Any  # as Ref.what


@dataclass(slots=True)
class Exempt:
    """Why a part is exempt from public access: its legal basis."""
    basis: str
    src: Src


@dataclass(slots=True)
class Phone:
    """One phone number of a person, role, resource or partner."""
    number: str
    label: str | None
    private: bool
    src: Src


@dataclass(slots=True)
class Clearance:
    """A person's security clearance: level and expiry."""
    level: str | None
    expires: date | None
    src: Src


@dataclass(slots=True)
class Entity:
    """Anything with an id that other parts of the plan refer to."""
    KIND: ClassVar[str] = ""
    id: str | None
    src: Src


@dataclass(slots=True)
class Person(Entity):
    """A person on the alert list (annex A)."""
    KIND: ClassVar[str] = "person"
    name: str | None = None
    position: str | None = None
    unit: str | None = None
    phones: list[Phone] = field(default_factory=list)
    email: str | None = None
    clearance: Clearance | None = None
    verified: date | None = None
    verified_src: Src | None = None
    exempt: Exempt | None = None


@dataclass(slots=True)
class Role(Entity):
    """A role in the crisis organisation and the people who hold it, in order."""
    KIND: ClassVar[str] = "role"
    title: str | None = None
    holders: list[Ref] = field(default_factory=list)
    clearance_required: bool = False
    duties: str | None = None


@dataclass(slots=True)
class Staff(Entity):
    """A crisis staff or support function: its lead and members."""
    KIND: ClassVar[str] = "staff"
    title: str | None = None
    lead: Ref | None = None
    members: list[Ref] = field(default_factory=list)
    description: str | None = None


@dataclass(slots=True)
class Level:
    """A preparedness level and what it means."""
    level: int | None
    title: str | None
    description: str | None
    decided_by: list[Ref]
    src: Src


@dataclass(slots=True)
class Section(Entity):
    """A section of the plan: its text, its number as adopted (if given) and sub-sections."""
    KIND: ClassVar[str] = "section"
    title: str | None = None
    number: str | None = None  # as adopted (printed with `numbering: as-adopted`)
    numbered: bool = True  # False: printed without a number, skipped by auto numbering
    covers: list[str] = field(default_factory=list)
    shows: list[str] = field(default_factory=list)  # generated blocks shown after the body
    body: str | None = None
    exempt: Exempt | None = None
    sections: list["Section"] = field(default_factory=list)


@dataclass(slots=True)
class Resource(Entity):
    """A resource the crisis organisation can call on (annex B)."""
    KIND: ClassVar[str] = "resource"
    name: str | None = None
    category: str | None = None
    quantity: Any = None
    location: str | None = None
    owner: Ref | None = None
    contact: Ref | None = None
    requisition: str | None = None
    availability: str | None = None
    verified: date | None = None
    verified_src: Src | None = None
    exempt: Exempt | None = None


@dataclass(slots=True)
class SubPlan(Entity):
    """A sub-plan in the register of plans (annex C)."""
    KIND: ClassVar[str] = "sub-plan"
    title: str | None = None
    owner: Ref | None = None
    level: int | None = None
    approved_by: str | None = None
    last_revised: date | None = None
    review_every: Any = None
    location: str | None = None
    statutory: str | None = None
    exempt: Exempt | None = None


@dataclass(slots=True)
class PartnerContact:
    """A contact person of an external partner."""
    name: str | None
    role: str | None
    phones: list[Phone]
    email: str | None
    src: Src


@dataclass(slots=True)
class Agreement:
    """An agreement with an external partner."""
    title: str | None
    expires: date | None
    src: Src


@dataclass(slots=True)
class Partner(Entity):
    """An external partner (annex D)."""
    KIND: ClassVar[str] = "partner"
    name: str | None = None
    type: str | None = None
    phones: list[Phone] = field(default_factory=list)
    email: str | None = None
    contacts: list[PartnerContact] = field(default_factory=list)
    agreement: Agreement | None = None
    verified: date | None = None
    verified_src: Src | None = None
    exempt: Exempt | None = None


@dataclass(slots=True)
class Template(Entity):
    """A template for a document used in a crisis (annex E)."""
    KIND: ClassVar[str] = "template"
    title: str | None = None
    purpose: str | None = None
    body: str | None = None
    exempt: Exempt | None = None


@dataclass(slots=True)
class Step:
    """One step of an action card."""
    text: str | None
    who: Ref | None
    within: Any
    src: Src


@dataclass(slots=True)
class ActionCard(Entity):
    """An action card (annex F): who does what, step by step."""
    KIND: ClassVar[str] = "action card"
    title: str | None = None
    owner: Ref | None = None
    level: int | None = None
    trigger: str | None = None
    steps: list[Step] = field(default_factory=list)
    contacts: list[Ref] = field(default_factory=list)
    reviewed: date | None = None
    review_every: Any = None
    exempt: Exempt | None = None


@dataclass(slots=True)
class ExerciseFinding(Entity):
    """A finding of an exercise or incident evaluation, with owner and due date."""
    KIND: ClassVar[str] = "exercise finding"
    text: str | None = None
    owner: Ref | None = None
    due: date | None = None
    closed: date | None = None


@dataclass(slots=True)
class Exercise(Entity):
    """An exercise held, its evaluation and findings."""
    KIND: ClassVar[str] = "exercise"
    date: date | None = None
    title: str | None = None
    type: str | None = None
    evaluated: date | None = None
    findings: list[ExerciseFinding] = field(default_factory=list)


@dataclass(slots=True)
class Incident(Entity):
    """A real incident handled under the plan, its evaluation and findings."""
    KIND: ClassVar[str] = "incident"
    date: date | None = None
    title: str | None = None
    level: int | None = None
    evaluated: date | None = None
    findings: list[ExerciseFinding] = field(default_factory=list)


@dataclass(slots=True)
class Approval:
    """An approval of the plan by the council."""
    date: date | None
    by: str | None
    case: str | None
    digest: str | None
    src: Src
    substantive_digest: str | None = None


@dataclass(slots=True)
class Submission:
    """A submission of the plan to the national authority (Denmark)."""
    date: date | None
    to: str | None
    src: Src


@dataclass(slots=True)
class Revision:
    """A revision recorded in the change log."""
    date: date | None
    summary: str | None
    by: Ref | None
    src: Src


@dataclass(slots=True)
class RiskAnalysis:
    """The risk and vulnerability analysis the plan builds on."""
    title: str | None
    date: date | None
    review_every: Any
    src: Src


@dataclass(slots=True)
class PolicyValue:
    """A local policy value (an interval, a limit) and where it is set."""
    key: str
    text: str
    duration: Any  # None when not a valid duration (the schema rule reports it)
    src: Src


@dataclass(slots=True)
class Activation:
    """How the crisis organisation is activated: the call order and how fast the staff stands."""
    call_order: list[Ref]
    full_staff_within: Any
    sustain_for: Any
    description: str | None
    src: Src
    partners: list[Ref] = field(default_factory=list)  # external, alerted after the roles


@dataclass(slots=True)
class Annex:
    """An annex as the plan lists it: its letter, title and files."""
    KIND: ClassVar[str] = "annex"
    letter: str | None
    title: str | None
    file: str | None
    cards: str | None
    exempt: Exempt | None
    src: Src
    documents: list[Document] = field(default_factory=list)
    id: str | None = None  # optional: a cross-reference `[](#id)` may name the annex


@dataclass(slots=True)
class Organization:
    """The municipality the plan belongs to."""
    name: str | None
    country: str | None
    municipality_number: str | None
    logo: str | None = None  # a PNG or SVG, relative to the plan folder


@dataclass(eq=False)
class Plan:
    """One plan folder: `plan.yaml` and the annex files it lists."""

    folder: Path
    root: Path  # the repository root; no annex path may leave it
    document: Document
    id: str | None = None
    title: str | None = None
    subtitle: str | None = None
    organization: Organization = field(default_factory=lambda: Organization(None, None, None))
    language: str | None = None
    owner: Ref | None = None
    case_number: str | None = None
    jurisdiction: str | None = None
    numbering: str = "auto"  # auto | as-adopted | none
    # render.generated: the generated blocks allowed in their default place (None: all)
    generated: list[str] | None = None
    approvals: list[Approval] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    risk_analysis: RiskAnalysis | None = None
    exercises: list[Exercise] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    policy: dict[str, PolicyValue] = field(default_factory=dict)
    levels: list[Level] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    staff: list[Staff] = field(default_factory=list)
    activation: Activation | None = None
    sections: list[Section] = field(default_factory=list)
    annexes: list[Annex] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    subplans: list[SubPlan] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)
    cards: list[ActionCard] = field(default_factory=list)
    # every object with an id, in file order; more than one entry means a duplicate
    ids: dict[str, list[Entity]] = field(default_factory=dict)
    refs: list[Ref] = field(default_factory=list)
    level_refs: list[LevelRef] = field(default_factory=list)
    # answers worked out from this loaded plan that more than one reader asks for (the
    # approved version from git: the approval rule and the title page of a render)
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def documents(self) -> list[Document]:
        docs = [self.document]
        for annex in self.annexes:
            docs.extend(d for d in annex.documents if d not in docs)
        return docs

    def lookup(self, ref: Ref | str | None) -> Entity | None:
        """The object an id names, when exactly one object has it."""
        key = ref.id if isinstance(ref, Ref) else ref
        found = self.ids.get(key) if key else None
        return found[0] if found and len(found) == 1 else None

    def person(self, ref: Ref | str | None) -> Person | None:
        found = self.lookup(ref)
        return found if isinstance(found, Person) else None

    def role(self, ref: Ref | str | None) -> Role | None:
        found = self.lookup(ref)
        return found if isinstance(found, Role) else None

    def holders(self, role: Role) -> list[Person]:
        """The people holding a role, primary first; unresolved ids are skipped."""
        return [p for p in (self.person(h) for h in role.holders) if p is not None]

    def role_holders(self, clearance_required: bool = False) -> list[tuple[Person, list[str]]]:
        """Each person holding a role, once, with the ids of the roles they hold, in plan
        order; with `clearance_required`, only roles that require security clearance."""
        found: dict[int, tuple[Person, list[str]]] = {}
        for role in self.roles:
            if clearance_required and not role.clearance_required:
                continue
            for person in self.holders(role):
                found.setdefault(id(person), (person, []))[1].append(role.id or "?")
        return list(found.values())

    @property
    def events(self) -> list["Exercise | Incident"]:
        """Exercises, then incidents: what is evaluated and has findings."""
        return [*self.exercises, *self.incidents]

    def all_sections(self) -> Iterator[Section]:
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(section.sections))

    @property
    def level_numbers(self) -> set[int]:
        return {lv.level for lv in self.levels if lv.level is not None}
