"""Dates, durations and lists as each language writes them, from the Unicode CLDR data.

Shared by the tool's messages and the rendered documents; Babel is imported
only when a date or duration is first written.
"""
from __future__ import annotations

import datetime
from datetime import timedelta
from decimal import Decimal


_UNITS = ("year", "month", "day", "hour", "minute", "second")


def long_date(day: datetime.date, locale: str) -> str:
    """"8. oktober 2025", "8 October 2025"."""
    from babel.dates import format_date  # with its time zones: only where a date is written
    return format_date(day, format="long", locale=locale)


def duration_words(value, locale: str) -> str:
    """An ISO 8601 duration in words: PT2H -> "2 timer", P1DT12H -> "1 dag og 12 timer"."""
    from babel.lists import format_list
    from babel.units import format_unit
    years = months = 0
    delta = value
    if not isinstance(value, timedelta):  # isodate.Duration: calendar years and months
        years, months, delta = value.years, value.months, value.tdelta
    hours, rest = divmod(delta.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = []
    for amount, unit in zip((years, months, delta.days, hours, minutes, seconds), _UNITS):
        amount = _number(amount)
        if amount:
            parts.append(format_unit(amount, f"duration-{unit}", length="long", locale=locale))
    if not parts:
        return format_unit(0, "duration-minute", length="long", locale=locale)
    return format_list(parts, locale=locale)


def list_words(items: list[str], locale: str) -> str:
    """"a, b og c"."""
    from babel.lists import format_list
    return format_list(items, locale=locale)


def _number(value):
    if isinstance(value, (Decimal, float)) and value == int(value):
        return int(value)
    return value
