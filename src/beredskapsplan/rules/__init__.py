"""The lint rules of `beredskap validate`, one module each.

Every rule module has:

- `ID`: the rule id used in findings, `--select`, `--ignore`, `beredskap.yaml`
  and `# beredskap: ignore[ID]` comments;
- `SEVERITY`: the default severity (error, warning or info);
- `SCOPE`: "file" (needs only the file itself, so it also runs on a single
  annex file), "folder" (needs the plan folder but not plan.yaml's content,
  so it runs even when plan.yaml cannot be read) or "plan" (needs the whole
  plan);
- `SUMMARY`: one line for `beredskap rules`;
- a module docstring: the rule's documentation (what, why, how to fix, examples);
- `check(ctx)`: yields `Hit`s pointing at the exact node.
"""
from __future__ import annotations

from types import ModuleType

from .base import Context, hit  # noqa: F401  (re-exported for rule authors)
from . import (
    approval_status,
    classified_marking,
    comment_in_text,
    clearance_expired,
    clearance_missing,
    date_order,
    duplicate_id,
    duplicate_key,
    duplicate_shows,
    holder_without_phone,
    invalid_phone,
    missing_file,
    open_finding,
    placeholder,
    policy_too_loose,
    private_in_text,
    required_content,
    role_without_deputy,
    schema,
    stale_contact,
    unknown_ref,
    unreferenced_file,
    unsafe_path,
    wrong_ref_kind,
    yaml_syntax,
)

ALL: tuple[ModuleType, ...] = (
    yaml_syntax, duplicate_key, schema, duplicate_id, duplicate_shows, unknown_ref, wrong_ref_kind,
    missing_file, unreferenced_file, unsafe_path, role_without_deputy, holder_without_phone,
    invalid_phone, clearance_missing, clearance_expired, stale_contact, required_content,
    policy_too_loose, date_order, open_finding, approval_status, classified_marking,
    placeholder, comment_in_text,
    private_in_text,
)
RULES: dict[str, ModuleType] = {rule.ID: rule for rule in ALL}


def doc_of(rule: ModuleType) -> str:
    return (rule.__doc__ or "").strip()
