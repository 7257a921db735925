"""Comments into orders: each comment is read against the session's codes and, in one transaction,
becomes or grows that buyer's one order in the session and holds its units, or is kept aside
(ignored, needs_review, sold_out). The same comment id twice changes nothing; the stock level's
own condition (`available >= quantity`) is what makes concurrent captures unable to oversell."""
from __future__ import annotations

import json

from chalicelib.core import clock, ids, retry
from chalicelib.core.errors import Contention, IllegalTransition, InvalidInput, NotFound, OutOfStock, VersionMismatch
from chalicelib.core.principal import Principal
from chalicelib.core.uow import UnitOfWork
from chalicelib.live import rules as rules
from chalicelib.live import sessions
from chalicelib.live import store as store
from chalicelib.live.parser import build_catalogue, parse_comment
from chalicelib.orders import service as orders

R_SOLD_OUT = "Hết hàng"
R_REPEAT = "Đã có trong đơn của khách"
R_ORDER_MOVED = "Đơn của khách đã thanh toán hoặc đã hủy, cần xem lại"
R_DISMISSED = "Nhân viên bỏ qua"


class _SeenComment(Exception):
    """This comment id was captured already (maybe at this same moment by another request)."""


class _BuyerRaced(Exception):
    """Another comment of the same buyer created their order at the same moment: read it and retry."""


def capture(actor: Principal, session_id: str, data: dict, *, source: str = "typed") -> dict:
    """One comment: `author_name, text, author_id?, comment_id?, at?`. Answers what happened."""
    session, items = sessions.load(actor, session_id)
    if session.status != rules.OPEN:
        raise IllegalTransition("This live session has ended.", code="live_session_ended")
    comment_id = data.get("comment_id") or ids.new_id()
    seen = store.get_comment(actor.tenant_id, session_id, comment_id)
    if seen is not None:
        return _answer_of(seen)
    parsed = parse_comment(data["text"], build_catalogue(items))
    now = clock.now_iso()
    comment = store.new_comment(actor.tenant_id, session_id, comment_id, now, author_name=data["author_name"],
                                author_id=data.get("author_id"), text=data["text"][:2000], source=source,
                                at=data.get("at") or now, result="{}", status="pending")
    record = _recorder(comment, new=True)
    codes = {x["sku"]: x["code"] for x in items}
    try:
        if parsed.kind == "captured" and all(line.sku for line in parsed.lines):
            wanted = [(line.sku, line.quantity) for line in parsed.lines]
            return _apply(actor, session, codes, data, parsed.phone, wanted, record)
        if parsed.kind == "cancel":
            answer = {"result": "needs_review", "reason": parsed.reason or "Khách hủy", "lines": _lines(parsed)}
        elif parsed.kind == "ignored":
            answer = {"result": "ignored", "reason": parsed.reason}
        else:
            answer = {"result": "needs_review", "reason": parsed.reason, "lines": _lines(parsed)}
        if parsed.phone:
            answer["phone"] = parsed.phone
        return _record_alone(actor, record, answer)
    except _SeenComment:
        return _answer_of(store.get_comment(actor.tenant_id, session_id, comment_id))


def resolve(actor: Principal, session_id: str, comment_id: str, body: dict) -> dict:
    """The one-tap fix of a `needs_review` (or `sold_out`) comment: the SKUs and quantities staff
    chose are captured for the comment's buyer as if the buyer had written them; or it is dismissed."""
    session, items = sessions.load(actor, session_id)
    comment = store.get_comment(actor.tenant_id, session_id, comment_id)
    if comment is None:
        raise NotFound("No such comment.")
    if comment.status not in ("needs_review", "sold_out"):
        raise IllegalTransition("Only a comment waiting for review can be fixed.", extra={"current_status": comment.status})
    record = _recorder(comment, new=False)
    if body.get("dismiss"):
        return _record_alone(actor, record, {"result": "ignored", "reason": R_DISMISSED})
    if session.status != rules.OPEN:
        raise IllegalTransition("This live session has ended.", code="live_session_ended")
    codes = {x["sku"]: x["code"] for x in items}
    wanted = []
    for n, line in enumerate(body.get("lines") or []):
        if line["sku"] not in codes:
            raise InvalidInput("This SKU is not in the live session.",
                               errors=[{"field": f"lines.{n}.sku", "message": "not in the session"}])
        wanted.append((line["sku"], line["quantity"]))
    if not wanted:
        raise InvalidInput("Choose at least one line or dismiss the comment.",
                           errors=[{"field": "lines", "message": "empty"}])
    previous = json.loads(comment.result)
    author = {"author_name": comment.author_name, "author_id": comment.author_id}
    try:
        return _apply(actor, session, codes, author, previous.get("phone"), wanted, record)
    except _SeenComment as raced:
        raise VersionMismatch("Someone else fixed this comment at the same moment; reload it.") from raced


def _lines(parsed) -> list[dict]:
    return [line.as_dict() for line in parsed.lines]


def _answer_of(comment: store.LiveCommentItem) -> dict:
    return {"comment_id": comment.comment_id, **json.loads(comment.result)}


def _recorder(comment: store.LiveCommentItem, *, new: bool):
    """Stages the comment with its answer: a new comment must not exist yet; a fixed one must be unchanged."""

    def record(uow: UnitOfWork, answer: dict) -> dict:
        answer = {"comment_id": comment.comment_id, **answer}
        comment.result = json.dumps({k: v for k, v in answer.items() if k != "comment_id"}, ensure_ascii=False)
        comment.status = "resolved" if not new and answer["result"] in ("captured", "updated") else answer["result"]
        condition = store.comment_exists_condition() if new else None
        uow.put(comment, condition=condition, on_fail=_SeenComment)
        return answer

    return record


def _record_alone(actor: Principal, record, answer: dict) -> dict:
    uow = UnitOfWork(actor)
    answer = record(uow, answer)
    uow.commit(answer)
    return answer


def _apply(actor: Principal, session: store.LiveSessionItem, codes: dict, author: dict, phone: str | None,
           wanted: list[tuple[str, int]], record) -> dict:
    """Create or grow the buyer's order with the wanted units held, in one transaction with the comment."""
    key = rules.buyer_key(author.get("author_id"), phone, author["author_name"])
    lines_answer = [{"code": codes.get(sku), "sku": sku, "quantity": quantity} for sku, quantity in wanted]
    for _ in retry.attempts():
        buyer = store.get_buyer(actor.tenant_id, session.session_id, key)
        try:
            if buyer is None:
                return _first_order(actor, session, author, phone, key, wanted, lines_answer, record)
            return _grow_order(actor, session, buyer, wanted, lines_answer, record)
        except (_BuyerRaced, VersionMismatch):
            continue  # the buyer's order appeared or changed meanwhile: read it again
        except OutOfStock:
            return _record_alone(actor, record, {"result": "sold_out", "reason": R_SOLD_OUT, "lines": lines_answer})
    raise Contention("Too many people are changing the same items right now; please retry.")


def _first_order(actor, session, author, phone, key, wanted, lines_answer, record) -> dict:
    now = clock.now_iso()
    buyer = store.new_buyer(actor.tenant_id, session.session_id, key, name=author["author_name"], order_id="",
                            created_at=now)
    customer = {"name": author["author_name"], "phone": phone, "buyer_id": author.get("author_id")}
    data = {"channel": session.channel, "customer": {k: v for k, v in customer.items() if v},
            "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in wanted],
            "payment": {"method": "bank_transfer"}, "location_id": session.location_id,
            "hold_minutes": int(session.hold_minutes), "note": f"Live: {session.title}", "tags": ["live"]}
    answer: dict = {}

    def stage(uow: UnitOfWork, order: dict) -> dict:
        buyer.order_id = order["id"]
        uow.put(buyer, on_fail=_BuyerRaced)  # version absent: the buyer's first order in the session
        answer.update(record(uow, {"result": "captured", "order_id": order["id"], "lines": lines_answer,
                                   "hold_expires_at": (order.get("hold") or {}).get("expires_at")}))
        return answer

    orders.create(actor, data, via="live", hold_at=session.location_id, require_hold=True, stage_extra=stage)
    return answer


def _grow_order(actor, session, buyer, wanted, lines_answer, record) -> dict:
    order = orders.get(actor, buyer.order_id)
    if order["status"] != "pending_payment":
        return _record_alone(actor, record, {"result": "needs_review", "reason": R_ORDER_MOVED,
                                             "order_id": order["id"], "lines": lines_answer})
    added = rules.quantities_to_add(wanted, rules.ordered_quantities(order))
    if not added:
        return _record_alone(actor, record, {"result": "ignored", "reason": R_REPEAT, "order_id": order["id"],
                                             "lines": lines_answer})
    answer: dict = {}

    def stage(uow: UnitOfWork, grown: dict) -> dict:
        answer.update(record(uow, {"result": "updated", "order_id": grown["id"], "lines": lines_answer,
                                   "hold_expires_at": (grown.get("hold") or {}).get("expires_at")}))
        return answer

    orders.add_held_lines(actor, buyer.order_id, [{"sku": sku, "quantity": q} for sku, q in added],
                          location_id=session.location_id, hold_minutes=int(session.hold_minutes),
                          expected_version=order["version"], stage_extra=stage)
    return answer
