"""Reservations on one hot SKU: service layer, HTTP, and the raw ceiling of one conditional
UpdateItem on the same DynamoDB Local, in the same run. Figures -> bench/results/stock_hot_sku.json"""
import http.client
import os
import time

from bench.common import Meter, app_server, post_json, run_threads, sign_in, start_stack, write_result

THREADS = int(os.environ.get("BENCH_THREADS", "8"))
PER_THREAD = int(os.environ.get("BENCH_PER_THREAD", "150"))


def _shop():
    from chalicelib.catalog import service as catalog
    from chalicelib.core.principal import Principal
    from chalicelib.staff import service as staff
    from chalicelib.stock import locations, movements

    created = staff.signup("Bench", "Owner", f"bench-{time.time_ns()}@quay.vn", "bench-password")
    actor = Principal(created["tenant_id"], created["owner"]["id"])
    location = locations.create(actor, name="Kho", kind="warehouse", channels=[], address=None)["id"]
    skus = ["HOT-1"] + [f"COLD-{i}" for i in range(THREADS)]
    catalog.create_product(actor, name="Hot", category=None, variants=[{"sku": s, "price": 1} for s in skus])
    movements.receive_goods(actor, location_id=location, lines=[{"sku": s, "quantity": 1_000_000} for s in skus],
                            note=None)
    return actor, location, created


def service_layer(meter: Meter, actor, location, spread: bool = False) -> dict:
    """spread=True: each thread reserves its own SKU, to see whether the one item is the limit."""
    from chalicelib.core.uow import TransactionStats
    from chalicelib.stock import reservations

    meter.reset()
    conflicts_before = TransactionStats.conflicts

    def reserve(thread, n):
        sku = f"COLD-{thread}" if spread else "HOT-1"
        reservations.reserve(actor, reservation_id=f"svc-{spread}-{thread}-{n}", location_id=location,
                             lines=[{"sku": sku, "quantity": 1}])

    elapsed = run_threads(reserve, THREADS, PER_THREAD)
    total = THREADS * PER_THREAD
    used = meter.snapshot()
    return {"reservations": total, "seconds": round(elapsed, 3), "per_second": round(total / elapsed, 1),
            "round_trips_per_reservation": round(used["round_trips"] / total, 2),
            "capacity_units_per_reservation": round(used["capacity_units"] / total, 2),
            "calls": {k: round(v / total, 2) for k, v in used["calls"].items()},
            "conflicts_retried": TransactionStats.conflicts - conflicts_before}


def over_http(actor_email: str, location: str) -> dict:
    with app_server() as port:
        token = sign_in(port, actor_email, "bench-password")
        connections = [http.client.HTTPConnection("127.0.0.1", port) for _ in range(THREADS)]
        statuses = []

        def reserve(thread, n):
            status, _ = post_json(connections[thread], "/api/v1/stock/reservations",
                                  {"reservation_id": f"http-{thread}-{n}", "location_id": location,
                                   "lines": [{"sku": "HOT-1", "quantity": 1}]}, token)
            statuses.append(status)

        elapsed = run_threads(reserve, THREADS, PER_THREAD)
    total = THREADS * PER_THREAD
    return {"reservations": total, "seconds": round(elapsed, 3), "per_second": round(total / elapsed, 1),
            "status_201": statuses.count(201), "other_statuses": sorted(set(statuses) - {201})}


def raw_ceiling(actor, location) -> dict:
    """One conditional UpdateItem (available >= 1) on the same item, no transaction."""
    import botocore.session

    from chalicelib.stock.levels import level_sk, stock_pk

    clients = [botocore.session.get_session().create_client(
        "dynamodb", endpoint_url=os.environ["QUAY_DYNAMODB_ENDPOINT"]) for _ in range(THREADS)]
    key = {"pk": {"S": stock_pk(actor.tenant_id, "HOT-1")}, "sk": {"S": level_sk(location)}}

    def update(thread, n):
        clients[thread].update_item(
            TableName=os.environ["QUAY_TABLE"], Key=key,
            UpdateExpression="SET available = available - :q, reserved = reserved + :q",
            ConditionExpression="available >= :q", ExpressionAttributeValues={":q": {"N": "1"}})

    elapsed = run_threads(update, THREADS, PER_THREAD)
    total = THREADS * PER_THREAD
    return {"updates": total, "seconds": round(elapsed, 3), "per_second": round(total / elapsed, 1)}


def main() -> dict:
    database = start_stack()
    try:
        meter = Meter().install()
        actor, location, created = _shop()
        figures = {"threads": THREADS, "service_layer": service_layer(meter, actor, location),
                   "service_layer_one_sku_per_thread": service_layer(meter, actor, location, spread=True),
                   "http": over_http(created["owner"]["email"], location),
                   "raw_conditional_update_ceiling": raw_ceiling(actor, location)}
        service = figures["service_layer"]["per_second"]
        figures["service_vs_raw"] = round(service / figures["raw_conditional_update_ceiling"]["per_second"], 2)
        write_result("stock_hot_sku", figures)
        return figures
    finally:
        database.terminate()


if __name__ == "__main__":
    main()
