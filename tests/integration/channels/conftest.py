"""Channel flows against DynamoDB Local and the fake platforms: deployment settings point at the
fakes, the channel work queue is worked by the test (`work()`), the stream by `drain`."""
import hashlib
import hmac

import pytest

from chalicelib.channels import connections, queue
from tests.fakes.server import FakeServer
from tests.integration.channels.fakes import FakeLazada, FakeShopee, FakeTikTok
from tests.unit.channels import samples

SHOPEE = {"partner_id": "2001234", "partner_key": "shopee-partner-key", "shop_id": "123456"}
LAZADA = {"app_key": "111222", "app_secret": "lazada-secret", "seller_id": "100200300"}
TIKTOK = {"app_key": "tt-app", "app_secret": "tt-secret", "shop_id": "7495", "cipher": "ROW_cipher"}


@pytest.fixture(autouse=True)
def manual_queue(monkeypatch):
    monkeypatch.setattr(queue, "MODE", "manual")
    queue.clear()
    yield
    queue.clear()


@pytest.fixture(autouse=True)
def free_platform_shops(request):
    """The samples' platform shop ids are one deployment-wide pointer each: free them for this test."""
    if request.node.get_closest_marker("no_database"):
        yield
        return
    request.getfixturevalue("stack")
    from chalicelib.channels.store import ChannelShopItem
    from chalicelib.core import keys

    pointers = [ChannelShopItem(*keys.channel_shop(channel, shop)) for channel, shop in (
        ("shopee", SHOPEE["shop_id"]), ("lazada", LAZADA["seller_id"]), ("tiktok_shop", TIKTOK["shop_id"]))]
    for pointer in pointers:
        pointer.delete()
    yield
    for pointer in pointers:
        pointer.delete()


@pytest.fixture
def work(drain):
    """Deliver the shop's stream records, then work the queued channel messages, until quiet."""
    def run(tenant_id: str) -> int:
        total = 0
        for _ in range(10):
            done = drain(tenant_id) + queue.work_pending()
            total += done
            if not done:
                return total
        return total
    return run


@pytest.fixture
def shopee_fake(monkeypatch):
    items, models = samples.shopee_items()
    platform = FakeShopee(SHOPEE["partner_id"], SHOPEE["partner_key"], SHOPEE["shop_id"], "shp-tok",
                          samples.shopee_orders(), items, models)
    with FakeServer(platform) as server:
        monkeypatch.setenv("QUAY_SHOPEE_PARTNER_ID", SHOPEE["partner_id"])
        monkeypatch.setenv("QUAY_SHOPEE_PARTNER_KEY", SHOPEE["partner_key"])
        monkeypatch.setenv("QUAY_SHOPEE_API_BASE", server.url)
        server.platform = platform
        yield server


@pytest.fixture
def lazada_fake(monkeypatch):
    platform = FakeLazada(LAZADA["app_key"], LAZADA["app_secret"], "lzd-tok", samples.lazada_orders(),
                          samples.lazada_items(), samples.lazada_products())
    with FakeServer(platform) as server:
        monkeypatch.setenv("QUAY_LAZADA_APP_KEY", LAZADA["app_key"])
        monkeypatch.setenv("QUAY_LAZADA_APP_SECRET", LAZADA["app_secret"])
        monkeypatch.setenv("QUAY_LAZADA_API_BASE", server.url + "/rest")
        monkeypatch.setenv("QUAY_LAZADA_AUTH_BASE", server.url + "/rest")
        server.platform = platform
        yield server


@pytest.fixture
def tiktok_fake(monkeypatch):
    platform = FakeTikTok(TIKTOK["app_key"], TIKTOK["app_secret"], "tt-tok", TIKTOK["cipher"], samples.tiktok_orders(),
                          samples.tiktok_products())
    with FakeServer(platform) as server:
        monkeypatch.setenv("QUAY_TIKTOK_APP_KEY", TIKTOK["app_key"])
        monkeypatch.setenv("QUAY_TIKTOK_APP_SECRET", TIKTOK["app_secret"])
        monkeypatch.setenv("QUAY_TIKTOK_API_BASE", server.url)
        monkeypatch.setenv("QUAY_TIKTOK_AUTH_BASE", server.url)
        server.platform = platform
        yield server


def shopee_signature(body: bytes) -> str:
    url = connections.webhook_url("shopee", "")
    return hmac.new(SHOPEE["partner_key"].encode(), url.encode() + b"|" + body, hashlib.sha256).hexdigest()


def app_signature(app_key: str, secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), app_key.encode() + body, hashlib.sha256).hexdigest()


def products(owner, *skus: str, name: str = "Hàng kênh") -> None:
    made = owner.post("/api/v1/products", {"name": name, "variants": [{"sku": s, "price": 100000} for s in skus]})
    assert made.status_code == 201, made.body
