"""What `due` says, in the user's language: obligations, statuses, intervals, headings.

Machine fields stay as they are in every language (the `what` and `status`
codes, ISO dates in JSON, CSV and calendar fields); what a person reads is
written here: "kontaktkontroll", "FORFALT", "hvert annet år", "1. september 2026".
"""
from __future__ import annotations

from datetime import date, timedelta

from ..i18n import Message, Translator, _

# what -> label, in the order a coordinator thinks of them
WHAT = {
    "revise": _("plan revision"),
    "approve": _("council approval"),
    "reapprove": _("re-approval after change"),
    "submit": _("submission to the authority"),
    "exercise": _("exercise"),
    "evaluate": _("evaluation"),
    "risk-review": _("risk analysis review"),
    "verify": _("contact check"),
    "clearance": _("security clearance"),
    "card-review": _("action card review"),
    "subplan-review": _("sub-plan review"),
    "agreement": _("partner agreement"),
    "finding": _("exercise finding"),
}

STATUS = {
    "never": _("NEVER DONE"),
    "overdue": _("OVERDUE"),
    "soon": _("soon"),
    "ok": _("ok"),
}

COLUMNS = {
    "status": _("Status"), "due": _("Due"), "plan": _("Plan"), "what": _("What"),
    "subject": _("Subject"), "responsible": _("Responsible"), "last": _("Last done"),
    "source": _("Source"),
}
NOT_SET = _("not set")
NOT_DONE = "–"
CALENDAR_NAME = _("Emergency plan: deadlines")


def _units(duration) -> list[tuple[str, int]]:
    """The non-zero calendar units of a duration: [("year", 2)], [("month", 6)], …"""
    if isinstance(duration, timedelta):
        years = months = 0
        delta = duration
    else:
        years, months, delta = int(duration.years), int(duration.months), duration.tdelta
    days = delta.days
    weeks = 0
    if days and days % 7 == 0 and not years and not months:
        weeks, days = days // 7, 0
    parts = [("year", years), ("month", months), ("week", weeks), ("day", days)]
    found = [(unit, n) for unit, n in parts if n]
    if delta.seconds:
        found.append(("time", delta.seconds))
    return found


def every(duration) -> Message:
    """A recurring interval in words: "every year", "every second year", "every 6 months"."""
    units = _units(duration)
    if len(units) == 1 and units[0][0] != "time":
        unit, n = units[0]
        words = {
            "year": (_("every year"), _("every second year"), _("every {n} years", n=n)),
            "month": (_("every month"), _("every second month"), _("every {n} months", n=n)),
            "week": (_("every week"), _("every second week"), _("every {n} weeks", n=n)),
            "day": (_("every day"), _("every second day"), _("every {n} days", n=n)),
        }[unit]
        return words[0] if n == 1 else words[1] if n == 2 else words[2]
    return _("every {duration}", duration=duration)


def within(duration) -> Message:
    """"within 3 months"."""
    return _("within {duration}", duration=duration)


def interval(key: str, duration) -> Message:
    """A policy interval in words, by the kind of key (`*_every` or `*_within`)."""
    return within(duration) if key.endswith("_within") else every(duration)


def day_in_table(tr: Translator, day: date | None) -> str:
    """A date in a table cell: ISO in English, the short local form otherwise (01.09.2026)."""
    if day is None:
        return NOT_DONE
    if tr.language == "en":
        return day.isoformat()
    from babel.dates import format_date

    return format_date(day, format="short", locale=tr.locale)


def summary(counts: dict[str, int], soon, day: date) -> Message:
    return _("{never} never done, {overdue} overdue, {soon} due {within}, {ok} ok (as of {day})",
             never=counts["never"], overdue=counts["overdue"], soon=counts["soon"],
             within=within(soon), ok=counts["ok"], day=day)


def next_line(row) -> Message:
    return _("Next: {day} {what}: {subject} ({plan})", day=row.due, what=WHAT[row.what],
             subject=row.subject, plan=row.plan)


def none_with(statuses: list[str]) -> Message:
    return _("No deadlines with status {statuses}.", statuses=", ".join(statuses))


def responsible_heading(owner: str) -> Message:
    return _("Responsible: {owner}", owner=owner or NOT_SET)


def broken_note(path: str, errors: int) -> Message:
    from ..i18n import _n

    return _n("{path}: {n} validation error can make this plan's deadlines wrong or incomplete; "
              "they are computed from what could be read (see `beredskap validate`)",
              "{path}: {n} validation errors can make this plan's deadlines wrong or "
              "incomplete; they are computed from what could be read (see `beredskap validate`)",
              errors, path=path)


def unreadable_note(path: str, line: int, column: int, why: str) -> Message:
    return _("{path}:{line}:{column}: {why}; no deadlines can be computed for this plan until its "
             "plan.yaml can be read", path=path, line=line, column=column, why=why)


def single_file_note(path: str) -> Message:
    return _("{path}: a single annex file has no deadlines on its own; name its plan folder",
             path=path)
