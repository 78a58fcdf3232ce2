"""Safe, line-aware YAML reading.

Builds plain Python values (dict, list, str, int, float, bool, None) from
libyaml's event stream and records the line and column of every node, so each
finding can point at the exact place in the file. Reading never raises: every
problem (bad encoding, tabs, duplicate keys, alias bombs, tags, …) becomes a
`Problem` with a position.

Scalars follow YAML 1.2's core schema with three deliberate differences, so that
values people type are not silently changed: `yes`/`no`/`on`/`off` stay text
(the "Norway problem": `country: NO`), numbers with a leading `+` or `0`
(`+4722334455`, `0301`) stay text, and so does a whole number of more than
18 digits (no value of a plan is that large, and every value the tool
computes with stays bounded; the schema then says a number was expected).
Dates stay text too; the model parses them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .i18n import Message, _

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 5 * 1024 * 1024  # a plan file of several MB is a mistake, not a plan
MAX_DEPTH = 64
MAX_NODES = 1_000_000  # after alias expansion: stops "billion laughs"

Path_ = tuple  # a JSON-style path: keys and list indices


@dataclass(frozen=True, slots=True)
class Problem:
    rule: str  # "yaml-syntax" or "duplicate-key"
    line: int  # 1-based
    column: int  # 1-based
    message: Message


@dataclass(slots=True)
class Parsed:
    data: Any = None
    marks: dict = field(default_factory=dict)  # path -> (line, col) of the value
    key_marks: dict = field(default_factory=dict)  # path -> (line, col) of its key
    problems: list = field(default_factory=list)
    nodes: Any = None  # the node tree, when positions were not recorded (yamlquick.position)

    def mapping_problem(self) -> Message | None:
        """Why this is not a clean YAML mapping, or None when it is."""
        if self.problems:
            return self.problems[0].message
        return None if isinstance(self.data, dict) else NOT_A_MAPPING


_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})\Z")  # at most 18 digits (see above)
_LONG_INT = re.compile(r"-?[1-9][0-9]{18,}\Z")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?\Z|-?\.[0-9]+\Z")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_STD_TAGS = {
    "tag:yaml.org,2002:str": str,
    "tag:yaml.org,2002:map": None,
    "tag:yaml.org,2002:seq": None,
}


FILE_IS_EMPTY = _("the file is empty; a plan file begins with `beredskap: 1` and `kind:`")
NOT_A_MAPPING = _("the file does not hold keys with values (a mapping)")


def too_large(size: int) -> Problem:
    return Problem("yaml-syntax", 1, 1, _(
        "the file is {size} MB, over the limit of {limit} MB for a plan file; split it into "
        "annex files", size=max(1, round(size / 1048576)), limit=MAX_BYTES // 1048576))


def _plain(value: str) -> Any:
    if value in _NULL:
        return None
    first = value[0]
    if first in "tTfF":
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
    elif first in "-0123456789.":
        if _INT.match(value):
            return int(value)
        if _LONG_INT.match(value):
            return value
        if _FLOAT.match(value) and any(c.isdigit() for c in value):
            return float(value)
    return value


def _keeps_first(key: str, first: Any) -> bool:
    """A privacy marking given twice keeps a first value that withholds (fails closed):
    `private: true` then `private: false` stays private."""
    from .markings import PRIVATE, marking_meant  # (markings reads documents, which read this)

    return first is not False and marking_meant(key) == PRIVATE


class _Abort(Exception):
    """Stop building: the problem is already recorded."""


class _KeyIsNotText:
    """Marks a mapping key that was a list or mapping: its value is dropped."""


_BAD_KEY = _KeyIsNotText()


def _position(mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def _decode(raw: bytes, out: Parsed) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        out.problems.append(Problem("yaml-syntax", 1, 1, _(
            "the file is saved as UTF-16; save it as UTF-8 (in the editor's encoding setting)")))
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if len(raw) >= 2 and (raw[0] == 0) != (raw[1] == 0):
        out.problems.append(Problem("yaml-syntax", 1, 1, _(
            "the file looks like UTF-16; save it as UTF-8 (in the editor's encoding setting)")))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        line_start = before[before.rfind(b"\n") + 1:]
        column = len(line_start.decode("utf-8", "replace")) + 1
        out.problems.append(Problem("yaml-syntax", line, column, _(
            "the file is not saved as UTF-8 (byte 0x{byte} here is not UTF-8); save it as "
            "UTF-8 and check the letters on this line", byte=format(raw[err.start], "02x"))))
        return None


def _syntax_problem(err: yaml.YAMLError, text: str, open_flow=None) -> Problem:
    """The parser's error as a plain explanation at the line of the mistake (yamlexplain)."""
    from .yamlexplain import explain, general, unclosed_bracket

    problem = getattr(err, "problem", None) or ""
    mark = getattr(err, "problem_mark", None)
    context_mark = getattr(err, "context_mark", None)
    at_end = mark is None or "end of stream" in problem or not text[mark.index:].strip()
    if at_end and open_flow is not None:
        # the file ended inside '[' or '{': say where it opened, not where the file ends
        opening = "[" if type(open_flow) is yaml.SequenceStartEvent else "{"
        found = unclosed_bracket(*_position(open_flow.start_mark), opening)
        return Problem("yaml-syntax", found.line, found.column, found.message)
    if "nesting depth" in problem:  # libyaml's own limit, far above ours
        return Problem("yaml-syntax", *(_position(mark) if mark else (1, 1)), _too_deep())
    explained = explain(text, problem, getattr(err, "context", None), mark, context_mark)
    if explained is not None:
        return Problem("yaml-syntax", explained.line, explained.column, explained.message)
    if context_mark is not None and at_end:
        mark = context_mark  # point where the unfinished thing opens, not at the end
    line, column = _position(mark) if mark else (1, 1)
    return Problem("yaml-syntax", line, column, general())


def _tab_problem(text: str, err: yaml.YAMLError) -> Problem | None:
    """A tab in indentation at or before the error: the likely cause, said plainly.

    Tabs elsewhere (inside text, in block scalar content) are valid YAML and
    accepted; only a tab that breaks the parse is reported this way.
    """
    if "\t" not in text:
        return None
    mark = getattr(err, "problem_mark", None)
    last = mark.line + 1 if mark else None
    for number, line in enumerate(text.splitlines(), 1):
        if last is not None and number > last:
            break
        indent = len(line) - len(line.lstrip(" \t"))
        tab = line.find("\t", 0, indent)
        if tab >= 0:
            return Problem("yaml-syntax", number, tab + 1, TAB_INDENT)
    return None


def _too_deep() -> Message:
    return _("the file is nested deeper than {limit} levels (lists or mappings inside each "
             "other), more than a plan ever needs; flatten it", limit=MAX_DEPTH)


TAB_INDENT = _("this line is indented with a tab character, which YAML does not allow; indent "
               "it with spaces instead")


def parse_bytes(raw: bytes, positions: bool = True) -> Parsed:
    """Read one YAML document from bytes. Never raises.

    With `positions=False` a clean file may be read on the quick path: its
    `marks` and `key_marks` are then None and `nodes` holds the node tree that
    `yamlquick.position` finds positions in.
    """
    out = Parsed()
    if len(raw) > MAX_BYTES:
        out.problems.append(too_large(len(raw)))
        return out
    text = _decode(raw, out)
    if text is None:
        return out
    if not positions:
        from .yamlquick import CAREFUL, quick_values  # imports this module
        data, nodes = quick_values(text)
        if data is not CAREFUL:
            return Parsed(data=data, marks=None, key_marks=None, nodes=nodes)
    return parse_text(text, out)


def parse_text(text: str, out: Parsed | None = None) -> Parsed:
    out = out or Parsed()
    loader = _Loader(text)
    builder = _Builder(out)
    try:
        builder.run(loader)
    except _Abort:
        out.data = None
    except yaml.reader.ReaderError as err:
        from .yamlexplain import general
        # libyaml counts bytes of UTF-8; the pure-Python reader counts characters
        before = (text.encode("utf-8")[: err.position].decode("utf-8", "replace")
                  if _Loader is not yaml.SafeLoader else text[: err.position])
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        out.problems.append(Problem("yaml-syntax", line, column, _(
            "the character U+{code} is not allowed in a YAML file (an invisible control "
            "character); delete it", code=format(err.character, "04X"))
            if isinstance(err.character, int) else general()))
        out.data = None
    except yaml.YAMLError as err:
        out.problems.append(_tab_problem(text, err)
                            or _syntax_problem(err, text, builder.open_flow()))
        out.data = None
    finally:
        loader.dispose()
    return out


class _Builder:
    """Turns the event stream into values and marks, with limits."""

    def __init__(self, out: Parsed):
        self.out = out
        self.nodes = 0
        self.anchors: dict[str, tuple[Any, int] | None] = {}
        self.stack: list[list] = []

    def open_flow(self):
        """The start event of the innermost collection still open, if it is a flow one."""
        if self.stack and self.stack[-1][4].flow_style:
            return self.stack[-1][4]
        return None

    def fail(self, event, message: str, rule: str = "yaml-syntax"):
        self.out.problems.append(Problem(rule, *_position(event.start_mark), message))
        raise _Abort

    def run(self, loader) -> None:
        # frames: [container, path, pending key (None = expecting a key), size, start event]
        stack = self.stack
        documents = 0
        root_set = False
        out = self.out
        marks = out.marks
        scalar_event = yaml.ScalarEvent
        while loader.check_event():
            event = loader.get_event()
            kind = type(event)
            if kind is scalar_event:
                frame = stack[-1] if stack else None
                if (frame is not None and frame[2] is not None and frame[2] is not _BAD_KEY
                        and frame[1] is not None and event.tag is None and event.anchor is None
                        and event.style != '"' and type(frame[0]) is dict):
                    # the common case, a plain value in a mapping: inlined for speed
                    key = frame[2]
                    frame[2] = None
                    frame[3] += 1
                    self.nodes += 1
                    mark = event.start_mark
                    marks[frame[1] + (key,)] = (mark.line + 1, mark.column + 1)
                    frame[0][key] = _plain(event.value) if event.implicit[0] else event.value
                    continue
                value = self.scalar(event)
                self.place(stack, value, 1, event)
                if not stack:
                    root_set = True
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if len(stack) >= MAX_DEPTH:
                    self.fail(event, _too_deep())
                self.check_tag(event)
                path = self.child_path(stack)
                container = {} if kind is yaml.MappingStartEvent else []
                if path is not None:
                    # a nested mapping or list is best pointed at by its key
                    out.marks[path] = out.key_marks.get(path) or _position(event.start_mark)
                stack.append([container, path, None, 1, event])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                container, _path, _key, size, start = stack.pop()
                if start.anchor:
                    self.anchors[start.anchor] = (container, size)
                self.place(stack, container, size, start, built=True)
                if not stack:
                    root_set = True
            elif kind is yaml.AliasEvent:
                target = self.anchors.get(event.anchor, False)
                if target is False:
                    self.fail(event, _("'*{name}' is read as a reference to an anchor "
                                       "(&{name}), and there is none; if it is text, put it "
                                       "in quotes", name=event.anchor))
                if target is None:
                    self.fail(event, _("'*{name}' refers to the anchor it stands in; remove "
                                       "the reference", name=event.anchor))
                value, size = target
                self.place(stack, value, size, event)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self.fail(event, _("the file holds more than one YAML document (a line "
                                       "with ---); keep one document per file"))
        if not root_set or out.data is None:
            out.problems.append(Problem("yaml-syntax", 1, 1, FILE_IS_EMPTY))

    def scalar(self, event) -> Any:
        self.check_tag(event)
        if event.implicit[0]:
            return _plain(event.value)
        if event.style == '"':  # only double quotes can spell control characters
            control = _CONTROL.search(event.value)
            if control:
                self.fail(event, _("the text holds the control character U+{code} (written "
                                   "as an escape); remove it",
                                   code=format(ord(control.group()), "04X")))
        return event.value

    def check_tag(self, event) -> None:
        tag = event.tag
        if tag is None or tag == "!" or tag in _STD_TAGS:
            if event.anchor:
                self.anchors[event.anchor] = None  # incomplete until its end event
            return
        self.fail(event, _("the YAML tag {tag} is not allowed, since plan files hold plain "
                           "data only; remove it, or put the text in quotes if it begins "
                           "with '!'", tag=tag))

    def child_path(self, stack) -> tuple | None:
        if not stack:
            return ()
        container, path, key = stack[-1][0], stack[-1][1], stack[-1][2]
        if path is None:
            return None
        if isinstance(container, list):
            return path + (len(container),)
        if key is None or key is _BAD_KEY:
            return None  # a complex key, or the value of a dropped key
        return path + (key,)

    def place(self, stack, value, size: int, event, built: bool = False) -> None:
        # a finished container's values were counted as they came; an alias adds all of its
        self.nodes += 1 if built else size
        if self.nodes > MAX_NODES:
            self.fail(event, _("the file expands to more than {limit} values (through "
                               "aliases, or simply too much data); split it or remove alias "
                               "chains", limit=MAX_NODES))
        out = self.out
        if not built and getattr(event, "anchor", None) and type(event) is yaml.ScalarEvent:
            self.anchors[event.anchor] = (value, size)
        if not stack:
            out.data = value
            if not built:
                out.marks[()] = _position(event.start_mark)
            return
        frame = stack[-1]
        frame[3] += size
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            if path is not None and not built:
                out.marks[path + (len(container),)] = _position(event.start_mark)
            container.append(value)
            return
        key = frame[2]
        if key is None:  # this value is a key
            frame[2] = self.key(value, event, built, frame, container, path)
            return
        frame[2] = None
        if key is _BAD_KEY or path is None:
            return
        if not built:
            out.marks[path + (key,)] = _position(event.start_mark)
        container[key] = value

    def key(self, value, event, built, frame, container, path):
        position = _position(event.start_mark)
        if built or isinstance(value, (dict, list)) or type(event) is yaml.AliasEvent:
            problem = Problem("yaml-syntax", *position, _(
                "a key must be plain text, not a list, a mapping or a reference; write a word "
                "followed by a colon"))
            if problem not in self.out.problems:
                self.out.problems.append(problem)
            return _BAD_KEY
        if value == "<<" and event.implicit[0]:
            self.out.problems.append(Problem("yaml-syntax", *position, _(
                "merge keys (<<) are not supported; write the keys out")))
            return _BAD_KEY
        text = event.value  # keys are always the text as written
        if text in container:
            first = self.out.key_marks.get((path or ()) + (text,)) if path is not None else None
            self.out.problems.append(Problem("duplicate-key", *position, _(
                "the key '{key}' appears twice here (first on line {line}); YAML would keep "
                "only this one, so remove one of them or merge them", key=text, line=first[0])
                if first else _("the key '{key}' appears twice here; YAML would keep only "
                                "the last one, so remove one of them or merge them", key=text)))
            if _keeps_first(text, container[text]):
                return _BAD_KEY
        if path is not None:
            self.out.key_marks[path + (text,)] = position
        return text
