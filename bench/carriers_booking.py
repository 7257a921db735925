"""Booking a parcel at a carrier and applying a carrier status callback: latency per booking (our
code + DynamoDB Local + a fake GHN on loopback, so the carrier's own latency is not in it) and the
DynamoDB round trips and capacity units per booking and per callback, measured through the use
cases in this process. Figures -> bench/results/carriers_booking.json"""
import json
import os
import statistics
import time

from bench.common import Meter, start_stack, write_result

BOOKINGS = int(os.environ.get("BENCH_BOOKINGS", "20"))
PICKUP = {"phone": "0911222333", "street": "590 CMT8", "ward_name": "Phường Bến Thành", "district_name": "Quận 1",
          "province_name": "TP. Hồ Chí Minh"}
ORDER = {"channel": "facebook", "lines": [{"sku": "SKU-1", "quantity": 2}],
         "customer": {"name": "Khách", "phone": "0901234567"},
         "shipping_address": {"name": "Khách", "phone": "0901234567", "text": "72 Thành Thái, Phường 14, Quận 10, Hồ Chí Minh"}}


def _shop():
    from chalicelib.carriers import accounts
    from chalicelib.catalog import service as catalog
    from chalicelib.core.principal import Principal
    from chalicelib.staff import service as staff
    from chalicelib.stock import locations, movements

    created = staff.signup("Bench", "Owner", f"carriers-{time.time_ns()}@quay.vn", "bench-password")
    actor = Principal(created["tenant_id"], created["owner"]["id"])
    location = locations.create(actor, name="Kho", kind="warehouse", address=None,
                                channels=[{"channel": "facebook", "priority": 1}])["id"]
    catalog.create_product(actor, name="P", category=None, variants=[{"sku": "SKU-1", "price": 100000}])
    movements.receive_goods(actor, location_id=location, note=None, lines=[{"sku": "SKU-1", "quantity": 100_000}])
    account = accounts.create(actor, {"carrier": "ghn", "name": "GHN", "token": "ghn-token", "carrier_shop_id": "885",
                                      "pick_location_id": location, "pick_address": PICKUP})
    return actor, account


def _packed(actor) -> str:
    from chalicelib.orders import lifecycle
    from chalicelib.orders import service as orders
    from chalicelib.orders.rules import Action

    order = orders.create(actor, json.loads(json.dumps(ORDER)))
    for action, body in ((Action.confirm, {}), (Action.pack, {}), (Action.mark_ready, {"verified_without_scan": True})):
        moved = lifecycle.act(actor, order["id"], action, body)
    return moved["shipments"][0]["id"]


def main() -> dict:
    from tests.fakes.server import FakeServer
    from tests.integration.carriers.fakes import FakeGhn

    database = start_stack()
    fake = FakeGhn()
    try:
        with FakeServer(fake) as server:
            os.environ["QUAY_GHN_API_BASE"] = server.url
            from chalicelib.carriers import booking, tracking

            meter = Meter().install()
            actor, account = _shop()
            shipments = [_packed(actor) for _ in range(BOOKINGS + 1)]
            booking.book(actor, shipments.pop(), {"carrier_account_id": account["id"]})  # master data cached, account active
            meter.reset()
            seconds, booked = [], []
            for shipment in shipments:
                started = time.perf_counter()
                booked.append(booking.book(actor, shipment, {"carrier_account_id": account["id"]}))
                seconds.append(time.perf_counter() - started)
            per_booking = meter.snapshot()
            secret = account["webhook_url"].split("hash=")[1]
            meter.reset()
            for n, shipment in enumerate(booked):
                body = json.dumps({"OrderCode": shipment["tracking_number"], "ShopID": 885, "Status": "picked",
                                   "Time": f"2026-11-23T03:{n % 60:02d}:00Z"}).encode()
                tracking.callback("ghn", account["id"], {"Content-Type": "application/json"}, body, {"hash": secret})
            per_callback = meter.snapshot()
            meter.reset()
            for shipment in booked:  # the same callback again: a replay writes nothing
                body = json.dumps({"OrderCode": shipment["tracking_number"], "ShopID": 885, "Status": "picked",
                                   "Time": "2026-11-23T03:00:00Z"}).encode()
                tracking.callback("ghn", account["id"], {"Content-Type": "application/json"}, body, {"hash": secret})
            per_replay = meter.snapshot()
        count = len(booked)

        def per(used):
            return {"round_trips": round(used["round_trips"] / count, 2),
                    "capacity_units": round(used["capacity_units"] / count, 2),
                    "calls": {k: round(v / count, 2) for k, v in used["calls"].items()}}

        figures = {"bookings": count, "booking_ms": {"median": round(statistics.median(seconds) * 1000, 1),
                                                     "p90": round(sorted(seconds)[int(count * 0.9) - 1] * 1000, 1)},
                   "carrier_calls_per_booking": "detail-by-client-code + create (GHN)",
                   "per_booking": per(per_booking), "per_callback_picked": per(per_callback),
                   "per_replayed_callback": per(per_replay)}
        write_result("carriers_booking", figures)
        print(json.dumps(figures, indent=1))
        return figures
    finally:
        database.terminate()


if __name__ == "__main__":
    main()
