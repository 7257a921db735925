"""Lazada adapter against a fake Lazada that checks the signature, token and parameters."""
import hashlib
import hmac
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from chalicelib.channels import canonical as c
from chalicelib.channels.providers import adapter_for
from chalicelib.channels.providers.base import ChannelError, Credentials, Listing, TokenExpired
from chalicelib.channels.providers.lazada import LazadaSettings
from tests.fakes.server import FakeServer, json_reply
from tests.integration.channels.fakes import FakeLazada
from tests.unit.channels import samples

pytestmark = pytest.mark.no_database  # fake servers only

APP_KEY, APP_SECRET = "112233", "lazada-app-secret"
SINCE, UNTIL = datetime(2024, 6, 30, tzinfo=UTC), datetime(2024, 7, 3, tzinfo=UTC)


@pytest.fixture
def fake():
    platform = FakeLazada(APP_KEY, APP_SECRET, "tok-1", samples.lazada_orders(), samples.lazada_items(),
                          samples.lazada_products())
    with FakeServer(platform) as server:
        server.platform = platform
        yield server


def make(server, token="tok-1", secret=APP_SECRET, sleeps=None):
    settings = LazadaSettings(APP_KEY, secret, api_base=server.url + "/rest", auth_base=server.url + "/rest")
    return adapter_for("lazada", settings, Credentials("100200300", token),
                       sleep=(sleeps.append if sleeps is not None else lambda _: None))


def test_pull_walks_offsets_and_merges_units(fake):
    adapter = make(fake)
    adapter.page_size = 2
    first = adapter.pull_orders(SINCE, UNTIL)
    second = adapter.pull_orders(SINCE, UNTIL, first.next_cursor)
    assert first.next_cursor == "2" and second.next_cursor is None
    orders = {o.external_id: o for o in first.orders + second.orders}
    assert set(orders) == {"300001", "300002", "300003"}
    assert [(line.external_sku, line.quantity) for line in orders["300001"].lines] == [("QUAN-JEAN-30", 3), ("THAT-LUNG", 1)]
    assert orders["300003"].status is c.ChannelStatus.canceled and orders["300002"].shipping_address.masked
    listed = [r for r in fake.requests if r.path == "/rest/orders/get"]
    assert [r.query["offset"] for r in listed] == ["0", "2"]
    assert listed[0].query["update_after"] == "2024-06-30T00:00:00+00:00" and listed[0].query["sort_by"] == "updated_at"
    items = [r for r in fake.requests if r.path == "/rest/orders/items/get"]
    assert [r.query["order_ids"] for r in items] == ["[300001,300003]", "[300002]"]  # oldest change first


def test_get_orders_after_a_push(fake):
    adapter = make(fake)
    event = adapter.parse_webhook(samples.lazada_push("300002", "delivered"))
    orders = adapter.get_orders(event.order_ids)
    assert [(o.external_id, o.status) for o in orders] == [("300002", c.ChannelStatus.delivered)]


def test_a_wrong_secret_is_refused_with_lazadas_error(fake):
    with pytest.raises(ChannelError) as error:
        make(fake, secret="wrong").get_orders(["300001"])
    assert error.value.code == "IncompleteSignature" and not isinstance(error.value, TokenExpired)


def test_call_limit_is_retried(fake):
    sleeps = []
    fake.platform.fail_next("/rest/order/get", json_reply({"type": "ISP", "code": "ApiCallLimit",
                                                           "message": "This ban will last 1 seconds", "request_id": "r1"}))
    fake.platform.fail_next("/rest/order/get", json_reply({"code": "429"}, 429, **{"Retry-After": "1"}))
    assert make(fake, sleeps=sleeps).get_orders(["300001"])[0].external_id == "300001"
    assert fake.platform.calls["/rest/order/get"] == 3 and sleeps[1] == 1.0 and len(sleeps) == 2


def test_expired_token_then_refresh(fake):
    fake.platform.valid_tokens = {"tok-2"}
    fake.platform.refresh["ref-1"] = ("tok-2", "ref-2")
    adapter = make(fake, token="tok-1")
    with pytest.raises(TokenExpired) as error:
        adapter.get_orders(["300001"])
    assert error.value.code == "IllegalAccessToken"
    tokens = adapter.refresh_tokens("ref-1")
    assert (tokens.access_token, tokens.refresh_token, tokens.shop_id) == ("tok-2", "ref-2", "100200300")
    assert make(fake, token=tokens.access_token).get_orders(["300001"])[0].external_id == "300001"
    refresh = next(r for r in fake.requests if r.path == "/rest/auth/token/refresh")
    assert "access_token" not in refresh.query


def test_exchange_code_on_the_auth_host(fake):
    fake.platform.codes["c0de"] = ("tok-7", "ref-7")
    tokens = make(fake).exchange_code("c0de")
    assert tokens.access_token == "tok-7" and tokens.shop_id == "100200300" and tokens.shop_name == "shop@example.vn"


def test_listings_by_sku_and_pagination(fake):
    adapter = make(fake)
    adapter.page_size = 2
    first = adapter.list_listings()
    second = adapter.list_listings(first.next_cursor)
    assert first.next_cursor == "2" and second.next_cursor is None
    assert [(x.external_item_id, x.external_model_id, x.external_sku, x.status) for x in first.listings + second.listings] == [
        ("8001", "900101", "QUAN-JEAN-30", "active"), ("8001", "900102", "QUAN-JEAN-32", "inactive"),
        ("8002", "900201", "THAT-LUNG", "active"), ("8003", "900301", "MU-LUOI", "active")]


def test_push_stock_posts_the_xml_payload_signed(fake):
    make(fake).push_stock(Listing("8001", "900101", "QUAN-JEAN-30&<x>", "Quần jean", "active"), 12)
    payload = fake.platform.stock_payloads[0]
    assert ("<ItemId>8001</ItemId><SkuId>900101</SkuId><SellerSku>QUAN-JEAN-30&amp;&lt;x&gt;</SellerSku>"
            "<Quantity>12</Quantity>") in payload
    request = next(r for r in fake.requests if r.path == "/rest/product/price_quantity/update")
    assert request.method == "POST" and request.query == {}


def test_push_status_sets_live_items_ready_to_ship(fake):
    make(fake).push_status("300001", tracking_number="GHTK999", carrier="GHTK")
    sent = fake.platform.rts[0]
    assert sent["order_item_ids"] == "[3000011,3000012,3000013,3000014]" and sent["tracking_number"] == "GHTK999"
    assert sent["shipment_provider"] == "GHTK"
    with pytest.raises(ChannelError):
        make(fake).push_status("300003")   # every item canceled


def test_authorize_url():
    adapter = adapter_for("lazada", LazadaSettings(APP_KEY, APP_SECRET))
    parts = urlsplit(adapter.authorize_url("https://quay.example/cb", state="s1"))
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert parts.netloc == "auth.lazada.com" and parts.path == "/oauth/authorize"
    assert query == {"response_type": "code", "force_auth": "true", "redirect_uri": "https://quay.example/cb",
                     "client_id": APP_KEY, "state": "s1"}


def test_webhook_signature_good_bad_and_missing():
    adapter = adapter_for("lazada", LazadaSettings(APP_KEY, APP_SECRET))
    body = samples.lazada_push()
    good = hmac.new(APP_SECRET.encode(), APP_KEY.encode() + body, hashlib.sha256).hexdigest()
    assert adapter.verify_webhook({"Authorization": good}, body, "https://quay.example/api/v1/webhooks/lazada")
    assert not adapter.verify_webhook({"Authorization": good}, body.replace(b"pending", b"canceled"), "")
    wrong_key = hmac.new(b"other-secret", APP_KEY.encode() + body, hashlib.sha256).hexdigest()
    assert not adapter.verify_webhook({"Authorization": wrong_key}, body, "")
    assert not adapter.verify_webhook({"Authorization": ""}, body, "")
    assert not adapter.verify_webhook({}, body, "")
