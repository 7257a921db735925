"""Channel connections end to end: routes -> DynamoDB Local -> fake platforms, the table's stream
and the channel work queue as they run in AWS (worked synchronously by the test)."""
import json
from datetime import UTC, datetime, timedelta

from chalicelib.channels.store import WebhookEventItem
from chalicelib.core import keys
from tests.integration.channels.conftest import SHOPEE, products, shopee_signature
from tests.unit.channels import samples

SINCE = datetime.fromtimestamp(samples.T0 - 3600, UTC).isoformat()


def connect_shopee(owner, **extra):
    body = {"channel": "shopee", "name": "Shopee chính", "shop_id": SHOPEE["shop_id"],
            "tokens": {"access_token": "shp-tok", "refresh_token": "shp-ref"}} | extra
    made = owner.post("/api/v1/channel-connections", body)
    assert made.status_code == 201, made.body
    return made.data


def shopee_webhook(api, body: bytes, signature: str | None = None):
    headers = {"Authorization": signature if signature is not None else shopee_signature(body)}
    return api.post("/api/v1/webhooks/shopee", raw=body, headers=headers)


def stocked(store, sku_quantities: dict[str, int]):
    owner = store["api"]
    products(owner, *sku_quantities)
    owner.post("/api/v1/stock/receipts", {"location_id": store["warehouse"], "lines": [
        {"sku": sku, "quantity": q} for sku, q in sku_quantities.items()]})


def channel_orders(owner, channel):
    return owner.get(f"/api/v1/orders?channel={channel}").data["items"]


def test_create_answers_webhook_url_and_never_returns_tokens(store, shopee_fake):
    owner = store["api"]
    made = connect_shopee(owner, location_ids=[store["warehouse"]], allocation_percent=80, buffer=1)
    assert made["webhook_url"].endswith("/api/v1/webhooks/shopee") and "webhook_secret" not in made
    assert made["status"] == "active" and made["has_tokens"]
    for answer in (owner.get(f"/api/v1/channel-connections/{made['id']}"), owner.get("/api/v1/channel-connections")):
        assert answer.status_code == 200 and b"shp-tok" not in answer.body and b"shp-ref" not in answer.body
    site = owner.post("/api/v1/channel-connections", {"channel": "website", "name": "Web", "shop_id": "web",
                                                      "platform": "shopify"})
    assert site.status_code == 201 and site.data["webhook_secret"].startswith("whsec_")
    assert site.data["webhook_url"].endswith(f"/api/v1/webhooks/website/{site.data['id']}")
    assert site.data["webhook_secret"].encode() not in owner.get(f"/api/v1/channel-connections/{site.data['id']}").body
    again = owner.post("/api/v1/channel-connections", {"channel": "shopee", "name": "x", "shop_id": SHOPEE["shop_id"]})
    assert again.status_code == 409 and again.data["errors"][0]["field"] == "shop_id"
    bad = owner.post("/api/v1/channel-connections", {"channel": "website", "name": "x", "shop_id": "w"})
    assert bad.status_code == 400 and bad.data["errors"][0]["field"] == "platform"


def test_bad_or_missing_signature_is_401_and_writes_nothing(store, shopee_fake, api, work):
    owner, tenant = store["api"], store["tenant_id"]
    made = connect_shopee(owner)
    work(tenant)
    body = samples.shopee_push()
    for signature in ("0" * 64, ""):
        answer = shopee_webhook(api, body, signature)
        assert answer.status_code == 401 and answer.headers["content-type"].startswith("application/problem+json")
    assert shopee_webhook(api, body + b" ", shopee_signature(body)).status_code == 401
    digest_pk = keys.shop_pk(tenant, "CHANNELEVENT", made["id"])
    assert not [i for i in WebhookEventItem.scan(WebhookEventItem.pk.startswith(digest_pk))]
    assert work(tenant) == 0 and channel_orders(owner, "shopee") == []
    assert shopee_fake.requests == []   # nothing was fetched for a forged push


def test_duplicate_webhook_and_pull_make_one_order_linked_confirmed_and_matched(store, shopee_fake, api, work):
    owner, tenant = store["api"], store["tenant_id"]
    stocked(store, {"AT-DO-M": 10, "NON-01": 10, "AT-XANH-L": 10})
    earlier = owner.post("/api/v1/orders", {"channel": "phone", "customer": {"name": "Anh A", "phone": "0901234567"},
                                            "shipping_address": {"text": "12 Lê Lợi"},
                                            "lines": [{"sku": "NON-01", "quantity": 1}]}).data
    connect_shopee(owner)
    body = samples.shopee_push()
    first, second = shopee_webhook(api, body), shopee_webhook(api, body)
    assert (first.status_code, first.data["status"]) == (200, "stored")
    assert (second.status_code, second.data["status"]) == (200, "duplicate")
    work(tenant)
    synced = owner.post(f"/api/v1/channel-connections/{owner_connection(owner)}/sync", {"since": SINCE})
    assert synced.status_code == 200, synced.body
    assert synced.data["orders_created"] == 2 and synced.data["listings_seen"] == 4  # BBB2 and CCC3; AAA1 was in
    work(tenant)
    orders = [o for o in channel_orders(owner, "shopee") if o["external_id"] == "240701AAA1"]
    assert len(orders) == 1
    order = owner.get(f"/api/v1/orders/{orders[0]['id']}").data
    assert order["status"] == "confirmed" and all(line["linked"] for line in order["lines"])
    assert sorted((x["sku"], x["quantity"]) for x in order["lines"]) == [("AT-DO-M", 2), ("NON-01", 1)]
    assert order["customer"]["id"] == earlier["customer"]["id"]
    level = owner.get("/api/v1/stock/AT-DO-M").data["totals"]
    assert (level["reserved"], level["available"]) == (2, 8)
    canceled = next(o for o in channel_orders(owner, "shopee") if o["external_id"] == "240701CCC3")
    assert canceled["status"] == "canceled"
    log = owner.get(f"/api/v1/channel-connections/{owner_connection(owner)}/log").data["items"]
    assert {e["kind"] for e in log} >= {"sync", "webhook"} and log[0]["at"] >= log[-1]["at"]


def owner_connection(owner, channel="shopee"):
    return next(c["id"] for c in owner.get("/api/v1/channel-connections").data["items"] if c["channel"] == channel)


def test_pull_window_overlaps_and_catches_a_lost_webhook(store, shopee_fake, work):
    owner = store["api"]
    stocked(store, {"AT-DO-M": 10, "NON-01": 10})
    connection = connect_shopee(owner)["id"]
    first = owner.post(f"/api/v1/channel-connections/{connection}/sync", {"since": SINCE})
    assert first.status_code == 200 and first.data["orders_created"] == 3
    lists = [r for r in shopee_fake.requests if r.path == "/api/v2/order/get_order_list"]
    first_to = int(lists[-1].query["time_to"])
    lost = dict(samples.shopee_orders()[0], order_sn="240702LOST", update_time=first_to - 60, create_time=first_to - 60)
    shopee_fake.platform.orders[lost["order_sn"]] = lost  # its webhook never came
    second = owner.post(f"/api/v1/channel-connections/{connection}/sync", {})
    assert second.status_code == 200 and second.data["orders_created"] == 1, second.body
    lists = [r for r in shopee_fake.requests if r.path == "/api/v2/order/get_order_list"]
    assert int(lists[-1].query["time_from"]) == first_to - 600   # ten minutes of overlap
    assert [o["external_id"] for o in channel_orders(owner, "shopee")].count("240702LOST") == 1
    third = owner.post(f"/api/v1/channel-connections/{connection}/sync", {})
    assert third.data["orders_created"] == 0   # the overlap brings copies that change nothing
    assert owner.get(f"/api/v1/channel-connections/{connection}").data["last_sync_at"]


def test_expiring_token_is_refreshed_before_the_pull(store, shopee_fake, work):
    owner = store["api"]
    soon = (datetime.now(UTC) + timedelta(minutes=30)).isoformat()
    shopee_fake.platform.valid_tokens = {"shp-tok"}
    shopee_fake.platform.refresh["shp-ref"] = ("shp-tok-2", "shp-ref-2")
    made = connect_shopee(owner, tokens={"access_token": "shp-tok", "refresh_token": "shp-ref", "expires_at": soon})
    answer = owner.post(f"/api/v1/channel-connections/{made['id']}/sync", {"since": SINCE})
    assert answer.status_code == 200 and answer.data["errors"] == [], answer.body
    assert shopee_fake.paths()[0] == "/api/v2/auth/access_token/get"
    used = {r.query.get("access_token") for r in shopee_fake.requests if r.path.startswith("/api/v2/order/")}
    assert used == {"shp-tok-2"}
    after = owner.get(f"/api/v1/channel-connections/{made['id']}").data
    assert after["token_expires_at"] > soon and after["status"] == "active"


def test_a_token_the_platform_refuses_is_refreshed_and_the_call_repeated(store, shopee_fake):
    owner = store["api"]
    shopee_fake.platform.valid_tokens = {"shp-tok-2"}          # ours expired early
    shopee_fake.platform.refresh["shp-ref"] = ("shp-tok-2", "shp-ref-2")
    made = connect_shopee(owner)
    answer = owner.post(f"/api/v1/channel-connections/{made['id']}/sync", {"since": SINCE})
    assert answer.status_code == 200 and answer.data["orders_created"] == 3, answer.body


def test_refused_refresh_marks_the_connection_expired(store, shopee_fake):
    owner = store["api"]
    shopee_fake.platform.valid_tokens = set()
    made = connect_shopee(owner)
    answer = owner.post(f"/api/v1/channel-connections/{made['id']}/sync", {"since": SINCE})
    assert answer.status_code == 200 and answer.data["errors"]
    after = owner.get(f"/api/v1/channel-connections/{made['id']}").data
    assert after["status"] == "expired" and "refresh" in after["last_error"].lower()


def test_429_from_the_platform_is_retried(store, shopee_fake):
    from tests.fakes.server import json_reply

    owner = store["api"]
    shopee_fake.platform.fail_next("/api/v2/order/get_order_list", json_reply(
        {"error": "error_too_many_request", "message": "Too many requests"}, 429, **{"Retry-After": "0"}))
    made = connect_shopee(owner)
    answer = owner.post(f"/api/v1/channel-connections/{made['id']}/sync", {"since": SINCE})
    assert answer.status_code == 200 and answer.data["orders_created"] == 3 and answer.data["errors"] == []
    lists = [r.query["time_from"] for r in shopee_fake.requests if r.path == "/api/v2/order/get_order_list"]
    assert lists[0] == lists[1] != lists[2]   # the refused page was asked again, then the next window


def test_cancel_on_the_platform_releases_our_stock(store, shopee_fake, api, work):
    owner, tenant = store["api"], store["tenant_id"]
    stocked(store, {"AT-DO-M": 5, "NON-01": 5})
    connect_shopee(owner)
    shopee_webhook(api, samples.shopee_push())
    work(tenant)
    assert owner.get("/api/v1/stock/AT-DO-M").data["totals"]["available"] == 3
    shopee_fake.platform.orders["240701AAA1"]["order_status"] = "CANCELLED"
    shopee_fake.platform.orders["240701AAA1"]["update_time"] += 100
    assert shopee_webhook(api, samples.shopee_push(status="CANCELLED")).data["status"] == "stored"
    work(tenant)
    order = next(o for o in channel_orders(owner, "shopee") if o["external_id"] == "240701AAA1")
    assert order["status"] == "canceled"
    assert owner.get("/api/v1/stock/AT-DO-M").data["totals"] == {"on_hand": 5, "reserved": 0, "available": 5,
                                                                 "incoming": 0}


def test_hand_over_pushes_ready_to_ship_once(store, shopee_fake, api, work):
    owner, tenant = store["api"], store["tenant_id"]
    stocked(store, {"AT-DO-M": 5, "NON-01": 5})
    connect_shopee(owner)
    shopee_webhook(api, samples.shopee_push())
    work(tenant)
    order = next(o for o in channel_orders(owner, "shopee") if o["external_id"] == "240701AAA1")
    for action, body in (("pack", {}), ("mark_ready", {"verified_without_scan": True}), ("hand_over", {})):
        done = owner.post(f"/api/v1/orders/{order['id']}/actions/{action}", body)
        assert done.status_code == 200, done.body
        work(tenant)
    assert shopee_fake.platform.shipped == [{"order_sn": "240701AAA1",
                                             "pickup": {"address_id": 777, "pickup_time_id": "slot-1"}}]
    log = owner.get(f"/api/v1/channel-connections/{owner_connection(owner)}/log").data["items"]
    assert any(e["kind"] == "status" and e["outcome"] == "ok" for e in log)


def test_linking_a_listing_relinks_the_orders_held_for_it(store, shopee_fake, api, work):
    owner, tenant = store["api"], store["tenant_id"]
    stocked(store, {"AT-DO-M": 5})          # NON-01 is not ours yet
    connect_shopee(owner)
    shopee_webhook(api, samples.shopee_push())
    work(tenant)
    order = next(o for o in channel_orders(owner, "shopee") if o["external_id"] == "240701AAA1")
    assert "product_not_linked" in order["warnings"] and order_status(owner, order) == "new"
    unlinked = owner.get("/api/v1/channel-listings?linked=false").data["items"]
    assert [x["external_sku"] for x in unlinked] == ["NON-01"]
    linked = owner.post(f"/api/v1/channel-listings/{unlinked[0]['id']}/link", {"sku": "TS-M"})
    assert linked.status_code == 200 and linked.data["sku"] == "TS-M" and linked.data["orders_relinked"] == 1
    again = owner.get(f"/api/v1/orders/{order['id']}").data
    assert all(x["linked"] for x in again["lines"]) and not again["warnings"]
    assert "TS-M" in [x["sku"] for x in again["lines"]]
    assert owner.post(f"/api/v1/channel-listings/{unlinked[0]['id']}/link", {"sku": "NOPE"}).data["errors"][0][
        "field"] == "sku"


def order_status(owner, order):
    return owner.get(f"/api/v1/orders/{order['id']}").data["status"]


def test_another_shop_sees_none_of_it(store, shopee_fake, api, work):
    from tests.conftest import unique_email

    owner, tenant = store["api"], store["tenant_id"]
    stocked(store, {"AT-DO-M": 5})
    made = connect_shopee(owner)
    shopee_webhook(api, samples.shopee_push())
    work(tenant)
    listing = owner.get("/api/v1/channel-listings").data["items"][0]
    email = unique_email()
    api.post("/api/v1/signup", {"shop_name": "Shop khác", "owner_name": "B", "owner_email": email,
                                "owner_password": "secret-pass-1"})
    other = api.as_(api.post("/api/v1/auth/login", {"email": email, "password": "secret-pass-1"}).data["access_token"])
    for method, path, body in (("get", f"/api/v1/channel-connections/{made['id']}", None),
                               ("patch", f"/api/v1/channel-connections/{made['id']}", {"name": "x"}),
                               ("post", f"/api/v1/channel-connections/{made['id']}/sync", {}),
                               ("get", f"/api/v1/channel-connections/{made['id']}/log", None),
                               ("get", f"/api/v1/channel-listings?connection_id={made['id']}", None),
                               ("post", f"/api/v1/channel-listings/{listing['id']}/link", {"sku": "TS-M"}),
                               ("post", f"/api/v1/channel-listings/{listing['id']}/push", None)):
        assert other.call(method, path, body).status_code == 404, (method, path)
    assert other.get("/api/v1/channel-connections").data["items"] == []
    assert other.get("/api/v1/channel-listings").data["items"] == []


def test_staff_limited_to_the_store_cannot_reach_a_warehouse_connection(store, shopee_fake, api):
    from tests.conftest import unique_email

    owner = store["api"]
    made = connect_shopee(owner, location_ids=[store["warehouse"]])
    email = unique_email("mgr")
    assert owner.post("/api/v1/staff", {"email": email, "name": "QL", "role": "manager", "password": "mai-vang-2026",
                                        "location_ids": [store["store"]]}).status_code == 201
    manager = api.as_(api.post("/api/v1/auth/login", {"email": email, "password": "mai-vang-2026"}).data["access_token"])
    assert manager.get("/api/v1/channel-connections").data["items"] == []
    for method, path, body in (("get", f"/api/v1/channel-connections/{made['id']}", None),
                               ("patch", f"/api/v1/channel-connections/{made['id']}", {"buffer": 3}),
                               ("post", f"/api/v1/channel-connections/{made['id']}/sync", {})):
        assert manager.call(method, path, body).status_code == 403, (method, path)
    ours = manager.post("/api/v1/channel-connections", {"channel": "website", "name": "Web cửa hàng", "shop_id": "w",
                                                         "platform": "generic", "location_ids": [store["store"]]})
    assert ours.status_code == 201
    shop_wide = manager.post("/api/v1/channel-connections", {"channel": "website", "name": "Web", "shop_id": "w2",
                                                              "platform": "generic"})
    assert shop_wide.status_code == 403
    assert owner.get(f"/api/v1/channel-connections/{made['id']}").data["buffer"] == 0
    assert json.loads(json.dumps(ours.data))["location_ids"] == [store["store"]]


def test_authorize_round_trip_creates_the_connection_with_its_tokens(store, shopee_fake, api):
    from urllib.parse import parse_qs, quote, urlsplit

    owner = store["api"]
    answer = owner.get(f"/api/v1/channel-connections/shopee/authorize?name=Shopee%20HCM&location_ids={store['warehouse']}")
    assert answer.status_code == 302, answer.body
    location = urlsplit(answer.headers["location"])
    assert location.path == "/api/v2/shop/auth_partner" and answer.headers["location"].startswith(shopee_fake.url)
    redirect = parse_qs(location.query)["redirect"][0]
    state = parse_qs(urlsplit(redirect).query)["state"][0]
    assert urlsplit(redirect).path == "/api/v1/oauth/shopee/callback"
    assert owner.get("/api/v1/channel-connections/shopee/authorize?respond=json").data["url"].startswith(shopee_fake.url)
    shopee_fake.platform.codes["code-1"] = ("shp-new", "shp-new-ref")
    forged = api.get(f"/api/v1/oauth/shopee/callback?code=code-1&shop_id={SHOPEE['shop_id']}&state=x.y")
    assert forged.status_code == 401 and owner.get("/api/v1/channel-connections").data["items"] == []
    back = api.get(f"/api/v1/oauth/shopee/callback?code=code-1&shop_id={SHOPEE['shop_id']}&state={quote(state)}")
    assert back.status_code == 302, back.body
    made = owner.get("/api/v1/channel-connections").data["items"]
    assert [(c["name"], c["status"], c["has_tokens"], c["location_ids"]) for c in made] == [
        ("Shopee HCM", "active", True, [store["warehouse"]])]
    assert back.headers["location"] == f"/#/channels/{made[0]['id']}"
    assert b"shp-new" not in owner.get(f"/api/v1/channel-connections/{made[0]['id']}").body


def test_signed_garbage_and_unsigned_bodies_never_answer_5xx(store, shopee_fake, lazada_fake, tiktok_fake, api):
    from tests.integration.channels.conftest import LAZADA, TIKTOK, app_signature

    connect_shopee(store["api"])
    for body in (b"", b"null", b"[]", b"[1,2]", b'{"shop_id": []}', b'{"shop_id": 123456, "data": []}', b"\xff\xfe",
                 b'{"seller_id": {"a": 1}, "data": 5}', b"{" * 50):
        signed = {"shopee": shopee_signature(body), "lazada": app_signature(LAZADA["app_key"], LAZADA["app_secret"], body),
                  "tiktok_shop": app_signature(TIKTOK["app_key"], TIKTOK["app_secret"], body)}
        for channel, signature in signed.items():
            for headers in ({"Authorization": signature}, {}):
                answer = api.post(f"/api/v1/webhooks/{channel}", raw=body, headers=headers)
                assert answer.status_code < 500, (channel, body, answer.body)
    assert api.post("/api/v1/webhooks/nope", raw=b"{}").status_code in (401, 404)


def test_tiktok_token_expired_on_the_platform_is_refreshed_with_its_shop_cipher(store, tiktok_fake):
    from tests.integration.channels.conftest import TIKTOK

    owner = store["api"]
    tiktok_fake.platform.expired_tokens = {"tt-tok"}
    tiktok_fake.platform.valid_tokens = set()
    tiktok_fake.platform.refresh["tt-ref"] = ("tt-tok-2", "tt-ref-2")
    made = owner.post("/api/v1/channel-connections", {"channel": "tiktok_shop", "name": "TikTok", "shop_id": TIKTOK["shop_id"],
                                                      "tokens": {"access_token": "tt-tok", "refresh_token": "tt-ref",
                                                                 "shop_cipher": TIKTOK["cipher"]}}).data
    answer = owner.post(f"/api/v1/channel-connections/{made['id']}/sync", {"since": SINCE})
    assert answer.status_code == 200 and answer.data["errors"] == [] and answer.data["orders_created"] == 3, answer.body
    searches = [r for r in tiktok_fake.requests if r.path == "/order/202309/orders/search"]
    assert searches[0].headers["x-tts-access-token"] == "tt-tok" and searches[-1].headers["x-tts-access-token"] == "tt-tok-2"
    assert {r.query["shop_cipher"] for r in searches} == {TIKTOK["cipher"]}
