"""A fake Viettel S-Invoice: checks requests the way the real one does (login, the access_token cookie,
paths, content types, required body fields, registered series, consistent sums) and answers in its
documented shapes, errors included (see chalicelib/invoices/providers/viettel.py for the sources)."""
from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from tests.fakes.server import FakeReply, FakeRequest, json_reply

API = "/services/einvoiceapplication/api/InvoiceAPI/InvoiceWS"
REQUIRED_GENERAL = ("transactionUuid", "templateCode", "invoiceSeries", "invoiceIssuedDate", "currencyCode",
                    "adjustmentType", "paymentStatus")
REQUIRED_ORIGINAL = ("originalInvoiceId", "originalInvoiceIssueDate", "originalTemplateCode",
                     "additionalReferenceDesc", "additionalReferenceDate")
REQUIRED_SELLER = ("sellerLegalName", "sellerTaxCode", "sellerAddressLine")
REQUIRED_ITEM = ("itemName", "unitPrice", "quantity", "itemTotalAmountWithoutTax", "taxPercentage", "taxAmount")
REQUIRED_SUMMARY = ("totalAmountWithoutTax", "totalTaxAmount", "totalAmountWithTax")
REQUIRED_CANCEL = ("supplierTaxCode", "templateCode", "invoiceNo", "strIssueDate", "additionalReferenceDesc",
                   "additionalReferenceDate", "reasonDelete")


@dataclass
class FakeViettel:
    username: str = "0100109106-509"
    password: str = "2wsx#CDE"
    tax_code: str = "0100109106"
    templates: dict[str, str] = field(default_factory=lambda: {"C25TAA": "1/001"})   # series -> template
    invoices: dict[str, dict] = field(default_factory=dict)                           # transactionUuid -> invoice
    tokens: set[str] = field(default_factory=set)
    logins: int = 0
    slow_creates: int = 0          # this many createInvoice answers come after `delay` (the invoice exists)
    delay: float = 0.0
    failing_creates: int = 0       # this many createInvoice calls answer 502 before anything is created
    stale_searches: int = 0        # this many searches miss an invoice that exists (replication lag)
    _counter: dict = field(default_factory=dict)
    _token_ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def expire_tokens(self) -> None:
        self.tokens.clear()

    # --- the handler -------------------------------------------------------------------------------
    def __call__(self, request: FakeRequest) -> FakeReply:
        if request.method != "POST":
            return json_reply({"status": 405, "error": "Method Not Allowed"}, 405)
        if request.path == "/auth/login":
            return self._login(request)
        token = _cookie(request.headers.get("cookie", "")).get("access_token")
        if not token:
            return json_reply({"error": "unauthorized", "error_description": "Full authentication is required"}, 401)
        if token not in self.tokens:
            return json_reply({"code": 500, "message": "GENERAL", "data": None}, 500)   # expired token
        if request.path.startswith(API + "/createInvoice/"):
            if self.failing_creates:
                self.failing_creates -= 1
                return FakeReply(502, "<html><body>502 Bad Gateway</body></html>")
            return self._create(request, request.path.rsplit("/", 1)[1])
        if request.path == API + "/searchInvoiceByTransactionUuid":
            return self._search(request)
        if request.path == API + "/cancelTransactionInvoice":
            return self._cancel(request)
        return json_reply({"status": 404, "error": "Not Found", "path": request.path}, 404)

    def _login(self, request: FakeRequest) -> FakeReply:
        body = request.json() or {}
        if request.headers.get("content-type", "").split(";")[0] != "application/json":
            return json_reply({"error": "unsupported_media_type"}, 415)
        if body.get("username") != self.username or body.get("password") != self.password:
            return json_reply({"error": "invalid_grant", "error_description": "Bad credentials"}, 401)
        self.logins += 1
        token = f"token-{next(self._token_ids)}"
        self.tokens.add(token)
        return json_reply({"access_token": token, "token_type": "bearer", "refresh_token": "r", "expires_in": 599,
                           "scope": "openid", "iat": 1700000000, "invoice_cluster": "cluster7", "type": 1,
                           "jti": "jti-1"})

    def _form(self, request: FakeRequest) -> dict[str, str] | None:
        if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return None
        return {k: v[0] for k, v in parse_qs(request.body.decode(), keep_blank_values=True).items()}

    def _bad(self, description: str) -> FakeReply:
        return json_reply({"errorCode": "INVALID_DATA", "description": description, "result": None})

    def _create(self, request: FakeRequest, supplier: str) -> FakeReply:
        if supplier != self.tax_code:
            return json_reply({"code": 400, "message": "SUPPLIER_TAX_CODE_INVALID", "data": "Mã số thuế không đúng"}, 400)
        try:
            body = json.loads(request.body)
        except ValueError:
            return self._bad("Dữ liệu không phải JSON")
        general, seller = body.get("generalInvoiceInfo") or {}, body.get("sellerInfo") or {}
        items, summary = body.get("itemInfo") or [], body.get("summarizeInfo") or {}
        missing = [f"generalInvoiceInfo.{k}" for k in REQUIRED_GENERAL if general.get(k) in (None, "")]
        if general.get("adjustmentType") in ("3", "5"):
            missing += [f"generalInvoiceInfo.{k}" for k in REQUIRED_ORIGINAL if general.get(k) in (None, "")]
        missing += [f"sellerInfo.{k}" for k in REQUIRED_SELLER if not seller.get(k)]
        if not isinstance(body.get("buyerInfo"), dict):
            missing.append("buyerInfo")
        if not body.get("payments") or not body["payments"][0].get("paymentMethodName"):
            missing.append("payments")
        if not items:
            missing.append("itemInfo")
        missing += [f"itemInfo[{i}].{k}" for i, item in enumerate(items) for k in REQUIRED_ITEM if item.get(k) is None]
        missing += [f"summarizeInfo.{k}" for k in REQUIRED_SUMMARY if summary.get(k) is None]
        if missing:
            return self._bad("Thiếu trường bắt buộc: " + ", ".join(missing))
        series = general["invoiceSeries"]
        if series not in self.templates:
            return json_reply({"code": 400, "message": "INVOICE_SERIAL_NOT_FOUND", "data": "Ký hiệu hóa đơn không tồn tại"},
                              400)
        if self.templates[series] != general["templateCode"]:
            return json_reply({"code": 400, "message": "TEMPLATE_NOT_FOUND", "data": "Mẫu hóa đơn không tồn tại"}, 400)
        signed = [(-1 if item.get("isIncreaseItem") is False else 1) for item in items]
        tax = sum(s * item["taxAmount"] for s, item in zip(signed, items, strict=True))
        before = sum(s * item["itemTotalAmountAfterDiscount"] for s, item in zip(signed, items, strict=True))
        if (tax, before, before + tax) != (summary["totalTaxAmount"], summary["totalAmountWithoutTax"],
                                           summary["totalAmountWithTax"]):
            return self._bad("Tổng tiền không khớp với chi tiết hàng hóa")
        uuid = general["transactionUuid"]
        if uuid in self.invoices:
            return json_reply({"errorCode": "TRANSACTION_UUID_INVALID", "description": "transactionUuid đã tồn tại",
                               "result": None})
        number = self._counter[series] = self._counter.get(series, 0) + 1
        invoice = {"supplierTaxCode": supplier, "invoiceNo": f"{series}{number}", "transactionID": f"tx{number}",
                   "reservationCode": f"RSV{number:05d}", "codeOfTax": f"00CQT{number:06d}",
                   "templateCode": general["templateCode"], "issueDate": general["invoiceIssuedDate"],
                   "status": "Chưa thanh toán" if not general["paymentStatus"] else "Đã thanh toán",
                   "state": "issued", "body": body}
        self.invoices[uuid] = invoice
        if self.slow_creates:
            self.slow_creates -= 1
            time.sleep(self.delay)       # the invoice exists; the client gives up before this answer
        return json_reply({"errorCode": None, "description": None, "result": {
            k: invoice[k] for k in ("supplierTaxCode", "invoiceNo", "transactionID", "reservationCode", "codeOfTax")}})

    def _search(self, request: FakeRequest) -> FakeReply:
        form = self._form(request)
        if form is None:
            return json_reply({"status": 415, "error": "Unsupported Media Type"}, 415)
        if form.get("supplierTaxCode") != self.tax_code or not form.get("transactionUuid"):
            return json_reply({"code": 400, "message": "BAD_REQUEST", "data": "supplierTaxCode, transactionUuid"}, 400)
        invoice = self.invoices.get(form["transactionUuid"])
        if self.stale_searches:
            self.stale_searches -= 1
            invoice = None
        if invoice is None:
            return json_reply({"code": 400, "message": "NOT_FOUND_DATA", "data": "Không tìm thấy dữ liệu"}, 400)
        return json_reply({"transactionUuid": form["transactionUuid"], "errorCode": None, "description": None,
                           "result": [{k: invoice[k] for k in ("supplierTaxCode", "invoiceNo", "reservationCode",
                                                               "issueDate", "status")}]})

    def _cancel(self, request: FakeRequest) -> FakeReply:
        form = self._form(request)
        if form is None:
            return json_reply({"status": 415, "error": "Unsupported Media Type"}, 415)
        missing = [k for k in REQUIRED_CANCEL if not form.get(k)]
        if missing:
            return self._bad("Thiếu trường bắt buộc: " + ", ".join(missing))
        match = next((i for i in self.invoices.values() if i["invoiceNo"] == form["invoiceNo"]
                      and i["templateCode"] == form["templateCode"] and i["supplierTaxCode"] == form["supplierTaxCode"]),
                     None)
        if match is None:
            return json_reply({"code": 400, "message": "NOT_FOUND_DATA", "data": "Không tìm thấy hóa đơn"}, 400)
        if str(match["issueDate"]) != form["strIssueDate"]:
            return self._bad("Ngày lập hóa đơn không đúng")
        if match["state"] == "canceled":
            return json_reply({"errorCode": "INVOICE_CANCELED", "description": "Hóa đơn đã bị hủy", "result": None})
        match["state"] = "canceled"
        match["cancel"] = form
        return json_reply({"errorCode": None, "description": None, "result": None})

    def created(self) -> list[dict]:
        return list(self.invoices.values())


def _cookie(header: str) -> dict[str, str]:
    pairs = (part.strip().split("=", 1) for part in header.split(";") if "=" in part)
    return {k: v for k, v in pairs}
