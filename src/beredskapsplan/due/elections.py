"""Election periods (valgperiode) from a jurisdiction's election calendar.

Municipal elections are held every four years in November; the period runs
from 1 January after the election to 31 December four years later. Known
election dates come from the jurisdiction file; later ones are extrapolated by
the calendar's interval.
"""
from __future__ import annotations

from datetime import date

from ..dates import add, parse_duration, subtract


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
    while elections[0].year >= around.year - 1:
        elections.insert(0, subtract(elections[0], every))
    while elections[-1].year <= around.year + 1:
        elections.append(add(elections[-1], every))
    return [date(e.year + 1, month, day) for e in elections]


def period_of(day: date, calendar: dict) -> tuple[date, date]:
    """(first, last) day of the election period holding `day`."""
    starts = period_starts(calendar, day)
    for start, following in zip(starts, starts[1:]):
        if start <= day < following:
            return start, date.fromordinal(following.toordinal() - 1)
    raise ValueError(f"no election period holds {day}")  # unreachable: starts run past `day`


def due_after(approved: date, calendar: dict) -> date:
    """The last day of the period after the one holding an approval."""
    _, end = period_of(approved, calendar)
    next_start = date.fromordinal(end.toordinal() + 1)
    return period_of(next_start, calendar)[1]
