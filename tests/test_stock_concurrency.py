"""Zero oversell under concurrency, against DynamoDB Local, through the service layer."""
import random
from concurrent.futures import ThreadPoolExecutor

from chalicelib.core.errors import OutOfStock
from chalicelib.core.principal import Principal
from chalicelib.stock import levels as stock
from chalicelib.stock import movements, reconcile, reservations

CHANNELS = ["shopee", "lazada", "tiktok_shop", "livestream", "website", "pos"]


def _actor(store) -> Principal:
    return Principal(store["tenant_id"], store["owner_id"])


def _attempt(actor, location, n):
    try:
        reservations.reserve(actor, reservation_id=f"{CHANNELS[n % len(CHANNELS)]}-{n}", location_id=location,
                             lines=[{"sku": "TS-M", "quantity": 1}])
        return "reserved"
    except OutOfStock:
        return "out_of_stock"


def test_200_concurrent_reservations_for_50_units_reserve_exactly_50(store):
    actor, wh = _actor(store), store["warehouse"]
    movements.receive_goods(actor, location_id=wh, lines=[{"sku": "TS-M", "quantity": 50}], note=None)
    with ThreadPoolExecutor(max_workers=24) as pool:
        outcomes = list(pool.map(lambda n: _attempt(actor, wh, n), range(200)))
    assert outcomes.count("reserved") == 50
    assert outcomes.count("out_of_stock") == 150
    totals = stock.levels_for_sku(actor.tenant_id, "TS-M")["totals"]
    assert totals == {"on_hand": 50, "reserved": 50, "available": 0, "incoming": 0}
    assert reconcile.check_shop(actor.tenant_id)["drifts"] == []


def test_reservations_racing_receipts_transfers_and_releases_keep_the_invariants(store):
    actor, wh, shop_ = _actor(store), store["warehouse"], store["store"]
    movements.receive_goods(actor, location_id=wh, lines=[{"sku": "TS-M", "quantity": 30}], note=None)
    reserved_ids = []

    def work(n):
        kind = n % 5
        if kind == 0:
            movements.receive_goods(actor, location_id=wh, lines=[{"sku": "TS-M", "quantity": 2}], note=None)
            return "received"
        if kind == 1:
            try:
                movements.send_transfer(actor, from_location_id=wh, to_location_id=shop_,
                                        lines=[{"sku": "TS-M", "quantity": 1}], note=None)
                return "transferred"
            except OutOfStock:
                return "transfer_short"
        outcome = _attempt(actor, wh, n)
        if outcome == "reserved":
            reserved_ids.append(f"{CHANNELS[n % len(CHANNELS)]}-{n}")
            if random.random() < 0.5:
                reservations.release(actor, reserved_ids[-1])
                return "released"
        return outcome

    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(work, range(150)))
    level = {x["location_id"]: x for x in stock.levels_for_sku(actor.tenant_id, "TS-M")["locations"]}[wh]
    received = 30 + 2 * outcomes.count("received")
    assert level["on_hand"] == received - outcomes.count("transferred")
    assert level["available"] >= 0 and level["available"] == level["on_hand"] - level["reserved"]
    assert reconcile.check_shop(actor.tenant_id)["drifts"] == []
