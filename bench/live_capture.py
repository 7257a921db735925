"""Live capture at a peak: many buyers commenting on one hot code at once, through the service
layer on DynamoDB Local. Comments per second, p50/p95 latency per capture, DynamoDB round trips and
capacity units per capture, and held vs stock (never above). Figures -> bench/results/live_capture.json"""
import os
import statistics
import threading
import time

from bench.common import Meter, run_threads, start_stack, write_result

THREADS = int(os.environ.get("BENCH_THREADS", "8"))
PER_THREAD = int(os.environ.get("BENCH_PER_THREAD", "50"))
STOCK = int(os.environ.get("BENCH_LIVE_STOCK", "300"))
REPEAT_EVERY = 5  # every 5th comment is a buyer commenting again (an update of their order)


def _session():
    from chalicelib.catalog import service as catalog
    from chalicelib.core.principal import Principal
    from chalicelib.live import sessions
    from chalicelib.staff import service as staff
    from chalicelib.stock import locations, movements

    created = staff.signup("Bench Live", "Owner", f"bench-live-{time.time_ns()}@quay.vn", "bench-password")
    actor = Principal(created["tenant_id"], created["owner"]["id"])
    location = locations.create(actor, name="Kho", kind="warehouse", channels=[], address=None)["id"]
    catalog.create_product(actor, name="Áo hot", category=None, variants=[{"sku": "HOT-A1", "price": 150000},
                                                                          {"sku": "COLD-B2", "price": 90000}])
    movements.receive_goods(actor, location_id=location, lines=[{"sku": "HOT-A1", "quantity": STOCK},
                                                                {"sku": "COLD-B2", "quantity": 10_000}], note=None)
    session = sessions.create(actor, {"title": "Bench live", "channel": "facebook", "location_id": location,
                                      "items": [{"code": "A1", "sku": "HOT-A1"}, {"code": "B2", "sku": "COLD-B2"}]})
    return actor, location, session["id"]


def main() -> dict:
    database = start_stack()
    try:
        from chalicelib.core.uow import TransactionStats
        from chalicelib.live import capture, sessions
        from chalicelib.stock.levels import levels_for_sku

        meter = Meter().install()
        actor, location, session_id = _session()
        latencies, results, lock = [], {}, threading.Lock()
        meter.reset()
        conflicts_before = TransactionStats.conflicts

        def comment(thread, n):
            buyer = thread * PER_THREAD + n
            if n % REPEAT_EVERY == REPEAT_EVERY - 1:   # the buyer before comments again: B2 joins their order
                buyer, text = buyer - 1, "B2 nữa nhé"
            else:
                text = "chốt A1"
            started = time.perf_counter()
            answer = capture.capture(actor, session_id, {"author_name": f"Khách {buyer}", "author_id": f"u{buyer}",
                                                         "text": text, "comment_id": f"c-{thread}-{n}"})
            took = time.perf_counter() - started
            with lock:
                latencies.append(took)
                results[answer["result"]] = results.get(answer["result"], 0) + 1

        elapsed = run_threads(comment, THREADS, PER_THREAD)
        used = meter.snapshot()
        total = THREADS * PER_THREAD
        level = next(x for x in levels_for_sku(actor.tenant_id, "HOT-A1")["locations"] if x["location_id"] == location)
        view = sessions.live_view(actor, session_id)
        hot = next(x for x in view["items"] if x["sku"] == "HOT-A1")
        cut = statistics.quantiles(latencies, n=20)
        figures = {"threads": THREADS, "comments": total, "seconds": round(elapsed, 3),
                   "comments_per_second": round(total / elapsed, 1),
                   "latency_ms": {"p50": round(statistics.median(latencies) * 1000, 1), "p95": round(cut[18] * 1000, 1),
                                  "max": round(max(latencies) * 1000, 1)},
                   "results": results,
                   "round_trips_per_comment": round(used["round_trips"] / total, 2),
                   "capacity_units_per_comment": round(used["capacity_units"] / total, 2),
                   "calls_per_comment": {k: round(v / total, 2) for k, v in sorted(used["calls"].items())},
                   "conflicts_retried": TransactionStats.conflicts - conflicts_before,
                   "hot_code": {"stock": STOCK, "held": hot["held"], "reserved_at_level": int(level["reserved"]),
                                "available": int(level["available"]), "oversold": hot["held"] > STOCK},
                   "orders": len(view["orders"])}
        assert hot["held"] <= STOCK and hot["held"] == int(level["reserved"])
        write_result("live_capture", figures)
        return figures
    finally:
        database.terminate()


if __name__ == "__main__":
    print(main())
