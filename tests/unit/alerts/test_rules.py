"""Pure alert rules: the summary's UTC slot from a local time, backoff, crossings, settings entries."""
from datetime import UTC, datetime, timedelta

from chalicelib.alerts import rules


def test_the_summary_slot_is_the_utc_quarter_hour_of_the_local_time():
    on = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
    assert rules.summary_slot("21:00", "Asia/Ho_Chi_Minh", on) == "1400"
    assert rules.summary_slot("21:10", "Asia/Ho_Chi_Minh", on) == "1400"
    assert rules.summary_slot("06:45", "Asia/Ho_Chi_Minh", on) == "2345"
    assert rules.slot_of(datetime(2026, 12, 2, 14, 14, 59, tzinfo=UTC)) == "1400"


def test_a_local_day_starts_at_17_utc_in_vietnam():
    start, end = rules.day_bounds_utc("2026-12-02", "Asia/Ho_Chi_Minh")
    assert start == datetime(2026, 12, 1, 17, tzinfo=UTC) and end - start == timedelta(days=1)
    assert rules.local_day(datetime(2026, 12, 1, 17, 0, tzinfo=UTC), "Asia/Ho_Chi_Minh") == "2026-12-02"


def test_backoff_grows_is_capped_and_obeys_retry_after():
    waits = [rules.backoff(n).total_seconds() for n in range(1, 12)]
    assert waits[:3] == [30, 60, 120] and max(waits) == rules.MAX_BACKOFF_SECONDS
    assert rules.backoff(5, retry_after=42).total_seconds() == 42


def test_which_changes_alert():
    assert rules.is_low(3, 3) and not rules.is_low(4, 3) and not rules.is_low(0, None)
    assert rules.new_problems({"out_of_stock"}, {"out_of_stock", "incomplete_recipient", "customer_matched"}) == [
        "incomplete_recipient"]
    assert rules.is_settings_change("setting", "shop.updated") and rules.is_settings_change("staff", "staff.updated")
    assert not rules.is_settings_change("staff", "signup.email_reused") and not rules.is_settings_change("order", "x")
    assert rules.events_with_defaults(None)["new_order"] is False
    assert rules.events_with_defaults({"new_order": True})["low_stock"] is True
