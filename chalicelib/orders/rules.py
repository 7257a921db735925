"""The canonical order: statuses, the actions that move between them, totals and warnings.
Pure: the service layer loads and stores; this module decides."""
from dataclasses import dataclass
from enum import Enum

from chalicelib.core.channels import Channel
from chalicelib.core.errors import IllegalTransition, InvalidInput


class Status(str, Enum):
    pending_payment = "pending_payment"
    new = "new"
    confirmed = "confirmed"
    packing = "packing"
    ready_to_ship = "ready_to_ship"
    shipping = "shipping"
    completed = "completed"
    canceled = "canceled"
    returning = "returning"
    returned = "returned"


NOT_COUNTED_FOR_CUSTOMER = frozenset({Status.canceled, Status.returned})


def counts_for_customer(status: "Status | str") -> bool:
    """Whether an order in this status counts in its customer's statistics (orders, spend)."""
    return Status(status) not in NOT_COUNTED_FOR_CUSTOMER


class Action(str, Enum):
    confirm = "confirm"
    pack = "pack"
    mark_ready = "mark_ready"
    hand_over = "hand_over"
    complete = "complete"
    cancel = "cancel"
    return_ = "return"
    mark_paid = "mark_paid"


S, A = Status, Action
_CANCELLABLE = (S.pending_payment, S.new, S.confirmed, S.packing, S.ready_to_ship)

# (status, action) -> next status. mark_paid keeps the status except pending_payment -> new;
# return goes to `returning` (on its way back) or `returned` (received), decided by the body.
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (S.new, A.confirm): S.confirmed,
    (S.confirmed, A.pack): S.packing,
    (S.packing, A.mark_ready): S.ready_to_ship,
    (S.ready_to_ship, A.hand_over): S.shipping,
    (S.shipping, A.complete): S.completed,
    **{(status, A.cancel): S.canceled for status in _CANCELLABLE},
    (S.shipping, A.return_): S.returning,
    (S.completed, A.return_): S.returning,
    (S.returning, A.return_): S.returned,
    (S.pending_payment, A.mark_paid): S.new,
    **{(status, A.mark_paid): status for status in
       (S.new, S.confirmed, S.packing, S.ready_to_ship, S.shipping, S.completed)},
}


def allowed_actions(status: Status) -> list[str]:
    return [action.value for (current, action) in TRANSITIONS if current == status]


def next_status(status: Status, action: Action, *, received: bool = True) -> Status:
    """The status after `action`, or IllegalTransition naming the status and what is allowed."""
    target = TRANSITIONS.get((status, action))
    if target is None:
        raise IllegalTransition(
            f"Cannot {action.value} an order that is {status.value}.",
            extra={"current_status": status.value, "allowed_actions": allowed_actions(status)})
    if action is A.return_ and status in (S.shipping, S.completed) and received:
        return S.returned
    if action is A.return_ and status is S.returning and not received:
        raise IllegalTransition("The return is already on its way; receive it.",
                                extra={"current_status": status.value, "allowed_actions": ["return"]})
    return target


# --- warnings that hold an order --------------------------------------------------------
class Warning_(str, Enum):
    out_of_stock = "out_of_stock"
    product_not_linked = "product_not_linked"
    incomplete_recipient = "incomplete_recipient"
    cancel_requested = "cancel_requested"
    hold_expired = "hold_expired"
    customer_matched = "customer_matched"


HOW_TO_FIX = {
    Warning_.out_of_stock: "Receive or transfer stock, or confirm at another location.",
    Warning_.product_not_linked: "Link the line to one of your SKUs.",
    Warning_.incomplete_recipient: "Add the recipient's phone and address.",
    Warning_.cancel_requested: "The buyer asked to cancel: cancel the order or contact the buyer.",
    Warning_.hold_expired: "The unpaid hold expired and the stock was released; confirm again once paid.",
    Warning_.customer_matched: "Check that the order belongs to this customer; otherwise change the order's customer.",
}
# Names staff type for an anonymous buyer at the counter ("Khách lẻ"): such a sale matched to an
# existing profile by phone is shown, never silently attached.
WALK_IN_NAMES = frozenset({"", "khach le", "khach vang lai", "khach", "walk-in", "walk in", "guest"})


def is_walk_in(name: str | None) -> bool:
    from chalicelib.core.text import fold

    return fold(name or "").strip() in WALK_IN_NAMES
BLOCKS_CONFIRM = frozenset({Warning_.product_not_linked, Warning_.incomplete_recipient, Warning_.cancel_requested})

EXTERNAL_CHANNELS = frozenset({Channel.shopee, Channel.lazada, Channel.tiktok_shop, Channel.website})
PAY_FIRST_METHODS = frozenset({"bank_transfer", "e_wallet", "card"})


# Why an order is canceled is kept on its timeline: staff pick one of these or write their own.
CANCEL_REASONS = ("customer_changed_mind", "out_of_stock", "wrong_order", "duplicate", "no_answer",
                  "delivery_failed", "buyer_requested_on_channel", "other")


def cancel_reason(reason: str | None) -> str:
    """A cancel needs a reason (one of CANCEL_REASONS or the staff member's own words)."""
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("Say why the order is canceled.", errors=[
            {"field": "reason", "message": "required: one of " + ", ".join(CANCEL_REASONS) + " or your own words"}],
            code="cancel_reason_required")
    return text


def warning(code: Warning_, detail: str) -> dict:
    return {"code": code.value, "detail": detail, "how_to_fix": HOW_TO_FIX[code]}


@dataclass(frozen=True)
class LinePolicy:
    """The stock policy a line was sold under (the SKU's backorder allowance at the time)."""
    allow_backorder: int


def line_policies(lines: list[dict]) -> dict | None:
    """SKU key -> policy from the order's own lines; None for an order created before lines kept it."""
    from chalicelib.catalog.rules import sku_key

    if any("backorder" not in line for line in lines):
        return None
    return {sku_key(line["sku"]): LinePolicy(line["backorder"]) for line in lines}


def order_locations(order: dict) -> set[str]:
    """Where an order is handled: its counter or routed location and its shipments' locations
    (an order not routed yet is at none, and any staff member with the permission may route it)."""
    found = {order.get("location_id")} | {s.get("location_id") for s in order.get("shipments") or []}
    return {x for x in found if x}


def recipient_defaulted(address: dict | None, customer: dict | None) -> dict | None:
    """The recipient is the customer unless said otherwise: their name and phone fill what the
    shipping address leaves out (a chat order gives the buyer's phone once, and the address text)."""
    if not customer or not (customer.get("name") or customer.get("phone")):
        return address
    filled = dict(address or {})
    for field in ("name", "phone"):
        if not filled.get(field) and customer.get(field):
            filled[field] = customer[field]
    return filled


def recipient_complete(address: dict | None) -> bool:
    return bool(address and address.get("phone") and (address.get("text") or address.get("street")))


# --- money ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Totals:
    subtotal: int
    discount: int
    shipping_fee: int
    total: int


def line_total(quantity: int, unit_price: int, discount: int) -> int:
    return quantity * unit_price - discount


def totals(lines: list[dict], shipping_fee: int, order_discount: int) -> Totals:
    """Whole VND. A discount larger than what it discounts is refused, naming the field."""
    errors = []
    for n, line in enumerate(lines):
        if line.get("discount", 0) > line["quantity"] * line["unit_price"]:
            errors.append({"field": f"lines.{n}.discount", "message": "larger than the line"})
    subtotal = sum(line_total(x["quantity"], x["unit_price"], x.get("discount", 0)) for x in lines)
    if order_discount > subtotal:
        errors.append({"field": "discount", "message": "larger than the subtotal"})
    if errors:
        raise InvalidInput("A discount is larger than the amount it discounts.", errors=errors)
    return Totals(subtotal, order_discount, shipping_fee, subtotal - order_discount + shipping_fee)
