"""Textual YAML edits: the new text is the old one with only the intended lines changed."""
from __future__ import annotations

from datetime import date

import pytest

from beredskapsplan.yamledit import Append, EditError, Set, edit, scalar

D = date(2026, 11, 20)

CASES = [
    # a list entry at the end of a nested list, before the next item of the outer list
    ("xs:\n  - id: a\n    fs:\n      - {id: f1}\n  - id: b\n",
     Append(("xs", 0, "fs"), {"id": "f2"}),
     "xs:\n  - id: a\n    fs:\n      - {id: f1}\n      - {id: f2}\n  - id: b\n"),
    # block entries after a literal block, before the comment of the next key
    ("xs:\n  - id: a\n    text: |\n      one\n      two\n# next\nys: 1\n",
     Append(("xs",), {"id": "b", "text": "three"}),
     "xs:\n  - id: a\n    text: |\n      one\n      two\n  - id: b\n    text: three\n"
     "# next\nys: 1\n"),
    # an indentless list keeps its dash column
    ("xs:\n- id: a\n  n: 1\nys: 2\n", Append(("xs",), {"id": "b", "n": 2}),
     "xs:\n- id: a\n  n: 1\n- id: b\n  n: 2\nys: 2\n"),
    # `key:` with nothing, and `key: []` with a comment, become block lists
    ("e:\n  fs:\n  n: 1\n", Append(("e", "fs"), {"id": "f"}),
     "e:\n  fs:\n    - id: f\n  n: 1\n"),
    ("e:\n  fs: []  # none yet\n  n: 1\n", Append(("e", "fs"), {"id": "f"}),
     "e:\n  fs:  # none yet\n    - id: f\n  n: 1\n"),
    # inside a flow mapping everything stays flow
    ("xs:\n  - {id: a, fs: []}\n", Append(("xs", 0, "fs"), {"id": "f", "due": D}),
     "xs:\n  - {id: a, fs: [{id: f, due: 2026-11-20}]}\n"),
    ("xs:\n  - {id: a}\n", Append(("xs", 0, "fs"), {"id": "f"}),
     "xs:\n  - {id: a, fs: [{id: f}]}\n"),
    # a value replaced in place, its comment kept; `null`, `~` and nothing
    ("p:\n  - {id: a, verified: 2020-01-01}  # old\n", Set(("p", 0), "verified", D),
     "p:\n  - {id: a, verified: 2026-11-20}  # old\n"),
    ("f:\n  closed: ~\n", Set(("f",), "closed", D), "f:\n  closed: 2026-11-20\n"),
    ("f:\n  closed:\n  n: 1\n", Set(("f",), "closed", D), "f:\n  closed: 2026-11-20\n  n: 1\n"),
    # a new key: before a named key (and the comment above it), or at the end
    ("e:\n  date: 2026-01-01\n  # what was found\n  findings: []\n",
     Set(("e",), "evaluated", D, before=("findings",)),
     "e:\n  date: 2026-01-01\n  evaluated: 2026-11-20\n  # what was found\n  findings: []\n"),
    ("people:\n  - id: a\n    name: A\n\n  # Others\n  - id: b\n",
     Set(("people", 0), "verified", D),
     "people:\n  - id: a\n    name: A\n    verified: 2026-11-20\n\n  # Others\n  - id: b\n"),
    # a top-level list created after its neighbour, in its style, apart by a blank line
    ("a: 1\nrevisions:\n  - {date: 2020-01-01}\n\nlevels: []\n",
     Append(("submissions",), {"to": "X"}, after=("revisions",)),
     "a: 1\nrevisions:\n  - {date: 2020-01-01}\n\nsubmissions:\n  - {to: X}\n\nlevels: []\n"),
]


@pytest.mark.parametrize("source, change, expected", CASES)
def test_edit_changes_only_what_it_should(source, change, expected):
    assert edit(source, [change], "f.yaml") == expected


@pytest.mark.parametrize("value, flow, written", [
    ("Stabsøvelse – flom", False, "Stabsøvelse – flom"),
    ("Flom, ras og storm", False, "Flom, ras og storm"),
    ("Flom, ras og storm", True, '"Flom, ras og storm"'),
    ("Tid: 14:00", False, '"Tid: 14:00"'),
    ("NO", False, '"NO"'),  # other YAML tools read it as false
    ("2026", False, '"2026"'),
    ("- punkt", False, '"- punkt"'),
    ("# ikke en kommentar", False, '"# ikke en kommentar"'),
    ("sha256:abc", False, "sha256:abc"),
    (D, True, "2026-11-20"),
    (2, True, "2"),
])
def test_values_are_plain_where_they_read_back_the_same(value, flow, written):
    assert scalar(value, flow) == written


def test_text_of_several_lines_is_a_literal_block():
    result = edit("xs:\n  - id: a\n", [Append(("xs",), {"id": "b", "text": "one\ntwo"})], "f")
    assert result == "xs:\n  - id: a\n  - id: b\n    text: |-\n      one\n      two\n"


@pytest.mark.parametrize("source, change, fragment", [
    ("xs: 3\n", Append(("xs",), {"a": 1}), "not a list"),
    ("xs: [\n", Append(("xs",), {"a": 1}), "cannot be read"),
    ("e:\n  text: |\n    x\n", Set(("e",), "text", "y"), "more than one value"),
    ("xs: []\n", Set(("xs", 3), "k", 1), "not found"),
])
def test_what_cannot_be_edited_is_refused(source, change, fragment):
    with pytest.raises(EditError) as caught:
        edit(source, [change], "f.yaml")
    assert fragment in str(caught.value)
