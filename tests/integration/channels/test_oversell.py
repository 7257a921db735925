"""Five units shared by Shopee, Lazada and TikTok Shop: orders from all three arriving by webhook
at the same moment never confirm more than five, none is refused (the short one is held), and
the pushes that follow tell every platform what is left."""
import threading

from chalicelib.channels import connections, listings, webhooks
from chalicelib.channels.providers.base import Listing
from tests.integration.channels.conftest import LAZADA, SHOPEE, TIKTOK, app_signature, products, shopee_signature
from tests.unit.channels import samples

SHARED = {"shopee": ("1001", "2001", "AT-DO-M"), "lazada": ("8001", "900101", "QUAN-JEAN-30"),
          "tiktok_shop": ("1729582718312380123", "2729382476852921560", "SON-DO")}


def test_concurrent_webhooks_from_three_platforms_never_oversell(store, api, shopee_fake, lazada_fake, tiktok_fake, work):
    owner, tenant = store["api"], store["tenant_id"]
    products(owner, "SHARED", "NON-01", "THAT-LUNG", "KEM-01")
    owner.post("/api/v1/stock/receipts", {"location_id": store["warehouse"], "lines": [
        {"sku": "SHARED", "quantity": 5}, {"sku": "NON-01", "quantity": 10}, {"sku": "THAT-LUNG", "quantity": 10},
        {"sku": "KEM-01", "quantity": 10}]})
    made = {}
    for channel, shop_id, tokens in (("shopee", SHOPEE["shop_id"], {"access_token": "shp-tok"}),
                                     ("lazada", LAZADA["seller_id"], {"access_token": "lzd-tok"}),
                                     ("tiktok_shop", TIKTOK["shop_id"], {"access_token": "tt-tok",
                                                                         "shop_cipher": TIKTOK["cipher"]})):
        answer = owner.post("/api/v1/channel-connections", {"channel": channel, "name": channel, "shop_id": shop_id,
                                                            "tokens": tokens, "location_ids": [store["warehouse"]]})
        assert answer.status_code == 201, answer.body
        made[channel] = answer.data["id"]
        item_id, model_id, seller_sku = SHARED[channel]
        listing = listings.seen(connections.load_item(tenant, made[channel]),
                                Listing(item_id, model_id, seller_sku, seller_sku, "active"))
        assert owner.post(f"/api/v1/channel-listings/{listing.listing_id}/link", {"sku": "SHARED"}).status_code == 200
    work(tenant)

    bodies = {"shopee": samples.shopee_push(), "lazada": samples.lazada_push(), "tiktok_shop": samples.tiktok_push()}
    headers = {"shopee": shopee_signature(bodies["shopee"]),
               "lazada": app_signature(LAZADA["app_key"], LAZADA["app_secret"], bodies["lazada"]),
               "tiktok_shop": app_signature(TIKTOK["app_key"], TIKTOK["app_secret"], bodies["tiktok_shop"])}
    for channel, body in bodies.items():
        stored = api.post(f"/api/v1/webhooks/{channel}", raw=body, headers={"Authorization": headers[channel]})
        assert stored.data == {"status": "stored"}, (channel, stored.body)
    failures = []

    def arrive(channel):
        try:
            webhooks.process(tenant, made[channel], bodies[channel].decode())
        except Exception as error:  # a crash here would hide an oversell
            failures.append(repr(error))

    threads = [threading.Thread(target=arrive, args=(channel,)) for channel in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    work(tenant)   # the stream delivers the same events again: nothing changes; then the pushes

    orders = [o for o in owner.get("/api/v1/orders").data["items"] if o["channel"] in bodies]
    assert sorted(o["channel"] for o in orders) == sorted(bodies)     # never refused
    confirmed = [o for o in orders if o["status"] == "confirmed"]
    held = [o for o in orders if o["status"] == "new"]
    assert confirmed and all("out_of_stock" in o["warnings"] for o in held)
    totals = owner.get("/api/v1/stock/SHARED").data["totals"]
    assert totals["reserved"] <= 5 and totals["available"] == 5 - totals["reserved"] >= 0
    shopee_told = [u["stock_list"][0]["seller_stock"][0]["stock"] for u in shopee_fake.platform.stock_updates
                   if u["item_id"] == 1001]
    lazada_told = [int(p.split("<Quantity>")[1].split("<")[0]) for p in lazada_fake.platform.stock_payloads
                   if "QUAN-JEAN-30" in p]
    tiktok_told = [body["skus"][0]["inventory"][0]["quantity"] for product, body in tiktok_fake.platform.inventory_updates
                   if product == SHARED["tiktok_shop"][0]]
    assert shopee_told[-1] == lazada_told[-1] == tiktok_told[-1] == totals["available"] <= 1
