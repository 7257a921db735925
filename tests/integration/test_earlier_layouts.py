"""Items written before the write-path diet (ADR 0016) still read and still count: an order whose
document is JSON text, a reservation in its own partition indexed by gsi1."""
import json

from chalicelib.core import keys
from chalicelib.orders.store import OrderItem
from chalicelib.stock import reservations
from chalicelib.stock.store import ReservationItem, ReservationLineMap


def test_an_order_saved_as_json_text_reads_and_moves_on(store):
    owner, tenant = store["api"], store["tenant_id"]
    owner.post("/api/v1/stock/receipts", {"location_id": store["warehouse"], "lines": [{"sku": "TS-M", "quantity": 3}]})
    created = owner.post("/api/v1/orders", {"channel": "website", "lines": [{"sku": "TS-M", "quantity": 1}],
                                            "customer": {"name": "Lan", "phone": "0901234567"},
                                            "shipping_address": {"text": "1 Lê Lợi"}}).data
    item = OrderItem.get(*keys.order(tenant, created["id"]))
    document = json.loads(json.dumps(owner.get(f"/api/v1/orders/{created['id']}").data))
    for shown in ("version", "allowed_actions"):
        document.pop(shown)
    item.doc, item.body = None, json.dumps(document, ensure_ascii=False)  # as it was stored before the codec
    item.save()

    assert owner.get(f"/api/v1/orders/{created['id']}").data["lines"] == created["lines"]
    confirmed = owner.post(f"/api/v1/orders/{created['id']}/actions/confirm", {})
    assert confirmed.status_code == 200, confirmed.body
    saved = OrderItem.get(*keys.order(tenant, created["id"]))
    assert saved.body is None and saved.doc  # rewritten compact on its next save


def test_a_reservation_in_the_earlier_layout_is_found_and_counted_by_reconcile(store):
    tenant, reservation_id = store["tenant_id"], "legacy-reservation-1"
    ReservationItem(*keys.legacy_reservation(tenant, reservation_id), tenant_id=tenant, reservation_id=reservation_id,
                    location_id=store["warehouse"], lines=[ReservationLineMap(sku="TS-M", quantity=2)],
                    status="active", created_at="2026-11-01T00:00:00.000000Z", updated_at="2026-11-01T00:00:00.000000Z",
                    gsi1pk=keys.active_reservations(tenant, keys.reservation_shard(reservation_id)),
                    gsi1sk=reservation_id).save()
    assert reservations.load(tenant, reservation_id).status == "active"
    assert reservations.active_totals(tenant) == {("TS-M", store["warehouse"]): 2}
