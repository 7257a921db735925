"""Every write accepts an Idempotency-Key (ADR 0007): a retried scan, order action or patch
happens once; the same key with another body is 422; the same key on another order is new."""


def _order(api, store, quantity=2):
    api.post("/api/v1/stock/receipts", {"location_id": store["warehouse"], "lines": [{"sku": "TS-M", "quantity": 5}]})
    created = api.post("/api/v1/orders", {"channel": "phone", "customer": {"name": "A", "phone": "0901234567"},
                                          "shipping_address": {"text": "1 Lê Lợi"},
                                          "lines": [{"sku": "TS-M", "quantity": quantity}]}).data
    return created


def test_a_retried_scan_counts_once(store):
    api = store["api"]
    order = _order(api, store)
    confirmed = api.post(f"/api/v1/orders/{order['id']}/actions/confirm", {"location_id": store["warehouse"]}).data
    shipment = confirmed["shipments"][0]["id"]
    first = api.post(f"/api/v1/shipments/{shipment}/scan", {"code": "TS-M"}, headers={"Idempotency-Key": "scan-1"})
    again = api.post(f"/api/v1/shipments/{shipment}/scan", {"code": "TS-M"}, headers={"Idempotency-Key": "scan-1"})
    assert first.status_code == again.status_code == 200
    assert again.headers.get("idempotent-replayed") == "true" and again.data == first.data
    stored = api.get(f"/api/v1/orders/{order['id']}").data
    assert stored["shipments"][0]["lines"][0]["scanned"] == 1
    second_item = api.post(f"/api/v1/shipments/{shipment}/scan", {"code": "TS-M"}, headers={"Idempotency-Key": "scan-2"})
    assert second_item.data["scanned"] == 2 and second_item.data["complete"] is True


def test_a_retried_confirm_reserves_once_and_another_body_is_422(store):
    api, wh = store["api"], store["warehouse"]
    order = _order(api, store)
    path = f"/api/v1/orders/{order['id']}/actions/confirm"
    first = api.post(path, {"location_id": wh}, headers={"Idempotency-Key": "confirm-1"})
    again = api.post(path, {"location_id": wh}, headers={"Idempotency-Key": "confirm-1"})
    assert first.status_code == again.status_code == 200 and again.data["version"] == first.data["version"]
    other = api.post(path, {"location_id": wh, "note": "x"}, headers={"Idempotency-Key": "confirm-1"})
    assert other.status_code == 422
    level = next(x for x in api.get("/api/v1/stock/TS-M").data["locations"] if x["location_id"] == wh)
    assert level["reserved"] == 2
    timeline = api.get(f"/api/v1/orders/{order['id']}").data["timeline"]
    assert [e["action"] for e in timeline].count("confirm") == 1


def test_the_same_key_on_another_order_is_another_request(store):
    api = store["api"]
    one, two = _order(api, store, 1), _order(api, store, 1)
    for order in (one, two):
        answer = api.post(f"/api/v1/orders/{order['id']}/actions/cancel", {"reason": "duplicate"},
                          headers={"Idempotency-Key": "cancel-key"})
        assert answer.status_code == 200 and "idempotent-replayed" not in answer.headers
    assert {api.get(f"/api/v1/orders/{o['id']}").data["status"] for o in (one, two)} == {"canceled"}


def test_a_retried_patch_is_answered_once_with_the_first_answer(store):
    api = store["api"]
    order = _order(api, store, 1)
    path = f"/api/v1/orders/{order['id']}"
    first = api.patch(path, {"note": "gọi trước khi giao"}, headers={"Idempotency-Key": "patch-1"})
    again = api.patch(path, {"note": "gọi trước khi giao"}, headers={"Idempotency-Key": "patch-1"})
    assert again.headers.get("idempotent-replayed") == "true" and again.data["version"] == first.data["version"]
    assert api.get(path).data["version"] == first.data["version"]


def test_every_write_route_documents_the_key(app, api):
    document = api.get("/api/v1/openapi.json").data
    writes = [(path, verb, op) for path, ops in document["paths"].items() for verb, op in ops.items()
              if verb in ("post", "put", "patch", "delete") and "403" in op["responses"]]
    assert len(writes) > 20
    for path, verb, op in writes:
        assert "Idempotency-Key" in [p["name"] for p in op["parameters"]], (verb, path)
        assert "422" in op["responses"], (verb, path)
