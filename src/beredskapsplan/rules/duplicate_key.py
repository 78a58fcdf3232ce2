"""A mapping key given twice.

YAML libraries commonly keep the last value without a word, so a duplicated
`holders:` or `phones:` silently drops data. Each repetition is reported at the
later key, naming the line of the first.

Fix: merge the two entries or remove one.

    - id: ola-nordmann
      phones: [{number: "+47 400 00 001"}]
      phones: [{number: "+47 400 00 002"}]   # reported
"""
from __future__ import annotations

from .base import reading_problems

ID = "duplicate-key"
SEVERITY = "error"
SCOPE = "file"
SUMMARY = "a mapping key given twice (YAML would silently keep the last one)"


def check(ctx):
    return reading_problems(ctx, ID)
