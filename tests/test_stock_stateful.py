"""Random sequences of stock operations against the real tables; after every step the stored
levels must equal the model and the shop must reconcile with no drift."""
import itertools

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, initialize, invariant, rule

from chalicelib.catalog import service as catalog
from chalicelib.core.errors import InvalidInput, OutOfStock
from chalicelib.core.principal import Principal
from chalicelib.staff import service as staff
from chalicelib.stock import levels as stock
from chalicelib.stock import locations, movements, reconcile, reservations
from tests.conftest import unique_email

SKUS = ["A-1", "B-2"]
_ids = itertools.count()


class StockMachine(RuleBasedStateMachine):
    reservations_ = Bundle("reservations")
    transfers = Bundle("transfers")

    @initialize()
    def open_shop(self):
        created = staff.signup("Máy trạng thái", "Chủ", unique_email("sm"), "mai-vang-2026")
        self.actor = Principal(created["tenant_id"], created["owner"]["id"])
        self.locs = [locations.create(self.actor, name=f"L{i}", kind="warehouse", channels=[], address=None)["id"]
                     for i in range(2)]
        catalog.create_product(self.actor, name="P", category=None,
                               variants=[{"sku": s, "price": 1000} for s in SKUS])
        self.on_hand = {(s, loc): 0 for s in SKUS for loc in self.locs}
        self.reserved = dict.fromkeys(self.on_hand, 0)
        self.incoming = dict.fromkeys(self.on_hand, 0)

    def available(self, key):
        return self.on_hand[key] - self.reserved[key]

    @rule(sku=st.sampled_from(SKUS), loc=st.integers(0, 1), quantity=st.integers(1, 20))
    def receive(self, sku, loc, quantity):
        movements.receive_goods(self.actor, location_id=self.locs[loc], lines=[{"sku": sku, "quantity": quantity}],
                                note=None)
        self.on_hand[(sku, self.locs[loc])] += quantity

    @rule(sku=st.sampled_from(SKUS), loc=st.integers(0, 1), delta=st.integers(-15, 15).filter(bool))
    def adjust(self, sku, loc, delta):
        key = (sku, self.locs[loc])
        try:
            movements.adjust(self.actor, location_id=key[1], sku=sku, delta=delta, reason="correction", note=None)
            assert delta > 0 or self.available(key) >= -delta
            self.on_hand[key] += delta
        except OutOfStock:
            assert delta < 0 and self.available(key) < -delta

    @rule(target=transfers, sku=st.sampled_from(SKUS), source=st.integers(0, 1), quantity=st.integers(1, 10))
    def send(self, sku, source, quantity):
        src, dst = self.locs[source], self.locs[1 - source]
        try:
            sent = movements.send_transfer(self.actor, from_location_id=src, to_location_id=dst,
                                           lines=[{"sku": sku, "quantity": quantity}], note=None)
        except OutOfStock:
            assert self.available((sku, src)) < quantity
            return None
        self.on_hand[(sku, src)] -= quantity
        self.incoming[(sku, dst)] += quantity
        return (sent["id"], sku, dst, quantity)

    @rule(transfer=consumes(transfers), part=st.integers(0, 10))
    def receive_transfer(self, transfer, part):
        if transfer is None:
            return
        transfer_id, sku, dst, quantity = transfer
        take = min(part, quantity) or quantity
        movements.receive_transfer(self.actor, transfer_id, [{"sku": sku, "quantity": take}])
        self.on_hand[(sku, dst)] += take
        self.incoming[(sku, dst)] -= take
        if take < quantity:
            movements.receive_transfer(self.actor, transfer_id, None)
            self.on_hand[(sku, dst)] += quantity - take
            self.incoming[(sku, dst)] -= quantity - take

    @rule(target=reservations_, loc=st.integers(0, 1), a=st.integers(0, 8), b=st.integers(0, 8))
    def reserve(self, loc, a, b):
        lines = [{"sku": s, "quantity": q} for s, q in zip(SKUS, (a, b), strict=True) if q]
        if not lines:
            return None
        rid = f"r{next(_ids)}"
        location = self.locs[loc]
        try:
            reservations.reserve(self.actor, reservation_id=rid, location_id=location, lines=lines)
        except OutOfStock:
            assert any(self.available((x["sku"], location)) < x["quantity"] for x in lines)
            return None
        for x in lines:
            assert self.available((x["sku"], location)) >= x["quantity"]
            self.reserved[(x["sku"], location)] += x["quantity"]
        return (rid, location, lines)

    @rule(held=consumes(reservations_), outcome=st.sampled_from(["released", "expired", "committed"]))
    def close(self, held, outcome):
        if held is None:
            return
        rid, location, lines = held
        if outcome == "committed":
            reservations.commit(self.actor, rid)
        else:
            reservations.release(self.actor, rid, status=outcome)
        for x in lines:
            self.reserved[(x["sku"], location)] -= x["quantity"]
            if outcome == "committed":
                self.on_hand[(x["sku"], location)] -= x["quantity"]

    @rule(sku=st.sampled_from(SKUS), loc=st.integers(0, 1), counted=st.integers(0, 30))
    def stocktake(self, sku, loc, counted):
        key = (sku, self.locs[loc])
        try:
            movements.submit_stocktake(self.actor, location_id=key[1], lines=[{"sku": sku, "counted": counted}],
                                       note=None)
            self.on_hand[key] = counted
        except OutOfStock:
            assert counted < self.reserved[key]
        except InvalidInput:
            raise

    @invariant()
    def stored_levels_match_the_model_and_reconcile(self):
        if not hasattr(self, "actor"):
            return
        for sku in SKUS:
            stored = {x["location_id"]: x for x in stock.levels_for_sku(self.actor.tenant_id, sku)["locations"]}
            for loc in self.locs:
                level = stored.get(loc, {"on_hand": 0, "reserved": 0, "available": 0, "incoming": 0})
                key = (sku, loc)
                assert (level["on_hand"], level["reserved"], level["incoming"]) == \
                    (self.on_hand[key], self.reserved[key], self.incoming[key]), key
                assert level["available"] == self.available(key) >= 0
        assert reconcile.check_shop(self.actor.tenant_id)["drifts"] == []


StockMachine.TestCase.settings = settings(max_examples=12, stateful_step_count=14, deadline=None,
                                          suppress_health_check=[HealthCheck.too_slow])
test_stock_state_machine = StockMachine.TestCase
