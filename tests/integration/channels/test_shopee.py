"""Shopee adapter against a fake Shopee that checks signatures, tokens and limits as Shopee does."""
import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from chalicelib.channels import canonical as c
from chalicelib.channels.providers import adapter_for
from chalicelib.channels.providers.base import ChannelError, Credentials, Listing, RateLimited, TokenExpired
from chalicelib.channels.providers.shopee import ShopeeSettings, push_signature
from tests.fakes.server import FakeServer, json_reply
from tests.integration.channels.fakes import FakeShopee
from tests.unit.channels import samples

pytestmark = pytest.mark.no_database  # fake servers only

PARTNER_ID, PARTNER_KEY, SHOP_ID = "2001234", "shopee-partner-key", "123456"
SINCE = datetime.fromtimestamp(samples.T0 - 3600, UTC)
UNTIL = datetime.fromtimestamp(samples.T0 + 86400, UTC)


@pytest.fixture
def fake():
    items, models = samples.shopee_items()
    platform = FakeShopee(PARTNER_ID, PARTNER_KEY, SHOP_ID, "tok-1", samples.shopee_orders(), items, models)
    with FakeServer(platform) as server:
        server.platform = platform
        yield server


def make(server, token="tok-1", key=PARTNER_KEY, sleeps=None):
    adapter = adapter_for("shopee", ShopeeSettings(PARTNER_ID, key, api_base=server.url), Credentials(SHOP_ID, token),
                          sleep=(sleeps.append if sleeps is not None else lambda _: None))
    return adapter


def test_pull_walks_every_page_and_fetches_details(fake):
    adapter = make(fake)
    adapter.page_size = 2
    first = adapter.pull_orders(SINCE, UNTIL)
    second = adapter.pull_orders(SINCE, UNTIL, first.next_cursor)
    assert [o.external_id for o in first.orders] == ["240701AAA1", "240701BBB2"] and first.next_cursor == "2"
    assert [o.external_id for o in second.orders] == ["240701CCC3"] and second.next_cursor is None
    assert [o.status for o in first.orders + second.orders] == [c.ChannelStatus.new, c.ChannelStatus.completed,
                                                                c.ChannelStatus.canceled]
    assert first.orders[0].totals.total == 389000 and first.orders[1].shipping_address.masked
    lists = [r for r in fake.requests if r.path == "/api/v2/order/get_order_list"]
    assert [r.query["cursor"] for r in lists] == ["", "2"] and {r.query["time_range_field"] for r in lists} == {"update_time"}
    details = [r for r in fake.requests if r.path == "/api/v2/order/get_order_detail"]
    assert details[0].query["order_sn_list"] == "240701AAA1,240701BBB2"
    assert "item_list" in details[0].query["response_optional_fields"]


def test_a_window_wider_than_15_days_is_capped(fake):
    page = make(fake).pull_orders(SINCE - timedelta(days=40), UNTIL)
    assert page.window_until == SINCE - timedelta(days=25)
    sent = fake.requests[0].query
    assert int(sent["time_to"]) - int(sent["time_from"]) == 15 * 86400


def test_get_orders_batches_by_50(fake):
    ids = ["240701AAA1"] + [f"MISSING{i}" for i in range(60)]
    orders = make(fake).get_orders(ids)
    assert [o.external_id for o in orders] == ["240701AAA1"]
    assert [len(r.query["order_sn_list"].split(",")) for r in fake.requests] == [50, 11]


def test_wrong_partner_key_is_refused_by_the_platform(fake):
    with pytest.raises(ChannelError) as error:
        make(fake, key="wrong-key").get_orders(["240701AAA1"])
    assert error.value.code == "error_sign" and error.value.status == 403 and error.value.request_id


def test_429_once_is_retried_after_what_retry_after_says(fake):
    sleeps = []
    fake.platform.fail_next("/api/v2/order/get_order_detail", json_reply(
        {"error": "error_too_many_request", "message": "Too many requests"}, 429, **{"Retry-After": "2"}))
    orders = make(fake, sleeps=sleeps).get_orders(["240701AAA1"])
    assert [o.external_id for o in orders] == ["240701AAA1"] and sleeps == [2.0]
    assert fake.platform.calls["/api/v2/order/get_order_detail"] == 2


def test_rate_limit_that_lasts_raises_rate_limited(fake):
    fake.platform.fail_next("/api/v2/order/get_order_detail", json_reply({"error": "error_too_many_request"}, 429), times=5)
    with pytest.raises(RateLimited):
        make(fake).get_orders(["240701AAA1"])
    assert fake.platform.calls["/api/v2/order/get_order_detail"] == 3


def test_a_5xx_is_retried(fake):
    fake.platform.fail_next("/api/v2/order/get_order_detail", json_reply({"error": "error_server", "message": "busy"}, 503))
    assert make(fake).get_orders(["240701AAA1"])[0].external_id == "240701AAA1"


def test_expired_token_raises_token_expired_then_works_after_refresh(fake):
    fake.platform.valid_tokens = {"tok-2"}
    fake.platform.refresh["ref-1"] = ("tok-2", "ref-2")
    stale = make(fake, token="tok-1")
    with pytest.raises(TokenExpired) as error:
        stale.get_orders(["240701AAA1"])
    assert error.value.code == "invalid_acceess_token"
    tokens = stale.refresh_tokens("ref-1")
    assert (tokens.access_token, tokens.refresh_token, tokens.shop_id) == ("tok-2", "ref-2", SHOP_ID)
    assert tokens.expires_at > datetime.now(UTC) + timedelta(hours=3)
    assert make(fake, token=tokens.access_token).get_orders(["240701AAA1"])[0].external_id == "240701AAA1"
    refresh = next(r for r in fake.requests if r.path == "/api/v2/auth/access_token/get")
    assert refresh.json() == {"refresh_token": "ref-1", "shop_id": int(SHOP_ID), "partner_id": int(PARTNER_ID)}
    assert "access_token" not in refresh.query


def test_exchange_code_for_tokens(fake):
    fake.platform.codes["code-9"] = ("tok-9", "ref-9")
    tokens = make(fake).exchange_code("code-9", shop_id=SHOP_ID)
    assert tokens.access_token == "tok-9" and tokens.refresh_token == "ref-9"


def test_listings_with_models_and_their_names(fake):
    adapter = make(fake)
    adapter.page_size = 2
    first = adapter.list_listings()
    second = adapter.list_listings(first.next_cursor)
    assert second.next_cursor is None
    listings = first.listings + second.listings
    assert [(x.external_item_id, x.external_model_id, x.external_sku, x.name, x.status) for x in listings] == [
        ("1001", "2001", "AT-DO-M", "Áo thun - Đỏ, M", "active"), ("1001", "2002", "AT-XANH-L", "Áo thun - Xanh, L", "active"),
        ("1002", None, "NON-01", "Nón", "active"), ("1003", None, "VO", "Vớ", "inactive")]


def test_push_stock_sets_the_seller_stock_of_the_model(fake):
    adapter = make(fake)
    adapter.push_stock(Listing("1001", "2001", "AT-DO-M", "Áo thun", "active"), 7)
    adapter.push_stock(Listing("1002", None, "NON-01", "Nón", "active"), -3)
    assert fake.platform.stock_updates == [
        {"item_id": 1001, "stock_list": [{"model_id": 2001, "seller_stock": [{"stock": 7}]}]},
        {"item_id": 1002, "stock_list": [{"model_id": 0, "seller_stock": [{"stock": 0}]}]}]


def test_push_status_arranges_pickup_or_sends_the_shops_tracking_number(fake):
    adapter = make(fake)
    adapter.push_status("240701AAA1")
    adapter.push_status("240701AAA1", tracking_number="GHN123")
    assert fake.platform.shipped == [{"order_sn": "240701AAA1", "pickup": {"address_id": 777, "pickup_time_id": "slot-1"}},
                                     {"order_sn": "240701AAA1", "non_integrated": {"tracking_number": "GHN123"}}]
    with pytest.raises(ChannelError):
        adapter.push_status("240701CCC3", tracking_number="X")   # canceled: Shopee refuses


def test_authorize_url_is_signed_for_the_public_path(fake):
    url = make(fake).authorize_url("https://quay.example/api/v1/oauth/shopee/callback")
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert parts.path == "/api/v2/shop/auth_partner" and query["redirect"] == "https://quay.example/api/v1/oauth/shopee/callback"
    base = f"{PARTNER_ID}/api/v2/shop/auth_partner{query['timestamp']}".encode()
    assert query["sign"] == hmac.new(PARTNER_KEY.encode(), base, hashlib.sha256).hexdigest()


WEBHOOK_URL = "https://quay.example/api/v1/webhooks/shopee"


def test_webhook_signature_good_bad_and_missing(fake):
    adapter = make(fake)
    body = samples.shopee_push()
    good = hmac.new(PARTNER_KEY.encode(), WEBHOOK_URL.encode() + b"|" + body, hashlib.sha256).hexdigest()
    assert push_signature(PARTNER_KEY, WEBHOOK_URL, body) == good
    assert adapter.verify_webhook({"Authorization": good}, body, WEBHOOK_URL)
    assert adapter.verify_webhook({"authorization": good.upper()}, body, WEBHOOK_URL)
    assert not adapter.verify_webhook({"Authorization": good}, body + b" ", WEBHOOK_URL)           # body changed
    assert not adapter.verify_webhook({"Authorization": good}, body, WEBHOOK_URL + "?x=1")        # other URL
    assert not adapter.verify_webhook({"Authorization": "0" * 64}, body, WEBHOOK_URL)
    assert not adapter.verify_webhook({}, body, WEBHOOK_URL)
    event = adapter.parse_webhook(body)
    assert event.shop_id == SHOP_ID and event.order_ids == ["240701AAA1"]
    assert [o.external_id for o in adapter.get_orders(event.order_ids)] == ["240701AAA1"]
