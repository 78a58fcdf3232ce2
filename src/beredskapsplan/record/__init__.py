"""Upkeep without hand-editing YAML: `beredskap record …`, `close finding`, `verify`.

Each function appends or updates exactly one entry (for `verify`, one date per
entry checked) in the file that holds it, by editing the text (`yamledit`), so
every comment and the formatting of the rest of the file stay as they were. The
change is made under the file's lock and checked against the whole plan before
it is written (`core`); `dry_run` returns the diff and writes nothing. Each
returns a `Recorded`: the changes, and what to tell the user.
"""
from .core import RecordError, Recorded  # noqa: F401
from .events import (EXERCISE_TYPES, close_finding, find_event, record_evaluation,  # noqa: F401
                     record_exercise, record_finding, record_incident, record_revision,
                     record_submission)
from .verify import verify  # noqa: F401
