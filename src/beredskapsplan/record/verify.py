"""`beredskap verify`: people, partners and resources marked as checked on a date.

The date goes where the plan keeps it: the entry's own `verified:` in whichever
annex file holds it (added when the entry has none). With `--all`, a file
that keeps one date for all its entries (a file-level `verified:`) has that
date changed, and entries with their own date have theirs; nothing else in the
file moves. An entry already checked on that date or later is left as it is.
"""
from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path

from ..build import load_plan
from ..documents import Document
from ..i18n import _, _n
from ..model import Entity, Plan
from ..yamledit import Set
from .core import RecordError, Recorded, change_file, not_in_future, plan_folder

CHECKED_KINDS = ("person", "resource", "partner")


def _checked(plan: Plan) -> list[Entity]:
    return [*plan.people, *plan.resources, *plan.partners]


def _resolve(plan: Plan, ids: list[str]) -> list[Entity]:
    found, unknown = [], []
    for name in dict.fromkeys(ids):
        entity = plan.lookup(name)
        if entity is None or entity.KIND not in CHECKED_KINDS:
            unknown.append(name)
        else:
            found.append(entity)
    if unknown:
        known = [e.id for e in _checked(plan) if e.id]
        hints = []
        for name in unknown:
            close = difflib.get_close_matches(name, known, n=3)
            hints.append(str(_("'{name}': did you mean {close}?", name=name,
                               close=", ".join(close))) if close else f"'{name}'")
        raise RecordError(_("not a person, partner or resource of this plan: {ids}",
                            ids=", ".join(unknown)), hints)
    return found


def verify(path: Path, ids: list[str], every: bool, day: date, today: date,
           dry_run: bool = False) -> Recorded:
    """Mark the entries named by `ids` (or, with `every`, all of them) as checked on `day`."""
    folder = plan_folder(path)
    not_in_future(day, today)
    if bool(ids) == bool(every):
        raise RecordError(_("name the people, partners or resources that were checked (their "
                            "ids), or give --all for every one of them"))
    plan = load_plan(folder, strays=False).plan
    chosen = _checked(plan) if every else _resolve(plan, ids)
    files: dict[Path, Path] = {}  # real path -> the path as the plan reaches it
    for entity in chosen:
        doc_path = entity.src.doc.path
        files.setdefault(doc_path.resolve(), doc_path)
    wanted = {e.id for e in chosen if e.id}
    recorded = Recorded(dry_run=dry_run)
    for real, shown in files.items():
        change_file(folder, shown, _marker(real, wanted, every, day), today, dry_run, recorded)
    return recorded


def _marker(real: Path, wanted: set[str], every: bool, day: date):
    def make(plan: Plan, doc: Document):
        changes, count, later = [], 0, 0
        file_level = "verified" in doc.data if every else False
        if file_level and str(doc.data.get("verified")) != day.isoformat():
            changes.append(Set((), "verified", day))
        for entity in _checked(plan):
            if entity.src.doc is not doc or (not every and entity.id not in wanted):
                continue
            own = isinstance(plan_data(doc, entity), dict) and "verified" in plan_data(doc, entity)
            current = entity.verified
            if current is not None and current > day:
                later += 1
                continue
            count += 1
            if current == day and (own or file_level):
                continue
            if own or not file_level:
                changes.append(Set(entity.src.path, "verified", day))
        words = []
        if count:
            words.append(_n("{n} entry marked as checked on {day}",
                            "{n} entries marked as checked on {day}", count, day=day))
        if later:
            words.append(_n("{n} entry was checked later than {day} and is left as it is",
                            "{n} entries were checked later than {day} and are left as they "
                            "are", later, day=day))
        return changes, words
    return make


def plan_data(doc: Document, entity: Entity):
    return doc.get(entity.src.path)
