"""The quick path for reading a clean YAML file: values, and positions on demand.

Almost every file a plan holds is clean: no anchors, tags, duplicate keys or
deep nesting. For those, libyaml's own composer (C) builds the node tree and
a short walk turns it into values: about a third quicker than following the
event stream with every position recorded. The node tree is kept, and
`position` finds a node's line and column in it only when a finding or a
deadline asks.

`quick_values` gives up (returns `CAREFUL`) on anything unusual, so every
problem is found and worded by the careful path (`yamlread`); it only has to
agree with that path on clean files, which the tests check, values and
positions alike.
"""
from __future__ import annotations

import re
from typing import Any

import yaml

from .yamlread import _CONTROL, MAX_DEPTH, _plain

CAREFUL = object()  # "read this file on the careful path"

_PLAIN = "tag:beredskap.invalid,2026:plain"  # a plain scalar without a tag
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

# An anchor is `&name` at the start of a node; text such as "R&D" is not. Any
# '&' that could start one sends the file to the careful path, which counts
# what aliases expand to.
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[\]{},:?-])&\S", re.MULTILINE)
# libyaml's composer recurses in C: only texts that cannot nest deeply go to it
_SAFE_NESTING = 5000
# the careful path stops at MAX_NODES values; a text this short cannot reach it
_QUICK_MAX_CHARS = 400_000

_Loader = getattr(yaml, "CSafeLoader", None)
_ScalarNode, _MappingNode, _SequenceNode = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode


if _Loader is not None:
    class _NodeLoader(_Loader):
        """Composes nodes in C; tags say only 'plain' or 'text' (we resolve plain ourselves)."""

        def resolve(self, kind, value, implicit):
            if kind is _ScalarNode:
                return _PLAIN if implicit[0] else _STR
            return _SEQ if kind is _SequenceNode else _MAP


class _Unusual(Exception):
    """Something the careful path must look at."""


def _could_nest_deeply(text: str) -> bool:
    # flow nesting needs a '[' or '{' per level; block nesting needs columns
    flow = text.count("[") + text.count("{")
    if flow >= _SAFE_NESTING:
        return True
    widest = max(map(len, text.split("\n"))) if len(text) * 2 + flow >= _SAFE_NESTING else len(text)
    return flow + 2 * widest + 2 >= _SAFE_NESTING


def quick_values(text: str) -> tuple[Any, Any]:
    """The values of a clean one-document file and its node tree, or (CAREFUL, None)."""
    if (_Loader is None or len(text) > _QUICK_MAX_CHARS
            or ("&" in text and _MAYBE_ANCHOR.search(text)) or _could_nest_deeply(text)):
        return CAREFUL, None
    loader = _NodeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return CAREFUL, None
        value = _value(root, 0)
    except (yaml.YAMLError, _Unusual):
        return CAREFUL, None
    finally:
        loader.dispose()
    return (CAREFUL, None) if value is None else (value, root)


def position(root, path: tuple, key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the node at `path`, as the careful path records them.

    A mapping or list is placed at its key; `key=True` asks for the key
    itself. A path that does not exist gives its nearest existing ancestor.
    """
    node = root
    mark = root.start_mark
    last = len(path) - 1
    for depth, part in enumerate(path):
        kind = type(node)
        if kind is _MappingNode and type(part) is str:
            for key_node, child in node.value:
                if key_node.value == part:
                    break
            else:
                break
            if key and depth == last:
                mark = key_node.start_mark
                break
            mark = child.start_mark if type(child) is _ScalarNode else key_node.start_mark
        elif kind is _SequenceNode and type(part) is int and 0 <= part < len(node.value):
            child = node.value[part]
            mark = child.start_mark
        else:
            break
        node = child
    return mark.line + 1, mark.column + 1


def _text(node) -> str:
    tag = node.tag
    if tag is not _STR and tag != _STR:
        raise _Unusual  # an explicit tag other than !!str
    if node.style == '"' and _CONTROL.search(node.value):
        raise _Unusual
    return node.value


def _value(node, depth: int) -> Any:
    kind = type(node)
    if kind is _ScalarNode:
        tag = node.tag
        if tag is _PLAIN:
            return _plain(node.value)
        if tag is _STR and node.style != '"':
            return node.value  # quoted or block text, as written
        return _text(node)
    if depth >= MAX_DEPTH:
        raise _Unusual
    if kind is _MappingNode:
        if node.tag != _MAP:
            raise _Unusual
        mapping = {}
        for key_node, value_node in node.value:
            if type(key_node) is not _ScalarNode:
                raise _Unusual
            if key_node.tag is _PLAIN:
                key = key_node.value
                if key == "<<":
                    raise _Unusual  # a merge key
            else:
                key = _text(key_node)
            if key in mapping:
                raise _Unusual  # a duplicate key
            if type(value_node) is _ScalarNode and value_node.tag is _PLAIN:
                mapping[key] = _plain(value_node.value)  # the common case, inlined
            else:
                mapping[key] = _value(value_node, depth + 1)
        return mapping
    if node.tag != _SEQ:
        raise _Unusual
    return [_value(item, depth + 1) for item in node.value]
