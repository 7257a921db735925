"""Issuing e-invoices (manual provider) through the service layer: DynamoDB round trips and capacity units per
issue alone, then N threads issuing on one symbol (one counter item): invoices/s and how many attempts lost the
counter race. Figures -> bench/results/invoices_issue.json"""
import os
import time

from bench.common import Meter, run_threads, start_stack, write_result

THREADS = int(os.environ.get("BENCH_THREADS", "8"))
PER_THREAD = int(os.environ.get("BENCH_PER_THREAD", "10"))
SELLER = {"name": "Bench", "tax_code": "0100109106", "address": "Hà Nội"}


def _shop(invoices_needed: int):
    from chalicelib.catalog import service as catalog
    from chalicelib.core import clock
    from chalicelib.core.principal import Principal
    from chalicelib.invoices import service as invoices
    from chalicelib.invoices import settings as invoice_settings
    from chalicelib.orders import service as orders
    from chalicelib.staff import service as staff
    from chalicelib.stock import locations, movements

    created = staff.signup("Bench", "Owner", f"invoices-{time.time_ns()}@quay.vn", "bench-password")
    actor = Principal(created["tenant_id"], created["owner"]["id"])
    store = locations.create(actor, name="Quầy", kind="store", address=None, channels=[{"channel": "pos", "priority": 1}])["id"]
    catalog.create_product(actor, name="P", category=None, variants=[{"sku": "SKU-1", "price": 110000}])
    movements.receive_goods(actor, location_id=store, note=None, lines=[{"sku": "SKU-1", "quantity": 1_000_000}])
    invoice_settings.put(actor, {"seller": SELLER, "provider": "manual", "template_code": "1",
                                 "symbol": f"C{clock.now().year % 100:02d}TAA", "default_vat_rate": 10})
    drafts = []
    for _ in range(invoices_needed):
        order = orders.create(actor, {"channel": "pos", "location_id": store, "lines": [{"sku": "SKU-1", "quantity": 1}]})
        drafts.append(invoices.create(actor, {"order_id": order["id"]})["id"])
    return actor, drafts


def main() -> dict:
    database = start_stack()
    try:
        from chalicelib.invoices import service as invoices

        meter = Meter().install()
        alone, contended = 20, THREADS * PER_THREAD
        actor, drafts = _shop(alone + contended)
        attempts = {"n": 0}
        real_stage = invoices._stage_counter

        def counted(*args, **kwargs):
            attempts["n"] += 1
            return real_stage(*args, **kwargs)

        invoices._stage_counter = counted
        meter.reset()
        for invoice_id in drafts[:alone]:
            invoices.act(actor, invoice_id, "issue", {})
        used = meter.snapshot()
        sequential = {"invoices": alone, "round_trips_per_issue": round(used["round_trips"] / alone, 2),
                      "capacity_units_per_issue": round(used["capacity_units"] / alone, 2),
                      "calls_per_issue": {k: round(v / alone, 2) for k, v in used["calls"].items()}}
        queue = list(drafts[alone:])
        numbers, retried_503 = [], []
        attempts["n"] = 0
        meter.reset()

        def one(thread, n):
            from chalicelib.core.errors import Contention

            invoice_id = queue[thread * PER_THREAD + n]
            while True:
                try:
                    numbers.append(invoices.act(actor, invoice_id, "issue", {})["number"])
                    return
                except Contention:
                    retried_503.append(invoice_id)

        elapsed = run_threads(one, THREADS, PER_THREAD)
        used = meter.snapshot()
        concurrent = {"threads": THREADS, "invoices": contended, "seconds": round(elapsed, 2),
                      "invoices_per_second": round(contended / elapsed, 1),
                      "counter_attempts_per_invoice": round(attempts["n"] / contended, 2),
                      "answers_503_retried": len(retried_503),
                      "round_trips_per_issue": round(used["round_trips"] / contended, 2),
                      "numbers_consecutive": sorted(numbers) == list(range(alone + 1, alone + contended + 1))}
        figures = {"sequential": sequential, "one_symbol_concurrent": concurrent}
        write_result("invoices_issue", figures)
        return figures
    finally:
        database.terminate()


if __name__ == "__main__":
    main()
