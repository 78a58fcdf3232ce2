"""`beredskap approve`: record a council approval in plan.yaml.

The edit is textual, not a YAML round trip (`yamledit`): the new entry is
inserted after the last entry of `approvals:` (and `submissions:`), in the
style of the entries already there, so every comment and all other formatting
stay as they were and the diff is only the added lines. It is written through
`writing`: locked, atomic, through a symlink, with the file's line endings.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import digest as digests
from . import i18n
from . import writing
from .writing import TextFile
from .yamledit import Append, EditError, apply_text, edit
from .yamlread import parse_bytes

# where a history list not yet in plan.yaml is written: after the first of these found
HISTORY_AFTER = {
    "approvals": ("case_number", "jurisdiction", "owner"),
    "submissions": ("approvals",),
    "revisions": ("submissions", "approvals"),
    "exercises": ("risk_analysis", "revisions", "submissions", "approvals"),
    "incidents": ("exercises", "risk_analysis", "revisions", "submissions", "approvals"),
}


class ApproveError(Exception):
    """The approval cannot be recorded; the message says why."""


@dataclass(frozen=True)
class Entry:
    key: str  # "approvals" or "submissions"
    fields: dict  # in the order they should be written


def insert_entry(text: str, entry: Entry) -> str:
    """plan.yaml's text with `entry` appended to its top-level list (see yamledit)."""
    try:
        return apply_text(text, Append((entry.key,), entry.fields), "plan.yaml")
    except EditError as err:
        raise ApproveError(i18n.current()(err.message)) from None


def record(plan_file: Path, when: date, by: str, case: str | None,
           submitted_to: str | None = None, submitted_on: date | None = None) -> str:
    """Append the approval (and submission) to plan.yaml; returns the new digest.

    plan.yaml is locked from reading to writing, so the digest is of the content the
    approval is written into, and a run at the same time waits instead of losing it."""
    found: dict = {}

    def change(current: TextFile) -> str:
        parsed = parse_bytes(current.text.encode("utf-8"))
        if not isinstance(parsed.data, dict) or parsed.problems:
            raise ApproveError(i18n.current()(i18n._(
                "{file} cannot be read; run `beredskap validate` first", file=str(plan_file))))
        content = parsed.data
        fields = {"date": when, "by": by}
        if case:
            fields["case"] = case
        fields["digest"] = found["digest"] = digests.digest(content)
        fields["substantive_digest"] = digests.substantive_digest(content)
        changes = [Append(("approvals",), fields, after=HISTORY_AFTER["approvals"])]
        if submitted_to or submitted_on:
            changes.append(Append(("submissions",),
                                  {"date": submitted_on or when, "to": submitted_to}
                                  if submitted_to else {"date": submitted_on},
                                  after=HISTORY_AFTER["submissions"]))
        try:
            updated = edit(current.text, changes, str(plan_file))
        except EditError:
            updated = None
        check = parse_bytes(updated.encode("utf-8")) if updated is not None else None
        if check is None or check.problems or digests.digest(check.data) != fields["digest"] \
                or check.data.get("approvals", [])[-1].get("digest") != fields["digest"]:
            raise ApproveError(i18n.current()(i18n._(
                "could not add the approval without changing the rest of plan.yaml; add it "
                "by hand (see `beredskap rules approval-status`)")))
        return updated

    try:
        writing.update(plan_file, change)
    except writing.WriteError as err:
        raise ApproveError(i18n.current()(err.message)) from None
    return found["digest"]
