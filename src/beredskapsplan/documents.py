"""A YAML file read from disk, with positions for every node."""
from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .i18n import Message, _
from .yamlquick import position
from .yamlread import MAX_BYTES, Problem, parse_bytes, too_large

KINDS = ("plan", "contacts", "resources", "plan-register", "partners", "templates", "action-card")

_SUPPRESS = re.compile(r"#\s*beredskap:\s*ignore\[([^\]]*)\]")


FORMAT_VERSION = 1


def os_reason(err: OSError) -> "Message | str":
    """Why the system refused, in the user's words (the system's own text is English)."""
    reasons = {
        errno.EACCES: _("no permission"), errno.EPERM: _("no permission"),
        errno.ENOENT: _("it does not exist"), errno.EISDIR: _("it is a folder"),
        errno.ENOTDIR: _("a part of the path is not a folder"),
        errno.ENOSPC: _("the disk is full"), errno.EROFS: _("the disk is read-only"),
        errno.EEXIST: _("it already exists"),
    }
    return reasons.get(err.errno) or err.strerror or str(err)


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

    def line_text(self, number: int) -> str:
        """Line `number` (1-based) of the file as read, or "" when there is none."""
        if not self.text or number < 1:
            return ""
        lines = self.text.splitlines()
        return lines[number - 1] if number <= len(lines) else ""

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


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
    | getattr(os, "O_BINARY", 0)


def _not_regular(mode: int):
    """Why a file of this type is not read (None for an ordinary file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return _("this is a named pipe (FIFO), not an ordinary file: reading it could wait "
                 "for ever, so it is not read")
    if stat.S_ISSOCK(mode):
        return _("this is a socket, not an ordinary file, so it is not read")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("this is a device, not an ordinary file, so it is not read")
    if stat.S_ISDIR(mode):
        return _("this is a folder, not a file")
    return _("this is not an ordinary file, so it is not read")


def not_a_file(path: Path):
    """Why `path` exists but is no ordinary file (a FIFO, socket, device, folder); None
    for an ordinary file or a path that does not exist. Looks without opening it."""
    try:
        return _not_regular(os.stat(path).st_mode)
    except OSError:
        return None


def read_bytes(path: Path) -> bytes:
    """The bytes of an ordinary file, at most MAX_BYTES + 1 of them.

    Opened without waiting (a FIFO would block the open and the read for ever)
    and checked on the open file itself, so a file swapped after a look at its
    name is refused all the same. Raises OSError, or NotRegular."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        why = not_a_file(path)  # a socket cannot even be opened
        if why is not None:
            raise NotRegular(why) from None
        raise
    try:
        info = os.fstat(fd)
        why = _not_regular(info.st_mode)
        if why is not None:
            raise NotRegular(why)
        if info.st_size > MAX_BYTES:  # refuse before reading it into memory
            raise TooLarge(info.st_size)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks, total = [], 0
        while total <= MAX_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


class NotRegular(OSError):
    """A FIFO, socket, device or folder where a file should be."""

    def __init__(self, why):
        super().__init__(str(why))
        self.why = why


class TooLarge(OSError):
    def __init__(self, size: int):
        super().__init__(f"{size} bytes")
        self.size = size


def read_document(path: Path) -> Document:
    """Read and parse a YAML file. Never raises; problems are recorded on the document."""
    doc = Document(path=path, display=display_path(path))
    try:
        raw = read_bytes(path)
    except NotRegular as err:
        doc.problems.append(Problem("yaml-syntax", 1, 1, err.why))
        return doc
    except TooLarge as err:
        doc.problems.append(too_large(err.size))
        return doc
    except OSError as err:
        doc.problems.append(Problem("yaml-syntax", 1, 1, _(
            "the file cannot be read ({reason}); check that it exists and that you may read it",
            reason=os_reason(err))))
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
