"""Reports at scale: 30 days of a shop with 100,000 orders (8 channels, 200 SKUs, 12 staff), its rollups
made by the same rules the stream handler applies, then the reports read as the dashboard reads them.
Figures -> bench/results/reports.json (server time per report, DynamoDB round trips, capacity units)."""
import random
import statistics
import time
from datetime import date, timedelta

from bench.common import Meter, start_stack, write_result

ORDERS, DAYS, SKUS, STAFF = 100_000, 30, 200, 12
CHANNELS = ["pos", "website", "facebook", "zalo", "livestream", "shopee", "lazada", "tiktok_shop"]
BUDGET = {"server_ms": 200, "capacity_units": 50}


def _rollups(tenant_id: str, last_day: date) -> int:
    """100,000 orders' contributions summed per dimension, day (or week) and key, written as rollup items."""
    from chalicelib.core import keys
    from chalicelib.reports import rules
    from chalicelib.reports.store import RollupItem

    rng, sums = random.Random(7), {}
    for _ in range(ORDERS):
        day = (last_day - timedelta(days=rng.randrange(DAYS))).isoformat()
        lines = [{"sku": f"SKU-{rng.randrange(SKUS):03d}", "quantity": rng.randint(1, 3), "unit_price": rng.choice(
            [59000, 99000, 149000, 250000])} for _ in range(rng.randint(1, 3))]
        document = {"status": "canceled" if rng.random() < 0.05 else "completed", "channel": rng.choice(CHANNELS),
                    "lines": lines, "total": sum(x["quantity"] * x["unit_price"] for x in lines), "returned_lines": [],
                    "sold_by": f"staff-{rng.randrange(STAFF)}", "location_id": "wh", "customer": None}
        whole = rules.contribution(document)
        for period, part in ((day, whole), (rules.week_start(day), rules.weekly(whole))):
            for key, figures in part.items():
                dimension, _, rest = key.partition("|")
                if dimension in ("total", "channel", "product", "staff", "product_week"):
                    rules.add(sums.setdefault((dimension, period, rest), {}), figures)
    with RollupItem.batch_write() as batch:
        for (dimension, day, rest), figures in sums.items():
            batch.save(RollupItem(keys.rollup(tenant_id, dimension), keys.rollup_sk(day, rest), **figures))
    return len(sums)


def _stream_cost(meter, orders_made: int = 20) -> dict:
    """What the rollups cost per order off the request path: create + confirm of a one-line order, then
    its stream records (INSERT, MODIFY) applied by the reports subscriber."""
    import os

    from app import app
    from chalicelib.catalog import service as catalog
    from chalicelib.core.principal import Principal
    from chalicelib.core.streams import change_from
    from chalicelib.orders import lifecycle
    from chalicelib.orders import service as orders
    from chalicelib.orders.rules import Action
    from chalicelib.reports import handlers
    from chalicelib.staff import service as staff
    from chalicelib.stock import locations, movements
    from infra.stream_poller import StreamPoller

    created = staff.signup("Stream", "Owner", f"stream-{time.time_ns()}@quay.vn", "bench-password-2026")
    actor = Principal(created["tenant_id"], created["owner"]["id"])
    where = locations.create(actor, name="Kho", kind="warehouse", address=None,
                             channels=[{"channel": "website", "priority": 1}])["id"]
    catalog.create_product(actor, name="P", category=None, variants=[{"sku": "S-1", "price": 100000}])
    movements.receive_goods(actor, location_id=where, note=None, lines=[{"sku": "S-1", "quantity": 1000}])
    poller = StreamPoller(app, os.environ["QUAY_DYNAMODB_ENDPOINT"], os.environ["QUAY_TABLE"], os.environ["AWS_DEFAULT_REGION"])
    poller.take(actor.tenant_id)
    for _ in range(orders_made):
        order = orders.create(actor, {"channel": "website", "lines": [{"sku": "S-1", "quantity": 1}],
                                      "customer": {"name": "K", "phone": "0901234567"},
                                      "shipping_address": {"name": "K", "phone": "0901234567", "text": "1 Lê Lợi"}})
        lifecycle.act(actor, order["id"], Action.confirm, {})
    changes = [c for c in map(change_from, poller.take(actor.tenant_id)) if c.kind == "ORDER"]
    meter.reset()
    for change in changes:
        handlers.on_order_change(change)
    used = meter.snapshot()
    return {"orders": orders_made, "order_records": len(changes),
            "round_trips_per_order": round(used["round_trips"] / orders_made, 2),
            "capacity_units_per_order": round(used["capacity_units"] / orders_made, 2)}


def main() -> dict:
    database = start_stack()
    try:
        from chalicelib.core.principal import Principal
        from chalicelib.reports import service
        from chalicelib.staff import service as staff

        created = staff.signup("Bench", "Owner", f"reports-{time.time_ns()}@quay.vn", "bench-password-2026")
        owner = Principal(created["tenant_id"], created["owner"]["id"])
        last = date.today()
        items = _rollups(owner.tenant_id, last)
        meter = Meter().install()
        first = last - timedelta(days=DAYS - 1)
        figures = {"orders": ORDERS, "days": DAYS, "rollup_items": items, "budget": BUDGET, "reports": {}}
        for group_by in ("day", "channel", "staff", "product"):
            samples = []
            for _ in range(5):
                meter.reset()
                started = time.perf_counter()
                report = service.sales(owner, day_from=first, day_to=last, group_by=group_by)
                samples.append((time.perf_counter() - started) * 1000)
            used = meter.snapshot()
            figures["reports"][f"sales_by_{group_by}"] = {
                "server_ms_median": round(statistics.median(samples), 1), "round_trips": used["round_trips"],
                "capacity_units": used["capacity_units"], "rows": len(report["rows"]),
                "orders_counted": report["totals"]["orders"]}
        figures["stream_per_order"] = _stream_cost(meter)
        write_result("reports", figures)
        return figures
    finally:
        database.terminate()


if __name__ == "__main__":
    main()
