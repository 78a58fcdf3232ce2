"""Recording what happened to the plan: exercises, incidents, evaluations, findings,
revisions and submissions, each one entry in plan.yaml.

How an exercise or incident is named (`--exercise`, `--incident`), see `find_event`:
its `id`; or its date, `2026-04-22`; or its date and words from its title,
`"2026-04-22 flom"`; or words from its title alone. A name that fits more than
one is refused with the candidates listed, so a finding never lands on the
wrong exercise.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ..approve import HISTORY_AFTER
from ..documents import Document
from ..i18n import Message, _
from ..model import Exercise, ExerciseFinding, Incident, Plan
from ..yamledit import Append, Set
from .core import RecordError, Recorded, change_plan_file, not_in_future, plan_folder

EXERCISE_TYPES = ("tabletop", "functional", "full-scale", "alert-test")
TYPE_WORDS = {
    "tabletop": _("tabletop exercise"),
    "functional": _("functional exercise"),
    "full-scale": _("full-scale exercise"),
    "alert-test": _("alert test"),
}
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}\Z")
_DATED = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\s+(.*))?\Z", re.S)
_FINDING_ID = re.compile(r"(.+)-(\d{4})-(\d+)\Z")


KIND_WORDS = {
    "exercise": _("exercise"), "incident": _("incident"), "person": _("person"),
    "role": _("role"), "staff": _("crisis staff"), "section": _("section"),
    "resource": _("resource"), "sub-plan": _("sub-plan"), "partner": _("partner"),
    "template": _("template"), "action card": _("action card"),
    "exercise finding": _("finding"),
}


def _kind_word(kind: str) -> Message | str:
    return KIND_WORDS.get(kind, kind)


def _described(event: Exercise | Incident) -> str:
    parts = [event.date.isoformat() if event.date else "?", event.title or ""]
    if event.id:
        parts.append(f"(id: {event.id})")
    return " ".join(p for p in parts if p)


def _events(plan: Plan, kind: str) -> list:
    return plan.exercises if kind == "exercise" else plan.incidents


def find_event(plan: Plan, kind: str, name: str) -> tuple[int, Exercise | Incident]:
    """The exercise or incident `name` names (see the module's documentation)."""
    events = _events(plan, kind)
    name = name.strip()
    by_id = [(i, e) for i, e in enumerate(events) if e.id and e.id == name]
    if by_id:
        return by_id[0]
    other = plan.lookup(name) if _ID.match(name) else None
    if other is not None:
        raise RecordError(_("'{name}' is not the id of an {kind} but of: {what}",
                            name=name, what=_kind_word(other.KIND), kind=_kind_word(kind)))
    dated = _DATED.match(name)
    day, words = None, name
    if dated:
        try:
            day = date.fromisoformat(dated.group(1))
        except ValueError:
            raise RecordError(_("'{value}' is not a date written YYYY-MM-DD",
                                value=dated.group(1))) from None
        words = dated.group(2) or ""
    wanted = " ".join(words.casefold().split())
    found = [(i, e) for i, e in enumerate(events)
             if (day is None or e.date == day)
             and (not wanted or wanted in " ".join((e.title or "").casefold().split()))]
    if len(found) == 1:
        return found[0]
    known = [_described(e) for e in events[-10:]]
    if not found:
        if not events:
            raise RecordError(_("the plan has no {kind} yet; record it first with `beredskap "
                                "record {command}`", kind=_kind_word(kind), command=kind))
        raise RecordError(_("no {kind} matches '{name}'; name it by its id, its date "
                            "(YYYY-MM-DD) or its date and words from its title",
                            kind=_kind_word(kind), name=name), known)
    raise RecordError(_("'{name}' matches {n} of the plan's entries; add words from the title "
                        "or use the id", name=name, n=len(found)),
                      [_described(e) for _i, e in found])


def event_name(plan: Plan, kind: str, event: Exercise | Incident) -> str:
    """The shortest name that finds `event` again."""
    if event.id:
        return event.id
    same_day = [e for e in _events(plan, kind) if e.date == event.date]
    if len(same_day) <= 1 and event.date:
        return event.date.isoformat()
    return f"{event.date.isoformat() if event.date else ''} {event.title or ''}".strip()


def _new_id_free(plan: Plan, value: str | None) -> None:
    if value is None:
        return
    if not _ID.match(value):
        raise RecordError(_("'{value}' is not a valid id: use lowercase letters a-z, digits and "
                            "'-', at most 63 characters", value=value))
    used = plan.ids.get(value)
    if used:
        where = used[0].src.at()
        raise RecordError(_("the id '{value}' is already used ({what} at {file}:{line}); "
                            "ids must be unique in the whole plan", value=value,
                            what=_kind_word(used[0].KIND), file=where.doc.display,
                            line=where.line))


def _text(value: str, what: Message) -> str:
    value = value.strip()
    if not value:
        raise RecordError(_("nothing was given for {what}", what=what))
    return value


# -- exercises and incidents -----------------------------------------------------------------

def record_exercise(path: Path, day: date, title: str, kind: str, today: date,
                    event_id: str | None = None, dry_run: bool = False) -> Recorded:
    """Append an exercise to `exercises:` in plan.yaml."""
    folder = plan_folder(path)
    not_in_future(day, today)
    title = _text(title, _("the title"))
    if kind not in EXERCISE_TYPES:
        raise RecordError(_("unknown type of exercise '{kind}'; one of: {types}", kind=kind,
                            types=", ".join(EXERCISE_TYPES)))

    def make(plan: Plan, doc: Document):
        _new_id_free(plan, event_id)
        fields = {**({"id": event_id} if event_id else {}), "date": day, "title": title,
                  "type": kind}
        name = event_id or _name_after_adding(plan, "exercise", day, title)
        return ([Append(("exercises",), fields, after=HISTORY_AFTER["exercises"])],
                [_("recorded the exercise '{title}' of {day} ({type}); name it in later "
                   "commands as --exercise \"{name}\"", title=title, day=day,
                   type=TYPE_WORDS[kind], name=name)])

    return change_plan_file(folder, make, today, dry_run)


def _name_after_adding(plan: Plan, kind: str, day: date, title: str) -> str:
    same_day = [e for e in _events(plan, kind) if e.date == day]
    if not same_day:
        return day.isoformat()
    words = title.split()
    for count in range(1, len(words) + 1):  # the fewest words of the title that tell it apart
        fragment = " ".join(words[:count]).casefold()
        if not any(fragment in (e.title or "").casefold() for e in same_day):
            return f"{day.isoformat()} {' '.join(words[:count])}"
    return f"{day.isoformat()} {title}"


def record_incident(path: Path, day: date, title: str, today: date, level: int | None = None,
                    event_id: str | None = None, dry_run: bool = False) -> Recorded:
    """Append an incident (a real activation of the plan) to `incidents:` in plan.yaml."""
    folder = plan_folder(path)
    not_in_future(day, today)
    title = _text(title, _("the title"))

    def make(plan: Plan, doc: Document):
        _new_id_free(plan, event_id)
        if level is not None and plan.levels and level not in plan.level_numbers:
            raise RecordError(_("the plan has no level {level} (levels: {known})", level=level,
                                known=", ".join(str(n) for n in sorted(plan.level_numbers))))
        fields = {**({"id": event_id} if event_id else {}), "date": day, "title": title}
        if level is not None:
            fields["level"] = level
        name = event_id or _name_after_adding(plan, "incident", day, title)
        return ([Append(("incidents",), fields, after=HISTORY_AFTER["incidents"])],
                [_("recorded the incident '{title}' of {day}; name it in later commands as "
                   "--incident \"{name}\"", title=title, day=day, name=name)])

    return change_plan_file(folder, make, today, dry_run)


def record_evaluation(path: Path, kind: str, name: str, day: date, today: date,
                      dry_run: bool = False) -> Recorded:
    """Set `evaluated:` of an exercise or incident: the date of its evaluation report."""
    folder = plan_folder(path)
    not_in_future(day, today)

    def make(plan: Plan, doc: Document):
        index, event = find_event(plan, kind, name)
        if event.evaluated is not None:
            raise RecordError(_("'{title}' was already evaluated on {day}; if that date is "
                                "wrong, correct it in plan.yaml", title=event.title or name,
                                day=event.evaluated))
        if event.date and day < event.date:
            raise RecordError(_("the evaluation ({day}) cannot be before the {kind} itself "
                                "({event_day})", day=day, kind=_kind_word(kind),
                                event_day=event.date))
        key = "exercises" if kind == "exercise" else "incidents"
        return ([Set((key, index), "evaluated", day, before=("findings",))],
                [_("recorded the evaluation of '{title}' on {day}", title=event.title or name,
                   day=day)])

    return change_plan_file(folder, make, today, dry_run)


# -- findings --------------------------------------------------------------------------------

def _all_findings(plan: Plan) -> list[ExerciseFinding]:
    return [f for event in plan.events for f in event.findings]


def new_finding_id(plan: Plan, year: int) -> str:
    """`<prefix>-<year>-<n>`, with the prefix the plan's findings already use (else `f`)."""
    prefixes: dict[str, int] = {}
    numbers: dict[tuple[str, int], int] = {}
    for finding in _all_findings(plan):
        match = _FINDING_ID.match(finding.id or "")
        if match:
            prefix, found_year, number = match.group(1), int(match.group(2)), int(match.group(3))
            prefixes[prefix] = prefixes.get(prefix, 0) + 1
            key = (prefix, found_year)
            numbers[key] = max(numbers.get(key, 0), number)
    prefix = max(prefixes, key=lambda p: (prefixes[p], p)) if prefixes else "f"
    number = numbers.get((prefix, year), 0) + 1
    while f"{prefix}-{year}-{number}" in plan.ids:
        number += 1
    return f"{prefix}-{year}-{number}"


def record_finding(path: Path, kind: str, name: str, text: str, owner: str, due: date,
                   today: date, finding_id: str | None = None,
                   dry_run: bool = False) -> Recorded:
    """Append a finding to an exercise's or incident's `findings:`."""
    folder = plan_folder(path)
    text = _text(text, _("the text of the finding"))

    def make(plan: Plan, doc: Document):
        index, event = find_event(plan, kind, name)
        _new_id_free(plan, finding_id)
        responsible = plan.lookup(owner)
        if responsible is None or responsible.KIND not in ("role", "staff"):
            known = [r.id for r in plan.roles if r.id] + [s.id for s in plan.staff if s.id]
            raise RecordError(_("'{owner}' is not a role or a crisis staff of this plan; "
                                "the owner of a finding is one of: {known}", owner=owner,
                                known=", ".join(known)))
        new_id = finding_id or new_finding_id(plan, (event.date or today).year)
        key = "exercises" if kind == "exercise" else "incidents"
        fields = {"id": new_id, "text": text, "owner": owner, "due": due}
        return ([Append((key, index, "findings"), fields)],
                [_("recorded the finding {id} of '{title}': {owner} by {due}", id=new_id,
                   title=event.title or name, owner=getattr(responsible, "title", None) or owner,
                   due=due)])

    return change_plan_file(folder, make, today, dry_run)


def close_finding(path: Path, finding_id: str, day: date, today: date,
                  dry_run: bool = False) -> Recorded:
    """Set `closed:` of a finding: the date it was dealt with."""
    folder = plan_folder(path)
    not_in_future(day, today)

    def make(plan: Plan, doc: Document):
        for key, events in (("exercises", plan.exercises), ("incidents", plan.incidents)):
            for index, event in enumerate(events):
                for number, finding in enumerate(event.findings):
                    if finding.id != finding_id:
                        continue
                    if finding.closed is not None:
                        raise RecordError(_("the finding {id} was already closed on {day}",
                                            id=finding_id, day=finding.closed))
                    if event.date and day < event.date:
                        raise RecordError(_("the finding {id} cannot be closed ({day}) before "
                                            "its {kind} took place ({event_day})",
                                            id=finding_id, day=day,
                                            kind=_kind_word(event.KIND), event_day=event.date))
                    return ([Set((key, index, "findings", number), "closed", day)],
                            [_("closed the finding {id} on {day}", id=finding_id, day=day)])
        open_ones = [f.id for f in _all_findings(plan) if f.id and f.closed is None]
        raise RecordError(_("the plan has no finding '{id}'", id=finding_id),
                          [str(_("open findings: {ids}", ids=", ".join(open_ones)))
                           if open_ones else str(_("the plan has no open findings"))])

    return change_plan_file(folder, make, today, dry_run)


# -- revisions and submissions -------------------------------------------------------------

def record_revision(path: Path, summary: str, by: str, day: date, today: date,
                    dry_run: bool = False) -> Recorded:
    """Append a revision (an entry of the change log) to `revisions:`."""
    folder = plan_folder(path)
    not_in_future(day, today)
    summary = _text(summary, _("the summary"))

    def make(plan: Plan, doc: Document):
        role = plan.role(by)
        if role is None:
            raise RecordError(_("'{by}' is not a role of this plan; one of: {known}", by=by,
                                known=", ".join(r.id for r in plan.roles if r.id)))
        return ([Append(("revisions",), {"date": day, "summary": summary, "by": by},
                        after=HISTORY_AFTER["revisions"])],
                [_("recorded the revision of {day} by {by}: {summary}", day=day,
                   by=role.title or by, summary=summary)])

    return change_plan_file(folder, make, today, dry_run)


def record_submission(path: Path, to: str, day: date, today: date,
                      dry_run: bool = False) -> Recorded:
    """Append a submission (the plan sent to the authority) to `submissions:`."""
    folder = plan_folder(path)
    not_in_future(day, today)
    to = _text(to, _("the authority"))

    def make(plan: Plan, doc: Document):
        approved = sorted(a.date for a in plan.approvals if a.date)
        if not approved:
            raise RecordError(_("the plan has no approval yet; a plan is sent to the authority "
                                "after the council has approved it (`beredskap approve`)"))
        if day < approved[0]:
            raise RecordError(_("the submission ({day}) cannot be before the first approval "
                                "({approved})", day=day, approved=approved[0]))
        return ([Append(("submissions",), {"date": day, "to": to},
                        after=HISTORY_AFTER["submissions"])],
                [_("recorded that the plan was sent to {to} on {day}", to=to, day=day)])

    return change_plan_file(folder, make, today, dry_run)
