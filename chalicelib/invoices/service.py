"""E-invoice use cases: a draft from an order, issue (numbered here or at the provider), cancel, replace,
adjust, read, list, XML, print, the buyer directory and the automatic invoice of a counter sale.

Numbers (ADR 0010): a locally numbered invoice is stored as issued in the same transaction that moves its
symbol's counter from n to n+1 (a condition on n), so a number exists exactly when its invoice does; a
transaction that lost the race re-reads the counter and tries again (core/retry.py)."""
from __future__ import annotations

import dataclasses
import json
import logging
import uuid
from collections.abc import Callable
from datetime import date, datetime

from chalicelib.core import clock, ids, keys, paging, retry
from chalicelib.core.errors import Conflict, Contention, DomainError, InvalidInput, NotFound, VersionMismatch
from chalicelib.core.principal import Principal
from chalicelib.core.uow import UnitOfWork
from chalicelib.invoices import rules
from chalicelib.invoices import settings as shop_settings
from chalicelib.invoices.providers.base import (
    CancelRequest,
    IssuedRef,
    IssueRequest,
    ProviderError,
    ProviderUnavailable,
)
from chalicelib.invoices.store import (
    InvoiceBuyerItem,
    InvoiceCounterItem,
    InvoiceItem,
    InvoiceXmlItem,
    OrderInvoiceItem,
)
from chalicelib.orders import service as orders
from chalicelib.orders.rules import order_locations

log = logging.getLogger("quay")
ORIGINAL, REPLACEMENT, ADJUSTMENT = "original", "replacement", "adjustment"
NOT_INVOICEABLE = {"canceled", "returned"}


class OrderAlreadyInvoiced(Conflict):
    """The order already has a valid invoice (draft or issued): cancel or replace that one."""


class ProviderRefused(Conflict):
    """The e-invoice provider refused the request; its own code is in `provider_code`."""


class InvoiceProviderUnavailable(Contention):
    """The provider did not answer; the same request again looks the invoice up before resending."""


class _CounterMoved(Conflict):
    """Another invoice took the number first (internal: retried)."""


# --- loading and views ----------------------------------------------------------------------------
def _get(tenant_id: str, invoice_id: str) -> InvoiceItem:
    try:
        return InvoiceItem.get(keys.invoice(tenant_id, invoice_id), keys.INVOICE_SK, consistent_read=True)
    except InvoiceItem.DoesNotExist as error:
        raise NotFound("No such invoice.") from error


def _load(principal: Principal, invoice_id: str) -> InvoiceItem:
    """The invoice if it is the shop's and at the principal's locations (those of its order)."""
    item = _get(principal.tenant_id, invoice_id)
    principal.require_locations(item.location_ids or ())
    return item


def _body(item: InvoiceItem) -> dict:
    return json.loads(item.body)


def view(item: InvoiceItem, body: dict | None = None, *, version_after_save: bool = False) -> dict:
    body = body if body is not None else _body(item)
    version = int(item.version or 0) + (1 if version_after_save else 0)
    return {**body, "id": item.invoice_id, "order_id": item.order_id, "status": item.status,
            "allowed_actions": rules.allowed_actions(item.status), "version": version}


def _stage_save(uow: UnitOfWork, item: InvoiceItem, body: dict, status: str) -> dict:
    """Stage the invoice with its new body and status; returns its answer as it will be once committed."""
    item.status = status
    item.body = json.dumps(body, ensure_ascii=False, default=str)
    answer = view(item, body, version_after_save=True)
    uow.put(item, on_fail=lambda: VersionMismatch("Someone else changed this invoice at the same moment; reload it.",
                                                  extra={"invoice_id": item.invoice_id}))
    return answer


# --- the draft ------------------------------------------------------------------------------------
def _buyer_from(order: dict, given: dict | None) -> dict:
    if given:
        return {k: v for k, v in given.items() if v not in (None, "")}
    customer = order.get("customer") or {}
    return {k: customer[k] for k in ("name", "email", "phone") if customer.get(k)}


def _order_source(order: dict) -> dict:
    """What an invoice takes from an order: its lines (with line discounts), the order discount (a
    commercial discount) and the shipping fee; prices include VAT as sold at the counter and online."""
    return {"lines": [{"name": line.get("name") or line["sku"], "variant_name": line.get("variant") or "",
                       "quantity": line["quantity"], "unit_price": line["unit_price"],
                       "discount": line.get("discount") or 0, "sku": line["sku"]} for line in order["lines"]],
            "discount": order.get("discount") or 0, "shipping_fee": order.get("shipping_fee") or 0,
            "prices_include_vat": True}


def _draft(source: dict, on_date: date) -> rules.InvoiceDraft:
    draft = rules.build_invoice_draft(source["order"], source["seller"], source.get("buyer"),
                                      default_vat_rate=source["vat_rate"], on_date=on_date)
    link = source.get("link")
    if link:
        draft = rules.with_link(draft, rules.InvoiceLink(
            link["kind"], link["invoice_id"], link["template_code"], link["series"], int(link["number"]),
            date.fromisoformat(link["issued_on"]), link.get("note") or ""), adjustment_kind=source.get("adjustment_kind"))
    return draft


def _draft_body(draft: rules.InvoiceDraft, kind: str, source: dict, conf: shop_settings.ShopInvoicing) -> dict:
    return {"kind": kind, "provider": conf.provider, "symbol": None, "number": None, "issued_at": None,
            "seller": source["seller"], "buyer": source.get("buyer") or {}, **draft.as_dict(),
            "lookup_code": None, "tax_authority_code": None, "link": source.get("link"),
            "replaced_by": None, "adjusted_by": [], "cancel_reason": None, "canceled_at": None,
            "created_at": clock.now_iso(), "transaction_id": str(uuid.uuid4())}


def _new_item(principal: Principal, order: dict, body: dict, source: dict) -> InvoiceItem:
    invoice_id, now = ids.new_id(), clock.now_iso()
    locations = order_locations(order)
    return InvoiceItem(keys.invoice(principal.tenant_id, invoice_id), keys.INVOICE_SK,
                       gsi1pk=keys.invoices_by_date(principal.tenant_id), gsi1sk=keys.by_time_sk(now, invoice_id),
                       invoice_id=invoice_id, order_id=order["id"], status=rules.DRAFT,
                       location_ids=locations or None, body=json.dumps(body, ensure_ascii=False, default=str),
                       source=json.dumps(source, ensure_ascii=False, default=str), created_at=now)


def _pointer(tenant_id: str, order_id: str) -> OrderInvoiceItem | None:
    try:
        return OrderInvoiceItem.get(*keys.order_invoice(tenant_id, order_id), consistent_read=True)
    except OrderInvoiceItem.DoesNotExist:
        return None


def _already_invoiced(tenant_id: str, order_id: str) -> OrderAlreadyInvoiced:
    existing = _pointer(tenant_id, order_id)
    return OrderAlreadyInvoiced("This order already has an invoice.",
                                extra={"invoice_id": existing.invoice_id if existing else None})


def create(principal: Principal, data: dict) -> dict:
    """A draft invoice for an order the caller may see; an order has at most one valid invoice."""
    order = orders.get(principal, data["order_id"])        # 404 for another shop, 403 outside my locations
    conf = shop_settings.require(principal.tenant_id)
    if order["status"] in NOT_INVOICEABLE:
        raise Conflict(f"A {order['status']} order cannot be invoiced.")
    source = {"order": _order_source(order), "seller": conf.seller, "buyer": _buyer_from(order, data.get("buyer")),
              "vat_rate": data.get("vat_rate") or conf.default_vat_rate}
    draft = _draft(source, rules.invoice_date(clock.now()))   # field-named 400s before anything is written
    body = _draft_body(draft, ORIGINAL, source, conf)
    body["holds_order"] = True
    item = _new_item(principal, order, body, source)
    uow = UnitOfWork(principal)
    uow.put(item, condition=InvoiceItem.pk.does_not_exist())
    uow.put(OrderInvoiceItem(*keys.order_invoice(principal.tenant_id, order["id"]), invoice_id=item.invoice_id),
            condition=OrderInvoiceItem.pk.does_not_exist(),
            on_fail=lambda: _already_invoiced(principal.tenant_id, order["id"]))
    answer = view(item, body, version_after_save=True)
    uow.audit("create", "invoice", item.invoice_id, after={"order_id": order["id"], "totals": body["totals"]})
    uow.commit(answer, 201)
    return answer


# --- issuing --------------------------------------------------------------------------------------
def _stage_buyer(uow: UnitOfWork, buyer: dict) -> None:
    if buyer.get("tax_code"):
        uow.put(InvoiceBuyerItem(keys.invoice_buyers(uow.actor.tenant_id), keys.tax_code_sk(buyer["tax_code"]),
                                 buyer=json.dumps(buyer, ensure_ascii=False), updated_at=clock.now_iso()))


def _stage_counter(uow: UnitOfWork, counter: InvoiceCounterItem | None, pk_sk: tuple[str, str], number: int) -> None:
    moved = _CounterMoved
    if counter is None:
        uow.put(InvoiceCounterItem(*pk_sk, last=number), condition=InvoiceCounterItem.pk.does_not_exist(),
                on_fail=lambda: moved("taken"))
    else:
        uow.update(counter, [InvoiceCounterItem.last.set(number)], condition=InvoiceCounterItem.last == counter.last,
                   on_fail=lambda: moved("taken"))


def _counter(pk_sk: tuple[str, str]) -> InvoiceCounterItem | None:
    try:
        return InvoiceCounterItem.get(*pk_sk, consistent_read=True)
    except InvoiceCounterItem.DoesNotExist:
        return None


def _provider_call(call: Callable, *args, **kwargs):
    """The provider's answer; its errors become ours (503 retry-safe, 409 refused)."""
    try:
        return call(*args, **kwargs)
    except ProviderUnavailable as error:
        raise InvoiceProviderUnavailable("The e-invoice provider did not answer; send the same request again.",
                                         extra={"provider_detail": error.detail}) from error
    except ProviderError as error:
        raise ProviderRefused(f"The e-invoice provider refused the request ({error.code}).",
                              extra={"provider_code": error.code, "provider_status": error.status,
                                     "provider_detail": error.detail}) from error


def _finish(uow: UnitOfWork, item: InvoiceItem, draft: rules.InvoiceDraft, symbol: rules.InvoiceSymbol,
            number: int, issued_at: datetime, result, xml: bytes) -> dict:
    body = _body(item)
    body.update(provider=result.provider, symbol=symbol.full, template_code=symbol.template_code,
                series=symbol.series, number=number, issued_at=clock.iso(issued_at), lookup_code=result.lookup_code,
                tax_authority_code=result.tax_authority_code, provider_invoice_no=result.provider_invoice_no,
                provider_template=result.template_code, **draft.as_dict())
    body.pop("pending_issue_at", None)
    body.pop("last_error", None)
    uow.put(InvoiceXmlItem(item.pk, keys.INVOICE_XML_SK, xml=xml), condition=InvoiceXmlItem.pk.does_not_exist())
    _stage_buyer(uow, body.get("buyer") or {})
    uow.audit("issue", "invoice", item.invoice_id, before={"status": rules.DRAFT},
              after={"status": rules.ISSUED, "symbol": symbol.full, "number": number})
    return _stage_save(uow, item, body, rules.ISSUED)


def _issue(principal: Principal, invoice_id: str, also: Callable[[UnitOfWork, dict], None] | None = None) -> dict:
    """Issue a draft. `also` stages what else changes in the same transaction (the invoice replaced or
    adjusted, the order's pointer), given the issued answer."""
    from chalicelib.invoices.xml import build_xml

    tenant = principal.tenant_id
    conf = shop_settings.require(tenant)
    provider = conf.adapter()
    for _ in retry.attempts():
        item = _load(principal, invoice_id)
        rules.next_status(item.status, "issue")
        source, body = json.loads(item.source), _body(item)
        source["seller"] = conf.seller               # as registered when the invoice is issued
        pending = body.get("pending_issue_at")
        issued_at = datetime.fromisoformat(pending.replace("Z", "+00:00")) if pending else clock.now()
        day = rules.invoice_date(issued_at)
        draft = _draft(source, day)
        symbol = conf.symbol_for(day.year)
        item.source = json.dumps(source, ensure_ascii=False, default=str)
        uow = UnitOfWork(principal)
        if provider.numbers_locally:
            pk_sk = keys.invoice_counter(tenant, draft.seller.tax_code, symbol.full)
            counter = _counter(pk_sk)
            number = rules.next_number(int(counter.last) if counter else None)
            result = provider.issue(IssueRequest(draft, symbol, issued_at, number), None, conf.credentials,
                                    body["transaction_id"])
            _stage_counter(uow, counter, pk_sk, number)
        else:
            if not pending:   # the moment sent to the provider is kept first: a retry sends the same one
                body["pending_issue_at"] = clock.iso(issued_at)
                saver = UnitOfWork(principal)
                _stage_save(saver, item, body, rules.DRAFT)
                saver.commit()
                continue
            request = IssueRequest(draft, symbol, issued_at, provider_template=conf.provider_template)
            try:
                result = _provider_call(provider.issue, request, None, conf.credentials, body["transaction_id"])
            except ProviderRefused:   # nothing was made there: the next try is a new moment (today's date)
                body.pop("pending_issue_at")
                forget = UnitOfWork(principal)
                _stage_save(forget, item, body, rules.DRAFT)
                forget.commit()
                raise
            number = result.number
            if not number:
                raise ProviderRefused("The e-invoice provider gave no invoice number.")
        xml = build_xml(draft, symbol=symbol, number=number, issued_on=day, lookup_code=result.lookup_code,
                        tax_authority_code=result.tax_authority_code if symbol.cash_register else None)
        answer = _finish(uow, item, draft, symbol, number, issued_at, result, xml)
        if also:
            also(uow, answer)
        try:
            uow.commit(answer, 200)
            return answer
        except _CounterMoved:
            continue
    raise Contention("Too many people are changing the same items right now; please retry.")


# --- cancel, replace, adjust ----------------------------------------------------------------------
def _issued_ref(body: dict) -> IssuedRef:
    symbol = rules.parse_symbol(body["symbol"])
    return IssuedRef(symbol, int(body["number"]), datetime.fromisoformat(body["issued_at"].replace("Z", "+00:00")),
                     body.get("provider_template") if body.get("provider_template") != symbol.template_code else None,
                     body.get("provider_invoice_no"))


def _reason(data: dict, field: str = "reason") -> str:
    reason = (data.get(field) or "").strip()
    if not reason:
        raise InvalidInput("Say why.", errors=[{"field": field, "message": "required"}])
    return reason


def cancel(principal: Principal, invoice_id: str, data: dict) -> dict:
    reason = _reason(data)
    item = _load(principal, invoice_id)
    rules.next_status(item.status, "cancel")
    conf = shop_settings.require(principal.tenant_id)
    body = _body(item)
    provider = dataclasses.replace(conf, provider=body["provider"]).adapter()   # the one it was issued with
    if not provider.numbers_locally:
        try:
            _provider_call(provider.cancel, CancelRequest(_issued_ref(body), reason, data.get("agreement") or ""),
                           conf.credentials, seller_tax_code=body["seller"]["tax_code"])
        except ProviderRefused as error:
            if error.extra.get("provider_code") != "INVOICE_CANCELED":   # canceled by a try whose answer was lost
                raise
    body.update(cancel_reason=reason, canceled_at=clock.now_iso())
    uow = UnitOfWork(principal)
    if body.get("holds_order"):
        uow.delete(OrderInvoiceItem(*keys.order_invoice(principal.tenant_id, item.order_id)),
                   condition=OrderInvoiceItem.invoice_id == item.invoice_id)
        body["holds_order"] = False
    uow.audit("cancel", "invoice", item.invoice_id, before={"status": item.status},
              after={"status": rules.CANCELED, "reason": reason})
    answer = _stage_save(uow, item, body, rules.CANCELED)
    uow.commit(answer, 200)
    return answer


def _linked_draft(principal: Principal, original: InvoiceItem, kind: str, data: dict) -> str:
    """The draft that replaces or adjusts `original` (made once: a retry finds it again)."""
    body = _body(original)
    pending = body.get("pending_link_draft")
    if pending:
        return pending
    link_kind = "replaces" if kind == REPLACEMENT else "adjusts"
    reason = _reason(data)
    link = rules.link_to(rules.IssuedInvoice(original.invoice_id, original.status, body["template_code"],
                                             body["series"], int(body["number"]),
                                             rules.invoice_date(datetime.fromisoformat(
                                                 body["issued_at"].replace("Z", "+00:00")))), link_kind, reason)
    conf = shop_settings.require(principal.tenant_id)
    order = orders.get(principal, original.order_id)
    old_source = json.loads(original.source)
    if kind == REPLACEMENT:
        invoice_source = _order_source(order)
    else:
        invoice_source = {"lines": data.get("lines") or [], "prices_include_vat": True}
    source = {"order": invoice_source, "seller": conf.seller,
              "buyer": data.get("buyer") or old_source.get("buyer") or {},
              "vat_rate": data.get("vat_rate") or old_source["vat_rate"],
              "link": {"kind": link.kind, "invoice_id": link.invoice_id, "template_code": link.template_code,
                       "series": link.series, "number": link.number, "issued_on": link.issued_on.isoformat(),
                       "note": reason},
              "adjustment_kind": data.get("adjustment_kind") if kind == ADJUSTMENT else None}
    draft = _draft(source, rules.invoice_date(clock.now()))
    new_body = _draft_body(draft, kind, source, conf)
    new_body["holds_order"] = kind == REPLACEMENT
    item = _new_item(principal, order, new_body, source)
    body["pending_link_draft"] = item.invoice_id
    uow = UnitOfWork(principal)
    uow.put(item, condition=InvoiceItem.pk.does_not_exist())
    _stage_save(uow, original, body, original.status)
    uow.audit(f"draft_{kind}", "invoice", item.invoice_id, after={"link": source["link"]})
    uow.commit()
    return item.invoice_id


def _relink(principal: Principal, original_id: str, kind: str) -> Callable[[UnitOfWork, dict], None]:
    """What else the issue of a replacing/adjusting invoice changes: the original's status and links and,
    for a replacement, the order's pointer."""
    def stage(uow: UnitOfWork, issued: dict) -> None:
        original = _get(principal.tenant_id, original_id)
        body = _body(original)
        body.pop("pending_link_draft", None)
        if kind == REPLACEMENT:
            status = rules.next_status(original.status, "replace")
            body.update(replaced_by=issued["id"], holds_order=False)
            uow.put(OrderInvoiceItem(*keys.order_invoice(principal.tenant_id, original.order_id),
                                     invoice_id=issued["id"]),
                    condition=OrderInvoiceItem.invoice_id == original_id)
        else:
            status = rules.next_status(original.status, "adjust")
            body["adjusted_by"] = [*body.get("adjusted_by", []), issued["id"]]
        uow.audit(kind, "invoice", original_id, before={"status": original.status},
                  after={"status": status, "by": issued["id"]})
        _stage_save(uow, original, body, status)
    return stage


def _linked(principal: Principal, invoice_id: str, kind: str, data: dict) -> dict:
    original = _load(principal, invoice_id)
    new_id = _linked_draft(principal, original, kind, data)
    return _issue(principal, new_id, also=_relink(principal, invoice_id, kind))


ACTIONS: dict[str, Callable[[Principal, str, dict], dict]] = {
    "issue": lambda principal, invoice_id, data: _issue(principal, invoice_id),
    "cancel": cancel,
    "replace": lambda principal, invoice_id, data: _linked(principal, invoice_id, REPLACEMENT, data),
    "adjust": lambda principal, invoice_id, data: _linked(principal, invoice_id, ADJUSTMENT, data),
}


def act(principal: Principal, invoice_id: str, action: str, data: dict) -> dict:
    """issue / cancel (reason) / replace (reason, buyer?) / adjust (reason, adjustment_kind, lines):
    replace and adjust answer with the new, issued invoice that carries the link."""
    if action not in ACTIONS:
        raise InvalidInput(f"Unknown action '{action}'.",
                           errors=[{"field": "action", "message": "one of " + ", ".join(ACTIONS)}])
    return ACTIONS[action](principal, invoice_id, data)


def _note_refusal(principal: Principal, invoice_id: str, error: DomainError) -> dict:
    """Keep an automatic issue's refusal on the draft (shown in its answer) for a person to act on."""
    item = _get(principal.tenant_id, invoice_id)
    body = _body(item)
    body["last_error"] = {"code": error.code, "detail": error.detail, "extra": error.extra, "at": clock.now_iso()}
    uow = UnitOfWork(principal)
    answer = _stage_save(uow, item, body, item.status)
    uow.commit()
    return answer


def issue_for_order(principal: Principal, order_id: str) -> dict | None:
    """The counter sale's invoice, when the shop asked for it (auto_issue_pos): made and issued once
    however often the order's stream record arrives. None when nothing is to be done (or the order
    cannot be invoiced as it is: logged). A refusal (the provider's, or a rule's) stays on the draft as
    `last_error` and is answered, not raised, so a stream never retries it forever; an unavailable
    provider or contention is raised (the stream's retry is the right answer)."""
    conf = shop_settings.load(principal.tenant_id)
    if conf is None or not conf.auto_issue_pos:
        return None
    order = orders.get(principal, order_id)
    if order["channel"] != "pos" or order["status"] in NOT_INVOICEABLE:
        return None
    pointer = _pointer(principal.tenant_id, order_id)
    if pointer is None:
        try:
            invoice_id = create(principal, {"order_id": order_id})["id"]
        except OrderAlreadyInvoiced as error:
            invoice_id = error.extra["invoice_id"]
        except InvalidInput as error:
            log.warning("counter sale %s/%s not invoiced: %s %s", principal.tenant_id, order_id, error.detail,
                        error.errors)
            return None
    else:
        invoice_id = pointer.invoice_id
    item = _get(principal.tenant_id, invoice_id)
    if item.status != rules.DRAFT:
        return view(item)
    try:
        return _issue(principal, invoice_id)
    except (ProviderRefused, InvalidInput) as error:
        return _note_refusal(principal, invoice_id, error)


# --- reading ----------------------------------------------------------------------------------------
def get(principal: Principal, invoice_id: str) -> dict:
    return view(_load(principal, invoice_id))


def list_invoices(principal: Principal, *, status: str | None, date_from: str | None, date_to: str | None,
                  limit: int, cursor: str | None) -> dict:
    """Newest first, by the time the invoice was made; only invoices at the caller's locations."""
    range_condition = None
    if date_from and date_to:
        range_condition = InvoiceItem.gsi1sk.between(date_from, date_to + "~")
    elif date_from:
        range_condition = InvoiceItem.gsi1sk >= date_from
    elif date_to:
        range_condition = InvoiceItem.gsi1sk <= date_to + "~"
    results = InvoiceItem.by_date.query(keys.invoices_by_date(principal.tenant_id), range_condition,
                                        filter_condition=(InvoiceItem.status == status) if status else None,
                                        scan_index_forward=False, limit=limit,
                                        last_evaluated_key=paging.decode(cursor, keys.cursor_scope(principal.tenant_id)))
    items = [view(item) for item in results
             if principal.everywhere or all(principal.may_use_location(x) for x in item.location_ids or ())]
    return {"items": items, "next_cursor": paging.encode(results.last_evaluated_key)}


def xml(principal: Principal, invoice_id: str) -> bytes:
    item = _load(principal, invoice_id)
    try:
        return InvoiceXmlItem.get(item.pk, keys.INVOICE_XML_SK, consistent_read=True).xml
    except InvoiceXmlItem.DoesNotExist as error:
        raise NotFound("This invoice has no XML until it is issued.") from error


def printable(principal: Principal, invoice_id: str, size: str) -> str:
    from chalicelib.invoices.render import PrintedInvoice, render_invoice

    item = _load(principal, invoice_id)
    body, source = _body(item), json.loads(item.source)
    issued_at = datetime.fromisoformat(body["issued_at"].replace("Z", "+00:00")) if body.get("issued_at") else None
    day = rules.invoice_date(issued_at or clock.now())
    if body.get("symbol"):
        symbol = rules.parse_symbol(body["symbol"])
    else:
        symbol = shop_settings.require(principal.tenant_id).symbol_for(day.year)
    printed = PrintedInvoice(_draft(source, day), symbol, body.get("number"), issued_at, item.status,
                             body.get("lookup_code"), None, body.get("tax_authority_code"))
    return render_invoice(printed, size)


def buyer(principal: Principal, tax_code: str) -> dict:
    """A company this shop invoiced before, to fill the buyer form from its tax code."""
    code = rules.validate_tax_code(tax_code, field_name="tax_code")
    try:
        found = InvoiceBuyerItem.get(keys.invoice_buyers(principal.tenant_id), keys.tax_code_sk(code))
    except InvoiceBuyerItem.DoesNotExist as error:
        raise NotFound("No buyer with this tax code yet.") from error
    return json.loads(found.buyer)
