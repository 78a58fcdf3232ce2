"""A private number or a person's e-mail address written where the public version would show it.

A number marked `private: true` and the e-mail addresses of people (annex A
and the contact people of partners) never appear in the public version. The
same number or address written somewhere else — in a section body, a card
step, a title, or under another entry without the flag (a partner's phone, a
second number of the same person) — would otherwise be published with it.
So would a number of a person or partner in a withheld (exempt) annex file
written outside that file. The number is found in any spacing (`99 88 77 66`,
`+47 998 87 766`, `99887766`), the address in any letter case.

`render --audience public` leaves it out there too, replaced by the
"withheld" note, so nothing is published; this warning is for the author, so
the source says what the document shows. Text inside an exempt section or a
withheld file is not reported: it is left out anyway.

Fix: write the number only where it is marked private, and in shared text
refer to the role or to a shared number or address instead.

    people:
      - id: kari-lia
        phones:
          - {number: "+47 934 56 890", label: privat, private: true}
    sections:
      - id: varsling
        body: Ring Kari på 934 56 890.   # reported: the private number of Kari Lia
"""
from __future__ import annotations

from ..documents import readable
from ..i18n import _
from ..markings import is_exempt
from ..private_data import Finder, collect, withheld_documents
from .base import hit

ID = "private-in-text"
SEVERITY = "warning"
SCOPE = "plan"
SUMMARY = ("a private number or a person's e-mail address written in free text or under "
           "another entry (the public render removes it anyway)")


def _strings(node, path=()):
    stack = [(node, path)]
    while stack:
        value, here = stack.pop()
        if isinstance(value, str):
            yield here, value
        elif isinstance(value, dict):
            for key, child in value.items():
                if not (isinstance(key, str) and key.startswith("x-")):  # never printed
                    stack.append((child, here + (key,)))
        elif isinstance(value, list):
            stack.extend((child, here + (i,)) for i, child in enumerate(value))


def _withheld_parts(doc) -> list[tuple]:
    """Paths in a file that the public version leaves out: exempt sections, annexes
    and register entries."""
    data = doc.data

    def listed(key) -> list:
        value = data.get(key)
        return list(enumerate(value)) if isinstance(value, list) else []

    found = []
    if doc.kind == "plan":
        stack = [(("sections", i), s) for i, s in listed("sections")]
        while stack:
            path, section = stack.pop()
            if is_exempt(section):
                found.append(path)
            elif isinstance(section, dict) and isinstance(section.get("sections"), list):
                stack.extend(((*path, "sections", i), s)
                             for i, s in enumerate(section["sections"]))
        found += [("annexes", i) for i, a in listed("annexes") if is_exempt(a)]
    elif doc.kind == "plan-register":
        found += [("plans", i) for i, p in listed("plans") if is_exempt(p)]
    return found


def _message(secret, where):
    place = f"{where.doc.display}:{where.line}"
    if secret.kind == "email":
        return _("the e-mail address of {owner} ({place}) is written here; the public version "
                 "leaves people's addresses out, so here too. In shared text, use a shared "
                 "address instead", owner=secret.owner, place=place)
    if secret.why == "withheld":
        return _("this number of {owner} belongs to a withheld file ({place}); the public "
                 "version leaves it out here too", owner=secret.owner, place=place)
    return _("the private number of {owner} ({place}) is written here; the public version "
             "leaves it out here too. Write it only where it is marked private",
             owner=secret.owner, place=place)


def check(ctx):
    plan = ctx.plan
    withheld = withheld_documents(plan)
    secrets = collect(plan, withheld)
    finder = Finder(secrets)
    if not finder:
        return
    own: dict = {}  # file -> the paths where a secret stands as it should
    for s in secrets:
        own.setdefault(s.src.doc, set()).add(s.src.path)
    for doc in ctx.documents:
        if doc in withheld or not readable(doc):
            continue
        # the file's text as a whole first: without YAML escapes (a backslash) every value's
        # digits and words stand in it too, and nearly every file holds no secret at all
        if doc.text is not None and "\\" not in doc.text and not finder.could_hold(doc.text):
            continue
        left_out = _withheld_parts(doc)
        own_here = own.get(doc, ())
        values = [(path, value) for path, value in _strings(doc.data)
                  if path not in own_here
                  and not (left_out and any(path[:len(p)] == p for p in left_out))]
        if not finder.could_hold("\x00".join(value for _path, value in values)):
            continue  # nearly every file: nothing to look at value by value
        in_file = finder.narrowed(doc.text)
        for path, value in values:
            reported = set()
            for _start, _end, secret in in_file.find(value):
                if secret.value in reported:
                    continue
                reported.add(secret.value)
                yield hit(doc.at(path), _message(secret, secret.src.at()))
