"""The machinery every recording command shares: change one file, check, then write.

A change is made on the text of the file as it is while the file is locked
(`writing.update`), so a run at the same time waits and then builds on this
one's result. Before anything is written the whole plan is checked as it would
be after the change: a change that adds a validation error is refused, and
nothing is written.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from .. import i18n, writing
from ..check import PLAN_SCOPES, Options, plan_context, run_rules
from ..documents import Document, display_path, document_from_bytes, readable
from ..findings import Finding
from ..i18n import Message, _, _n
from ..model import Plan
from ..project import PLAN_FILE, DocumentCache
from ..yamledit import EditError, edit


class RecordError(Exception):
    """Nothing was recorded; the message says why. `invalid`: the change was refused
    because the plan would not validate (exit 1), else it could not be made (exit 2)."""

    def __init__(self, message: Message, details: list[str] | None = None,
                 invalid: bool = False):
        super().__init__(str(message))
        self.message = message
        self.details = details or []
        self.invalid = invalid


@dataclass
class Recorded:
    """What one command changed (or, with `dry_run`, would change)."""

    changes: list[writing.Change] = field(default_factory=list)
    said: list[Message] = field(default_factory=list)  # one line per thing changed
    notes: list[Message] = field(default_factory=list)  # worth knowing, not a refusal
    dry_run: bool = False

    def diff(self) -> str:
        return "".join(c.diff(display_path(c.path)) for c in self.changes if c.changed)


DRY_RUN = _("nothing was written (--dry-run)")
NOTHING_TO_DO = _("nothing to change")


class _WithChange(DocumentCache):
    """The plan's files as on disk, except one, read from its changed text."""

    def __init__(self, real: Path, raw: bytes):
        super().__init__()
        self.real, self.raw = real, raw

    def read(self, path: Path, real: bool = False) -> Document:
        key = path if real else path.resolve()
        if key == self.real:
            return document_from_bytes(path, self.raw)
        return super().read(path, real)


def plan_folder(path: Path) -> Path:
    folder = path.parent if path.name == PLAN_FILE else path
    if not (folder / PLAN_FILE).is_file():
        raise RecordError(_("{folder}: no plan.yaml here; name a plan folder",
                            folder=str(folder)))
    return folder


def not_in_future(day: date, today: date) -> None:
    if day > today:
        raise RecordError(_("the date {day} is in the future (today is {today}); an event "
                            "is recorded when it has taken place", day=day, today=today))


def _options(folder: Path, today: date) -> Options:
    """The rule settings of the plan's repository (a bad beredskap.yaml: ConfigError)."""
    from ..config import ConfigLookup
    from ..rules import RULES

    severities = ConfigLookup(set(RULES)).for_path(folder).severities
    return Options(today=today, severities=severities, language=i18n.current_language())


def _errors(findings: list[Finding]) -> Counter:
    return Counter((f.rule, f.path, f.message) for f in findings if f.severity == "error")


# makes the changes to one file: (the plan, that file's document) -> (changes, what to say)
MakeChanges = Callable[[Plan, Document], "tuple[list, list[Message]]"]


def change_file(folder: Path, path: Path, make: MakeChanges, today: date,
                dry_run: bool, recorded: Recorded) -> None:
    """Make `make`'s changes to `path` (a file of the plan in `folder`), checked and
    written under the file's lock; adds what was done to `recorded`."""
    options = _options(folder, today)
    said: list[Message] = []

    def change(current: writing.TextFile) -> str:
        before = plan_context(folder, today, strays=False)
        document = next((d for d in before.plan.documents
                         if d.path.resolve() == current.real), None)
        shown = display_path(path)
        if document is None or not readable(document) or document.problems:
            raise RecordError(_("{file} cannot be read; fix it first (see `beredskap "
                                "validate`)", file=shown))
        changes, words = make(before.plan, document)
        if not changes:
            said.extend(_("{file}: {what}", file=shown, what=w) for w in words)
            return current.text
        try:
            text = edit(current.text, changes, shown)
        except EditError as err:
            raise RecordError(err.message) from None
        after = plan_context(folder, today, _WithChange(current.real, current.encode(text)),
                             strays=False)
        found = run_rules(after, options, PLAN_SCOPES)
        added = _errors(found) - _errors(run_rules(before, options, PLAN_SCOPES))
        if added:
            details = [f"{f.path}:{f.line}:{f.column}: {f.rule} {f.message}" for f in found
                       if (f.rule, f.path, f.message) in added]
            raise RecordError(_n("not recorded: the plan would have {n} new validation error",
                                 "not recorded: the plan would have {n} new validation errors",
                                 sum(added.values())), details, invalid=True)
        said.extend(_("{file}: {what}", file=shown, what=w) for w in words)
        return text

    try:
        result = writing.update(path, change, dry_run=dry_run)
    except writing.WriteError as err:
        raise RecordError(err.message) from None
    recorded.changes.append(result)
    recorded.said.extend(said)
    recorded.dry_run = dry_run


def change_plan_file(folder: Path, make: MakeChanges, today: date, dry_run: bool) -> Recorded:
    recorded = Recorded()
    change_file(folder, folder / PLAN_FILE, make, today, dry_run, recorded)
    return recorded
