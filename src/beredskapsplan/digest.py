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
    content = {k: v for k, v in data.items() if k not in HISTORY_KEYS}
    return json.dumps(content, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def digest(data: dict) -> str:
    return "sha256:" + hashlib.sha256(canonical(data)).hexdigest()


def part_digests(data: dict) -> dict[str, str]:
    """One digest per substantive key, to tell which part changed."""
    return {k: hashlib.sha256(json.dumps(data.get(k), sort_keys=True, ensure_ascii=False,
                                         separators=(",", ":")).encode()).hexdigest()
            for k in SUBSTANTIVE_KEYS}


def status(data: Any, approvals) -> str:
    """'approved', 'unverified' (no digest), 'changed' or 'never'."""
    dated = [a for a in approvals if a.date is not None] or list(approvals)
    if not dated:
        return "never"
    latest = dated[-1]
    if not latest.digest:
        return "unverified"
    return "approved" if isinstance(data, dict) and digest(data) == latest.digest else "changed"
