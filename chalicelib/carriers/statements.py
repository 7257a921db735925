"""COD statements and the COD still outstanding per carrier.

Import: the carrier's exported CSV (or lines) is parsed and fingerprinted (cod.py). A statement
already imported for the account answers its first result and changes nothing. Otherwise each line
is matched by tracking number through the tracking pointers: equal amounts mark the order paid
(one transaction per parcel, with the booking's mark, so a line is never paid twice even if the
import is cut short and run again); different amounts and unknown parcels are listed. The
statement and its fingerprint are written last, with the request's answer."""
from __future__ import annotations

import json
from collections import defaultdict

from chalicelib.carriers import accounts, cod
from chalicelib.carriers.booking import index_for, load_booking
from chalicelib.carriers.statuses import ShipmentState
from chalicelib.carriers.store import BookingItem, CodFingerprintItem, CodStatementItem, TrackingPointerItem
from chalicelib.core import clock, ids, keys
from chalicelib.core import idempotency as idempotency_keys
from chalicelib.core.errors import InvalidInput, NotFound, NotPermitted
from chalicelib.core.principal import Principal
from chalicelib.core.uow import UnitOfWork
from chalicelib.orders import shipments

MAX_LINES = 2000


def _lines(data: dict) -> list[cod.StatementLine]:
    if data.get("csv"):
        lines = cod.parse_statement(data["csv"])
    elif data.get("lines"):
        lines = cod.lines_from_json(data["lines"])
    else:
        raise InvalidInput("Send the statement's lines or its CSV.",
                           errors=[{"field": "lines", "message": "lines or csv is required"}])
    if len(lines) > MAX_LINES:
        raise InvalidInput(f"At most {MAX_LINES} lines per statement.", errors=[{"field": "lines", "message": "too many"}])
    return lines


def _pointers(tenant_id: str, carrier: str, lines: list[cod.StatementLine]) -> dict[str, TrackingPointerItem]:
    wanted = {line.tracking_number.upper() for line in lines}
    found = {}
    batch = [keys.carrier_tracking(tenant_id, carrier, t) for t in wanted]
    for pointer in TrackingPointerItem.batch_get(batch):
        found[pointer.pk.rsplit("#", 1)[1]] = pointer
    return found


def _expected(tenant_id: str, account_id: str, pointers: dict) -> list[cod.ExpectedCod]:
    expected = []
    for tracking, pointer in pointers.items():
        if pointer.account_id != account_id:
            continue
        item = load_booking(tenant_id, pointer.shipment_id)
        if item is not None and item.tracking_number.upper() == tracking:
            expected.append(cod.ExpectedCod(tracking, int(item.cod_amount), item.shipment_id, item.order_id))
    return expected


def _line_view(line: cod.StatementLine) -> dict:
    return {"tracking_number": line.tracking_number, "cod_amount": line.cod_amount, "fee": line.fee,
            "line": line.line_no}


def import_statement(actor: Principal, data: dict) -> dict:
    """Staff limited to some locations cannot import: a statement pays orders of every location."""
    if not actor.everywhere:
        raise NotPermitted("A COD statement pays orders at every location; ask someone who works at all of them.",
                           code="location_not_assigned")
    account = accounts.load(actor, data["carrier_account_id"])
    lines = _lines(data)
    fingerprint = cod.fingerprint(lines)
    try:
        seen = CodFingerprintItem.get(*keys.cod_statement_fingerprint(actor.tenant_id, account.account_id, fingerprint),
                                      consistent_read=True)
        first = CodStatementItem.get(*keys.cod_statement(actor.tenant_id, seen.statement_id))
        return {**json.loads(first.result), "already_imported": True}
    except (CodFingerprintItem.DoesNotExist, CodStatementItem.DoesNotExist):
        pass
    pointers = _pointers(actor.tenant_id, account.carrier, lines)
    result = cod.reconcile(lines, _expected(actor.tenant_id, account.account_id, pointers))
    statement_id = ids.new_id()
    matched = []
    with idempotency_keys.bound(None):  # the request's answer is the statement, written last
        for line, expected in result.matched:
            matched.append(_settle(actor, statement_id, line, expected))
    for mismatch in result.amount_mismatch:
        _flag(actor.tenant_id, statement_id, mismatch)
    answer = {"id": statement_id, "carrier_account_id": account.account_id, "carrier": account.carrier,
              "matched": len(matched), "matched_lines": matched, "amount_mismatch": [
                  {**_line_view(m.line), "shipment_id": m.shipment.shipment_id, "order_id": m.shipment.order_id,
                   "expected": m.expected, "paid": m.paid, "difference": m.difference} for m in result.amount_mismatch],
              "unknown": [_line_view(line) for line in result.unknown],
              "duplicates": [_line_view(line) for line in result.duplicates],
              "total_paid": result.total_paid, "total_fee": result.total_fee, "net_paid": result.net_paid,
              "already_imported": False, "created_at": clock.now_iso()}
    uow = UnitOfWork(actor)
    uow.put(CodFingerprintItem(*keys.cod_statement_fingerprint(actor.tenant_id, account.account_id, fingerprint),
                               statement_id=statement_id), condition=CodFingerprintItem.pk.does_not_exist())
    uow.put(CodStatementItem(*keys.cod_statement(actor.tenant_id, statement_id), statement_id=statement_id,
                             account_id=account.account_id, fingerprint=fingerprint,
                             result=json.dumps(answer, ensure_ascii=False), created_at=answer["created_at"]))
    uow.audit("cod.statement_imported", "cod_statement", statement_id,
              after={k: answer[k] for k in ("carrier_account_id", "total_paid", "total_fee")} | {
                  "matched": len(matched), "amount_mismatch": len(answer["amount_mismatch"]),
                  "unknown": len(answer["unknown"])})
    uow.commit(answer, 201)
    return answer


def _settle(actor: Principal, statement_id: str, line: cod.StatementLine, expected: cod.ExpectedCod) -> dict:
    """Mark one parcel's COD paid, once: a booking already marked by an earlier (cut short) import is skipped."""
    view = {**_line_view(line), "shipment_id": expected.shipment_id, "order_id": expected.order_id}
    item = load_booking(actor.tenant_id, expected.shipment_id)
    if item is None or item.cod_paid is not None:
        return {**view, "already_paid": True}
    item.cod_paid, item.cod_statement_id, item.updated_at = line.cod_amount, statement_id, clock.now_iso()
    if line.fee:
        item.fee = line.fee
    index_for(item, ShipmentState(item.state))

    def stage(uow):
        uow.put(item)

    shipments.settle_cod(actor, expected.shipment_id, line.cod_amount, stage=stage,
                         note=f"COD {line.cod_amount} ({statement_id})")
    return {**view, "already_paid": False}


def _flag(tenant_id: str, statement_id: str, mismatch: cod.Mismatch) -> None:
    """The parcel keeps its open COD and shows the difference until a statement pays it right."""
    item = load_booking(tenant_id, mismatch.shipment.shipment_id)
    if item is None or item.cod_paid is not None:
        return
    note = {"expected": mismatch.expected, "paid": mismatch.paid, "difference": mismatch.difference,
            "statement_id": statement_id}
    item.update(actions=[BookingItem.cod_mismatch.set(json.dumps(note))])


def get_statement(principal: Principal, statement_id: str) -> dict:
    try:
        return json.loads(CodStatementItem.get(*keys.cod_statement(principal.tenant_id, statement_id)).result)
    except CodStatementItem.DoesNotExist as error:
        raise NotFound("No such COD statement.") from error


# --- outstanding ---------------------------------------------------------------------------------
def outstanding(principal: Principal, account_id: str | None = None) -> dict:
    """COD not home yet, per carrier account: delivered but not paid out, and still in transit
    (one Query of the sparse open-COD index), plus the mismatches of recent statements."""
    names = {a.account_id: a for a in accounts.all_items(principal.tenant_id)}
    if account_id is not None and account_id not in names:
        raise NotFound("No such carrier account.")
    condition = BookingItem.gsi1sk.startswith(f"{account_id}#") if account_id else None
    totals: dict[tuple[str, str], dict] = defaultdict(lambda: {"shipments": 0, "cod_amount": 0})
    mismatches = []
    for item in BookingItem.cod_open.query(keys.cod_open(principal.tenant_id), condition):
        if item.cod_mismatch:
            mismatches.append({"shipment_id": item.shipment_id, "order_id": item.order_id, "carrier": item.carrier,
                               "tracking_number": item.tracking_number, **json.loads(item.cod_mismatch)})
        if not item.cod_amount:
            continue
        kind = "delivered_unpaid" if item.state == ShipmentState.delivered.value else "in_transit"
        entry = totals[(item.account_id, kind)]
        entry["shipments"] += 1
        entry["cod_amount"] += int(item.cod_amount)
    rows = []
    for (acc, kind), entry in sorted(totals.items()):
        account = names.get(acc)
        rows.append({"carrier_account_id": acc, "carrier": account.carrier if account else None,
                     "account_name": account.name if account else None, "kind": kind, **entry})
    return {"outstanding": rows, "mismatches": mismatches,
            "totals": {"delivered_unpaid": sum(r["cod_amount"] for r in rows if r["kind"] == "delivered_unpaid"),
                       "in_transit": sum(r["cod_amount"] for r in rows if r["kind"] == "in_transit")}}
