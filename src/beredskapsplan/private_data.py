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


# countries whose numbers have no trunk prefix: written without a country code, the
# digits are the national number
_COUNTRY_CODES = {"NO": "47", "DK": "45"}
_SPACING = re.compile(r"[\s\-./()]+")


@lru_cache(maxsize=4096)
def number_digits(number: str, region: str | None) -> str:
    """The digits that identify a phone number: its national number where the
    number can be read, else every digit written."""
    import phonenumbers

    compact = _SPACING.sub("", number)
    code = _COUNTRY_CODES.get(region)
    if code and compact.isascii():  # the common "+47 412 34 567" / "41 23 45 67", quickly
        if compact.startswith("+" + code) and compact[1 + len(code):].isdigit():
            return compact[1 + len(code):].lstrip("0") or "0"
        if compact.isdigit() and not compact.startswith("0"):
            return compact
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


@lru_cache(maxsize=4096)
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


_NOT_DIGIT = bytes(b for b in range(128) if not (48 <= b <= 57 or b == 0))
# where an address may stand: an `@` in some spelling
_AT_QUICK = re.compile(r"@|\bat\b|%40|&#0*64;|&commat;", re.IGNORECASE)


_OTHER_DIGIT = re.compile(r"[^\D0-9]")  # a digit, but not 0-9


def _other_digits(text: str) -> bool:
    """Whether `text` holds a digit of another script (fullwidth, Arabic-Indic ...)."""
    return not text.isascii() and _OTHER_DIGIT.search(text) is not None
_NOISE = re.compile(_INVISIBLE[:-1] + "+")


_WORDS = re.compile(r"[0-9a-zæøå]+")
_NOISE_INSIDE = re.compile(_INVISIBLE[1:-2].join(("[0-9a-zæøå][", "]+[0-9a-zæøå]")))


# words that may stand between an address's words: "kari (dot) lia (at) x.no", "%40", "&#64;"
_FILLERS = frozenset({"at", "dot", "punktum", "commat", "period", "40", "2e", "64", "46",
                      "064", "0064", "046", "0046"})


def _addresses_in(folded: str, emails: list) -> list:
    """The addresses that `folded` (lower case, no invisible characters) may spell: their
    words stand in it one after the other, with at most "at", "dot" and the like between
    (a quick test; the exact search follows)."""
    if "%" in folded:  # a percent-encoded `@` or `.` ("kari%40x.no") stands between words
        folded = folded.replace("%40", " @ ").replace("%2e", " . ")
    words = _WORDS.findall(folded)
    present = set(words)
    found = []
    for email in emails:
        parts = email.parts
        if not parts or not present.issuperset(parts):
            continue
        start = 0
        while True:
            try:
                start = words.index(parts[0], start) + 1
            except ValueError:
                break
            i = start
            for part in parts[1:]:
                while i < len(words) and words[i] != part and words[i] in _FILLERS:
                    i += 1
                if i >= len(words) or words[i] != part:
                    break
                i += 1
            else:
                found.append(email)
                break
    return found


@dataclass(frozen=True, slots=True)
class _Email:
    secret: Secret
    token: str  # a piece of the address every spelling of it holds, to skip texts quickly
    parts: tuple  # the address's words in order: each spelling of it holds them so

    @property
    def pattern(self) -> re.Pattern:  # made only for a text that may hold the address
        return _email_pattern(self.secret.value)


def _parts(address: str) -> tuple:
    return tuple(_WORDS.findall(address))


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
        self._emails = [_Email(s, _token(v), _parts(v)) for v, s in emails.items()]

    def could_hold(self, text: str) -> bool:
        """False when `text` surely holds no secret (a quick test on a file's values joined
        by NUL: in any spacing a number's digits stand together once all but digits and
        NULs are taken out, and an address stands plainly once `@` and `.` are)."""
        if self._short or _other_digits(text):
            return True  # (short numbers and digits of other scripts: no quick test)
        if self._long_pattern is not None and self._long_pattern.search(
                text.encode("ascii", "ignore").translate(None, _NOT_DIGIT).decode("ascii")):
            return True
        if self._emails and _AT_QUICK.search(text):
            folded = text.casefold()
            if _NOISE_INSIDE.search(folded):  # "ka**ri**" or "ka\u00adri" is "kari" to a reader
                folded = _NOISE.sub("", folded)
            return bool(_addresses_in(folded, self._emails))
        return False

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
        if self._emails and _AT_QUICK.search(text):  # no `@` in any spelling: no address
            folded = text.casefold()
            if _NOISE_INSIDE.search(folded):
                folded = _NOISE.sub("", folded)
            for email in _addresses_in(folded, self._emails):  # then the exact place of each
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

    def scrub(self, text: str, replacement: str, markdown: bool = False) -> str:
        """`text` with every secret replaced. `markdown`: a secret spelt with emphasis
        inside it (`**400** 00 *004*`) goes with the marks around it, so none is left
        open."""
        spans = self.find(text)
        if not spans:
            return text
        out, last = [], 0
        for start, end, _secret in spans:
            if markdown and any(ch in _MARKS for ch in text[start:end]):
                while start > last and text[start - 1] in _MARKS:
                    start -= 1
                while end < len(text) and text[end] in _MARKS:
                    end += 1
            out.append(text[last:start])
            out.append(replacement)
            last = end
        out.append(text[last:])
        return "".join(out)


_MARKS = frozenset("*_~`")  # Markdown emphasis and code marks
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
