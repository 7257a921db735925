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


@given(st.dates(date(2025, 1, 1), date(2027, 12, 31)), st.integers(0, 120),
       st.lists(st.integers(0, 9), min_size=200, max_size=200))
def test_reads_add_up_to_the_days_of_the_range(first, length, amounts):
    """Weeks read whole, some less their days outside the range: the same sum as every day read."""
    origin = date(2024, 12, 30)  # a Monday before every range
    daily = {origin + timedelta(days=n): amounts[n % len(amounts)] for n in range(1200)}

    def week_of(monday: date) -> int:
        return sum(daily[monday + timedelta(days=n)] for n in range(7))

    last = first + timedelta(days=length)
    total = 0
    for start, end, by_week, sign in rules.reads(first.isoformat(), last.isoformat()):
        day, stop = date.fromisoformat(start), date.fromisoformat(end)
        while day <= stop:
            total += sign * (week_of(day) if by_week else daily[day])
            day += timedelta(days=7 if by_week else 1)
    assert total == sum(daily[first + timedelta(days=n)] for n in range(length + 1))


def test_the_dashboards_30_days_read_a_week_less_a_day_instead_of_six_days():
    assert rules.reads("2026-11-03", "2026-12-02") == [
        ("2026-11-02", "2026-11-02", True, 1), ("2026-11-02", "2026-11-02", False, -1),
        ("2026-11-09", "2026-11-23", True, 1), ("2026-11-30", "2026-12-02", False, 1)]
