"""The approval digest: what the council approved, as one hash (DESIGN §3.3).

The digest covers `plan.yaml` without its history keys, serialised as
canonical JSON (sorted keys, UTF-8, no whitespace). Annex files are not part
of it: names and numbers change without a new council decision.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

HISTORY_KEYS = ("approvals", "submissions", "revisions", "exercises", "incidents")
SUBSTANTIVE_KEYS = ("sections", "roles", "staff", "levels", "activation")


def canonical(data: dict) -> bytes:
    """plan.yaml's content without history keys, as canonical JSON."""
    content = {k: v for k, v in data.items() if k not in HISTORY_KEYS}
    return json.dumps(content, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def digest(data: dict) -> str:
    return "sha256:" + hashlib.sha256(canonical(data)).hexdigest()


def substantive_digest(data: dict) -> str:
    """A digest of only the parts whose change needs a new council decision.

    Recorded next to `digest` by `beredskap approve`, so that `due` can tell a
    changed section or role (re-approval due) from a changed case number.
    """
    content = {k: data.get(k) for k in SUBSTANTIVE_KEYS}
    return "sha256:" + hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False,
                                                 separators=(",", ":")).encode()).hexdigest()


def status(data: Any, approvals) -> str:
    """'approved', 'unverified' (no digest), 'changed' or 'never'."""
    dated = [a for a in approvals if a.date is not None] or list(approvals)
    if not dated:
        return "never"
    latest = dated[-1]
    if not latest.digest:
        return "unverified"
    return "approved" if isinstance(data, dict) and digest(data) == latest.digest else "changed"
