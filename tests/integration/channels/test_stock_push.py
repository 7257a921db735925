"""Stock pushes: a SKU's availability reaches every linked listing (allocation %, buffer, the
connection's locations), bursts coalesce, a stale value never follows a newer one, failures retry
and then warn; plus website webhooks in their three signature styles."""
import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

from chalicelib.channels import jobs, pushes, queue
from chalicelib.core.principal import Principal
from chalicelib.stock import movements
from tests.fakes.server import json_reply
from tests.integration.channels.conftest import LAZADA, SHOPEE, products
from tests.unit.channels import samples


def _connect(owner, body):
    made = owner.post("/api/v1/channel-connections", body)
    assert made.status_code == 201, made.body
    return made.data


def _sync(owner, connection_id):
    answer = owner.post(f"/api/v1/channel-connections/{connection_id}/sync",
                        {"since": datetime.fromtimestamp(samples.T0 - 3600, UTC).isoformat()})
    assert answer.status_code == 200 and not answer.data["errors"], answer.body
    return answer.data


def _shopee_pushes(fake, item_id=1002):
    return [u["stock_list"][0]["seller_stock"][0]["stock"] for u in fake.platform.stock_updates if u["item_id"] == item_id]


def _lazada_pushes(fake, seller_sku="THAT-LUNG"):
    return [int(p.split("<Quantity>")[1].split("<")[0]) for p in fake.platform.stock_payloads if seller_sku in p]


def _adjust(store, delta, sku="NON-01"):
    answer = store["api"].post("/api/v1/stock/adjustments", {"location_id": store["warehouse"], "sku": sku,
                                                             "delta": delta, "reason": "internal_use"})
    assert answer.status_code == 201, answer.body


def test_a_stock_change_reaches_every_linked_listing_across_two_platforms(store, shopee_fake, lazada_fake, work):
    owner, tenant = store["api"], store["tenant_id"]
    products(owner, "NON-01", "THAT-LUNG")
    shopee = _connect(owner, {"channel": "shopee", "name": "Shopee", "shop_id": SHOPEE["shop_id"],
                              "tokens": {"access_token": "shp-tok"}, "location_ids": [store["warehouse"]],
                              "allocation_percent": 80, "buffer": 1})
    lazada = _connect(owner, {"channel": "lazada", "name": "Lazada", "shop_id": LAZADA["seller_id"],
                              "tokens": {"access_token": "lzd-tok"}, "location_ids": [store["warehouse"]]})
    _sync(owner, shopee["id"])
    _sync(owner, lazada["id"])
    work(tenant)
    lazada_listing = next(x for x in owner.get(f"/api/v1/channel-listings?connection_id={lazada['id']}").data["items"]
                          if x["external_sku"] == "THAT-LUNG")
    assert owner.post(f"/api/v1/channel-listings/{lazada_listing['id']}/link", {"sku": "NON-01"}).status_code == 200
    work(tenant)
    shopee_fake.platform.stock_updates.clear()
    lazada_fake.platform.stock_payloads.clear()
    owner.post("/api/v1/stock/receipts", {"location_id": store["warehouse"], "lines": [{"sku": "NON-01", "quantity": 10}]})
    work(tenant)
    assert _shopee_pushes(shopee_fake) == [7]      # (10 - buffer 1) x 80 % rounded down
    assert _lazada_pushes(lazada_fake) == [10]     # the whole warehouse
    listing = next(x for x in owner.get("/api/v1/channel-listings?linked=true").data["items"]
                   if x["external_sku"] == "NON-01")
    assert listing["pushed_quantity"] == 7 and not listing["push_pending"]


def test_a_burst_of_sales_becomes_one_push_with_the_last_value(store, shopee_fake, work, drain):
    owner, tenant = store["api"], store["tenant_id"]
    products(owner, "NON-01")
    made = _connect(owner, {"channel": "shopee", "name": "Shopee", "shop_id": SHOPEE["shop_id"],
                            "tokens": {"access_token": "shp-tok"}, "location_ids": [store["warehouse"]]})
    _sync(owner, made["id"])
    owner.post("/api/v1/stock/receipts", {"location_id": store["warehouse"], "lines": [{"sku": "NON-01", "quantity": 60}]})
    work(tenant)
    shopee_fake.platform.stock_updates.clear()
    for _ in range(50):                              # a livestream sells fifty in a minute
        _adjust(store, -1)
    drain(tenant)
    assert len(queue.pending()) == 1                 # one push requested for the whole burst
    work(tenant)
    assert _shopee_pushes(shopee_fake) == [10]


def test_a_change_during_a_push_is_pushed_after_it_never_before(store, shopee_fake, work, drain):
    owner, tenant = store["api"], store["tenant_id"]
    products(owner, "NON-01")
    made = _connect(owner, {"channel": "shopee", "name": "Shopee", "shop_id": SHOPEE["shop_id"],
                            "tokens": {"access_token": "shp-tok"}, "location_ids": [store["warehouse"]]})
    _sync(owner, made["id"])
    owner.post("/api/v1/stock/receipts", {"location_id": store["warehouse"], "lines": [{"sku": "NON-01", "quantity": 9}]})
    drain(tenant)
    platform = shopee_fake.platform
    original, sold = platform._update_stock, []

    def sale_while_pushing(request):
        answer = original(request)
        if not sold:   # the platform is still answering when a sale lands and its record is streamed
            sold.append(movements.adjust(Principal.system(tenant), location_id=store["warehouse"], sku="NON-01", delta=-4,
                                         reason="internal_use", note=None))
            drain(tenant)
        return answer

    platform._update_stock = sale_while_pushing
    queue_listing = queue.pending()[0]["listing_id"]
    busy = pushes.push_listing(tenant, queue_listing)
    assert busy == "pushed" and _shopee_pushes(shopee_fake) == [9]
    assert [m["listing_id"] for m in queue.pending()] == [queue_listing] * 2   # its own follow-up after the delay
    queue.work_pending()
    assert _shopee_pushes(shopee_fake) == [9, 5]   # the newer value last, never the other way round


def test_a_second_worker_for_the_same_listing_pushes_nothing(store, shopee_fake, work, drain):
    owner, tenant = store["api"], store["tenant_id"]
    products(owner, "NON-01")
    made = _connect(owner, {"channel": "shopee", "name": "Shopee", "shop_id": SHOPEE["shop_id"],
                            "tokens": {"access_token": "shp-tok"}})
    _sync(owner, made["id"])
    owner.post("/api/v1/stock/receipts", {"location_id": store["warehouse"], "lines": [{"sku": "NON-01", "quantity": 3}]})
    drain(tenant)
    listing_id = queue.pending()[0]["listing_id"]
    from chalicelib.channels import listings
    from chalicelib.channels.rules import parse_listing_id

    item = listings.get_item(tenant, *parse_listing_id(listing_id))
    assert pushes._claim(item)                       # a duplicate delivery holds the lease
    assert pushes.push_listing(tenant, listing_id) == "busy" and _shopee_pushes(shopee_fake) == []


def test_a_failing_push_keeps_retrying_then_warns_and_a_deleted_listing_stops(store, shopee_fake, work, drain):
    owner, tenant = store["api"], store["tenant_id"]
    products(owner, "NON-01")
    made = _connect(owner, {"channel": "shopee", "name": "Shopee", "shop_id": SHOPEE["shop_id"],
                            "tokens": {"access_token": "shp-tok"}})
    _sync(owner, made["id"])
    shopee_fake.platform.fail_next("/api/v2/product/update_stock", json_reply(
        {"error": "error_server", "message": "busy"}, 503), times=9)
    owner.post("/api/v1/stock/receipts", {"location_id": store["warehouse"], "lines": [{"sku": "NON-01", "quantity": 4}]})
    work(tenant)
    listing = next(x for x in owner.get("/api/v1/channel-listings?linked=true").data["items"] if x["external_sku"] == "NON-01")
    assert listing["push_error"] and listing["push_pending"] and listing["push_attempts"] == 1
    far = datetime(2100, 1, 1, tzinfo=UTC)
    for _ in range(2):
        assert _retry_mine(tenant, far) == 1
        queue.work_pending()
    again = next(x for x in owner.get("/api/v1/channel-listings?linked=true").data["items"] if x["id"] == listing["id"])
    assert again["push_attempts"] == 3 and again["push_pending"]
    connection = owner.get(f"/api/v1/channel-connections/{made['id']}").data
    assert connection["status"] == "error" and connection["last_error"].startswith("Stock push")
    retried = owner.post(f"/api/v1/channel-listings/{listing['id']}/push")
    assert retried.status_code == 200
    queue.work_pending()
    after = owner.get("/api/v1/channel-listings?linked=true").data["items"]
    assert next(x for x in after if x["id"] == listing["id"])["pushed_quantity"] == 4
    shopee_fake.platform.fail_next("/api/v2/product/update_stock", json_reply(
        {"error": "error_item_not_found", "message": "item deleted"}, 400))
    _adjust(store, -1)
    work(tenant)
    gone = next(x for x in owner.get("/api/v1/channel-listings").data["items"] if x["id"] == listing["id"])
    assert gone["status"] == "deleted" and not gone["push_pending"] and "deleted" in gone["push_error"]
    _adjust(store, -1)
    work(tenant)
    assert _shopee_pushes(shopee_fake)[-1] == 4    # a deleted listing is told nothing more


def _retry_mine(tenant, now):
    """The retry job over the deployment's due index, keeping only this shop's messages (earlier
    tests' shops would otherwise push to this test's fake platform)."""
    jobs.retry_pushes(now=now)
    mine = [m for m in queue.pending() if m["tenant_id"] == tenant]
    queue.clear()
    for message in mine:
        queue.send(message)
    return len(mine)


def _website(owner, platform):
    return _connect(owner, {"channel": "website", "name": f"Web {platform}", "shop_id": platform, "platform": platform})


def test_website_webhooks_in_three_signature_styles(store, api, work):
    owner, tenant = store["api"], store["tenant_id"]
    products(owner, "AO-S", "DEN-LONG", "TRA-XANH")
    cases = [("shopify", samples.shopify_order(), "X-Shopify-Hmac-Sha256", "b64"),
             ("woocommerce", samples.woocommerce_order(), "X-WC-Webhook-Signature", "b64"),
             ("generic", samples.quay_order(), "X-Quay-Signature", "hex")]
    for platform, order, header, style in cases:
        made = _website(owner, platform)
        body = json.dumps(order).encode()
        digest = hmac.new(made["webhook_secret"].encode(), body, hashlib.sha256).digest()
        signature = base64.b64encode(digest).decode() if style == "b64" else "sha256=" + digest.hex()
        path = f"/api/v1/webhooks/website/{made['id']}"
        assert api.post(path, raw=body, headers={header: "bad" + signature}).status_code == 401
        assert api.post(path, raw=body, headers={header: signature}).data == {"status": "stored"}
    assert api.post("/api/v1/webhooks/website/nope", raw=b"{}", headers={"X-Quay-Signature": "sha256=00"}).status_code == 401
    work(tenant)
    orders = owner.get("/api/v1/orders?channel=website").data["items"]
    assert sorted(o["external_id"] for o in orders) == ["5001", "727", "W1001"]
    tea = owner.get(f"/api/v1/orders/{next(o['id'] for o in orders if o['external_id'] == 'W1001')}").data
    assert tea["lines"][0]["sku"] == "TRA-XANH" and tea["lines"][0]["linked"] and tea["payment"]["status"] == "paid"
    shirt = owner.get(f"/api/v1/orders/{next(o['id'] for o in orders if o['external_id'] == '5001')}").data
    assert [x["linked"] for x in shirt["lines"]] == [True, False] and "product_not_linked" in [
        w["code"] for w in shirt["warnings"]]
