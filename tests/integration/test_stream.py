"""The stream handler, fed from DynamoDB Local's real stream: each write reaches the subscribers
of its kind once per drain, with the item before and after."""
import pytest

from chalicelib.flows import stream

SEEN = []


def remember(change):
    SEEN.append(change)


def refuse(change):
    raise RuntimeError("this subscriber is down")


@pytest.fixture
def subscribed(monkeypatch):
    SEEN.clear()
    monkeypatch.setattr(stream, "SUBSCRIBERS", (("ORDER", f"{__name__}:refuse"), ("ORDER", f"{__name__}:remember")))
    yield SEEN


def test_an_order_write_reaches_its_subscribers_once(store, drain, subscribed):
    owner, tenant = store["api"], store["tenant_id"]
    drain(tenant)  # the shop's own setup writes
    subscribed.clear()
    owner.post("/api/v1/stock/receipts", {"location_id": store["warehouse"], "lines": [{"sku": "TS-M", "quantity": 5}]})
    created = owner.post("/api/v1/orders", {"channel": "website", "lines": [{"sku": "TS-M", "quantity": 1}],
                                            "customer": {"name": "Lan", "phone": "0901234567"},
                                            "shipping_address": {"text": "1 Lê Lợi"}})
    assert created.status_code == 201, created.body
    order_id = created.data["id"]
    confirmed = owner.post(f"/api/v1/orders/{order_id}/actions/confirm", {"location_id": store["warehouse"]})
    assert confirmed.status_code == 200, confirmed.body

    assert drain(tenant) > 0
    orders = [c for c in subscribed if (c.pk + c.sk).endswith(order_id)]
    assert [c.event for c in orders][:1] == ["INSERT"]  # a failing subscriber before it held nothing back
    last = orders[-1]
    assert last.tenant_id == tenant and last.new["status"] == "confirmed" and last.old["status"] == "new"
    assert all(c.tenant_id == tenant for c in subscribed)

    subscribed.clear()
    assert drain(tenant) == 0 and subscribed == []  # handed over once


def test_an_orders_audit_entries_ride_on_its_own_writes_and_are_filed_once(store, drain, stream_poller):
    """Order and reservation writes carry their audit entries; the audit subscriber files each once,
    however often the stream hands the record over."""
    owner, tenant = store["api"], store["tenant_id"]
    owner.post("/api/v1/stock/receipts", {"location_id": store["warehouse"], "lines": [{"sku": "TS-M", "quantity": 5}]})
    created = owner.post("/api/v1/orders", {"channel": "website", "lines": [{"sku": "TS-M", "quantity": 1}],
                                            "customer": {"name": "Lan", "phone": "0901234567"},
                                            "shipping_address": {"text": "1 Lê Lợi"}})
    order_id = created.data["id"]
    confirmed = owner.post(f"/api/v1/orders/{order_id}/actions/confirm", {"location_id": store["warehouse"]})
    assert confirmed.status_code == 200, confirmed.body
    records = stream_poller.take(tenant)
    stream_poller.deliver(records)
    stream_poller.deliver(records)  # at least once: a replay files nothing new

    trail = owner.get(f"/api/v1/audit?entity_type=order&entity_id={order_id}").data["items"]
    assert [e["action"] for e in trail] == ["order.confirm", "order.created"]
    assert trail[0]["before"] == {"status": "new"} and trail[0]["after"]["status"] == "confirmed"
    assert trail[1]["after"]["total"] == created.data["total"] and trail[0]["staff_id"] == store["owner_id"]
    reservation_id = confirmed.data["shipments"][0]["reservation_id"]
    held = owner.get(f"/api/v1/audit?entity_type=stock&entity_id={reservation_id}").data["items"]
    assert [e["action"] for e in held] == ["reservation.created"] and held[0]["after"]["lines"][0]["quantity"] == 1
