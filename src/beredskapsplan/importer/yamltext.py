"""Writing commented YAML text whose quoting is always valid.

The import writes its files as text, the way `init`'s starting files look:
block mappings, comments above the keys they explain, Markdown as literal
blocks. A string is written plain only when it cannot be read as anything
else (a number, a date, a boolean in YAML 1.1 or 1.2, a comment, an
indicator); otherwise it is double-quoted with JSON's escapes, which YAML
reads the same. Text is cleaned first of characters YAML does not allow.
The result is read back by the caller with the project's own reader.
"""
from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# characters YAML does not allow in a stream, and line breaks YAML 1.1 folds in quoted text
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff"
                            "\ufffe\uffff\ufeff]")
_INVISIBLE = re.compile("[\u00ad\u200b\u2060]")  # soft hyphen, zero-width space, word joiner
_PLAIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ«(][^\n]*")
_YAML11_WORDS = {"y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", ""}
_NUMBERISH = re.compile(r"^[-+.]?[0-9]|^\.(inf|nan)$", re.I)
_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def clean_text(text: str) -> str:
    """Text YAML can hold: no control characters, line breaks as \\n, tabs as spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n") \
        .replace("\u2029", "\n\n").replace("\u0085", "\n").replace("\t", "    ")
    text = _INVISIBLE.sub("", text)
    return _NOT_PRINTABLE.sub("", text)


def clean_line(text: str) -> str:
    """One line of text: every run of white space as one space."""
    return " ".join(clean_text(text).split())


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = clean_text(str(value))
    if _plain_ok(text):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    # JSON leaves these as they are; YAML (1.1) would fold them into spaces
    return quoted.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") \
        .replace("\u0085", "\\u0085")


def _plain_ok(text: str) -> bool:
    if text != text.strip() or not _PLAIN.fullmatch(text):
        return False  # a plain scalar here starts with a letter, «, or (
    if text.lower() in _YAML11_WORDS or _NUMBERISH.match(text):
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    # flow indicators are harmless in block context, but quoting keeps them easy to edit
    return not any(ch in text for ch in '{}[]`"\\|>\t')


@dataclass
class Block:
    """Multi-line text (Markdown), written as a literal block."""

    text: str


def prose(text: str):
    """Long Markdown text that would need quotes, as a literal block (easier to edit)."""
    if "\n" not in text and len(text) > 60 and scalar(text).startswith('"'):
        return Block(text)
    return text


@dataclass
class Ids:
    """A list of ids, written on one line: [a, b]."""

    items: list[str]


@dataclass
class Field:
    key: str
    value: Any
    comments: list[str] = field(default_factory=list)  # lines above the key
    note: str | None = None  # a short comment after the value
    todo: Any = None  # something to fill in, reported with this line


@dataclass
class Map:
    fields: list[Field] = field(default_factory=list)

    def add(self, key: str, value: Any, comments: list[str] | None = None,
            note: str | None = None, todo: Any = None) -> "Map":
        self.fields.append(Field(key, value, list(comments or []), note, todo))
        return self


@dataclass
class Item:
    value: Any
    comments: list[str] = field(default_factory=list)


@dataclass
class Seq:
    items: list[Item] = field(default_factory=list)

    def add(self, value: Any, comments: list[str] | None = None) -> "Seq":
        self.items.append(Item(value, list(comments or [])))
        return self


class Writer:
    """Turns Map/Seq/Block values into lines; remembers the line of each `todo`."""

    WIDTH = 92

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.todos: list[tuple[int, Any]] = []

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def comment(self, text: str, indent: int = 0) -> None:
        prefix = " " * indent + "# "
        for paragraph in clean_text(text).split("\n"):
            wrapped = textwrap.wrap(paragraph, self.WIDTH - len(prefix),
                                    break_long_words=False, break_on_hyphens=False) or [""]
            self.lines.extend((prefix + line).rstrip() for line in wrapped)

    def blank(self) -> None:
        self.lines.append("")

    def mapping(self, node: Map, indent: int = 0, first_prefix: str | None = None) -> None:
        for i, entry in enumerate(node.fields):
            prefix = first_prefix if (i == 0 and first_prefix is not None) else " " * indent
            for line in entry.comments:
                if i == 0 and first_prefix is not None:
                    # a comment cannot stand between "- " and the first key
                    self.comment(line, len(first_prefix) - 2)
                else:
                    self.comment(line, indent)
            self._field(entry, prefix, indent)

    def _field(self, entry: Field, prefix: str, indent: int) -> None:
        key = entry.key if _SAFE_KEY.match(entry.key) else json.dumps(entry.key)
        note = f"  # {clean_line(entry.note)}" if entry.note else ""
        value = entry.value
        if entry.todo is not None:
            self.todos.append((len(self.lines) + 1, entry.todo))
        value = _as_written(value)
        if isinstance(value, Map):
            if not value.fields:
                self.lines.append(f"{prefix}{key}: {{}}{note}")
                return
            self.lines.append(f"{prefix}{key}:{note}")
            self.mapping(value, indent + 2)
        elif isinstance(value, Seq):
            if not value.items:
                self.lines.append(f"{prefix}{key}: []{note}")
                return
            self.lines.append(f"{prefix}{key}:{note}")
            self.sequence(value, indent + 2)
        elif isinstance(value, Ids):
            self.lines.append(f"{prefix}{key}: {_ids(value.items)}{note}")
        elif isinstance(value, Block):
            self._block(prefix, key, value.text, indent + 2, note)
        else:
            self.lines.append(f"{prefix}{key}: {scalar(value)}{note}")

    def sequence(self, node: Seq, indent: int) -> None:
        for item in node.items:
            for line in item.comments:
                self.comment(line, indent)
            value = _as_written(item.value)
            if isinstance(value, Map) and value.fields:
                self.mapping(value, indent + 2, first_prefix=" " * indent + "- ")
            elif isinstance(value, (Map, Seq)):
                self.lines.append(" " * indent + ("- {}" if isinstance(value, Map) else "- []"))
            elif isinstance(value, Block):
                self._block(" " * indent + "- ", None, value.text, indent + 2, "")
            else:
                self.lines.append(" " * indent + "- " + scalar(value))

    def _block(self, prefix: str, key: str, text: str, indent: int, note: str) -> None:
        body = clean_text(text).rstrip().split("\n")
        body = [line.rstrip() for line in body]
        while body and not body[0].strip():
            body.pop(0)
        lead = f"{prefix}{key}: " if key is not None else prefix
        if not body:
            self.lines.append(f"{lead}\"\"{note}")
            return
        indicator = "|"
        if body[0].startswith(" "):
            indicator = "|2"  # the first line's own spaces are content, not indentation
        self.lines.append(f"{lead}{indicator}{note}")
        pad = " " * indent
        self.lines.extend((pad + line) if line else "" for line in body)


_SAFE_KEY = re.compile(r"^[a-z_][a-z0-9_-]*$")


def _ids(items: list[str]) -> str:
    if all(_SAFE_ID.match(i) for i in items):
        return "[" + ", ".join(items) + "]"
    return "[" + ", ".join(json.dumps(i, ensure_ascii=False) for i in items) + "]"


def _as_written(value: Any) -> Any:
    """Text of several lines is written as a block; all text is cleaned."""
    if isinstance(value, str):
        text = clean_text(value)
        return Block(text) if "\n" in text.strip("\n") else text
    return value


def plain_data(value: Any) -> Any:
    """The value as the project's reader gives it back: dates as text, blocks as text."""
    if isinstance(value, Map):
        return {f.key: plain_data(f.value) for f in value.fields}
    if isinstance(value, Seq):
        return [plain_data(i.value) for i in value.items]
    if isinstance(value, Ids):
        return list(value.items)
    if isinstance(value, Block):
        return _block_value(value.text)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        written = _as_written(value)
        return _block_value(written.text) if isinstance(written, Block) else written
    return value


def _block_value(text: str) -> str:
    body = [line.rstrip() for line in clean_text(text).rstrip().split("\n")]
    while body and not body[0].strip():
        body.pop(0)
    return "\n".join(body) + "\n" if body else ""
