"""Viettel S-Invoice (SInvoice) REST adapter.

Sources (public code, read before writing this): odoo/odoo addons/l10n_vn_edi_viettel
(models/account_move.py: login, createInvoice, searchInvoiceByTransactionUuid, cancelTransactionInvoice,
the JSON body and the lookup-before-resend rule; tests/test_edi.py: bodies and answers), the unofficial
TypeScript SDK "viettel-s-invoice" (interfaces: generalInvoiceInfo, buyerInfo, sellerInfo, payments,
itemInfo, summarizeInfo, taxBreakdowns; answer shapes {errorCode, description, result}), and a NestJS
client documenting the error envelopes (HTTP 400 {code, message: "INVOICE_SERIAL_NOT_FOUND", data},
HTTP 500 {message: "GENERAL"} for an expired token, NOT_FOUND_DATA for an unknown transaction uuid).

Protocol:
- POST {base}/auth/login {"username","password"} -> {"access_token", "expires_in", ...}; later calls send
  the token as the cookie `access_token` (as Odoo does). Tokens are cached until shortly before expiry
  and renewed once when a call answers 401/403 or 500 "GENERAL".
- POST {base}/services/einvoiceapplication/api/InvoiceAPI/InvoiceWS/createInvoice/{supplierTaxCode}
  (JSON) -> {"errorCode": null, "description": null, "result": {"supplierTaxCode", "invoiceNo",
  "transactionID", "reservationCode", "codeOfTax"}}.
- POST .../InvoiceWS/searchInvoiceByTransactionUuid (form: supplierTaxCode, transactionUuid)
  -> {"result": [{"invoiceNo", "reservationCode", "issueDate", "status", ...}]}.
- POST .../InvoiceWS/cancelTransactionInvoice (form: supplierTaxCode, templateCode, invoiceNo,
  strIssueDate, additionalReferenceDesc, additionalReferenceDate, reasonDelete).
Dates are milliseconds since the epoch (whole seconds). Replacement: adjustmentType "3"; adjustment:
"5" with adjustmentInvoiceType "1" (money) / "2" (information), both with originalInvoiceId,
originalInvoiceIssueDate, originalTemplateCode, additionalReferenceDesc, additionalReferenceDate.

Idempotency: issue() first asks searchInvoiceByTransactionUuid; only when Viettel has nothing for that
uuid does it send createInvoice, never retried automatically. A lost answer raises ProviderUnavailable;
the caller retries with the same uuid and gets the invoice that was created.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from chalicelib.core import clock, outbound
from chalicelib.invoices.providers.base import (
    CancelRequest,
    InvoiceProvider,
    IssueRequest,
    ProviderError,
    ProviderResult,
    ProviderUnavailable,
    require,
)
from chalicelib.invoices.rules import DISCOUNT, ICT, RATE_PERCENT, InvoiceDraft

DEFAULT_BASE_URL = "https://api-vinvoice.viettel.vn"
LOGIN_PATH = "/auth/login"
API_PREFIX = "/services/einvoiceapplication/api"
CREATE_PATH = API_PREFIX + "/InvoiceAPI/InvoiceWS/createInvoice/{tax_code}"
SEARCH_PATH = API_PREFIX + "/InvoiceAPI/InvoiceWS/searchInvoiceByTransactionUuid"
CANCEL_PATH = API_PREFIX + "/InvoiceAPI/InvoiceWS/cancelTransactionInvoice"
DEFAULT_TIMEOUT = 20.0            # Viettel suggests 60-90 s; a Lambda answering a user has ~29 s
TOKEN_MARGIN = timedelta(seconds=30)
NOT_FOUND = "NOT_FOUND_DATA"
UUID_ALREADY_USED = "TRANSACTION_UUID_INVALID"
TOKEN_EXPIRED_MESSAGE = "GENERAL"
# taxPercentage: -2 not subject to VAT (KCT), -1 not declared (KKKNT), else the percent.
TAX_PERCENTAGE = {"KCT": -2, "KKKNT": -1}
# Lookups are safe to repeat; createInvoice is not (it is made safe by looking up first).
LOOKUP_RETRY = outbound.RetryPolicy(attempts=2, base_delay=0.2, budget_seconds=5.0,
                                    statuses=frozenset({429, 502, 503, 504}))
_INVOICE_NO = re.compile(r"^([CK]\d{2}[A-Z]{3})(\d{1,8})$")

# (base url, username) -> (token, valid until); kept across warm invocations
_tokens: dict[tuple[str, str], tuple[str, datetime]] = {}


def _millis(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp()) * 1000


def _day_millis(day: date) -> int:
    return _millis(datetime.combine(day, time(0, 0), tzinfo=ICT))


def _json_number(value: Decimal | int) -> int | float:
    if isinstance(value, int):
        return value
    return int(value) if value == value.to_integral() else float(value)


def _split_invoice_no(invoice_no: str) -> tuple[str, int | None]:
    match = _INVOICE_NO.match(invoice_no or "")
    return (match[1], int(match[2])) if match else ("", None)


def invoice_body(request: IssueRequest, transaction_id: str) -> dict:
    """The createInvoice JSON for a draft (see the module docstring for the field sources)."""
    draft: InvoiceDraft = request.draft
    general: dict[str, Any] = {
        "transactionUuid": transaction_id,
        "invoiceType": request.symbol.template_code,
        "templateCode": request.template_code,
        "invoiceSeries": request.symbol.series,
        "invoiceIssuedDate": _millis(request.issued_at),
        "currencyCode": draft.currency,
        "adjustmentType": "1",
        "paymentStatus": True,
        "cusGetInvoiceRight": True,
    }
    link = draft.link
    if link:
        general.update({
            "adjustmentType": "3" if link.kind == "replaces" else "5",
            "originalInvoiceId": f"{link.series}{link.number}",
            "originalInvoiceIssueDate": _day_millis(link.issued_on),
            "originalTemplateCode": request.template_code,
            "additionalReferenceDesc": link.note or "Thỏa thuận với người mua",
            "additionalReferenceDate": _millis(request.issued_at),
        })
        if link.kind == "adjusts":
            general["adjustmentInvoiceType"] = "1" if draft.adjustment_kind == "money" else "2"
    buyer = draft.buyer
    buyer_info = {
        "buyerName": buyer.name or buyer.legal_name,
        "buyerLegalName": buyer.company or "",
        "buyerTaxCode": buyer.tax_code or "",
        "buyerAddressLine": buyer.address or "",
        "buyerPhoneNumber": buyer.phone or "",
        "buyerEmail": buyer.email or "",
        "buyerNotGetInvoice": 1 if buyer.anonymous else 0,
    }
    seller = draft.seller
    seller_info = {
        "sellerLegalName": seller.name,
        "sellerTaxCode": seller.tax_code,
        "sellerAddressLine": seller.address,
        "sellerPhoneNumber": seller.phone or "",
        "sellerEmail": seller.email or "",
        "sellerBankAccount": seller.bank_account or "",
        "sellerBankName": seller.bank_name or "",
    }
    items = []
    for line in draft.lines:
        discount_line = line.kind == DISCOUNT
        item: dict[str, Any] = {
            "lineNumber": line.position,
            "selection": 3 if discount_line else 1,
            "itemCode": line.code or "",
            "itemName": line.name,
            "unitName": line.unit,
            "unitPrice": line.unit_price,
            "quantity": _json_number(line.quantity),
            "itemTotalAmountWithoutTax": abs(line.amount) + line.discount,
            "taxPercentage": TAX_PERCENTAGE.get(line.vat_rate, RATE_PERCENT[line.vat_rate]),
            "taxAmount": abs(line.vat_amount),
            "itemTotalAmountAfterDiscount": abs(line.amount),
            "itemTotalAmountWithTax": abs(line.amount + line.vat_amount),
        }
        if line.discount:
            item["itemDiscount"] = line.discount
        if discount_line:
            item["isIncreaseItem"] = False
        items.append(item)
    totals = draft.totals
    summary = {
        "sumOfTotalLineAmountWithoutTax": sum(line.amount for line in draft.lines if line.kind != DISCOUNT),
        "totalAmountWithoutTax": totals.before_vat,
        "totalTaxAmount": totals.vat,
        "totalAmountWithTax": totals.total,
        "totalAmountWithTaxInWords": totals.total_in_words,
        "discountAmount": totals.discount,
    }
    breakdowns = [{"taxPercentage": TAX_PERCENTAGE.get(rate.rate, RATE_PERCENT[rate.rate]),
                   "taxableAmount": rate.taxable, "taxAmount": rate.vat} for rate in totals.by_rate]
    return {"generalInvoiceInfo": general, "buyerInfo": buyer_info, "sellerInfo": seller_info,
            "payments": [{"paymentMethodName": draft.payment_method}], "itemInfo": items,
            "summarizeInfo": summary, "taxBreakdowns": breakdowns}


class _NothingThere(Exception):
    pass


class ViettelProvider(InvoiceProvider):
    name = "viettel"
    numbers_locally = False

    def __init__(self, base_url: str = DEFAULT_BASE_URL, *, timeout: float = DEFAULT_TIMEOUT,
                 now: Callable[[], datetime] = clock.now):
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.timeout = timeout
        self.now = now

    # --- auth --------------------------------------------------------------------------------------
    def _login(self, username: str, password: str) -> str:
        try:
            reply = outbound.request("POST", self.base_url + LOGIN_PATH,
                                     json_body={"username": username, "password": password},
                                     timeout=self.timeout, retry=LOOKUP_RETRY)
        except outbound.TransportError as error:
            raise ProviderUnavailable("Không kết nối được Viettel S-Invoice") from error
        body = reply.json() if isinstance(reply.json(), dict) else {}
        token = body.get("access_token")
        if not reply.ok or not token:
            if reply.status >= 500:
                raise ProviderUnavailable(f"Viettel S-Invoice lỗi HTTP {reply.status} khi đăng nhập")
            # never echo the request: it holds the password
            raise ProviderError("Đăng nhập Viettel S-Invoice thất bại: kiểm tra tài khoản và mật khẩu",
                                code="AUTH_FAILED", status=reply.status)
        try:
            lifetime = timedelta(seconds=int(body.get("expires_in") or 300))
        except (TypeError, ValueError):
            lifetime = timedelta(seconds=300)
        _tokens[(self.base_url, username)] = (token, self.now() + lifetime - TOKEN_MARGIN)
        return token

    def _token(self, username: str, password: str) -> str:
        cached = _tokens.get((self.base_url, username))
        if cached and cached[1] > self.now():
            return cached[0]
        return self._login(username, password)

    @staticmethod
    def _token_rejected(reply: outbound.Reply) -> bool:
        if reply.status in (401, 403):
            return True
        body = reply.json()
        return reply.status == 500 and isinstance(body, dict) and body.get("message") == TOKEN_EXPIRED_MESSAGE

    def _post(self, path: str, credentials: Mapping[str, str], *, json_body: Any = None, form: dict | None = None,
              retry: outbound.RetryPolicy = outbound.NO_RETRY) -> outbound.Reply:
        """POST with the token cookie; one fresh login when the token is refused. TransportError passes up."""
        username, password = require(credentials, "username", "password")
        headers = {"Accept": "application/json"}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded;charset=UTF-8"
        reply = None
        for attempt in range(2):
            token = self._token(username, password) if attempt == 0 else self._login(username, password)
            reply = outbound.request("POST", self.base_url + path, json_body=json_body, body=body,
                                     headers={**headers, "Cookie": f"access_token={token}"},
                                     timeout=self.timeout, retry=retry)
            if not self._token_rejected(reply):
                break
            _tokens.pop((self.base_url, username), None)
        assert reply is not None
        return reply

    # --- answers -----------------------------------------------------------------------------------
    @staticmethod
    def _answer(reply: outbound.Reply) -> dict:
        """The body of a successful answer; NOT_FOUND_DATA -> _NothingThere; other errors raise."""
        body = reply.json()
        body = body if isinstance(body, dict) else {}
        error_code = str(body.get("errorCode") or "").strip()
        message = str(body.get("message") or "").strip()
        if NOT_FOUND in (error_code, message):
            raise _NothingThere()
        if reply.status == 429 or reply.status >= 500:
            raise ProviderUnavailable(f"Viettel S-Invoice tạm thời không phản hồi (HTTP {reply.status})")
        if reply.ok and not error_code:
            return body
        code = error_code or (message if re.fullmatch(r"[A-Z][A-Z0-9_]+", message) else "") or f"HTTP_{reply.status}"
        data = body.get("data")
        detail = body.get("description") or (data if isinstance(data, str) else "") or message or code
        raise ProviderError(f"Viettel S-Invoice từ chối: {detail}", code=code, status=reply.status, raw=body)

    def _result(self, transaction_id: str, entry: Mapping[str, Any], template_code: str, raw: Any) -> ProviderResult:
        invoice_no = str(entry.get("invoiceNo") or "")
        series, number = _split_invoice_no(invoice_no)
        return ProviderResult(self.name, transaction_id, number, series, str(entry.get("templateCode") or template_code),
                              entry.get("reservationCode") or None, entry.get("codeOfTax") or None, invoice_no or None,
                              raw=raw)

    # --- the interface -----------------------------------------------------------------------------
    def lookup(self, transaction_id: str, credentials: Mapping[str, str], *,
               seller_tax_code: str, template_code: str = "") -> ProviderResult | None:
        supplier = credentials.get("supplier_tax_code") or seller_tax_code
        try:
            reply = self._post(SEARCH_PATH, credentials, form={"supplierTaxCode": supplier,
                                                               "transactionUuid": transaction_id},
                               retry=LOOKUP_RETRY)
        except outbound.TransportError as error:
            raise ProviderUnavailable("Không tra cứu được hóa đơn trên Viettel S-Invoice") from error
        try:
            body = self._answer(reply)
        except _NothingThere:
            return None
        found = body.get("result") or []
        if isinstance(found, dict):
            found = [found]
        if not found:
            return None
        return self._result(transaction_id, found[0], template_code, body)

    def issue(self, request: IssueRequest, xml: bytes | None, credentials: Mapping[str, str],
              transaction_id: str) -> ProviderResult:
        seller = request.draft.seller.tax_code
        existing = self.lookup(transaction_id, credentials, seller_tax_code=seller, template_code=request.template_code)
        if existing:
            return existing
        supplier = credentials.get("supplier_tax_code") or seller
        try:
            reply = self._post(CREATE_PATH.format(tax_code=supplier), credentials,
                               json_body=invoice_body(request, transaction_id))
        except outbound.TransportError as error:
            raise ProviderUnavailable("Mất kết nối khi gửi hóa đơn sang Viettel S-Invoice; thử lại sẽ tra cứu "
                                      "theo mã giao dịch trước khi gửi lại") from error
        try:
            body = self._answer(reply)
        except ProviderError as error:
            if error.code != UUID_ALREADY_USED:
                raise
            again = self.lookup(transaction_id, credentials, seller_tax_code=seller, template_code=request.template_code)
            if again is None:
                raise
            return again
        except _NothingThere:
            raise ProviderError("Viettel S-Invoice không nhận hóa đơn", code=NOT_FOUND, status=reply.status) from None
        result = body.get("result") or {}
        return self._result(transaction_id, result, request.template_code, body)

    def cancel(self, request: CancelRequest, credentials: Mapping[str, str], *, seller_tax_code: str) -> dict:
        invoice = request.invoice
        supplier = credentials.get("supplier_tax_code") or seller_tax_code
        agreed_on = request.agreement_date or invoice.issued_at.astimezone(ICT).date()
        form = {
            "supplierTaxCode": supplier,
            "templateCode": invoice.template_code,
            "invoiceNo": invoice.provider_invoice_no or f"{invoice.symbol.series}{invoice.number}",
            "strIssueDate": _millis(invoice.issued_at),
            "additionalReferenceDesc": request.agreement or "Thỏa thuận hủy hóa đơn với người mua",
            "additionalReferenceDate": _day_millis(agreed_on),
            "reasonDelete": request.reason,
        }
        try:
            reply = self._post(CANCEL_PATH, credentials, form=form)
        except outbound.TransportError as error:
            raise ProviderUnavailable("Mất kết nối khi hủy hóa đơn trên Viettel S-Invoice") from error
        try:
            return self._answer(reply)
        except _NothingThere:
            raise ProviderError("Viettel S-Invoice không tìm thấy hóa đơn cần hủy", code=NOT_FOUND,
                                status=reply.status) from None
