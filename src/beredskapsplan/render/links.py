"""Links in the document tree: cross-references, e-mail addresses and phone numbers.

- A cross-reference is a Markdown link to an id: `[](#koordinering)` prints the
  target's number and title ("4.3 Koordinering af handlinger og ressourcer") and
  links to it; `[se her](#koordinering)` keeps its text. The target is a
  section, an action card or an annex (`context.Target`); the link goes to its
  positional anchor, never to the id itself, so the public version names
  nothing it withholds.
- E-mail addresses and phone numbers become `mailto:` and `tel:` links, in the
  annex tables (where a number's digit groups are joined by no-break spaces)
  and in running text ("ring 47 97 40 00"). Each format then keeps them on one
  line (`assemble`).
"""
from __future__ import annotations

import re
from typing import Callable

from .tree import map_inlines, words

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_EMAIL_WORD = re.compile(r"([(\[]?)(" + EMAIL.pattern + r")([.,;:)\]]*)\Z")
# a number from the annexes: digit groups joined by no-break spaces
_JOINED_PHONE = re.compile(r"([(]?)(\+?\d[\d\u00a0]{4,}\d)([.,;:)]*)\Z")
# a digit group of a number written in running text: "+45", "47", "815"
_FIRST_GROUP = re.compile(r"([(]?)(\+\d{2,3}|\d{2,3})\Z")
_GROUP = re.compile(r"(\d{2,3})([.,;:)]*)\Z")


def cross_references(blocks: list, targets: dict) -> list:
    """Links to `#id` of a section, card or annex: to its anchor, with its number and
    title when the link has no text of its own."""

    def replace(item: dict, again) -> list | None:
        if item.get("t") != "Link" or not item["c"][2][0].startswith("#"):
            return None
        target = targets.get(item["c"][2][0][1:])
        text = item["c"][1]
        if target is None:
            # an unknown id (validate reports it): its text, or the id itself
            return None if text else [{"t": "Str", "c": item["c"][2][0]}]
        content = again(text) if text else words(target.label)
        if target.anchor is None:  # withheld: nothing to link to in this version
            return content
        return [{"t": "Link", "c": [["", [], []], content, ["#" + target.anchor, ""]]}]

    return map_inlines(blocks, replace)


Make = Callable[[str, str, list], list]  # (kind "tel"/"mailto", target, text) -> inlines


def contact_links(blocks: list, make: Make) -> list:
    """Every e-mail address and phone number as a link, made by `make`."""

    def keep_links(item: dict, _again) -> list | None:
        # never a link in a link; a link the text already has is left as it is
        return [item] if item.get("t") in ("Link", "Code") else None

    def tidy(items: list) -> list:
        out: list = []
        i = 0
        while i < len(items):
            item = items[i]
            if item.get("t") != "Str":
                out.append(item)
                i += 1
                continue
            text = item["c"]
            email = _EMAIL_WORD.match(text) if "@" in text else None
            joined = _JOINED_PHONE.match(text) if "\u00a0" in text else None
            if email:
                address = email.group(2)
                out.extend(_around(email.group(1), make("mailto", "mailto:" + address,
                                                        [{"t": "Str", "c": address}]),
                                   email.group(3)))
                i += 1
                continue
            if joined:
                number = joined.group(2)
                out.extend(_around(joined.group(1), make("tel", _tel(number),
                                                         _spaced(number)), joined.group(3)))
                i += 1
                continue
            found = _number_in_text(items, i)
            if found is not None:
                end, lead, groups, trail = found
                number = " ".join(groups)
                out.extend(_around(lead, make("tel", _tel(number), _spaced(number)), trail))
                i = end
                continue
            out.append(item)
            i += 1
        return out

    return map_inlines(blocks, keep_links, tidy)


def _tel(number: str) -> str:
    return "tel:" + re.sub(r"[^\d+]", "", number)


def _spaced(number: str) -> list:
    """A number as it is written, its groups divided by ordinary spaces."""
    return words(number.replace("\u00a0", " "))


def _around(lead: str, link: list, trail: str) -> list:
    return ([{"t": "Str", "c": lead}] if lead else []) + link + \
        ([{"t": "Str", "c": trail}] if trail else [])


def _number_in_text(items: list, start: int):
    """A phone number written in running text from items[start]: digit groups
    separated by single spaces ("47 97 40 00", "+45 47 97 40 00", "815 00 000"),
    8 to 13 digits (with a country code) in at least three groups. Returns (end index, text before,
    groups, text after) or None."""
    first = _FIRST_GROUP.match(items[start]["c"])
    if first is None:
        return None
    groups = [first.group(2)]
    trail = ""
    i = start + 1
    while i + 1 < len(items) and items[i].get("t") == "Space" and items[i + 1].get("t") == "Str":
        group = _GROUP.match(items[i + 1]["c"])
        if group is None:
            break
        groups.append(group.group(1))
        i += 2
        if group.group(2):
            trail = group.group(2)
            break
    digits = sum(len(g.lstrip("+")) for g in groups)  # with the country code, if any
    if len(groups) < 3 or not 8 <= digits <= 13:
        return None
    return i, first.group(1), groups, trail
