"""The order aggregate: what each action decides, with no I/O. A method checks the move, changes
the order (status, shipments, payment, timeline, warnings) and returns an `Outcome` naming what
else must change in the same transaction: the stock effect, the customer's statistics and the
audit entry. `lifecycle.py` loads the order, applies the action and stages the outcome; unit tests
drive the aggregate without a database."""
import copy
from dataclasses import dataclass, field
from typing import Any, Literal

from chalicelib.catalog import rules as catalog_rules
from chalicelib.core import clock
from chalicelib.core.errors import IllegalTransition, InvalidInput, VersionMismatch
from chalicelib.orders import rules
from chalicelib.orders.rules import Action, Status, Warning_


def add_event(order: dict, actor, action: str, before: str, after: str, via: str, note: str | None = None) -> None:
    """One line of the order's timeline (who, what, from -> to, through which door)."""
    order["timeline"].append({"at": clock.now_iso(), "staff_id": actor.staff_id, "action": action,
                              "from": before, "to": after, "via": via, "note": note})


def set_warning(order: dict, code: Warning_, detail: str | None) -> None:
    """Set (detail) or clear (None) one warning; a warning in BLOCKS_CONFIRM holds the order."""
    order["warnings"] = [w for w in order["warnings"] if w["code"] != code.value]
    if detail is not None:
        order["warnings"].append(rules.warning(code, detail))


@dataclass(frozen=True)
class Restock:
    """A returned line put back on the shelf it was shipped from."""
    sku: str
    location_id: str
    quantity: int
    field: str


@dataclass(frozen=True)
class StockEffect:
    kind: Literal["release", "commit", "restock", "clear_expiry"]
    reservation_ids: tuple[str, ...] = ()
    restock: tuple[Restock, ...] = ()
    note: str | None = None  # the ledger's note on restocked lines (the return's reason)


@dataclass
class Outcome:
    """What an action decided besides the order itself."""
    action: str
    before: Status
    after: Status
    audit_after: dict[str, Any]
    stock: StockEffect | None = None
    movements_in_audit: bool = False

    @property
    def customer_undone(self) -> bool:
        """The order no longer counts in the customer's statistics (applied from the stream)."""
        return rules.counts_for_customer(self.before) and not rules.counts_for_customer(self.after)

    def audit(self, movements: list[dict]) -> tuple[dict, dict]:
        after = dict(self.audit_after)
        if self.movements_in_audit:
            after["movements"] = [m["id"] for m in movements]
        return {"status": self.before.value}, after


class Order:
    """One order, as the document stored in its item (ADR 0006), with the decisions of its lifecycle."""

    def __init__(self, document: dict):
        self.document = document

    @property
    def status(self) -> Status:
        return Status(self.document["status"])

    @property
    def shipments(self) -> list[dict]:
        return self.document["shipments"]

    @property
    def customer_id(self) -> str | None:
        return (self.document.get("customer") or {}).get("id")

    def check_version(self, expected: int | None, current: int) -> None:
        if expected is not None and expected != current:
            raise VersionMismatch("The order changed since you loaded it; reload it.",
                                  extra={"current_version": current})

    def reserved_ids(self) -> list[str]:
        return [s["reservation_id"] for s in self.shipments if s["reserved"]]

    # --- moves without a stock effect ------------------------------------------------------
    def _move(self, actor, action: str, target: Status, via: str, note: str | None = None,
              shipment_status: str | None = None) -> Outcome:
        before = self.status
        self.document["status"] = target.value
        if shipment_status:
            for shipment in self.shipments:
                shipment["status"] = shipment_status
        add_event(self.document, actor, action, before.value, target.value, via, note)
        return Outcome(action, before, target, {"status": target.value, "note": note})

    def pack(self, actor, target: Status, via: str, note: str | None = None) -> Outcome:
        return self._move(actor, "pack", target, via, note, shipment_status="processing")

    def mark_ready(self, actor, target: Status, via: str, *, verified_without_scan: bool = False,
                   note: str | None = None) -> Outcome:
        """Every item scanned, or the packer says they checked by hand (noted on the timeline)."""
        missing = [{"field": f"shipments.{s['id']}.{x['sku']}", "message": f"scanned {x['scanned']} of {x['quantity']}"}
                   for s in self.shipments for x in s["lines"] if x["scanned"] != x["quantity"]]
        if missing and not verified_without_scan:
            raise IllegalTransition("Scan every item before marking the order ready (or confirm you checked it by hand).",
                                    errors=missing, extra={"current_status": self.status.value})
        return self._move(actor, "mark_ready", target, via, "verified without scanning" if missing else note,
                          shipment_status="ready_to_ship")

    def complete(self, actor, target: Status, via: str, *, cod_held_by_carrier: bool = False,
                 note: str | None = None) -> Outcome:
        """Delivered: a COD order is paid, unless a carrier collected the cash (paid when its statement says so)."""
        payment = self.document["payment"]
        if payment["method"] == "cod" and payment["status"] != "paid" and not cod_held_by_carrier:
            payment.update(status="paid", amount_paid=self.document["total"])
        return self._move(actor, "complete", target, via, note, shipment_status="delivered")

    def mark_paid(self, actor, target: Status, via: str, *, amount: int | None = None, method: str | None = None,
                  note: str | None = None) -> Outcome:
        """Paid in full or in part; paying an unpaid hold keeps its stock (the hold stops expiring)."""
        total = self.document["total"]
        amount = total if amount is None else amount
        payment = self.document["payment"]
        payment.update(status="paid" if amount >= total else "partially_paid", amount_paid=amount,
                       method=method or payment["method"])
        holds = self.reserved_ids() if self.status is Status.pending_payment and self.document.get("hold") else []
        if holds:
            self.document["hold"] = None
        outcome = self._move(actor, "mark_paid", target, via, note)
        outcome.stock = StockEffect("clear_expiry", tuple(holds)) if holds else None
        return outcome

    def start_return(self, actor, target: Status, via: str, reason: str | None = None) -> Outcome:
        return self._move(actor, "return", target, via, reason, shipment_status="returning")

    # --- moves with a stock effect ----------------------------------------------------------
    def _move_releasing(self, actor, action: str, target: Status, via: str, note: str | None,
                        kind: Literal["release", "commit"]) -> Outcome:
        rids = self.reserved_ids()
        for shipment in self.shipments:
            shipment["reserved"] = False
        before = self.status
        self.document["status"] = target.value
        add_event(self.document, actor, action, before.value, target.value, via, note)
        return Outcome(action, before, target, {"status": target.value}, StockEffect(kind, tuple(rids)) if rids else None,
                       movements_in_audit=True)

    def cancel(self, actor, target: Status, via: str, reason: str | None) -> Outcome:
        """Canceled with a reason (kept on the order and its timeline); held stock goes back. A parcel
        booked with a carrier is canceled there first (the carrier would still come for it)."""
        booked = [s["id"] for s in self.shipments if s.get("carrier_account_id") and s.get("tracking_number")]
        if booked:
            raise IllegalTransition("Cancel the carrier booking of this parcel first.",
                                    extra={"current_status": self.status.value, "booked_shipments": booked})
        self.document["cancel_reason"] = rules.cancel_reason(reason)
        self.document["hold"] = None
        for shipment in self.shipments:
            shipment["status"] = "canceled"
        return self._move_releasing(actor, "cancel", target, via, self.document["cancel_reason"], "release")

    def hand_over(self, actor, target: Status, via: str, note: str | None = None) -> Outcome:
        """The carrier has it: reserved stock leaves the shelf (sale movements)."""
        for shipment in self.shipments:
            shipment["status"] = "handed_over"
        return self._move_releasing(actor, "hand_over", target, via, note, "commit")

    def receive_return(self, actor, target: Status, via: str, lines: list[dict] | None, reason: str | None) -> Outcome:
        """The parcel is back: each line returned at most as many as were shipped, restocked where it
        was shipped from unless its condition says otherwise."""
        shipped: dict[str, tuple[str, str, int]] = {}
        for shipment in self.shipments:
            for x in shipment["lines"]:
                key = catalog_rules.sku_key(x["sku"])
                sku, location_id, quantity = shipped.get(key, (x["sku"], shipment["location_id"], 0))
                shipped[key] = (sku, location_id, quantity + x["quantity"])
        lines = lines or [{"sku": sku, "quantity": q, "condition": "restock"} for sku, _, q in shipped.values()]
        errors = []
        for n, line in enumerate(lines):
            known = shipped.get(catalog_rules.sku_key(line["sku"]))
            if known is None:
                errors.append({"field": f"lines.{n}.sku", "message": "not shipped on this order"})
            elif line["quantity"] > known[2]:
                errors.append({"field": f"lines.{n}.quantity", "message": f"only {known[2]} shipped"})
        if errors:
            raise InvalidInput("These lines cannot be returned.", errors=errors)
        for shipment in self.shipments:
            shipment["status"] = "returned"
        self.document["returned_lines"] = lines
        before = self.status
        self.document["status"] = target.value
        add_event(self.document, actor, "return", before.value, target.value, via, reason)
        restock = tuple(Restock(*shipped[catalog_rules.sku_key(x["sku"])][:2], x["quantity"], f"lines.{n}")
                        for n, x in enumerate(lines) if x.get("condition", "restock") == "restock")
        return Outcome("return", before, target, {"status": target.value, "lines": lines},
                       StockEffect("restock", restock=restock, note=reason))

    # --- confirming ---------------------------------------------------------------------------
    def confirm_reserved(self, actor, target: Status, via: str) -> Outcome:
        """Confirming an order whose stock is held already moves its status only."""
        return self._move(actor, "confirm", target, via)

    def confirm_blockers(self) -> list[dict]:
        return [w for w in self.document["warnings"] if Warning_(w["code"]) in rules.BLOCKS_CONFIRM]

    def already_reserved(self) -> bool:
        """A paid hold or a split order holds its stock already: confirming moves the status only."""
        return bool(self.shipments) and all(s["reserved"] for s in self.shipments)

    def confirmed(self, actor, target: Status, via: str, shipments: list[dict] | None, location_id: str | None,
                  note: str | None) -> tuple["Order", Outcome]:
        """A trial copy confirmed with these shipments (None: keep the split's), to stage with its
        reservations; the original stays as it was if the stock is not there."""
        trial = Order(copy.deepcopy(self.document))
        if shipments is not None:
            trial.document["shipments"] = shipments
            trial.document["location_id"] = location_id
        set_warning(trial.document, Warning_.out_of_stock, None)
        set_warning(trial.document, Warning_.hold_expired, None)
        before = trial.status
        trial.document["status"] = target.value
        add_event(trial.document, actor, "confirm", before.value, target.value, via, note)
        return trial, Outcome("confirm", before, target, {
            "status": target.value, "locations": [s["location_id"] for s in trial.shipments]})

    def hold_out_of_stock(self, detail: str) -> None:
        set_warning(self.document, Warning_.out_of_stock, detail)

    def hold_expired(self, actor, reservation_id: str) -> None:
        """The unpaid hold ran out: its shipment goes, the order says why."""
        for shipment in self.shipments:
            if shipment["reservation_id"] == reservation_id:
                shipment["reserved"] = False
        self.document["shipments"] = [s for s in self.shipments if s["reserved"]]
        self.document["hold"] = None
        set_warning(self.document, Warning_.hold_expired, "The unpaid hold expired and its stock was released.")
        add_event(self.document, actor, "hold_expired", self.document["status"], self.document["status"], "system")


@dataclass
class Decision:
    """Which aggregate method an action calls, with the body fields it reads."""
    method: str
    fields: dict[str, str] = field(default_factory=dict)  # keyword -> body field


DECISIONS: dict[Action, Decision] = {
    Action.pack: Decision("pack"),
    Action.mark_ready: Decision("mark_ready", {"verified_without_scan": "verified_without_scan", "note": "note"}),
    Action.hand_over: Decision("hand_over", {"note": "note"}),
    Action.complete: Decision("complete", {"cod_held_by_carrier": "cod_held_by_carrier"}),
    Action.cancel: Decision("cancel", {"reason": "reason"}),
    Action.mark_paid: Decision("mark_paid", {"amount": "amount", "method": "method"}),
}


def decide(order: Order, action: Action, target: Status, actor, via: str, body: dict) -> Outcome:
    """Every action but confirm (which needs the stock to choose its location)."""
    if action is Action.return_:
        if target is Status.returning:
            return order.start_return(actor, target, via, body.get("reason"))
        return order.receive_return(actor, target, via, body.get("lines"), body.get("reason"))
    decision = DECISIONS[action]
    kwargs = {name: body.get(source) for name, source in decision.fields.items()}
    for flag in ("verified_without_scan", "cod_held_by_carrier"):
        if flag in kwargs:
            kwargs[flag] = bool(kwargs[flag])
    return getattr(order, decision.method)(actor, target, via, **kwargs)
