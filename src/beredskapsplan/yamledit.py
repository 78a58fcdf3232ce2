"""Changing a YAML file by editing its text, so the diff is only the changed lines.

A YAML round trip would lose comments and rewrite quoting, indentation and flow
style; a plan kept in git must show the council and the auditor exactly what
changed. So an edit finds its place in the node tree (with positions) and
splices text in, in the style of what is already there:

- `Append(path, fields)`: a new entry at the end of a list (block or flow,
  like the entries before it); the list is created when it is missing;
- `Set(path, key, value)`: one scalar value of a mapping replaced, or the key
  added when it is missing.

`edit` applies the changes and then reads the result back: it must hold
exactly the old data with the changes made, or nothing is changed
(`EditError`). Text is expected with LF line endings and a final newline
(`writing.TextFile.text`).
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from .i18n import Message, _
from .yamlread import parse_text

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULLS = ("", "~", "null", "Null", "NULL")
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")


class EditError(Exception):
    """The change cannot be made by editing the text; the message says why."""

    def __init__(self, message: Message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Append:
    path: tuple  # keys and list indices to the list, e.g. ("exercises", 2, "findings")
    fields: dict  # the new entry, in the order its keys are written
    # a top-level list not yet in the file goes after the first of these keys found
    after: tuple = field(default=())


@dataclass(frozen=True)
class Set:
    path: tuple  # keys and list indices to the mapping; () for the file's top level
    key: str
    value: Any
    # a key not yet in the mapping is written before the first of these found
    before: tuple = field(default=())


# -- values as YAML text ---------------------------------------------------------------------

def data_value(value: Any) -> Any:
    """A value as the loader reads it back (dates stay text, see yamlread)."""
    return value.isoformat() if isinstance(value, date) else value


def _plain_reads_back(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or "\n" in text or text[0] in _INDICATORS:
        return False
    if ": " in text or " #" in text or text.endswith(":") or "\t" in text:
        return False
    if flow and any(c in text for c in ",[]{}"):
        return False
    source = f"{{k: {text}}}\n" if flow else f"k: {text}\n"
    if parse_text(source).data != {"k": text}:
        return False
    # other YAML tools read it as text too (a date is written plain, as the format asks)
    try:
        other = yaml.load(source, Loader=_Loader)["k"]
    except yaml.YAMLError:
        return False
    return other == text or (isinstance(other, date) and other.isoformat() == text)


def scalar(value: Any, flow: bool = False) -> str:
    """One value as a YAML scalar: plain where it reads back the same, else quoted."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if _plain_reads_back(text, flow):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML scalar


def flow_mapping(fields: dict) -> str:
    return "{" + ", ".join(f"{k}: {scalar(v, True)}" for k, v in fields.items()) + "}"


def _block_value(key: str, value: Any, column: int) -> list[str]:
    """`key: value` at `column`; text of several lines as a literal block."""
    if isinstance(value, str) and "\n" in value.strip("\n") and not value.startswith(" ") \
            and all(line == line.rstrip() for line in value.split("\n")):
        chomp = "" if value.endswith("\n") and not value.endswith("\n\n") else "-"
        lines = [f"{' ' * column}{key}: |{chomp}"]
        lines += [(" " * (column + 2) + line) if line else "" for line in
                  value.rstrip("\n").split("\n")]
        return lines
    return [f"{' ' * column}{key}: {scalar(value)}"]


def block_entry(fields: dict, dash: int, column: int) -> str:
    """A list entry `- key: value …` with its dash at `dash` and its keys at `column`."""
    lines: list[str] = []
    for number, (key, value) in enumerate(fields.items()):
        written = _block_value(key, value, column)
        if number == 0:
            written[0] = " " * dash + "-" + " " * (column - dash - 1) + written[0][column:]
        lines += written
    return "\n".join(lines) + "\n"


# -- finding the place -----------------------------------------------------------------------

def _compose(text: str):
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None


def _key(mapping, key: str):
    for key_node, value_node in mapping.value:
        if key_node.value == key:
            return key_node, value_node
    return None, None


def _walk(root, path: tuple, where: str):
    """The node at `path`, and whether it is inside a flow collection."""
    node, flow = root, False
    for part in path:
        flow = flow or bool(getattr(node, "flow_style", False))
        if isinstance(part, int) and isinstance(node, yaml.SequenceNode) \
                and 0 <= part < len(node.value):
            node = node.value[part]
        elif isinstance(part, str) and isinstance(node, yaml.MappingNode):
            _key_node, node = _key(node, part)
            if node is None:
                raise EditError(_("{file}: {key} was not found", file=where, key=_shown(path)))
        else:
            raise EditError(_("{file}: {key} was not found", file=where, key=_shown(path)))
    return node, flow


def _shown(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (("." if out else "") + str(part))
    return out or "(top level)"


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _after_line(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _content_end(node) -> int:
    """Where a node's own text ends. A block collection's end mark is where the next
    token starts (often the next entry's line), so look at its last value instead."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style \
            and node.value:
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
    return node.end_mark.index


def _after_node(text: str, node) -> int:
    """Where the line after a node's last line starts."""
    end = _content_end(node)
    return end if end > 0 and text[end - 1] == "\n" else _after_line(text, end)


def _before_trailing_comments(text: str, index: int, column: int) -> int:
    """Step back over blank lines and comments that belong to what follows.

    A block collection ends where the next key starts, so comments written above
    that key (at `column` or less) would otherwise end up above the new lines."""
    while index > 0:
        start = _line_start(text, index - 1)
        line = text[start:index]
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if stripped and not (stripped.startswith("#") and indent <= column):
            break
        index = start
    return index


def _is_null(node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null") \
        or (isinstance(node, yaml.ScalarNode) and node.value in _NULLS and node.style is None)


def _dash_column(text: str, entry) -> int:
    """The column of the `-` in front of a block list entry."""
    index = entry.start_mark.index - 1
    while index >= 0 and text[index] == " ":
        index -= 1
    if index >= 0 and text[index] == "-":
        return index - _line_start(text, index)
    return max(entry.start_mark.column - 2, 0)


def _empty_value_line(text: str, key_node, value_node) -> tuple[int, str]:
    """For `key:`, `key: []` or `key: null` on its own line: (end of that line, the line
    rewritten as `key:` with its comment kept)."""
    colon = text.index(":", key_node.end_mark.index)
    end = _after_line(text, colon)
    rest = text[colon + 1:end].rstrip("\n")
    if value_node.start_mark.line == key_node.start_mark.line:
        rest = text[value_node.end_mark.index:end].rstrip("\n")
    hash_at = rest.find("#")
    comment = rest[:hash_at] + rest[hash_at:].rstrip() if hash_at >= 0 else ""
    if comment and not comment[0].isspace():
        comment = " " + comment
    return end, text[_line_start(text, colon):colon + 1] + comment + "\n"


# -- the two changes -------------------------------------------------------------------------

def _add_key(text: str, mapping, flow: bool, key: str, block_lines, flow_value: str,
             before: tuple = (), after: tuple = ()) -> str:
    """A new key in a mapping: `block_lines(column)` gives its lines in block style."""
    if flow or mapping.flow_style:
        target = next((k for name in before for k, _v in mapping.value if k.value == name), None)
        if target is not None:
            return text[:target.start_mark.index] + f"{key}: {flow_value}, " + \
                text[target.start_mark.index:]
        if mapping.value:
            end = mapping.value[-1][1].end_mark.index
            return text[:end] + f", {key}: {flow_value}" + text[end:]
        close = mapping.end_mark.index - 1
        return text[:close] + f"{key}: {flow_value}" + text[close:]
    if not mapping.value:  # an empty document
        return text + block_lines(0)
    column = mapping.value[0][0].start_mark.column
    first_key = mapping.value[0][0]
    for name in before:
        key_node, _value = _key(mapping, name)
        if key_node is not None and key_node is not first_key:
            at = _line_start(text, key_node.start_mark.index)
            at = _before_trailing_comments(text, at, column)
            while text[at:at + 1] == "\n":  # keep blank lines above the comments where they were
                at += 1
            return text[:at] + block_lines(column) + text[at:]
    for name in after:
        _key_node, value = _key(mapping, name)
        if value is not None:
            at = _before_trailing_comments(text, _after_node(text, value), column)
            lines = block_lines(column)
            if column == 0 and text[at:at + 1] == "\n":
                lines = "\n" + lines  # top-level blocks here are kept apart by a blank line
            return text[:at] + lines + text[at:]
    if column == 0:
        return text + block_lines(column)
    last = mapping.value[-1][1]
    at = _before_trailing_comments(text, _after_node(text, last), column)
    return text[:at] + block_lines(column) + text[at:]


def _siblings_in_flow(mapping, after: tuple) -> bool:
    """Whether the lists beside a new one (the one it follows first) hold flow mappings,
    so the new list is written the same way."""
    lists = [v for _k, v in mapping.value if isinstance(v, yaml.SequenceNode) and v.value
             and isinstance(v.value[-1], yaml.MappingNode)]
    for name in after:
        _key_node, value = _key(mapping, name)
        if value in lists:
            lists = [value]
            break
    return bool(lists) and lists[0].value[-1].flow_style


def _append(text: str, op: Append, where: str) -> str:
    root = _compose(text)
    if root is None or not isinstance(root, yaml.MappingNode):
        raise EditError(_("{file} cannot be read as YAML; run `beredskap validate` first",
                          file=where))
    parent, flow = _walk(root, op.path[:-1], where)
    name = op.path[-1]
    if not isinstance(parent, yaml.MappingNode):
        raise EditError(_("{file}: {key} is not a mapping; fix it first", file=where,
                          key=_shown(op.path[:-1])))
    key_node, node = _key(parent, name)
    inner_flow = flow or parent.flow_style
    if key_node is None:
        if _siblings_in_flow(parent, op.after):
            def lines(column: int) -> str:
                return f"{' ' * column}{name}:\n{' ' * (column + 2)}- {flow_mapping(op.fields)}\n"
        else:
            def lines(column: int) -> str:
                return f"{' ' * column}{name}:\n" + block_entry(op.fields, column + 2,
                                                                column + 4)
        return _add_key(text, parent, flow, name, lines, f"[{flow_mapping(op.fields)}]",
                        after=op.after)
    if _is_null(node) or (isinstance(node, yaml.SequenceNode) and not node.value
                          and not inner_flow):
        if inner_flow:  # `key: null` inside a flow mapping
            return text[:node.start_mark.index] + f"[{flow_mapping(op.fields)}]" + \
                text[node.end_mark.index:]
        end, line = _empty_value_line(text, key_node, node)
        column = key_node.start_mark.column
        start = _line_start(text, key_node.start_mark.index)
        return text[:start] + line + block_entry(op.fields, column + 2, column + 4) + text[end:]
    if not isinstance(node, yaml.SequenceNode):
        raise EditError(_("{file}: `{key}:` is not a list; fix it first", file=where,
                          key=_shown(op.path)))
    if node.flow_style or inner_flow:
        entry = flow_mapping(op.fields)
        if node.value:
            end = node.value[-1].end_mark.index
            return text[:end] + f", {entry}" + text[end:]
        close = node.end_mark.index - 1
        return text[:close] + entry + text[close:]
    first, last = node.value[0], node.value[-1]
    dash = _dash_column(text, first)
    if isinstance(last, yaml.MappingNode) and last.flow_style:
        addition = f"{' ' * dash}- {flow_mapping(op.fields)}\n"
    else:
        column = first.start_mark.column if isinstance(first, yaml.MappingNode) \
            and not first.flow_style else dash + 2
        addition = block_entry(op.fields, dash, column)
    at = _before_trailing_comments(text, _after_node(text, last), key_node.start_mark.column)
    return text[:at] + addition + text[at:]


def _set(text: str, op: Set, where: str) -> str:
    root = _compose(text)
    if root is None or not isinstance(root, yaml.MappingNode):
        raise EditError(_("{file} cannot be read as YAML; run `beredskap validate` first",
                          file=where))
    mapping, flow = _walk(root, op.path, where)
    if not isinstance(mapping, yaml.MappingNode):
        raise EditError(_("{file}: {key} is not a mapping; fix it first", file=where,
                          key=_shown(op.path)))
    inner_flow = flow or mapping.flow_style
    key_node, node = _key(mapping, op.key)
    written = scalar(op.value, inner_flow)
    if key_node is None:
        return _add_key(text, mapping, flow, op.key,
                        lambda column: "\n".join(_block_value(op.key, op.value, column)) + "\n",
                        written, before=op.before)
    if not isinstance(node, yaml.ScalarNode) or node.style in ("|", ">"):
        raise EditError(_("{file}: `{key}:` holds more than one value; change it by hand",
                          file=where, key=_shown((*op.path, op.key))))
    if node.start_mark.index == node.end_mark.index:  # `key:` with nothing after it
        colon = text.index(":", key_node.end_mark.index)
        return text[:colon + 1] + " " + written + text[colon + 1:]
    return text[:node.start_mark.index] + written + text[node.end_mark.index:]


# -- the same changes on the data, to check the text --------------------------------------

def _data_at(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def apply_data(data: dict, changes: list) -> dict:
    """The data as it must read after `changes`."""
    result = copy.deepcopy(data)
    for change in changes:
        if isinstance(change, Append):
            parent = _data_at(result, change.path[:-1])
            if parent.get(change.path[-1]) is None:
                parent[change.path[-1]] = []
            parent[change.path[-1]].append({k: data_value(v) for k, v in change.fields.items()})
        else:
            _data_at(result, change.path)[change.key] = data_value(change.value)
    return result


def apply_text(text: str, change: "Append | Set", where: str) -> str:
    """`text` with one change made, without reading the result back (see `edit`)."""
    return _append(text, change, where) if isinstance(change, Append) \
        else _set(text, change, where)


def edit(text: str, changes: list, where: str) -> str:
    """`text` with `changes` made; refused unless it reads back as exactly that change."""
    before = parse_text(text)
    if before.problems or not isinstance(before.data, dict):
        raise EditError(_("{file} cannot be read as YAML; run `beredskap validate` first",
                          file=where))
    updated = text
    for change in changes:
        updated = apply_text(updated, change, where)
    try:
        expected = apply_data(before.data, changes)
    except (KeyError, IndexError, TypeError, AttributeError):
        raise EditError(_("{file}: the place to change was not found", file=where)) from None
    after = parse_text(updated)
    if after.problems or after.data != expected:
        raise EditError(_("could not make the change in {file} without changing the rest of "
                          "the file; make it by hand", file=where))
    return updated
