"""The call list: who to call, in which order, on which numbers.

What someone needs in the first minutes of a crisis, read straight from the
plan without any network or document tool: the activation call order with
every holder (primary first, deputies after) and their numbers, then the
composition of each crisis staff.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .model import Plan, Role


@dataclass
class Holder:
    name: str
    position: str | None
    phones: list[dict]  # {number, label, private}
    deputy: bool


@dataclass
class RoleEntry:
    role: str
    title: str
    holders: list[Holder]


@dataclass
class StaffEntry:
    id: str
    title: str
    lead: RoleEntry | None
    members: list[RoleEntry]


@dataclass
class CallList:
    plan: str
    level: dict | None  # the chosen level: number, title and who may activate it
    call_order: list[RoleEntry] = field(default_factory=list)
    staff: list[StaffEntry] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _role_entry(plan: Plan, role: Role | None, ref_id: str) -> RoleEntry:
    if role is None:
        return RoleEntry(ref_id, ref_id, [])
    holders = [Holder(p.name or p.id or "?", p.position,
                      [{"number": ph.number, "label": ph.label, "private": ph.private}
                       for ph in p.phones], deputy=index > 0)
               for index, p in enumerate(plan.holders(role))]
    return RoleEntry(role.id or ref_id, role.title or role.id or ref_id, holders)


def _entry(plan: Plan, ref) -> RoleEntry:
    return _role_entry(plan, plan.role(ref), ref.id)


def call_list(plan: Plan, level: int | None = None) -> CallList:
    """The call list of a plan; with `level`, headed by who may activate that level."""
    chosen = None
    if level is not None:
        found = next((lv for lv in plan.levels if lv.level == level), None)
        if found is None:
            raise KeyError(level)
        chosen = {"level": found.level, "title": found.title,
                  "decided_by": [asdict(_entry(plan, r)) for r in found.decided_by]}
    result = CallList(plan.organization.name or plan.title or plan.id or "", chosen)
    if plan.activation is not None:
        result.call_order = [_entry(plan, ref) for ref in plan.activation.call_order]
    for staff in plan.staff:
        result.staff.append(StaffEntry(
            staff.id or "", staff.title or staff.id or "",
            _entry(plan, staff.lead) if staff.lead else None,
            [_entry(plan, ref) for ref in staff.members]))
    return result


def _phones(holder: Holder) -> str:
    return ", ".join(f"{p['number']}" + (f" ({p['label']})" if p["label"] else "")
                     for p in holder.phones) or "NO NUMBER"


def _role_lines(entry: RoleEntry, indent: str) -> list[str]:
    lines = [f"{indent}{entry.title}"]
    for holder in entry.holders:
        tag = "deputy " if holder.deputy else "primary"
        lines.append(f"{indent}  {tag}  {holder.name:<28} {_phones(holder)}")
    if not entry.holders:
        lines.append(f"{indent}  (no holder)")
    return lines


def as_text(calls: CallList) -> str:
    lines = [f"CALL LIST – {calls.plan}"]
    if calls.level:
        lines += ["", f"Level {calls.level['level']}: {calls.level['title']} – may be activated by:"]
        for entry in calls.level["decided_by"]:
            lines += _role_lines(RoleEntry(entry["role"], entry["title"],
                                           [Holder(**h) for h in entry["holders"]]), "  ")
    lines += ["", "Call order (try in this order):"]
    for number, entry in enumerate(calls.call_order, 1):
        role_lines = _role_lines(entry, "  ")
        role_lines[0] = f"{number:>2}. {entry.title}"
        lines += role_lines
    if not calls.call_order:
        lines.append("  (the plan has no activation.call_order)")
    for staff in calls.staff:
        lines += ["", f"{staff.title}:"]
        if staff.lead:
            lead = _role_lines(staff.lead, "  ")
            lead[0] = f"  lead: {staff.lead.title}"
            lines += lead
        for member in staff.members:
            lines += _role_lines(member, "  ")
    return "\n".join(lines) + "\n"
