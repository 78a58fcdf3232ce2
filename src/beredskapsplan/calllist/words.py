"""The call list's words, shared by every format, and the plain-text list."""
from __future__ import annotations

from ..i18n import Translator, _, _n
from .build import (NO_HOLDER, NO_NUMBER, NO_PUBLIC_NUMBER, NOT_A_PARTNER, NOT_A_PERSON,
                    NOT_A_ROLE, UNKNOWN, UNREACHABLE, CallList, Holder, Number, PartnerEntry,
                    RoleEntry)

def gap_message(gap: str, ident: str = ""):
    """Why an entry cannot be called, as the list shows it."""
    return {
        UNKNOWN: lambda: _("⚠ '{id}' is not in the plan", id=ident),
        NOT_A_PERSON: lambda: _("⚠ '{id}' is not a person of the alert list", id=ident),
        NOT_A_ROLE: lambda: _("⚠ '{id}' is not a role of the plan", id=ident),
        NOT_A_PARTNER: lambda: _("⚠ '{id}' is not a partner of the plan", id=ident),
        NO_NUMBER: lambda: _("⚠ no number"),
        NO_PUBLIC_NUMBER: lambda: _("no public number"),
        NO_HOLDER: lambda: _("⚠ no one holds this role"),
        UNREACHABLE: lambda: _("⚠ no one in this role can be reached"),
    }[gap]()


PUBLIC = _("public version: private numbers are left out")
CALL_ORDER = _("Call order (try in this order, the primary first, then the deputies, until "
               "someone answers):")
NO_CALL_ORDER = _("⚠ the plan has no activation.call_order")
PARTNERS = _("External partners (alert after the roles):")
PRIMARY = _("primary")
DEPUTY = _("deputy")
PRIVATE = _("private")


def gap_text(tr: Translator, gap: str | None, ident: str = "") -> str:
    return tr(gap_message(gap, ident)) if gap else ""


def heading(plan: str):
    return _("CALL LIST – {plan}", plan=plan)


def level_heading(level: dict):
    return _("Level {level}: {title} – may be activated by:", level=level["level"],
             title=level["title"] or "")


def lead(role: str):
    return _("lead: {role}", role=role)


def gaps_line(count: int):
    return _n("⚠ {n} gap in the list: fix it in the plan (see `beredskap validate`)",
              "⚠ {n} gaps in the list: fix them in the plan (see `beredskap validate`)", count)


def number_text(tr: Translator, number: Number) -> str:
    labels = [number.label] if number.label else []
    if number.private and "priv" not in (number.label or "").casefold() \
            and tr(PRIVATE).casefold() not in (number.label or "").casefold():
        labels.append(tr(PRIVATE))
    return number.number + (f" ({', '.join(labels)})" if labels else "")


def numbers_text(tr: Translator, numbers: list[Number]) -> str:
    return ", ".join(number_text(tr, n) for n in numbers)


def holder_numbers(tr: Translator, holder: Holder) -> str:
    if holder.gap in (UNKNOWN, NOT_A_PERSON):
        return gap_text(tr, holder.gap, holder.id)
    text = numbers_text(tr, holder.phones)
    return text or gap_text(tr, holder.gap)


def partner_numbers(tr: Translator, partner: PartnerEntry) -> list[str]:
    """The partner's own numbers, then each contact's: one line each."""
    if partner.gap in (UNKNOWN, NOT_A_PARTNER):
        return [gap_text(tr, partner.gap, partner.id)]
    lines = [numbers_text(tr, partner.phones)] if partner.phones else []
    for contact in partner.contacts:
        if contact.phones:
            lines.append(f"{contact.name}: {numbers_text(tr, contact.phones)}")
    return lines or [gap_text(tr, partner.gap)]


def role_gap(tr: Translator, entry: RoleEntry) -> str:
    if entry.gap in (UNKNOWN, NOT_A_ROLE):
        return gap_text(tr, entry.gap, entry.role)
    return gap_text(tr, entry.gap)


# -- plain text ----------------------------------------------------------------------------

def _role_lines(tr: Translator, entry: RoleEntry, head: str) -> list[str]:
    gap = role_gap(tr, entry)
    lines = [f"{head}  {gap}" if gap else head]
    width = max([len(tr(PRIMARY)), len(tr(DEPUTY))])
    for holder in entry.holders:
        tag = tr(DEPUTY) if holder.deputy else tr(PRIMARY)
        lines.append(f"      {tag:<{width}}  {holder.name:<28} {holder_numbers(tr, holder)}")
    return lines


def as_text(calls: CallList, tr: Translator) -> str:
    lines = [tr(heading(calls.plan))]
    if calls.audience == "public":
        lines.append(f"({tr(PUBLIC)})")
    if calls.level:
        level = calls.level
        lines += ["", tr(level_heading(level))]
        for entry in level["decided_by"]:
            lines += _role_lines(tr, entry, f"    {entry.title}")
    lines += ["", tr(CALL_ORDER)]
    for number, entry in enumerate(calls.call_order, 1):
        lines += _role_lines(tr, entry, f"{number:>3}. {entry.title}")
    if not calls.call_order:
        lines.append(f"    {tr(NO_CALL_ORDER)}")
    if calls.partners:
        lines += ["", tr(PARTNERS)]
        start = len(calls.call_order) + 1
        for number, partner in enumerate(calls.partners, start):
            numbers = partner_numbers(tr, partner)
            lines.append(f"{number:>3}. {partner.name}")
            lines += [f"      {line}" for line in numbers]
    for staff in calls.staff:
        lines += ["", f"{staff.title}:"]
        if staff.lead:
            lines += _role_lines(tr, staff.lead, "    " + tr(lead(staff.lead.title)))
        for member in staff.members:
            lines += _role_lines(tr, member, f"    {member.title}")
    gaps = calls.gaps()
    if gaps:
        lines += ["", tr(gaps_line(len(gaps)))]
    return "\n".join(lines) + "\n"

