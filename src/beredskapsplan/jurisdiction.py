"""Jurisdictions: the legal rule sets kept as data files in the package.

Each file (`jurisdictions/<id>.yaml`) lists the obligations with interval,
basis (law, guidance or the tool's default) and citation, and the topics a plan
must cover. Adding a country is adding a file.
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
    return Jurisdiction(
        id=data["id"], title=data.get("title", data["id"]), country=data.get("country", ""),
        authority=data.get("authority", ""), obligations=obligations,
        required_topics=tuple(required.get("topics") or ()),
        required_severity=required.get("severity", "warning"),
        required_citation=required.get("citation", ""), data=data)


def for_plan(jurisdiction_id: str | None, country: str | None) -> Jurisdiction | None:
    """The plan's jurisdiction: as named, else the default for its country."""
    if jurisdiction_id:
        return load(jurisdiction_id)
    default = DEFAULT_FOR_COUNTRY.get((country or "").upper())
    return load(default) if default else None
