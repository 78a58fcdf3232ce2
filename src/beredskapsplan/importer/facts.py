"""Plan facts written on a title page, in Danish or Norwegian (bokmål and nynorsk).

    Beredskabsplanen er godkendt af Kommunalbestyrelsen den 8. oktober 2025
    Indsendt til Beredskabsstyrelsen 10. oktober 2025.
    Seneste revision den 10. oktober 2025
    Sagsnummer: 23/5847
    Vedtatt i kommunestyret 12.06.2024, sak 45/24
    Sist revidert: 3. mars 2025

Each line is tried on its own; a line that gives a fact is "used", the rest
of the title page is reported as left out.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "marts": 3, "mars": 3, "mar": 3,
    "april": 4, "apr": 4, "maj": 5, "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "december": 12, "desember": 12, "dec": 12, "des": 12,
}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_WORDS = re.compile(rf"\b(\d{{1,2}})\.?\s+({_MONTH_NAMES})\.?\s+(\d{{4}})\b", re.I)
_DATE_DIGITS = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b")
_DATE_SPACE_YEAR = re.compile(r"\b(\d{1,2})/(\d{1,2})[ -](\d{4})\b")
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")

_COUNCILS = (r"kommunalbestyrelsen|kommunalbestyrelse|byrådet|byråd|kommunestyret|kommunestyre|"
             r"bystyret|bystyre|formannskapet|formannskap|økonomiudvalget|økonomiudvalg")
_APPROVED = re.compile(
    r"\b(godkendt|godkendes|vedtaget|vedtages|godkjent|godkjend|vedtatt|vedteke|vedteken|"
    r"vedtekne|behandlet|handsama|handsamt|approved|adopted)\b", re.I)
_COUNCIL = re.compile(rf"\b({_COUNCILS})\b", re.I)
_SUBMITTED = re.compile(
    r"\b(?:indsendt|fremsendt|sendt|oversendt|innsendt|sendt inn|send inn|submitted)\s+"
    r"(?:til|to)\s+(.+?)(?:\s+(?:den|d\.|on)\b|\s+\d|[.,;:]|$)", re.I)
_REVISED = re.compile(
    r"\b(seneste revision|senest revideret|sidst revideret|revideret|revision|"
    r"sist revidert|revidert|sist endret|sist endra|sist oppdatert|oppdatert|opdateret|"
    r"sidst opdateret|seneste opdatering|last revised|revised)\b", re.I)
_CASE = re.compile(
    r"\b(?:sagsnummer|sagsnr|sags nr|saksnummer|saksnr|saks nr|sak nr|sak|sag|journalnummer|"
    r"journalnr|j\.\s?nr|arkivsak(?:snummer)?|arkivsaksnr|esdh[- ]?nr|case)\b\.?\s*[:.]?\s*"
    r"(?:nr\.?\s*)?([0-9][0-9A-Za-z./\-]*[0-9A-Za-z])", re.I)
_MUNICIPALITY = re.compile(
    r"\b([A-ZÆØÅ][a-zæøåéüö]+(?:[- ][A-ZÆØÅ][a-zæøåéüö]+)?)\s+([Kk]ommune|[Hh]erred)(ns|s)?\b")


def find_date(text: str) -> date | None:
    for pattern, order in ((_DATE_WORDS, "dmy-words"), (_DATE_ISO, "ymd"),
                           (_DATE_DIGITS, "dmy"), (_DATE_SPACE_YEAR, "dmy")):
        for match in pattern.finditer(text):
            a, b, c = match.groups()
            try:
                if order == "dmy-words":
                    return date(int(c), MONTHS[b.lower()], int(a))
                if order == "ymd":
                    return date(int(a), int(b), int(c))
                return date(int(c), int(b), int(a))
            except ValueError:
                continue
    return None


@dataclass
class Approval:
    date: date
    by: str
    case: str | None = None


@dataclass
class Facts:
    title: str | None = None
    subtitle: str | None = None
    municipality: str | None = None
    municipality_from: str | None = None  # the line it was read from
    case_number: str | None = None
    approvals: list[Approval] = field(default_factory=list)
    submissions: list[tuple[date, str]] = field(default_factory=list)
    revisions: list[date] = field(default_factory=list)
    used: list[str] = field(default_factory=list)  # lines that gave a fact
    unused: list[str] = field(default_factory=list)  # title-page lines that gave none

    def latest_date(self) -> date | None:
        days = [a.date for a in self.approvals] + [d for d, _ in self.submissions] \
            + self.revisions
        return max(days) if days else None


def _council_name(found: str) -> str:
    word = found.strip()
    return word[0].upper() + word[1:]


def read_line(line: str, facts: Facts) -> bool:
    """Take what facts this line states; True if it stated one."""
    used = False
    case = _CASE.search(line)
    if case and any(ch.isdigit() for ch in case.group(1)):
        # "sak 45/24" after a decision names the decision's case, too
        if facts.case_number is None:
            facts.case_number = case.group(1)
        used = True
    day = find_date(line)
    if day is not None:
        council = _COUNCIL.search(line)
        if _APPROVED.search(line) and council:
            facts.approvals.append(Approval(day, _council_name(council.group(1)),
                                            case.group(1) if case else None))
            used = True
        else:
            submitted = _SUBMITTED.search(line)
            if submitted and submitted.group(1).strip():
                recipient = submitted.group(1).strip()
                facts.submissions.append((day, recipient[0].upper() + recipient[1:]))
                used = True
            elif _REVISED.search(line):
                facts.revisions.append(day)
                used = True
    municipality = _MUNICIPALITY.search(line)
    if municipality and facts.municipality is None:
        facts.municipality = _municipality_name(municipality)
        facts.municipality_from = line
    return used


def _municipality_name(match: re.Match) -> str:
    place, word = match.group(1), match.group(2)
    return f"{place} {word}"


def municipality_in(text: str) -> str | None:
    """The municipality a document names most often ("Vallensbæk Kommune")."""
    counts = Counter(_municipality_name(m) for m in _MUNICIPALITY.finditer(text))
    if not counts:
        return None
    # a name at the start of a sentence ("Hver Kommune") is rare next to the real one
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]


def finish(facts: Facts) -> None:
    """Approvals take the plan's case number when the line named none."""
    for approval in facts.approvals:
        if approval.case is None and facts.case_number is not None:
            approval.case = facts.case_number
    facts.approvals.sort(key=lambda a: a.date)
    facts.submissions.sort()
    facts.revisions = sorted(set(facts.revisions))
