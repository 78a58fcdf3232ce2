"""Writing deadlines as JSON, CSV and an iCalendar feed (RFC 5545)."""
from __future__ import annotations

import csv
import hashlib
from datetime import date, datetime, time, timedelta, timezone
from typing import TextIO

from json.encoder import encode_basestring as _quoted  # keeps non-ASCII, like ensure_ascii=False

from .compute import Deadline

FIELDS = ("plan", "obligation", "subject", "due", "status", "last_done", "responsible_role",
          "responsible_name", "source", "basis", "path", "line")


def _text(value: str | None) -> str:
    return "null" if value is None else _quoted(value)


def json_line(row: Deadline) -> str:
    """`json.dumps(row.as_dict(), ensure_ascii=False)`, three times quicker: the
    fields are fixed, and every text goes through json's own (C) string encoder."""
    last = row.last_done.isoformat() if row.last_done else None
    return (f'{{"plan": {_quoted(row.plan)}, "plan_id": {_quoted(row.plan_id)}, '
            f'"what": {_quoted(row.what)}, "obligation": {_quoted(row.label)}, '
            f'"subject": {_quoted(row.subject)}, "subject_id": {_quoted(row.subject_id)}, '
            f'"due": "{row.due.isoformat()}", "status": {_quoted(row.status)}, '
            f'"last_done": {_text(last)}, "responsible_role": {_text(row.responsible_role)}, '
            f'"responsible_name": {_text(row.responsible_name)}, '
            f'"source": {_quoted(row.source)}, "basis": {_quoted(row.basis)}, '
            f'"path": {_quoted(row.path)}, "line": {int(row.line)}}}')


def write_json(rows: list[Deadline], out: TextIO) -> None:
    """A JSON list with one deadline per line, written as it goes (a national run has
    tens of thousands), using each row's `encoded` form when it has one."""
    out.write("[")
    for start in range(0, len(rows), 1000):
        lines = [row.encoded or json_line(row) for row in rows[start:start + 1000]]
        out.write(("\n  " if start == 0 else ",\n  ") + ",\n  ".join(lines))
    out.write("\n]\n" if rows else "]\n")


def write_csv(rows: list[Deadline], out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row.as_dict())


def uid(row: Deadline) -> str:
    """Stable across runs and due-date changes, so a subscribed calendar updates in place."""
    key = f"{row.plan_key}/{row.what}/{row.subject_id}"
    return hashlib.sha256(key.encode()).hexdigest()[:32] + "@beredskap"


def as_ics(rows: list[Deadline], today: date, remind_days: int = 14) -> str:
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//beredskap//deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Beredskap: frister / deadlines")
    # DTSTAMP is required; derived from the run's date so the feed is reproducible
    stamp = datetime.combine(today, time(0, 0), tzinfo=timezone.utc)
    for row in rows:
        event = Event()
        event.add("uid", uid(row))
        event.add("dtstamp", stamp)
        event.add("dtstart", row.due)
        event.add("dtend", row.due + timedelta(days=1))
        status = "" if row.status == "ok" else f"[{row.status}] "
        event.add("summary", f"{status}{row.plan}: {row.label} – {row.subject}")
        lines = [f"{row.label}: {row.subject}", f"Due: {row.due.isoformat()} ({row.status})",
                 f"Source: {row.source}"]
        if row.responsible:
            lines.append(f"Responsible: {row.responsible}")
        if row.last_done:
            lines.append(f"Last done: {row.last_done.isoformat()}")
        lines.append(f"File: {row.path}:{row.line}")
        event.add("description", "\n".join(lines))
        event.add("categories", [row.what])
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{row.label}: {row.subject}")
        alarm.add("trigger", timedelta(days=-remind_days))
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
