"""Reports from rollups kept by the stream handler, against DynamoDB Local: hand-computed figures
(a late cancel, a return, the day boundary at 00:00 ICT = 17:00 UTC), replays that change nothing,
random histories with duplicated and reordered records equal to a recomputation from the orders,
location scope, CSV for Excel."""
import random
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.catalog import service as catalog
from chalicelib.core import clock
from chalicelib.core.principal import Principal
from chalicelib.core.roles import Role
from chalicelib.core.streams import change_from
from chalicelib.flows import stream
from chalicelib.orders import lifecycle
from chalicelib.orders import service as orders
from chalicelib.orders.rules import Action
from chalicelib.reports import rebuild
from chalicelib.staff import service as staff_service
from chalicelib.stock import locations, movements
from tests.conftest import unique_email

PASSWORD = "mai-vang-2026"
ADDRESS = {"name": "Lan", "phone": "0901234567", "text": "1 Lê Lợi, Q1"}


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def frozen(mocker):
    """frozen(moment): the clock reads `moment` until set again."""
    now = {"value": clock.now()}
    mocker.patch.object(clock, "now", side_effect=lambda: now["value"])

    def set_to(moment):
        now["value"] = moment
    return set_to


def web_order(owner, sku="TS-M", quantity=1, **extra):
    created = owner.post("/api/v1/orders", {"channel": "website", "lines": [{"sku": sku, "quantity": quantity}],
                                            "customer": {"name": "Lan", "phone": "0901234567"},
                                            "shipping_address": ADDRESS, **extra})
    assert created.status_code == 201, created.body
    return created.data


def act(owner, order_id, action, body=None):
    answer = owner.post(f"/api/v1/orders/{order_id}/actions/{action}", body or {})
    assert answer.status_code == 200, answer.body
    return answer.data


def sales(owner, **query):
    answer = owner.get("/api/v1/reports/sales?" + "&".join(f"{k}={v}" for k, v in query.items()))
    assert answer.status_code == 200, answer.body
    return answer.data


def test_known_days_with_a_late_cancel_a_return_and_the_midnight_boundary(store, drain, frozen):
    owner, wh, tenant = store["api"], store["warehouse"], store["tenant_id"]
    owner.post("/api/v1/stock/receipts", {"location_id": wh, "lines": [{"sku": "TS-M", "quantity": 20}]})
    frozen(at("2026-11-30T16:59:00"))  # 23:59 ICT on 30 Nov
    a = web_order(owner, quantity=2)  # 200 000
    frozen(at("2026-11-30T17:00:00"))  # 00:00 ICT on 1 Dec
    b = web_order(owner, quantity=1)  # 100 000, canceled two days later
    c = web_order(owner, quantity=3)  # 300 000, one returned
    pos = owner.post("/api/v1/orders", {"channel": "pos", "location_id": store["store"],
                                        "lines": [{"sku": "TS-L", "quantity": 1}]})
    assert pos.status_code == 201, pos.body  # 100 000 at the counter (backorder allowed)
    for order in (a, c):
        act(owner, order["id"], "confirm", {"location_id": wh})
    act(owner, c["id"], "pack")
    act(owner, c["id"], "mark_ready", {"verified_without_scan": True})
    act(owner, c["id"], "hand_over")
    frozen(datetime.now(UTC))  # days later (the tokens stay valid): corrections go to the day of creation
    act(owner, b["id"], "cancel", {"reason": "khách đổi ý"})
    act(owner, c["id"], "return", {"lines": [{"sku": "TS-M", "quantity": 1}], "reason": "lỗi"})
    drain(tenant)

    by_day = sales(owner, **{"from": "2026-11-30", "to": "2026-12-03", "group_by": "day"})
    assert [(r["key"], r["orders"], r["units"], r["revenue"], r["canceled"], r["returned"], r["aov"])
            for r in by_day["rows"]] == [("2026-11-30", 1, 2, 200000, 0, 0, 200000),
                                         ("2026-12-01", 3, 3, 300000, 1, 1, 150000)]
    assert by_day["totals"] | {} == {**by_day["totals"], "orders": 4, "revenue": 500000, "canceled": 1, "aov": 166666}
    by_channel = sales(owner, **{"from": "2026-12-01", "to": "2026-12-01", "group_by": "channel"})
    assert [(r["key"], r["label"], r["orders"], r["revenue"]) for r in by_channel["rows"]] == [
        ("website", "Website", 2, 200000), ("pos", "Tại quầy", 1, 100000)]
    by_product = sales(owner, **{"from": "2026-11-30", "to": "2026-12-01", "group_by": "product"})
    assert [(r["key"], r["units"], r["revenue"]) for r in by_product["rows"]] == [("TS-M", 4, 400000), ("TS-L", 1, 100000)]
    assert by_product["totals"]["orders"] == 4 and by_product["totals"]["revenue"] == 500000  # orders, not lines
    by_week = sales(owner, **{"from": "2026-11-23", "to": "2026-12-06", "group_by": "product"})  # two whole weeks
    assert [(r["key"], r["units"], r["revenue"]) for r in by_week["rows"]] == [("TS-M", 4, 400000), ("TS-L", 1, 100000)]
    assert by_week["totals"] == by_product["totals"]
    tuesday_on = sales(owner, **{"from": "2026-12-01", "to": "2026-12-06", "group_by": "product"})  # a week less Monday
    tuesday = sales(owner, **{"from": "2026-12-01", "to": "2026-12-01", "group_by": "product"})  # read as a day
    assert tuesday_on["rows"] == tuesday["rows"] and tuesday_on["totals"] == tuesday["totals"]
    website_only = sales(owner, **{"from": "2026-11-30", "to": "2026-12-01", "group_by": "month", "channel": "website"})
    assert [(r["key"], r["orders"], r["revenue"]) for r in website_only["rows"]] == [("2026-11", 1, 200000),
                                                                                      ("2026-12", 2, 200000)]
    assert rebuild.check(tenant) == []

    drain(tenant)
    replayed = stream.dispatch([change_from(r) for r in _records_of(tenant)])  # nothing new, and old ones again
    assert replayed["failed"] == []
    assert sales(owner, **{"from": "2026-11-30", "to": "2026-12-03", "group_by": "day"}) == by_day

    csv_answer = owner.get("/api/v1/reports/sales?from=2026-12-01&to=2026-12-01&group_by=channel&format=csv")
    assert csv_answer.status_code == 200 and csv_answer.headers["content-type"].startswith("text/csv")
    assert csv_answer.body.decode("utf-8").startswith("\ufeffNhóm,Tên,Số đơn")
    assert "website,Website,2,2,200000,1,1,200000" in csv_answer.body.decode("utf-8")


_SEEN: dict[str, list[dict]] = {}


def _records_of(tenant):
    return _SEEN.get(tenant, [])


@pytest.fixture(autouse=True)
def keep_records(monkeypatch):
    """Every record the stream handler receives is kept, to replay it later."""
    real = stream.dispatch

    def keeping(changes):
        changes = list(changes)
        for change in changes:
            if change.kind == "ORDER" and change.tenant_id:
                _SEEN.setdefault(change.tenant_id, []).append(_as_record(change))
        return real(changes)
    monkeypatch.setattr(stream, "dispatch", keeping)
    yield
    monkeypatch.setattr(stream, "dispatch", real)


def _as_record(change):
    def typed(value):
        if isinstance(value, bool):
            return {"BOOL": value}
        if isinstance(value, (int, float)) or hasattr(value, "as_tuple"):
            return {"N": str(value)}
        if isinstance(value, set):
            return {"SS": sorted(value)}
        if value is None:
            return {"NULL": True}
        return {"S": value}
    image = lambda d: {k: typed(v) for k, v in d.items()} if d is not None else None  # noqa: E731
    body = {"Keys": {"pk": {"S": change.pk}, "sk": {"S": change.sk}}, "SequenceNumber": change.sequence,
            "ApproximateCreationDateTime": change.at.timestamp()}
    if change.new is not None:
        body["NewImage"] = image(change.new)
    if change.old is not None:
        body["OldImage"] = image(change.old)
    return {"eventName": change.event, "dynamodb": body}


def _shop():
    created = staff_service.signup("Shop", "Chủ", unique_email(), PASSWORD)
    actor = Principal(created["tenant_id"], created["owner"]["id"])
    wh = locations.create(actor, name="Kho", kind="warehouse", address=None,
                          channels=[{"channel": "website", "priority": 1}, {"channel": "facebook", "priority": 1}])["id"]
    catalog.create_product(actor, name="Áo", category=None, variants=[{"sku": "A", "price": 120000},
                                                                      {"sku": "B", "price": 45000}])
    movements.receive_goods(actor, location_id=wh, note=None, lines=[{"sku": "A", "quantity": 500},
                                                                      {"sku": "B", "quantity": 500}])
    return actor, wh


STEPS = st.lists(st.tuples(st.sampled_from(["create", "confirm", "cancel", "ship_and_return", "complete"]),
                           st.integers(0, 5), st.sampled_from(["website", "facebook"]), st.integers(1, 3)),
                 min_size=3, max_size=12)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS, seed=st.integers(0, 10_000))
def test_rollups_equal_a_recomputation_whatever_the_delivery_order(stream_poller, steps, seed):
    """Random orders and actions; their stream records delivered in shuffled batches, some twice:
    the rollups always equal a recomputation from the orders."""
    actor, wh = _shop()
    ids = []
    for step, pick, channel, quantity in steps:
        try:
            if step == "create" or not ids:
                body = {"channel": channel, "lines": [{"sku": "A", "quantity": quantity}, {"sku": "B", "quantity": 1}],
                        "customer": {"name": "K", "phone": f"09012345{pick:02d}"}, "shipping_address": ADDRESS}
                ids.append(orders.create(actor, body)["id"])
                continue
            order_id = ids[pick % len(ids)]
            if step == "confirm":
                lifecycle.act(actor, order_id, Action.confirm, {"location_id": wh})
            elif step == "cancel":
                lifecycle.act(actor, order_id, Action.cancel, {"reason": "test"})
            else:
                for action, body in ((Action.confirm, {"location_id": wh}), (Action.pack, {}),
                                     (Action.mark_ready, {"verified_without_scan": True}), (Action.hand_over, {})):
                    lifecycle.act(actor, order_id, action, body)
                if step == "complete":
                    lifecycle.act(actor, order_id, Action.complete, {})
                else:
                    lifecycle.act(actor, order_id, Action.return_, {"lines": [{"sku": "A", "quantity": 1}]})
        except Exception as refused:  # an action not allowed in the order's status: the history goes on
            assert getattr(refused, "code", None), refused
    pending = stream_poller.take(actor.tenant_id)  # this shop's records, not yet delivered
    assert pending
    shuffled = pending + random.Random(seed).sample(pending, k=len(pending) // 2)
    random.Random(seed + 1).shuffle(shuffled)
    for start in range(0, len(shuffled), 7):
        stream.dispatch([change_from(r) for r in shuffled[start:start + 7]])
    assert rebuild.check(actor.tenant_id) == []


def test_a_store_manager_sees_only_the_store(store, drain, api):
    owner, tenant = store["api"], store["tenant_id"]
    owner.post("/api/v1/stock/receipts", {"location_id": store["warehouse"], "lines": [{"sku": "TS-M", "quantity": 5}]})
    order = web_order(owner)
    act(owner, order["id"], "confirm", {"location_id": store["warehouse"]})
    owner.post("/api/v1/orders", {"channel": "pos", "location_id": store["store"], "lines": [{"sku": "TS-L", "quantity": 1}]})
    drain(tenant)
    email = unique_email("m")
    assert owner.post("/api/v1/staff", {"email": email, "name": "M", "role": Role.manager.value, "password": PASSWORD,
                                        "location_ids": [store["store"]]}).status_code == 201
    manager = api.as_(api.post("/api/v1/auth/login", {"email": email, "password": PASSWORD}).data["access_token"])
    today = clock.now().astimezone().date().isoformat()
    rows = sales(manager, **{"from": "2026-01-01", "to": "2026-12-31", "group_by": "channel"})["rows"]
    assert [(r["key"], r["orders"]) for r in rows] == [("pos", 1)]
    refused = manager.get(f"/api/v1/reports/sales?from={today}&to={today}&location_id={store['warehouse']}")
    assert refused.status_code == 403
    bad = owner.get("/api/v1/reports/sales?from=2026-12-05&to=2026-12-01")
    assert bad.status_code == 400 and bad.data["errors"][0]["field"] == "to"
