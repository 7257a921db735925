"""Channel rules without a database: pull windows, backoff, listing ids, OAuth state, and what a
platform's status asks of our order."""
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.channels import rules
from chalicelib.channels.canonical import ChannelStatus

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def test_pull_window_overlaps_the_last_one_and_starts_three_days_back_the_first_time():
    assert rules.pull_window(None, NOW) == (NOW - timedelta(days=3), NOW)
    assert rules.pull_window(NOW - timedelta(minutes=5), NOW) == (NOW - timedelta(minutes=15), NOW)
    since = NOW - timedelta(days=1)
    assert rules.pull_window(NOW - timedelta(minutes=5), NOW, since) == (since, NOW)
    assert rules.pull_window(NOW + timedelta(hours=1), NOW)[0] == NOW   # a cursor ahead of the clock is not trusted


def test_backoff_doubles_up_to_an_hour():
    assert [rules.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4, 7, 20)] == [1, 2, 4, 8, 60, 60]


def test_tokens_are_due_two_hours_before_they_expire():
    assert rules.token_due(NOW + timedelta(hours=1), NOW) and not rules.token_due(NOW + timedelta(hours=3), NOW)
    assert not rules.token_due(None, NOW)


def test_listing_ids_round_trip():
    assert rules.parse_listing_id(rules.listing_id("C1", "1001", "2001")) == ("C1", "1001", "2001")
    assert rules.parse_listing_id(rules.listing_id("C1", "1002", None)) == ("C1", "1002", None)
    assert rules.parse_listing_id("garbage") is None and rules.parse_listing_id("a..b") is None


def test_oauth_state_is_signed_and_expires():
    state = rules.sign_state("secret", {"t": "shop", "c": "shopee", "exp": int((NOW + timedelta(minutes=15)).timestamp())})
    assert rules.read_state("secret", state, NOW)["t"] == "shop"
    assert rules.read_state("other", state, NOW) is None
    assert rules.read_state("secret", state, NOW + timedelta(minutes=16)) is None
    body, _, mac = state.partition(".")
    assert rules.read_state("secret", body[:-2] + "xx." + mac, NOW) is None and rules.read_state("secret", "", NOW) is None


@pytest.mark.parametrize(("platform", "ours", "move"), [
    (ChannelStatus.canceled, "confirmed", "cancel"), (ChannelStatus.canceled, "shipping", None),
    (ChannelStatus.canceled, "canceled", None), (ChannelStatus.cancel_requested, "new", "flag_cancel_requested"),
    (ChannelStatus.shipping, "ready_to_ship", "hand_over"), (ChannelStatus.shipping, "packing", None),
    (ChannelStatus.delivered, "shipping", "complete"), (ChannelStatus.completed, "completed", None),
    (ChannelStatus.returning, "completed", "return_on_the_way"), (ChannelStatus.returned, "returning", "return_received"),
    (ChannelStatus.new, "pending_payment", "mark_paid"), (ChannelStatus.new, "confirmed", None),
    (ChannelStatus.ready_to_ship, "new", None),   # an older copy after a newer one changes nothing
])
def test_platform_status_moves_our_order_forward_only(platform, ours, move):
    assert rules.move_for(platform, ours) == move


def test_shards_spread_and_stay_put():
    shards = {rules.shard_of("shop", str(n)) for n in range(200)}
    assert shards == set(range(rules.DUE_SHARDS)) and rules.shard_of("a", "b") == rules.shard_of("a", "b")
