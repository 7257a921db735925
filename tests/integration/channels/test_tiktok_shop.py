"""TikTok Shop adapter against a fake TikTok Shop (202309) that checks sign, token header and cipher."""
import hashlib
import hmac
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from chalicelib.channels import canonical as c
from chalicelib.channels.providers import adapter_for
from chalicelib.channels.providers.base import ChannelError, Credentials, Listing, TokenExpired
from chalicelib.channels.providers.tiktok_shop import TikTokSettings
from tests.fakes.server import FakeServer, json_reply
from tests.integration.channels.fakes import FakeTikTok
from tests.unit.channels import samples

pytestmark = pytest.mark.no_database  # fake servers only

APP_KEY, APP_SECRET, CIPHER = "6abc123", "tiktok-app-secret", "ROW_Mfxq0QAAAADY9jhQ"
SINCE = datetime.fromtimestamp(samples.T0 - 60, UTC)
UNTIL = datetime.fromtimestamp(samples.T0 + 86400, UTC)


@pytest.fixture
def fake():
    platform = FakeTikTok(APP_KEY, APP_SECRET, "tok-1", CIPHER, samples.tiktok_orders(), samples.tiktok_products())
    with FakeServer(platform) as server:
        server.platform = platform
        yield server


def make(server, token="tok-1", secret=APP_SECRET, cipher=CIPHER, sleeps=None):
    settings = TikTokSettings(APP_KEY, secret, api_base=server.url, auth_base=server.url)
    return adapter_for("tiktok_shop", settings, Credentials("7495", token, cipher),
                       sleep=(sleeps.append if sleeps is not None else lambda _: None))


def test_search_walks_page_tokens_and_merges_units(fake):
    adapter = make(fake)
    adapter.page_size = 2
    first = adapter.pull_orders(SINCE, UNTIL)
    second = adapter.pull_orders(SINCE, UNTIL, first.next_cursor)
    assert first.next_cursor == "2" and second.next_cursor is None
    orders = first.orders + second.orders
    assert [o.external_id for o in orders] == ["576461413038785752", "576461413038785754", "576461413038785753"]
    assert [(line.external_sku, line.quantity) for line in orders[0].lines] == [("SON-DO", 2), ("KEM-01", 1)]
    assert orders[1].status is c.ChannelStatus.canceled and orders[2].shipping_address.masked
    searches = [r for r in fake.requests if r.path == "/order/202309/orders/search"]
    assert searches[0].json() == {"update_time_ge": samples.T0 - 60, "update_time_lt": samples.T0 + 86400}
    assert "page_token" not in searches[0].query and searches[1].query["page_token"] == "2"
    assert all(r.headers["x-tts-access-token"] == "tok-1" and r.query["shop_cipher"] == CIPHER for r in searches)
    assert "access_token" not in searches[0].query


def test_get_orders_by_ids(fake):
    orders = make(fake).get_orders(["576461413038785753"])
    assert [(o.external_id, o.status) for o in orders] == [("576461413038785753", c.ChannelStatus.completed)]
    assert fake.requests[0].query["ids"] == "576461413038785753"


def test_a_wrong_secret_is_refused(fake):
    with pytest.raises(ChannelError) as error:
        make(fake, secret="wrong").get_orders(["576461413038785753"])
    assert error.value.code == "106001" and error.value.status == 401


def test_a_wrong_cipher_is_refused(fake):
    with pytest.raises(ChannelError) as error:
        make(fake, cipher="ROW_other").get_orders(["576461413038785753"])
    assert error.value.code == "36009003"


def test_429_once_is_retried(fake):
    sleeps = []
    fake.platform.fail_next("/order/202309/orders", json_reply({"code": 429, "message": "Too many requests"}, 429,
                                                               **{"Retry-After": "3"}))
    assert make(fake, sleeps=sleeps).get_orders(["576461413038785753"])[0].status is c.ChannelStatus.completed
    assert sleeps == [3.0] and fake.platform.calls["/order/202309/orders"] == 2
    signs = [r.query["sign"] for r in fake.requests if r.path == "/order/202309/orders"]
    assert len(signs) == 2   # each attempt signed afresh


def test_expired_token_then_refresh_and_shop_cipher(fake):
    fake.platform.expired_tokens = {"tok-1"}
    fake.platform.refresh["ref-1"] = ("tok-2", "ref-2")
    adapter = make(fake)
    with pytest.raises(TokenExpired) as error:
        adapter.get_orders(["576461413038785753"])
    assert error.value.code == "105002"
    tokens = adapter.refresh_tokens("ref-1")
    assert (tokens.access_token, tokens.refresh_token, tokens.shop_id, tokens.shop_cipher) == ("tok-2", "ref-2", "7495", CIPHER)
    assert tokens.expires_at > datetime.now(UTC)
    assert adapter.get_orders(["576461413038785753"])[0].external_id == "576461413038785753"   # the adapter now holds tok-2
    refresh = next(r for r in fake.requests if r.path == "/api/v2/token/refresh")
    assert refresh.query["grant_type"] == "refresh_token" and refresh.query["app_secret"] == APP_SECRET


def test_exchange_code_finds_the_shop_cipher(fake):
    fake.platform.codes["auth-1"] = ("tok-9", "ref-9")
    adapter = adapter_for("tiktok_shop", TikTokSettings(APP_KEY, APP_SECRET, api_base=fake.url, auth_base=fake.url))
    tokens = adapter.exchange_code("auth-1")
    assert (tokens.access_token, tokens.shop_id, tokens.shop_cipher, tokens.shop_name) == ("tok-9", "7495", CIPHER, "Shop Quay")
    shops = next(r for r in fake.requests if r.path == "/authorization/202309/shops")
    assert "shop_cipher" not in shops.query and shops.headers["x-tts-access-token"] == "tok-9"


def test_listings_and_stock_push(fake):
    adapter = make(fake)
    page = adapter.list_listings()
    assert [(x.external_item_id, x.external_model_id, x.external_sku, x.status, x.warehouse_id) for x in page.listings] == [
        ("1729582718312380123", "2729382476852921560", "SON-DO", "active", "wh-1"),
        ("1729582718312380123", "2729382476852921561", "SON-HONG", "active", "wh-1"),
        ("1729582718312380999", "2729382476852921777", "KEM-01", "inactive", None)]
    adapter.push_stock(page.listings[0], 4)
    adapter.push_stock(Listing("1729582718312380999", "2729382476852921777", "KEM-01", "Kem", "inactive"), 0)
    assert fake.platform.inventory_updates == [
        ("1729582718312380123",
         {"skus": [{"id": "2729382476852921560", "inventory": [{"quantity": 4, "warehouse_id": "wh-1"}]}]}),
        ("1729582718312380999", {"skus": [{"id": "2729382476852921777", "inventory": [{"quantity": 0}]}]})]


def test_push_status_ships_the_package(fake):
    adapter = make(fake)
    adapter.push_status("576461413038785752")
    adapter.push_status("576461413038785752", tracking_number="VTP123", carrier="6617675021119438849")
    assert fake.platform.shipped == [
        ("1153132168123859123", {"handover_method": "PICKUP"}),
        ("1153132168123859123", {"self_shipment": {"tracking_number": "VTP123", "shipping_provider_id": "6617675021119438849"}})]
    with pytest.raises(ChannelError):
        adapter.push_status("576461413038785754")   # canceled: no package


def test_authorize_url_uses_the_service_id_when_known():
    with_service = adapter_for("tiktok_shop", TikTokSettings(APP_KEY, APP_SECRET, service_id="7100"))
    parts = urlsplit(with_service.authorize_url("https://quay.example/cb", state="st"))
    assert parts.netloc == "services.tiktokshop.com" and parse_qs(parts.query) == {"service_id": ["7100"], "state": ["st"]}
    legacy = urlsplit(adapter_for("tiktok_shop", TikTokSettings(APP_KEY, APP_SECRET)).authorize_url("https://x/cb", "st"))
    assert legacy.path == "/oauth/authorize" and parse_qs(legacy.query)["app_key"] == [APP_KEY]


def test_webhook_signature_good_bad_and_missing():
    adapter = adapter_for("tiktok_shop", TikTokSettings(APP_KEY, APP_SECRET))
    body = samples.tiktok_push()
    good = hmac.new(APP_SECRET.encode(), APP_KEY.encode() + body, hashlib.sha256).hexdigest()
    assert adapter.verify_webhook({"Authorization": good}, body, "")
    assert not adapter.verify_webhook({"Authorization": good}, body[:-1], "")
    without_key = hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert not adapter.verify_webhook({"Authorization": without_key}, body, "")
    assert not adapter.verify_webhook({}, body, "")
