"""`beredskap approve`: record a council approval in plan.yaml.

The edit is textual, not a YAML round trip: the new entry is inserted after
the last entry of `approvals:` (and `submissions:`), in the style of the
entries already there, so every comment and all other formatting stay as they
were and the diff is only the added lines.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from . import digest as digests
from .yamlread import parse_bytes

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ApproveError(Exception):
    """The approval cannot be recorded; the message says why."""


@dataclass(frozen=True)
class Entry:
    key: str  # "approvals" or "submissions"
    fields: dict  # in the order they should be written


def _scalar(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith("sha256:"):
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _flow(fields: dict) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in fields.items()) + "}"


def _block(fields: dict, indent: str) -> str:
    lines = []
    for number, (key, value) in enumerate(fields.items()):
        prefix = f"{indent}- " if number == 0 else f"{indent}  "
        lines.append(f"{prefix}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _top_level_node(text: str, key: str):
    root = yaml.compose(text, Loader=_Loader)
    for key_node, value_node in root.value:
        if key_node.value == key:
            return key_node, value_node
    return None, None


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _after_line(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def insert_entry(text: str, entry: Entry) -> str:
    """plan.yaml's text with `entry` appended to its top-level list."""
    key_node, node = _top_level_node(text, entry.key)
    if key_node is None:
        addition = f"{entry.key}:\n{_block(entry.fields, '  ')}"
        if not text.endswith("\n"):
            text += "\n"
        return text + addition
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null", "Null", "NULL"):
        node = yaml.SequenceNode("tag:yaml.org,2002:seq", [])  # `approvals:` with no entries
    if not isinstance(node, yaml.SequenceNode) or (node.flow_style and node.value):
        if isinstance(node, yaml.SequenceNode) and node.flow_style:
            close = node.end_mark.index - 1  # the closing bracket
            return text[:close] + f", {_flow(entry.fields)}" + text[close:]
        raise ApproveError(f"`{entry.key}:` in plan.yaml is not a list; fix it first")
    if not node.value:  # `approvals: []` or an empty value
        line_end = _after_line(text, key_node.start_mark.index)
        start = _line_start(text, key_node.start_mark.index)
        after_key = text[key_node.end_mark.index:line_end].rstrip("\n")
        hash_at = after_key.find("#")  # `[]` and an empty value hold no '#': this is a comment
        comment = " " + after_key[hash_at:] if hash_at >= 0 else ""
        return (text[:start] + f"{entry.key}:{comment}\n" + _block(entry.fields, "  ")
                + text[line_end:])
    last = node.value[-1]
    first = node.value[0]
    indent = " " * (first.start_mark.column - 2)
    if isinstance(last, yaml.MappingNode) and last.flow_style:
        addition = f"{indent}- {_flow(entry.fields)}\n"
    else:
        addition = _block(entry.fields, indent)
    end = last.end_mark
    insert_at = end.index if end.column == 0 else _after_line(text, end.index)
    insert_at = _before_trailing_comments(text, insert_at, key_node.start_mark.column)
    return text[:insert_at] + addition + text[insert_at:]


def _before_trailing_comments(text: str, index: int, key_column: int) -> int:
    """Step back over blank lines and comments that belong to the next key.

    A block list ends where the next key starts, so comments written above that
    key (at its indentation or less) would otherwise end up above the new entry.
    """
    while index > 0:
        start = _line_start(text, index - 1)
        line = text[start:index]
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if stripped and not (stripped.startswith("#") and indent <= key_column):
            break
        index = start
    return index


def _write_atomically(path: Path, text: str) -> None:
    mode = path.stat().st_mode
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temp, mode & 0o7777)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def record(plan_file: Path, when: date, by: str, case: str | None,
           submitted_to: str | None = None, submitted_on: date | None = None) -> str:
    """Append the approval (and submission) to plan.yaml; returns the new digest."""
    if not os.access(plan_file, os.W_OK):
        raise ApproveError(f"{plan_file} is read-only (Permission denied); make it writable to "
                           "record the approval")
    if not os.access(plan_file.parent, os.W_OK):
        raise ApproveError(f"cannot write in {plan_file.parent}: Permission denied (the new "
                           "plan.yaml is written next to the old one, then moved into place)")
    raw = plan_file.read_bytes()
    parsed = parse_bytes(raw)
    if not isinstance(parsed.data, dict) or parsed.problems:
        raise ApproveError(f"{plan_file} cannot be read; run `beredskap validate` first")
    text = raw.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")
    content = parsed.data
    fields = {"date": when, "by": by}
    if case:
        fields["case"] = case
    fields["digest"] = digests.digest(content)
    fields["substantive_digest"] = digests.substantive_digest(content)
    updated = insert_entry(text, Entry("approvals", fields))
    if submitted_to or submitted_on:
        updated = insert_entry(updated, Entry("submissions",
                                              {"date": submitted_on or when, "to": submitted_to}
                                              if submitted_to else {"date": submitted_on}))
    check = parse_bytes(updated.encode("utf-8"))
    if check.problems or digests.digest(check.data) != fields["digest"] \
            or check.data.get("approvals", [])[-1].get("digest") != fields["digest"]:
        raise ApproveError("could not add the approval without changing the rest of plan.yaml; "
                           "add it by hand (see `beredskap rules approval-status`)")
    if raw.startswith(b"\xef\xbb\xbf"):
        updated = "\ufeff" + updated
    try:
        _write_atomically(plan_file, updated.replace("\n", newline))
    except OSError as err:
        raise ApproveError(f"could not write {plan_file}: {err.strerror}; "
                           "it is unchanged") from None
    return fields["digest"]
