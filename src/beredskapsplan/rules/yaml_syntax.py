"""Unparsable or unsafe YAML.

The file must be one UTF-8 YAML document (a byte-order mark is accepted),
indented with spaces. Reported, with the position where reading stopped:
syntax errors, an empty file, tab characters in indentation, bytes that are not
UTF-8, control characters, more than one document (`---`), YAML tags such as
`!!python/object`, merge keys (`<<`), keys that are lists or mappings, aliases
that expand to more than a million values, nesting deeper than 64 levels, and
files larger than 5 MB. Nothing else is checked in a file with such a problem.

Fix: correct the YAML at the given line. Most editors show tabs and encoding
in the status bar.

    people:
    	- id: ola      # tab in indentation: reported
"""
from __future__ import annotations

from .base import reading_problems

ID = "yaml-syntax"
SEVERITY = "error"
SCOPE = "file"
SUMMARY = "unparsable YAML, empty file, tabs, non-UTF-8, YAML bombs, oversized files"


def check(ctx):
    return reading_problems(ctx, ID)
