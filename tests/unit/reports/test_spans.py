"""A date range read as whole ISO weeks (from the weekly rollups) and the days around them."""
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.reports import rules


@pytest.mark.parametrize("first, last, expected", [
    ("2026-11-23", "2026-11-29", [("2026-11-23", "2026-11-23", True)]),  # Monday..Sunday: one week
    ("2026-11-24", "2026-11-29", [("2026-11-24", "2026-11-29", False)]),  # no whole week
    ("2026-11-03", "2026-12-02", [("2026-11-03", "2026-11-08", False), ("2026-11-09", "2026-11-23", True),
                                  ("2026-11-30", "2026-12-02", False)]),  # the dashboard's 30 days
    ("2026-11-30", "2026-12-13", [("2026-11-30", "2026-12-07", True)]),
    ("2026-12-02", "2026-12-02", [("2026-12-02", "2026-12-02", False)]),
])
def test_spans(first, last, expected):
    assert rules.spans(first, last) == expected


@given(st.dates(date(2025, 1, 1), date(2027, 12, 31)), st.integers(0, 120))
def test_spans_cover_every_day_once(first, length):
    last = first + timedelta(days=length)
    covered = []
    for start, end, by_week in rules.spans(first.isoformat(), last.isoformat()):
        day, stop = date.fromisoformat(start), date.fromisoformat(end)
        if by_week:
            assert day.weekday() == 0 and stop.weekday() == 0
            stop += timedelta(days=6)
        covered += [day + timedelta(days=n) for n in range((stop - day).days + 1)]
    assert covered == [first + timedelta(days=n) for n in range(length + 1)]
