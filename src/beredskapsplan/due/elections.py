"""Election periods (valgperiode) from a jurisdiction's election calendar.

Municipal elections are held every four years in November; the period runs
from 1 January after the election to 31 December four years later. Known
election dates come from the jurisdiction file; later ones are extrapolated by
the calendar's interval.
"""
from __future__ import annotations

from datetime import date

from ..dates import add, add_days, parse_duration, subtract


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def period_starts(calendar: dict, around: date) -> list[date]:
    """The first day of every period from well before `around` to well after it.

    Known elections come first; earlier and later ones are extrapolated by the
    calendar's interval (regular elections every four years).
    """
    every = parse_duration(str(calendar.get("every", "P4Y")))
    elections = sorted(_as_date(d) for d in calendar.get("known", []))
    if not elections:
        raise ValueError("the election calendar lists no elections")
    month, day = (int(p) for p in str(calendar.get("period_starts", "01-01")).split("-"))
    # (the calendar ends in year 1 and 9999: there the extrapolation stops)
    while elections[0].year >= around.year - 1:
        earlier = subtract(elections[0], every)
        if not date.min < earlier < elections[0]:
            break
        elections.insert(0, earlier)
    while elections[-1].year <= around.year + 1:
        later = add(elections[-1], every)
        if not elections[-1] < later < date.max:
            break
        elections.append(later)
    return [date(e.year + 1, month, day) for e in elections if e.year < date.max.year]


def period_of(day: date, calendar: dict) -> tuple[date, date]:
    """(first, last) day of the election period holding `day`; at the ends of the
    calendar, the period runs to its first or last day."""
    starts = period_starts(calendar, day)
    if day < starts[0]:
        return date.min, add_days(starts[0], -1)
    for start, following in zip(starts, starts[1:]):
        if start <= day < following:
            return start, add_days(following, -1)
    return starts[-1], date.max


def due_after(approved: date, calendar: dict) -> date:
    """The last day of the period after the one holding an approval."""
    _, end = period_of(approved, calendar)
    if end == date.max:
        return date.max
    return period_of(add_days(end, 1), calendar)[1]
