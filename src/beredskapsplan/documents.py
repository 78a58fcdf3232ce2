"""A YAML file read from disk, with positions for every node."""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .yamlquick import position
from .yamlread import MAX_BYTES, Problem, parse_bytes, too_large

KINDS = ("plan", "contacts", "resources", "plan-register", "partners", "templates", "action-card")

_SUPPRESS = re.compile(r"#\s*beredskap:\s*ignore\[([^\]]*)\]")


FORMAT_VERSION = 1


def readable(doc: "Document") -> bool:
    """Whether the other rules may read this file: a mapping in a format version we read.

    A file that failed to parse, or declares another `beredskap:` version, is
    reported by `yaml-syntax` or `schema` and otherwise left alone (no guessing).
    """
    data = doc.data
    return (isinstance(data, dict) and data.get("beredskap") == FORMAT_VERSION
            and not isinstance(data.get("beredskap"), bool))


def display_path(path: Path) -> str:
    """The path as the user should see it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


@dataclass(frozen=True, slots=True)
class Location:
    doc: "Document"
    line: int
    column: int


@dataclass(eq=False)
class Document:
    path: Path
    display: str
    data: Any = None
    marks: dict = field(default_factory=dict)
    key_marks: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # line -> (rule ids, whether the comment stands on a line of its own)
    suppressions: dict[int, tuple[set[str], bool]] = field(default_factory=dict)
    text: str | None = None  # the file's text, for rules that can rule a file out quickly
    # the node tree, when the file was read on the quick path: positions are found in it
    nodes: Any = None
    digest: str | None = None  # of the bytes read (BLAKE2, 16 bytes, hex), for the result cache

    @property
    def kind(self) -> str | None:
        if isinstance(self.data, dict):
            kind = self.data.get("kind")
            return kind if kind in KINDS else None
        return None

    def at(self, path: tuple = (), key: bool = False) -> Location:
        """Where a node is; the nearest existing ancestor when it is missing."""
        if self.nodes is not None:
            return Location(self, *position(self.nodes, path, key))
        if key and path in self.key_marks:
            return Location(self, *self.key_marks[path])
        while path and path not in self.marks:
            path = path[:-1]
        return Location(self, *self.marks.get(path, (1, 1)))

    def get(self, path: tuple, default: Any = None) -> Any:
        node = self.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return default
        return node

    def is_suppressed(self, line: int, rule: str) -> bool:
        """A comment after the finding on its line, or on a line of its own just above."""
        for candidate, own_line_only in ((line, False), (line - 1, True)):
            found = self.suppressions.get(candidate)
            if found and (rule in found[0] or "*" in found[0]) and (found[1] or not own_line_only):
                return True
        return False


def _suppressions(raw: bytes) -> dict[int, tuple[set[str], bool]]:
    if b"ignore[" not in raw:
        return {}
    found: dict[int, tuple[set[str], bool]] = {}
    text = raw.decode("utf-8", "replace")
    for number, line in enumerate(text.splitlines(), 1):
        match = _SUPPRESS.search(line)
        if match:
            rules = {r.strip() for r in match.group(1).split(",") if r.strip()}
            found[number] = (rules, not line[: match.start()].strip())
    return found


def read_document(path: Path) -> Document:
    """Read and parse a YAML file. Never raises; problems are recorded on the document."""
    doc = Document(path=path, display=display_path(path))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:  # refuse before reading it into memory
            doc.problems.append(too_large(size))
            return doc
        raw = path.read_bytes()
    except OSError as err:
        doc.problems.append(Problem("yaml-syntax", 1, 1, f"cannot read the file: {err.strerror}"))
        return doc
    return _parsed(doc, raw)


def document_from_bytes(path: Path, raw: bytes) -> Document:
    """A document read from `raw` as if it were the content of `path` (a change not yet
    written, checked before it is)."""
    return _parsed(Document(path=path, display=display_path(path)), raw)


def _parsed(doc: Document, raw: bytes) -> Document:
    doc.digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
    parsed = parse_bytes(raw, positions=False)
    doc.data, doc.problems = parsed.data, parsed.problems
    if parsed.nodes is not None:
        doc.nodes = parsed.nodes
    else:
        doc.marks, doc.key_marks = parsed.marks, parsed.key_marks
    doc.suppressions = _suppressions(raw)
    doc.text = raw.decode("utf-8", "replace")
    return doc
