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
        figures = {"threads": THREADS, "budget_one_line": BUDGET,
                   "service_layer_one_line": service_layer(meter, actor, ONE_LINE),
                   "service_layer": service_layer(meter, actor, ORDER), "http": over_http(email)}
        write_result("orders_http", figures)
        return figures
    finally:
        database.terminate()


if __name__ == "__main__":
    main()
