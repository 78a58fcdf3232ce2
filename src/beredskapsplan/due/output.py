"""Writing deadlines as JSON, CSV and an iCalendar feed (RFC 5545).

Field values that are codes (`what`, `status`, `basis`) and dates stay the same in
every language; the obligation, subject and source are written in the user's.

CSV is written for a spreadsheet: UTF-8 with a byte-order mark (so Excel reads
æ, ø and å), `;` between cells where the language writes decimal commas
(Norwegian, Danish: Excel there splits on `;`), `,` in English; and no cell
starts a formula (`=`, `+`, `-`, `@`, tab or carriage return get a `'` first).
"""
from __future__ import annotations

import csv
import hashlib
from collections import Counter
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Iterable, TextIO

from json.encoder import encode_basestring as _quoted  # keeps non-ASCII, like ensure_ascii=False

from ..i18n import DEFAULT, Translator, _, translator
from .compute import Deadline
from .words import CALENDAR_NAME, STATUS, WHAT

FIELDS = ("plan", "obligation", "subject", "due", "status", "last_done", "responsible_role",
          "responsible_name", "source", "basis", "path", "line")
# the cell separator Excel expects in each language's locale
CSV_DELIMITERS = {"nb": ";", "nn": ";", "da": ";", "en": ","}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@lru_cache(maxsize=None)
def obligation(what: str, language: str = DEFAULT) -> str:
    return translator(language)(WHAT[what])


def _text(value: str | None) -> str:
    return "null" if value is None else _quoted(value)


def json_line(row: Deadline, language: str = DEFAULT) -> str:
    """`json.dumps(row.as_dict(), ensure_ascii=False)`, three times quicker: the
    fields are fixed, and every text goes through json's own (C) string encoder."""
    last = row.last_done.isoformat() if row.last_done else None
    return (f'{{"plan": {_quoted(row.plan)}, "plan_id": {_quoted(row.plan_id)}, '
            f'"what": {_quoted(row.what)}, '
            f'"obligation": {_quoted(obligation(row.what, language))}, '
            f'"subject": {_quoted(row.subject)}, "subject_id": {_quoted(row.subject_id)}, '
            f'"due": "{row.due.isoformat()}", "status": {_quoted(row.status)}, '
            f'"last_done": {_text(last)}, "responsible_role": {_text(row.responsible_role)}, '
            f'"responsible_name": {_text(row.responsible_name)}, '
            f'"source": {_quoted(row.source)}, "basis": {_quoted(row.basis)}, '
            f'"path": {_quoted(row.path)}, "line": {int(row.line)}}}')


def write_json(rows: Iterable[Deadline], out: TextIO) -> None:
    """A JSON list with one deadline per line, written as it goes (a national run has
    hundreds of thousands), using each row's `encoded` form when it has one."""
    out.write("[")
    lines: list[str] = []
    started = False
    for row in rows:
        lines.append(row.encoded or json_line(row))
        if len(lines) == 1000:
            out.write((",\n  " if started else "\n  ") + ",\n  ".join(lines))
            started, lines = True, []
    if lines:
        out.write((",\n  " if started else "\n  ") + ",\n  ".join(lines))
        started = True
    out.write("\n]\n" if started else "]\n")


def safe_cell(value) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        text = "'" + text
    # a carriage return on its own is no line break to the csv module, which then leaves
    # the cell unquoted and the row broken: make it the line break it stands for
    return text.replace("\r\n", "\n").replace("\r", "\n")


def write_csv(rows: Iterable[Deadline], out: TextIO, language: str = DEFAULT,
              delimiter: str | None = None) -> None:
    """CSV as a spreadsheet in `language`'s locale opens it (see the module's notes)."""
    writer = csv.writer(out, delimiter=delimiter or CSV_DELIMITERS.get(language, ","),
                        lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(FIELDS)
    for row in rows:
        values = row.as_dict()
        values["obligation"] = obligation(row.what, language)
        writer.writerow([safe_cell(values[field]) for field in FIELDS])


def uid(row: Deadline) -> str:
    """Stable across runs and due-date changes, so a subscribed calendar updates in place."""
    key = f"{row.plan_key}/{row.what}/{row.subject_id}"
    return hashlib.sha256(key.encode()).hexdigest()[:32] + "@beredskap"


def _unique_uids(rows: list[Deadline]) -> list[str]:
    """`uid` for each row; rows that would share one (two entries of one day with one
    subject, a duplicated id) are told apart by their subject and their place."""
    first = [uid(row) for row in rows]
    counts = Counter(first)
    seen: dict[str, int] = {}
    out = []
    for row, candidate in zip(rows, first):
        if counts[candidate] > 1:
            count = seen[candidate] = seen.get(candidate, 0) + 1
            key = f"{row.plan_key}/{row.what}/{row.subject_id}/{row.subject}/{count}"
            candidate = hashlib.sha256(key.encode()).hexdigest()[:32] + "@beredskap"
        out.append(candidate)
    return out


def _next_day(day: date) -> date | None:
    return None if day == date.max else day + timedelta(days=1)


def as_ics(rows: list[Deadline], today: date, tr: Translator | None = None,
           remind_days: int = 14) -> str:
    """One all-day event per deadline. What is overdue or was never done is put on
    today, the day of the run, so a subscribed calendar shows it this week (its due
    date is in the title); the rest stand on their due date."""
    from icalendar import Alarm, Calendar, Event

    tr = tr or translator(DEFAULT)
    calendar = Calendar()
    calendar.add("prodid", "-//beredskap//deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", tr(CALENDAR_NAME))
    # DTSTAMP is required; derived from the run's date so the feed is reproducible
    stamp = datetime.combine(today, time(0, 0), tzinfo=timezone.utc)
    for row, event_uid in zip(rows, _unique_uids(rows)):
        label = tr(WHAT[row.what])
        late = row.status in ("overdue", "never")
        day = today if late else row.due
        event = Event()
        event.add("uid", event_uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        end = _next_day(day)
        if end is not None:  # without DTEND an all-day event lasts the one day (RFC 5545)
            event.add("dtend", end)
        if row.status == "overdue":
            summary = _("{status} since {due}: {plan}: {what} – {subject}", status=STATUS[
                row.status], due=row.due, plan=row.plan, what=label, subject=row.subject)
        elif row.status == "never":
            summary = _("{status}: {plan}: {what} – {subject}", status=STATUS[row.status],
                        plan=row.plan, what=label, subject=row.subject)
        else:
            summary = _("{plan}: {what} – {subject}", plan=row.plan, what=label,
                        subject=row.subject)
        event.add("summary", tr(summary))
        lines = [f"{label}: {row.subject}",
                 tr(_("Due: {due} ({status})", due=row.due, status=STATUS[row.status])),
                 tr(_("Source: {source}", source=row.source))]
        if row.responsible:
            lines.append(tr(_("Responsible: {who}", who=row.responsible)))
        if row.last_done:
            lines.append(tr(_("Last done: {day}", day=row.last_done)))
        lines.append(tr(_("File: {path}:{line}", path=row.path, line=row.line)))
        event.add("description", "\n".join(lines))
        event.add("categories", [row.what])
        if not late:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{label}: {row.subject}")
            alarm.add("trigger", timedelta(days=-remind_days))
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
