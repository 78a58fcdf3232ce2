"""The call list's content: who to call, in which order, on which numbers, and the gaps.

Read straight from the model, with nothing skipped in silence: a holder id that
names nobody, a holder without a number and a role nobody in it can be reached
in are entries of the list (`gap`), so the person reading it aloud sees the gap
where it is, and the command fails.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..model import Partner, Person, Phone, Plan, Ref

# why an entry cannot be called: shown in the list itself
UNKNOWN = "unknown"  # the id names nothing in the plan
NOT_A_PERSON = "not-a-person"  # a holder id that names something else
NOT_A_ROLE = "not-a-role"  # a call-order entry that names no role
NOT_A_PARTNER = "not-a-partner"
NO_NUMBER = "no-number"  # known, but has no phone number at all
NO_PUBLIC_NUMBER = "no-public-number"  # only private numbers, left out of a public list
NO_HOLDER = "no-holder"  # a role without holders
UNREACHABLE = "unreachable"  # a role none of whose holders has a number

# gaps that are faults in the plan; a public list without private numbers is not one
FAULTS = {UNKNOWN, NOT_A_PERSON, NOT_A_ROLE, NOT_A_PARTNER, NO_NUMBER, NO_HOLDER, UNREACHABLE}
AUDIENCES = ("internal", "public")


@dataclass
class Number:
    number: str  # as written in the plan
    label: str | None
    private: bool
    dial: str | None = None  # E.164 (+4788010020), when the number can be read


@dataclass
class Holder:
    id: str
    name: str
    position: str | None
    phones: list[Number]
    deputy: bool
    email: str | None = None
    gap: str | None = None


@dataclass
class RoleEntry:
    role: str
    title: str
    holders: list[Holder]
    gap: str | None = None


@dataclass
class PartnerContact:
    name: str
    role: str | None
    phones: list[Number]


@dataclass
class PartnerEntry:
    id: str
    name: str
    type: str | None
    phones: list[Number]
    contacts: list[PartnerContact]
    email: str | None = None
    gap: str | None = None


@dataclass
class StaffEntry:
    id: str
    title: str
    lead: RoleEntry | None
    members: list[RoleEntry]


@dataclass
class CallList:
    plan: str  # the organisation's name
    title: str  # the plan's title
    audience: str
    country: str | None
    level: dict | None = None  # the chosen level: number, title and who may activate it
    call_order: list[RoleEntry] = field(default_factory=list)
    partners: list[PartnerEntry] = field(default_factory=list)
    staff: list[StaffEntry] = field(default_factory=list)

    def roles(self) -> list[RoleEntry]:
        """Every role entry of the list: level, call order, staffs."""
        found = list(self.level["decided_by"]) if self.level else []
        found += self.call_order
        for staff in self.staff:
            found += ([staff.lead] if staff.lead else []) + staff.members
        return found

    def gaps(self) -> list[tuple[str, str, str]]:
        """(where, who, why) for every fault in the list, once each."""
        seen, out = set(), []
        for entry in self.roles():
            items = [(entry.title, entry.title, entry.gap)] + \
                [(entry.title, h.name, h.gap) for h in entry.holders]
            for item in items:
                if item[2] in FAULTS and item not in seen:
                    seen.add(item)
                    out.append(item)
        for partner in self.partners:
            item = (partner.name, partner.name, partner.gap)
            if partner.gap in FAULTS and item not in seen:
                seen.add(item)
                out.append(item)
        return out

    def as_dict(self) -> dict:
        data = asdict(self)
        data["gaps"] = [{"where": w, "who": who, "gap": why} for w, who, why in self.gaps()]
        return data


def dial_form(number: str, region: str | None) -> str | None:
    """A number as E.164 for dialling (`+4788010020`); None when it cannot be read."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(parsed):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    digits = "".join(c for c in number if c.isdigit() or c == "+")
    return digits or None  # a short number such as 110 or 112 is dialled as written


class _Builder:
    def __init__(self, plan: Plan, audience: str):
        self.plan, self.audience = plan, audience
        self.region = (plan.organization.country or "").upper() or None

    def numbers(self, phones: list[Phone]) -> list[Number]:
        shown = [p for p in phones if not (p.private and self.audience == "public")]
        return [Number(p.number, p.label, p.private, dial_form(p.number, self.region))
                for p in shown]

    def holder(self, ref: Ref, deputy: bool) -> Holder:
        found = self.plan.lookup(ref)
        if found is None:
            return Holder(ref.id, ref.id, None, [], deputy, gap=UNKNOWN)
        if not isinstance(found, Person):
            return Holder(ref.id, ref.id, None, [], deputy, gap=NOT_A_PERSON)
        numbers = self.numbers(found.phones)
        gap = None
        if not numbers:
            gap = NO_PUBLIC_NUMBER if found.phones else NO_NUMBER
        email = found.email if self.audience == "internal" else None
        return Holder(found.id or ref.id, found.name or found.id or ref.id, found.position,
                      numbers, deputy, email, gap)

    def role(self, ref: Ref) -> RoleEntry:
        role = self.plan.role(ref)
        if role is None:
            gap = UNKNOWN if self.plan.lookup(ref) is None else NOT_A_ROLE
            return RoleEntry(ref.id, ref.id, [], gap)
        holders = [self.holder(h, index > 0) for index, h in enumerate(role.holders)]
        gap = None
        if not holders:
            gap = NO_HOLDER
        elif not any(h.phones for h in holders):
            gap = UNREACHABLE
        return RoleEntry(role.id or ref.id, role.title or role.id or ref.id, holders, gap)

    def partner(self, ref: Ref) -> PartnerEntry:
        found = self.plan.lookup(ref)
        if not isinstance(found, Partner):
            gap = UNKNOWN if found is None else NOT_A_PARTNER
            return PartnerEntry(ref.id, ref.id, None, [], [], gap=gap)
        contacts = [PartnerContact(c.name or "", c.role, self.numbers(c.phones))
                    for c in found.contacts]
        numbers = self.numbers(found.phones)
        gap = None
        if not numbers and not any(c.phones for c in contacts):
            everything = [*found.phones, *(p for c in found.contacts for p in c.phones)]
            gap = NO_PUBLIC_NUMBER if everything else NO_NUMBER
        email = found.email if self.audience == "internal" else None
        return PartnerEntry(found.id or ref.id, found.name or ref.id, found.type, numbers,
                            contacts, email, gap)


def call_list(plan: Plan, level: int | None = None, audience: str = "internal") -> CallList:
    """The call list of a plan; with `level`, headed by who may activate that level.
    `audience="public"` leaves out private numbers and e-mail addresses."""
    if audience not in AUDIENCES:
        raise ValueError(audience)
    build = _Builder(plan, audience)
    result = CallList(plan.organization.name or plan.title or plan.id or "",
                      plan.title or plan.id or "", audience, build.region)
    if level is not None:
        found = next((lv for lv in plan.levels if lv.level == level), None)
        if found is None:
            raise KeyError(level)
        result.level = {"level": found.level, "title": found.title,
                        "decided_by": [build.role(r) for r in found.decided_by]}
    if plan.activation is not None:
        result.call_order = [build.role(ref) for ref in plan.activation.call_order]
        result.partners = [build.partner(ref) for ref in plan.activation.partners]
    for staff in plan.staff:
        result.staff.append(StaffEntry(
            staff.id or "", staff.title or staff.id or "",
            build.role(staff.lead) if staff.lead else None,
            [build.role(ref) for ref in staff.members]))
    return result
