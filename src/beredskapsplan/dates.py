"""Dates and ISO 8601 durations.

Durations are parsed by `isodate`, which keeps years and months as calendar
units: 2024-02-29 + P1Y is 2025-02-28, 2025-01-31 + P1M is 2025-02-28.
"""
from __future__ import annotations

import re
from functools import lru_cache
from datetime import date, timedelta

import isodate

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_DURATION = re.compile(
    r"P(?!\Z)([0-9]{1,3}Y)?([0-9]{1,3}M)?([0-9]{1,3}W)?([0-9]{1,3}D)?"
    r"(T(?=[0-9])([0-9]{1,3}H)?([0-9]{1,3}M)?([0-9]{1,3}S)?)?\Z")  # 3 digits: P999Y is plenty


def parse_date(value: object) -> date | None:
    """A `YYYY-MM-DD` string as a date; None for anything else."""
    if isinstance(value, str) and _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def parse_duration(value: object):
    """An ISO 8601 duration (`P1Y`, `P6M`, `PT2H`) as something a date can be added to."""
    return _duration(value) if isinstance(value, str) else None


@lru_cache(maxsize=256)  # a plan writes the same few durations hundreds of times
def _duration(value: str):
    if _DURATION.match(value):
        try:
            return isodate.parse_duration(value)
        except (isodate.ISO8601Error, ValueError, OverflowError):
            return None
    return None


@lru_cache(maxsize=4096)  # contacts are verified in batches: the same sums recur
def add(day: date, duration) -> date:
    try:
        result = day + duration
    except (OverflowError, ValueError):  # beyond year 9999 (isodate: ValueError): as good as never
        return date.max
    return result.date() if hasattr(result, "date") and callable(result.date) else result


def subtract(day: date, duration) -> date:
    try:
        result = day - duration
    except (OverflowError, ValueError):
        return date.min
    return result.date() if hasattr(result, "date") and callable(result.date) else result


# Reference days for comparing calendar durations: a month is 28–31 days and a
# year 365–366, so one duration is longer than another only if it is on every
# one of these (they cover short and long months and leap years).
_ANCHORS = tuple(date(2023, m, 1) for m in (1, 2, 3, 12)) + (date(2024, 2, 29), date(2024, 1, 31))


def longer(first, second) -> bool:
    """True when `first` is longer than `second` from some start day."""
    return any(add(a, first) > add(a, second) for a in _ANCHORS)


def total_days(duration) -> float:
    """Approximate length in days, for display and sorting only."""
    if isinstance(duration, timedelta):
        return duration.total_seconds() / 86400
    return duration.years * 365.25 + duration.months * 30.44 + duration.tdelta.total_seconds() / 86400
