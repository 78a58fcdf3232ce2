"""The numbers and e-mail addresses that must never reach a public document, and
finding them wherever they are written.

What is withheld from the public version, wherever it stands:

- every phone number marked private (`private: true`, or anything that is not
  exactly `false`; see `markings`);
- every number of a person or partner in a withheld (exempt) annex file;
- the e-mail address of every person: annex A entries and the contact people
  of partners (the format has no way to mark an address private, so a
  person's address counts as private), and the address of a partner in a
  withheld file.

A number is found in any spacing: `99 88 77 66`, `99887766`, `+47 998 87 766`,
`99-88-77-66`, `(+47) 99.88.77.66`, broken over a line or by Markdown
emphasis, and with a country code or without. An address is found in any
letter case, with `(at)`, `[at]`, ` at ` or `%40` for `@`, and `(dot)` or
` dot ` for a dot.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from . import model as m
from .documents import Document
from .markings import file_identity, exemption

# between the digits of one number: spaces of every kind, dashes, dots, slashes,
# parentheses, and what Markdown or invisible formatting may put there
_JOINERS = frozenset(" \t\r\u00a0\u00ad\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                     "\u2007\u2008\u2009\u200a\u200b\u200c\u200d\u200e\u200f\u202f\u205f"
                     "\u2060\u3000\ufeff-\u2010\u2011\u2012\u2013\u2014\u2015\u2212./()[]"
                     "*_`~\\'+")
_MAX_GAP = 4  # joiner characters between two digits of one number
_SHORT = 6  # a secret of fewer digits is found only as a whole number, not inside one
_INVISIBLE = r"[\\*_`~\u00ad\u200b-\u200f\u2060\ufeff]*"
_AT = r"\s*(?:@|\(\s*at\s*\)|\[\s*at\s*\]|\{\s*at\s*\}|\s+at\s+|%40|&#0*64;|&commat;)\s*"
_DOT = r"\s*(?:\.|\(\s*(?:dot|punktum)\s*\)|\[\s*(?:dot|punktum)\s*\]|\s+(?:dot|punktum)\s+" \
       r"|%2e|&#0*46;|&period;)\s*"


def _digit(ch: str) -> str | None:
    value = unicodedata.decimal(ch, None)
    if value is None and not ch.isascii():
        folded = unicodedata.normalize("NFKC", ch)
        value = unicodedata.decimal(folded, None) if len(folded) == 1 else None
    return None if value is None else str(value)


@lru_cache(maxsize=4096)
def number_digits(number: str, region: str | None) -> str:
    """The digits that identify a phone number: its national number where the
    number can be read, else every digit written."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, region)
        national = str(parsed.national_number)
        if parsed.italian_leading_zero:
            national = "0" * max(1, parsed.number_of_leading_zeros or 1) + national
        if len(national) >= 3:
            return national
    except phonenumbers.NumberParseException:
        pass
    return "".join(d for d in map(_digit, number) if d is not None)


@dataclass(frozen=True, slots=True)
class Secret:
    kind: str  # "number" or "email"
    value: str  # the digits of a number; an address in lower case
    shown: str  # as written at its own place
    why: str  # "private" | "withheld" | "person"
    owner: str  # whose it is, for messages
    src: m.Src  # its own place


def _email_pattern(address: str) -> re.Pattern:
    local, _, domain = address.partition("@")

    def spelled(text: str) -> str:
        parts = []
        for i, piece in enumerate(text.split(".")):
            if i:
                parts.append(_INVISIBLE + _DOT + _INVISIBLE)
            parts.append(_INVISIBLE.join(re.escape(ch) for ch in piece))
        return "".join(parts)

    return re.compile(rf"(?<![\w.+-]){spelled(local)}{_INVISIBLE}{_AT}{_INVISIBLE}{spelled(domain)}(?![\w-])",
                      re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Email:
    secret: Secret
    pattern: re.Pattern
    token: str  # a piece of the address every spelling of it holds, to skip texts quickly


def _token(address: str) -> str:
    pieces = [p for p in re.split(r"[^0-9a-zæøå]+", address.partition("@")[0]) if p]
    best = max(pieces, key=len, default="")
    return best if len(best) >= 3 else ""


class Finder:
    """Finds secrets in text."""

    def __init__(self, secrets: list[Secret]):
        self.secrets = secrets
        numbers: dict[str, Secret] = {}
        for s in secrets:
            if s.kind == "number" and s.value:
                numbers.setdefault(s.value, s)
        self._long = {v: s for v, s in numbers.items() if len(v) >= _SHORT}
        self._short = {v: s for v, s in numbers.items() if len(v) < _SHORT}
        self._long_pattern = re.compile("|".join(
            re.escape(v) for v in sorted(self._long, key=len, reverse=True))) \
            if self._long else None
        emails: dict[str, Secret] = {}
        for s in secrets:
            if s.kind == "email" and "@" in s.value:
                emails.setdefault(s.value, s)
        self._emails = [_Email(s, _email_pattern(v), _token(v)) for v, s in emails.items()]

    def narrowed(self, text: str | None) -> "Finder":
        """The same finder, without the addresses `text` cannot hold (to check a file's
        many values quickly)."""
        if text is None or not self._emails:
            return self
        folded = text.casefold()
        narrow = Finder([])
        narrow.secrets, narrow._long, narrow._short = self.secrets, self._long, self._short
        narrow._long_pattern = self._long_pattern
        narrow._emails = [e for e in self._emails if not e.token or e.token in folded]
        return narrow

    def __bool__(self) -> bool:
        return bool(self._long or self._short or self._emails)

    def number(self, number: str, region: str | None) -> Secret | None:
        """The secret a phone number written in a `number` field is, if any."""
        digits = number_digits(number, region)
        found = self._long.get(digits) or self._short.get(digits)
        if found is not None:
            return found
        return next((s for _, _, s in self.find(number)), None)

    def email(self, address: str) -> Secret | None:
        return next((s for _, _, s in self.find(address) if s.kind == "email"), None)

    def find(self, text: str) -> list[tuple[int, int, Secret]]:
        """(start, end, secret) of every secret in `text`, in order, not overlapping."""
        if not text:
            return []
        spans = list(self._numbers_in(text)) if (self._long or self._short) else []
        if self._emails:
            folded = text.casefold()
            for email in self._emails:
                if email.token and email.token not in folded:
                    continue
                spans.extend((m_.start(), m_.end(), email.secret)
                             for m_ in email.pattern.finditer(text))
        spans.sort(key=lambda s: (s[0], -s[1]))
        merged: list[tuple[int, int, Secret]] = []
        for span in spans:
            if merged and span[0] < merged[-1][1]:
                if span[1] > merged[-1][1]:
                    merged[-1] = (merged[-1][0], span[1], merged[-1][2])
                continue
            merged.append(span)
        return merged

    def _numbers_in(self, text: str) -> Iterator[tuple[int, int, Secret]]:
        for digits, positions in _digit_runs(text):
            if self._long_pattern is not None:
                for match in self._long_pattern.finditer(digits):
                    start = positions[match.start()]
                    if 0 < match.start() <= 4:  # a country code before it goes with it
                        start = positions[0]
                        while start and text[start - 1] in "+(":
                            start -= 1
                    yield start, positions[match.end() - 1] + 1, self._long[match.group()]
            short = self._short.get(digits)
            if short is not None:
                yield positions[0], positions[-1] + 1, short

    def scrub(self, text: str, replacement: str) -> str:
        """`text` with every secret replaced."""
        spans = self.find(text)
        if not spans:
            return text
        out, last = [], 0
        for start, end, _secret in spans:
            out.append(text[last:start])
            out.append(replacement)
            last = end
        out.append(text[last:])
        return "".join(out)


_JOINER_CLASS = "".join(re.escape(ch) for ch in sorted(_JOINERS))
# digits joined by short gaps; a gap holding two line breaks (a new paragraph) ends it
_RUN = re.compile(rf"\d(?:[{_JOINER_CLASS}\n]{{0,{_MAX_GAP}}}\d)*")
_PARAGRAPH = re.compile(rf"\n[{_JOINER_CLASS}]*\n")
_ONE_DIGIT = re.compile(r"\d")


def _digit_runs(text: str) -> Iterator[tuple[str, list[int]]]:
    """Each run of digits joined by at most a few joiners (one line break at most)."""
    for match in _RUN.finditer(text):
        run, offset = match.group(), match.start()
        pieces = [(run, offset)]
        if run.count("\n") > 1:
            pieces, last = [], 0
            for gap in _PARAGRAPH.finditer(run):
                pieces.append((run[last:gap.start()], offset + last))
                last = gap.end()
            pieces.append((run[last:], offset + last))
        for piece, at in pieces:
            positions = [at + d.start() for d in _ONE_DIGIT.finditer(piece)]
            if not positions:
                continue
            digits = [piece[p - at] for p in positions]
            if not piece.isascii():
                digits = [_digit(d) or "0" for d in digits]
            yield "".join(digits), positions


# -- what is secret in a plan --------------------------------------------------------------

def withheld_documents(plan: m.Plan) -> dict[Document, m.Exempt]:
    """Every annex file withheld from the public version, and why.

    A file is withheld when any annex that lists it is exempt or the file itself
    is; the same file reached another way (a symlink, a hard link) is withheld too."""
    by_file: dict[tuple, m.Exempt] = {}
    docs: list[Document] = []
    for annex in plan.annexes:
        for doc in annex.documents:
            docs.append(doc)
            basis = annex.exempt or exemption(doc.data, m.Src(doc, ()))
            if basis is not None:
                by_file.setdefault(file_identity(doc.path), basis)
    found = {}
    for doc in docs:
        basis = by_file.get(file_identity(doc.path))
        if basis is not None:
            found.setdefault(doc, basis)
    return found


def region_of(plan: m.Plan) -> str | None:
    country = plan.organization.country
    return country.upper() if isinstance(country, str) and len(country) == 2 else None


def collect(plan: m.Plan, withheld: dict[Document, m.Exempt] | None = None) -> list[Secret]:
    """Every number and address of the plan that the public version must not show."""
    region = region_of(plan)
    withheld = withheld_documents(plan) if withheld is None else withheld
    found: list[Secret] = []

    def numbers(phones: list[m.Phone], owner: str, hidden: bool) -> None:
        for phone in phones:
            if phone.private or hidden:
                found.append(Secret("number", number_digits(phone.number, region),
                                    phone.number, "private" if phone.private else "withheld",
                                    owner, phone.src.child("number")))

    for person in plan.people:
        hidden = person.src.doc in withheld
        name = person.name or person.id or "?"
        numbers(person.phones, name, hidden)
        if person.email:
            found.append(Secret("email", person.email.strip().casefold(), person.email,
                                "person", name, person.src.child("email")))
    for partner in plan.partners:
        hidden = partner.src.doc in withheld
        name = partner.name or partner.id or "?"
        numbers(partner.phones, name, hidden)
        if partner.email and hidden:
            found.append(Secret("email", partner.email.strip().casefold(), partner.email,
                                "withheld", name, partner.src.child("email")))
        for contact in partner.contacts:
            who = contact.name or name
            numbers(contact.phones, who, hidden)
            if contact.email:
                found.append(Secret("email", contact.email.strip().casefold(), contact.email,
                                    "person", who, contact.src.child("email")))
    return [s for s in found if s.value]
