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

import importlib
from types import ModuleType

# Every rule's id, in the order `beredskap rules` lists them. Each rule lives in the module
# named by its id (`comment-in-text` in comment_in_text.py). The modules are imported only
# when a rule is run or described: a run whose plans are all in the result cache, and
# `--select`/`--ignore`/`beredskap.yaml` checking a rule's name, need the ids alone.
IDS: tuple[str, ...] = (
    "yaml-syntax", "duplicate-key", "schema", "duplicate-id", "duplicate-shows", "unknown-ref",
    "wrong-ref-kind", "missing-file", "unreferenced-file", "unsafe-path", "role-without-deputy",
    "holder-without-phone", "invalid-phone", "clearance-missing", "clearance-expired",
    "stale-contact", "required-content", "policy-too-loose", "date-order", "open-finding",
    "approval-status", "classified-marking", "placeholder", "comment-in-text",
    "private-in-text",
)


def _load() -> dict[str, ModuleType]:
    rules = {rule_id: importlib.import_module(f".{rule_id.replace('-', '_')}", __name__)
             for rule_id in IDS}
    globals().update(RULES=rules, ALL=tuple(rules.values()))
    return rules


def __getattr__(name: str):
    if name in ("RULES", "ALL"):
        _load()
        return globals()[name]
    if name in ("Context", "hit"):  # re-exported for rule authors
        from . import base
        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def doc_of(rule: ModuleType) -> str:
    return (rule.__doc__ or "").strip()
