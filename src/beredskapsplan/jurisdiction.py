"""Jurisdictions: the legal rule sets kept as data files in the package.

Each file (`jurisdictions/<id>.yaml`) lists the obligations with interval,
basis (law, guidance or the tool's default) and citation, the topics a plan
must cover, the duties `beredskap report` shows the auditor (one row each)
and, where there is one, the national survey it answers. Adding a country is
adding a file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .dates import parse_duration

FOLDER = Path(__file__).parent / "jurisdictions"
DEFAULT_FOR_COUNTRY = {"NO": "no-sivilbeskyttelsesloven", "DK": "dk-beredskabsloven"}

# policy key in plan.yaml -> obligation key in the jurisdiction file
POLICY_OBLIGATIONS = {
    "revise_every": "revise",
    "approve_every": "approve",
    "exercise_every": "exercise",
    "evaluate_within": "evaluate",
    "risk_review_every": "risk_review",
    "contacts_verify_every": "contacts_verify",
    "cards_review_every": "cards_review",
    "submit_within": "submit",
}


@dataclass(frozen=True)
class Obligation:
    key: str
    interval: Any  # a duration, or None when the jurisdiction sets none
    interval_text: str | None
    basis: str  # law | guidance | default
    citation: str
    checked: bool
    data: dict = field(default_factory=dict)  # the whole entry, for rule-specific keys

    @property
    def is_law(self) -> bool:
        return self.basis == "law"


@dataclass(frozen=True)
class Duty:
    """One row of `beredskap report`: a duty, its paragraph and how it is judged."""

    id: str
    check: str  # risk-basis | topic | obligation | submission | evaluation | documentation | subplan
    column: str  # the overview's column: rows sharing one are shown together there
    basis: str  # law | guidance
    citation: str
    summary: str  # what the paragraph asks, in plain English (the report translates its own text)
    wording: str | None
    checked: bool
    data: dict = field(default_factory=dict)  # the whole entry (`topic`, `obligation`, `statutory`)


@dataclass(frozen=True)
class Jurisdiction:
    id: str
    title: str
    country: str
    authority: str
    obligations: dict[str, Obligation]
    required_topics: tuple[str, ...]
    required_severity: str
    required_citation: str
    data: dict
    duties: tuple[Duty, ...] = ()

    def obligation(self, key: str) -> Obligation | None:
        return self.obligations.get(key)


def available() -> list[str]:
    return sorted(p.stem for p in FOLDER.glob("*.yaml"))


@lru_cache(maxsize=None)
def load(jurisdiction_id: str) -> Jurisdiction | None:
    """The jurisdiction with this id, or None when there is no such file."""
    if jurisdiction_id not in available():
        return None
    data = yaml.load((FOLDER / f"{jurisdiction_id}.yaml").read_text("utf-8"),
                     Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    obligations = {}
    for key, entry in (data.get("obligations") or {}).items():
        interval = entry.get("interval")
        obligations[key] = Obligation(
            key=key, interval=parse_duration(interval) if interval else None,
            interval_text=interval, basis=entry.get("basis", "default"),
            citation=entry.get("citation", ""), checked=bool(entry.get("checked")), data=entry)
    required = data.get("required_content") or {}
    duties = tuple(
        Duty(id=entry["id"], check=entry["check"], column=entry.get("column", entry["id"]),
             basis=entry.get("basis", "law"), citation=entry.get("citation", ""),
             summary=entry.get("summary", ""), wording=entry.get("wording"),
             checked=bool(entry.get("checked")), data=entry)
        for entry in data.get("duties") or ())
    return Jurisdiction(
        id=data["id"], title=data.get("title", data["id"]), country=data.get("country", ""),
        authority=data.get("authority", ""), obligations=obligations,
        required_topics=tuple(required.get("topics") or ()),
        required_severity=required.get("severity", "warning"),
        required_citation=required.get("citation", ""), data=data, duties=duties)


def for_plan(jurisdiction_id: str | None, country: str | None) -> Jurisdiction | None:
    """The plan's jurisdiction: as named, else the default for its country."""
    if jurisdiction_id:
        return load(jurisdiction_id)
    default = DEFAULT_FOR_COUNTRY.get((country or "").upper())
    return load(default) if default else None
