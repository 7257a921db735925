"""Creating and confirming orders over HTTP (local gateway in its own process), plus DynamoDB
round trips and capacity units per order measured through the service layer in this process.
Figures -> bench/results/orders_http.json"""
import http.client
import json
import os
import time

from bench.common import Meter, app_server, post_json, run_threads, sign_in, start_stack, write_result

THREADS = int(os.environ.get("BENCH_THREADS", "8"))
PER_THREAD = int(os.environ.get("BENCH_PER_THREAD", "40"))
ORDER = {"channel": "facebook", "lines": [{"sku": "SKU-1", "quantity": 1}, {"sku": "SKU-2", "quantity": 2}],
         "customer": {"name": "Khách", "phone": "0901234567"},
         "shipping_address": {"name": "Khách", "phone": "0901234567", "text": "1 Lê Lợi, Q1"}}


def _shop():
    from chalicelib.catalog import service as catalog
    from chalicelib.core.principal import Principal
    from chalicelib.staff import service as staff
    from chalicelib.stock import locations, movements

    email = f"orders-{time.time_ns()}@quay.vn"
    created = staff.signup("Bench", "Owner", email, "bench-password")
    actor = Principal(created["tenant_id"], created["owner"]["id"])
    location = locations.create(actor, name="Kho", kind="warehouse", address=None,
                                channels=[{"channel": "facebook", "priority": 1}])["id"]
    catalog.create_product(actor, name="P", category=None, variants=[{"sku": f"SKU-{i}", "price": 100000}
                                                                     for i in (1, 2)])
    movements.receive_goods(actor, location_id=location, note=None,
                            lines=[{"sku": f"SKU-{i}", "quantity": 1_000_000} for i in (1, 2)])
    return actor, email


ONE_LINE = {**ORDER, "lines": ORDER["lines"][:1]}
BUDGET = {"round_trips_per_order": 4, "capacity_units_per_order": 16}  # one-line order, create + confirm


def service_layer(meter: Meter, actor, order_body: dict) -> dict:
    from chalicelib.orders import lifecycle as order_actions
    from chalicelib.orders import service as orders
    from chalicelib.orders.rules import Action

    meter.reset()

    def one(thread, n):
        order = orders.create(actor, json.loads(json.dumps(order_body)))
        order_actions.act(actor, order["id"], Action.confirm, {})

    total = 20
    run_threads(one, 1, total)
    used = meter.snapshot()
    return {"orders": total, "round_trips_per_order": round(used["round_trips"] / total, 2),
            "capacity_units_per_order": round(used["capacity_units"] / total, 2),
            "calls_per_order": {k: round(v / total, 2) for k, v in used["calls"].items()}}


# Work that left the request for the stream (ADR 0016): the order's and reservation's audit
# entries filed, the known buyer's order counted in the profile.
MOVED_TO_STREAM = ("chalicelib.audit.handlers:on_change", "chalicelib.flows.customer_orders:on_order_change")


def stream_poller():
    from app import app
    from infra.stream_poller import StreamPoller

    return StreamPoller(app, os.environ["QUAY_DYNAMODB_ENDPOINT"], os.environ["QUAY_TABLE"],
                        os.environ["AWS_DEFAULT_REGION"])


def moved_to_stream(meter: Meter, poller, tenant_id: str, orders: int) -> dict:
    """What the subscribers doing the moved work cost per order, fed the orders' real stream records."""
    from chalicelib.core.streams import change_from
    from chalicelib.flows import stream

    changes = [change_from(record) for record in poller.take(tenant_id)]
    meter.reset()
    for change in changes:
        for kind, path in stream.SUBSCRIBERS:
            if kind == change.kind and path in MOVED_TO_STREAM:
                stream._function(path)(change)
    used = meter.snapshot()
    return {"subscribers": list(MOVED_TO_STREAM), "records": len(changes),
            "round_trips_per_order": round(used["round_trips"] / orders, 2),
            "capacity_units_per_order": round(used["capacity_units"] / orders, 2)}


def over_http(email: str) -> dict:
    with app_server() as port:
        token = sign_in(port, email, "bench-password")
        connections = [http.client.HTTPConnection("127.0.0.1", port) for _ in range(THREADS)]
        statuses = []

        def one(thread, n):
            status, created = post_json(connections[thread], "/api/v1/orders", ORDER, token)
            statuses.append(status)
            status, _ = post_json(connections[thread], f"/api/v1/orders/{created['id']}/actions/confirm", {}, token)
            statuses.append(status)

        elapsed = run_threads(one, THREADS, PER_THREAD)
    total = THREADS * PER_THREAD
    return {"orders": total, "seconds": round(elapsed, 3), "orders_created_and_confirmed_per_second":
            round(total / elapsed, 1), "ok": statuses.count(201) + statuses.count(200),
            "other_statuses": sorted(set(statuses) - {200, 201})}


def main() -> dict:
    database = start_stack()
    try:
        meter = Meter().install()
        actor, email = _shop()
        poller = stream_poller()
        poller.take(actor.tenant_id)  # the shop's setup
        one_line = service_layer(meter, actor, ONE_LINE)
        figures = {"threads": THREADS, "budget_one_line": BUDGET, "service_layer_one_line": one_line,
                   "stream_after_one_line": moved_to_stream(meter, poller, actor.tenant_id, one_line["orders"]),
                   "service_layer": service_layer(meter, actor, ORDER), "http": over_http(email)}
        write_result("orders_http", figures)
        return figures
    finally:
        database.terminate()


if __name__ == "__main__":
    main()
