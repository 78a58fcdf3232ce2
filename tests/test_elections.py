"""Danish council terms (valgperiode): `due.elections.period_of` and `due_after`.

A term runs from 1 January after a municipal election to 31 December four
years later (elections 2017-11-21, 2021-11-16, 2025-11-18, then every four
years). A plan approved in one term must be approved again before the end of
the next.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from beredskapsplan import jurisdiction
from beredskapsplan.due.elections import due_after, period_of

D = date.fromisoformat


@pytest.fixture(scope="module")
def calendar() -> dict:
    return jurisdiction.load("dk-beredskabsloven").data["elections"]


def test_calendar_holds_the_2025_election(calendar):
    known = {str(d) for d in calendar["known"]}
    assert "2025-11-18" in known
    assert str(calendar["every"]) == "P4Y"


@pytest.mark.parametrize("day, first, last", [
    # known terms
    ("2025-10-08", "2022-01-01", "2025-12-31"),
    ("2025-11-18", "2022-01-01", "2025-12-31"),  # election day: the old council still sits
    ("2025-12-31", "2022-01-01", "2025-12-31"),
    ("2026-01-01", "2026-01-01", "2029-12-31"),
    ("2026-11-23", "2026-01-01", "2029-12-31"),
    ("2028-02-29", "2026-01-01", "2029-12-31"),
    ("2022-01-01", "2022-01-01", "2025-12-31"),
    ("2021-11-16", "2018-01-01", "2021-12-31"),
    ("2018-01-01", "2018-01-01", "2021-12-31"),
    # before the first known election (2017-11-21): extrapolated back
    ("2017-12-31", "2014-01-01", "2017-12-31"),
    ("2017-06-01", "2014-01-01", "2017-12-31"),
    ("2013-12-31", "2010-01-01", "2013-12-31"),
    ("2010-05-05", "2010-01-01", "2013-12-31"),
    ("1998-03-03", "1998-01-01", "2001-12-31"),
    # after the last known election: extrapolated forward
    ("2029-12-31", "2026-01-01", "2029-12-31"),
    ("2030-01-01", "2030-01-01", "2033-12-31"),
    ("2101-06-01", "2098-01-01", "2101-12-31"),
    ("2222-02-02", "2222-01-01", "2225-12-31"),
])
def test_period_of(calendar, day, first, last):
    assert period_of(D(day), calendar) == (D(first), D(last))


@pytest.mark.parametrize("approved, due", [
    ("2025-10-08", "2029-12-31"),  # Vallensbæk: approved in the 2022-2025 term
    ("2025-12-31", "2029-12-31"),
    ("2026-01-01", "2033-12-31"),
    ("2029-12-31", "2033-12-31"),
    ("2030-01-01", "2037-12-31"),
    ("2022-06-22", "2029-12-31"),
    ("2021-12-31", "2025-12-31"),
    ("2012-03-01", "2017-12-31"),
    ("2099-07-07", "2105-12-31"),
])
def test_due_after(calendar, approved, due):
    assert due_after(D(approved), calendar) == D(due)


def test_due_after_is_end_of_the_next_period(calendar):
    day = date(2005, 1, 1)
    while day < date(2060, 1, 1):
        first, last = period_of(day, calendar)
        next_first, next_last = period_of(last + timedelta(days=1), calendar)
        assert next_first == last + timedelta(days=1)
        assert due_after(day, calendar) == next_last
        day += timedelta(days=41)


def test_periods_are_four_calendar_years(calendar):
    day = date(1990, 1, 1)
    while day < date(2120, 1, 1):
        first, last = period_of(day, calendar)
        assert first <= day <= last
        assert (first.month, first.day, last.month, last.day) == (1, 1, 12, 31)
        assert last.year - first.year == 3
        assert first.year % 4 == 2  # terms start 2018, 2022, 2026, ...
        day += timedelta(days=97)


def test_dates_written_as_text_give_the_same_periods(calendar):
    as_text = {"every": "P4Y", "known": ["2017-11-21", "2021-11-16", "2025-11-18"],
               "period_starts": "01-01"}
    for day in ("2010-05-05", "2025-12-31", "2026-01-01", "2101-06-01"):
        assert period_of(D(day), as_text) == period_of(D(day), calendar)
        assert due_after(D(day), as_text) == due_after(D(day), calendar)


def test_empty_calendar_is_refused():
    with pytest.raises(ValueError):
        period_of(date(2026, 1, 1), {"every": "P4Y", "known": []})
