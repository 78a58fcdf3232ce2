"""The intervals a plan works to: its own `policy`, else its jurisdiction's.

A plan's policy may tighten a legal interval but never loosen it; a looser
value is reported by `validate` (rule `policy-too-loose`) and ignored here, so
deadlines are never computed from an interval looser than the law.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .dates import longer, parse_duration
from .jurisdiction import POLICY_OBLIGATIONS, Jurisdiction
from .model import Plan

# the tool's own defaults where neither plan nor jurisdiction sets an interval
TOOL_DEFAULTS = {
    "contacts_verify_every": "P6M",
    "cards_review_every": "P1Y",
    "evaluate_within": "P3M",
}


@dataclass(frozen=True)
class Interval:
    duration: Any
    text: str
    source: str  # the citation, "plan policy" or "beredskap default"
    basis: str  # law | guidance | default | policy


def too_loose(plan: Plan, jurisdiction: Jurisdiction | None, key: str):
    """The legal obligation a policy value is looser than, or None."""
    value = plan.policy.get(key)
    if value is None or value.duration is None or jurisdiction is None:
        return None
    obligation = jurisdiction.obligation(POLICY_OBLIGATIONS.get(key, ""))
    if obligation and obligation.is_law and obligation.interval is not None \
            and longer(value.duration, obligation.interval):
        return obligation
    return None


def interval(plan: Plan, jurisdiction: Jurisdiction | None, key: str) -> Interval | None:
    """The interval for policy key `key` (e.g. `contacts_verify_every`)."""
    obligation = jurisdiction.obligation(POLICY_OBLIGATIONS.get(key, "")) if jurisdiction else None
    value = plan.policy.get(key)
    if value is not None and value.duration is not None and not too_loose(plan, jurisdiction, key):
        return Interval(value.duration, value.text, "plan policy", "policy")
    if obligation is not None and obligation.interval is not None:
        return Interval(obligation.interval, obligation.interval_text, obligation.citation,
                        obligation.basis)
    if key in TOOL_DEFAULTS:
        text = TOOL_DEFAULTS[key]
        return Interval(parse_duration(text), text, "beredskap default", "default")
    return None
