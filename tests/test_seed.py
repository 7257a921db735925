"""The demo shop `make run` seeds: owner can sign in, ~30 products with barcodes, some stock."""
from infra import seed


def test_demo_shop_seed(api):
    if not seed.is_seeded():
        seed.seed()
    login = api.post("/api/v1/auth/login", {"email": seed.OWNER_EMAIL, "password": seed.OWNER_PASSWORD})
    assert login.status_code == 200
    owner = api.as_(login.data["access_token"])
    products = owner.get("/api/v1/products?limit=200").data["items"]
    assert len(products) == 30 and all(v["barcode"] for p in products for v in p["variants"])
    assert len(owner.get("/api/v1/locations").data["items"]) == 2
    stock = owner.get(f"/api/v1/stock/{products[0]['variants'][0]['sku']}").data
    assert stock["totals"]["on_hand"] > 0
    assert owner.get("/api/v1/stock/reconcile").data["drifts"] == []
