"""The alert list as vCards (RFC 6350, version 4.0) for phones.

One card per person in the call list (the call order, the level's deciders and
every crisis staff), with the roles they hold and where they stand in the call
order, and one card per external partner of the activation. Numbers are given
for dialling (`tel:` URIs in E.164 where the number can be read). With the
public audience, private numbers and e-mail addresses are left out.
Written with `vobject`.
"""
from __future__ import annotations

import uuid

from ..i18n import Translator, _
from .build import CallList, Holder, Number, PartnerEntry

_NAMESPACE = uuid.UUID("6f1d6c1e-5a43-4c1e-9b0e-6265726564be")  # fixed: stable card UIDs
CATEGORY = _("Emergency plan")


def _tel(card, number: Number) -> None:
    label = (number.label or "").casefold()
    kinds = ["voice"]
    if number.private:
        kinds.insert(0, "home")
    elif any(word in label for word in ("mobil", "cell")):
        kinds.insert(0, "cell")
    else:
        kinds.insert(0, "work")
    tel = card.add("tel")
    if number.dial and number.dial.startswith("+"):
        tel.value = f"tel:{number.dial}"
        tel.params["VALUE"] = ["uri"]
    else:
        tel.value = number.dial or number.number
    tel.params["TYPE"] = kinds


def _uid(calls: CallList, kind: str, ident: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{calls.plan}/{kind}/{ident}')}"


def as_vcf(calls: CallList, tr: Translator) -> str:
    import vobject

    people: dict[str, tuple[Holder, list[str]]] = {}
    for number, entry in enumerate(calls.call_order, 1):
        for holder in entry.holders:
            what = tr(_("call order {n}: {role} ({tag})", n=number, role=entry.title,
                        tag=_("deputy") if holder.deputy else _("primary")))
            _collect(people, holder, what)
    for entry in calls.roles():
        for holder in entry.holders:
            _collect(people, holder, entry.title)
    cards = []
    for holder, roles in people.values():
        if not holder.phones and not holder.email:
            continue  # nothing to call: the list itself shows the gap
        card = vobject.vCard()
        card.add("version").value = "4.0"
        card.add("uid").value = _uid(calls, "person", holder.id)
        card.add("kind").value = "individual"
        card.add("fn").value = holder.name
        given, _space, family = holder.name.rpartition(" ")
        card.add("n").value = vobject.vcard.Name(family=family, given=given)
        card.add("org").value = [calls.plan]
        if holder.position:
            card.add("title").value = holder.position
        card.add("role").value = ", ".join(dict.fromkeys(r for r in roles if ":" not in r))
        for number in holder.phones:
            _tel(card, number)
        if holder.email:
            card.add("email").value = holder.email
        card.add("categories").value = [tr(CATEGORY), calls.plan]
        card.add("note").value = "; ".join(dict.fromkeys(roles))
        cards.append(card.serialize())
    for partner in calls.partners:
        card = _partner_card(calls, partner, tr)
        if card is not None:
            cards.append(card)
    return "".join(cards)


def _collect(people: dict, holder: Holder, what: str) -> None:
    if holder.gap in ("unknown", "not-a-person"):
        return
    people.setdefault(holder.id, (holder, []))[1].append(what)


def _partner_card(calls: CallList, partner: PartnerEntry, tr: Translator) -> str | None:
    import vobject

    numbers = [*partner.phones, *(n for c in partner.contacts for n in c.phones)]
    if not numbers:
        return None
    card = vobject.vCard()
    card.add("version").value = "4.0"
    card.add("uid").value = _uid(calls, "partner", partner.id)
    card.add("kind").value = "org"
    card.add("fn").value = partner.name
    card.add("org").value = [partner.name]
    for number in numbers:
        _tel(card, number)
    if partner.email and calls.audience == "internal":
        card.add("email").value = partner.email
    card.add("categories").value = [tr(CATEGORY), calls.plan]
    lines = [tr(_("external partner of {plan}", plan=calls.plan))]
    if partner.type:
        lines.append(partner.type)
    for contact in partner.contacts:
        if contact.phones:
            lines.append(f"{contact.name}: {', '.join(n.number for n in contact.phones)}")
    card.add("note").value = "\n".join(lines)
    return card.serialize()
