"""Giao Hàng Tiết Kiệm (GHTK): quote (fee by road and by air), book, look up by our partner id,
cancel, track, status callbacks.

Sources: GHTK's public API docs (docs.giaohangtietkiem.vn / api.ghtk.vn / pro-docs.ghtk.vn:
"Handling errors", "Submit Order API", "Get Order Status API", "Calculate fee", "Cancel order",
"Webhook"), as copied in public code. Host https://services.giaohangtietkiem.vn (staging
services-staging.ghtklab.com); headers `Token` and, when the shop has one, `X-Client-Source`
(partner code). GHTK takes names, not ids, for provinces/districts/wards. Envelope
{"success":true,...}; errors {"success":false,"message":...,"error_code":...,"log_id":...}, a bad
token is HTTP 401 error_code 20101; an order.id already used answers
{"success":false,"error":{"code":"ORDER_ID_EXIST","ghtk_label":...}} (we then return that parcel).
Callbacks are a form POST to the URL the shop registered (documented as ...?hash=XXX): no
signature, so the `hash` in that URL is the account's secret."""
from __future__ import annotations

from urllib.parse import quote as urlquote

from chalicelib.carriers.providers.base import (
    VIEWING_TEXT,
    Booking,
    CallbackEvent,
    CarrierAuthFailed,
    CarrierError,
    CarrierNotFound,
    CarrierRejected,
    ForgedCallback,
    HttpCarrier,
    Quote,
    ShipmentRequest,
    Tracking,
    Viewing,
    callback_fields,
    parse_time,
    require_secret,
    vnd,
)

TRANSPORTS = {"road": "Đường bộ", "fly": "Đường bay"}
TAG_VIEW_GOODS = 10  # "Cho xem hàng"
DELIVERED = {"5", "6"}  # 45 is only the shipper's report


class GhtkCarrier(HttpCarrier):
    code = "ghtk"
    default_base_url = "https://services.giaohangtietkiem.vn"

    def __init__(self, token: str, partner_code: str | None = None, **options):
        super().__init__(**options)
        self.token, self.partner_code = token, partner_code

    def _auth_headers(self) -> dict[str, str]:
        headers = {"Token": self.token}
        if self.partner_code:
            headers["X-Client-Source"] = self.partner_code
        return headers

    def _call(self, method: str, path: str, *, params=None, body=None, write=False) -> dict:
        reply = self._send(method, path, params=params, json_body=body, write=write)
        envelope = reply.json()
        if not isinstance(envelope, dict):
            raise CarrierRejected(self.code, f"HTTP {reply.status}: {reply.text[:200]}", status=reply.status)
        if reply.ok and envelope.get("success") is True:
            return envelope
        raise self._error(reply.status, envelope)

    def _error(self, status: int, envelope: dict) -> CarrierError:
        reason = str(envelope.get("message") or f"HTTP {status}")
        code = envelope.get("error_code") or (envelope.get("error") or {}).get("code")
        if status == 401 or str(code) in ("20101", "20102"):
            return CarrierAuthFailed(self.code, reason, code=code, status=status)
        if str(code) == "50109" or "không tìm thấy" in reason.lower():
            return CarrierNotFound(self.code, reason, code=code, status=status)
        return CarrierRejected(self.code, reason, code=code, status=status)

    # --- quotes ----------------------------------------------------------------------------
    def quote(self, request: ShipmentRequest) -> list[Quote]:
        sender, to = request.sender, request.recipient
        base = {"pick_province": sender.province_name, "pick_district": sender.district_name or "",
                "pick_ward": sender.ward_name, "pick_address": sender.street,
                "province": to.province_name, "district": to.district_name or "", "ward": to.ward_name,
                "address": to.street, "weight": request.weight_g, "value": request.insurance_value or request.cod_amount}
        transports = [request.service] if request.service in TRANSPORTS else list(TRANSPORTS)
        quotes, first_error = [], None
        for transport in transports:
            try:
                fee = self._call("GET", "/services/shipment/fee", params={**base, "transport": transport}).get("fee") or {}
            except CarrierRejected as error:
                first_error = first_error or error
                continue
            if fee.get("delivery") is False:
                first_error = first_error or CarrierRejected(self.code, "GHTK chưa giao tới khu vực này")
                continue
            quotes.append(Quote(self.code, transport, TRANSPORTS[transport], vnd(fee.get("fee")) or 0, raw=fee))
        if not quotes and first_error:
            raise first_error
        return quotes

    # --- booking ---------------------------------------------------------------------------
    def _products(self, request: ShipmentRequest) -> list[dict]:
        share = max(1, request.weight_g // max(1, sum(i.quantity for i in request.items) or 1))
        return [{"name": i.name, "quantity": i.quantity, "price": i.price, "weight": i.weight_g or share,
                 "product_code": i.sku or ""} for i in request.items] or [
                    {"name": "Hàng hóa", "quantity": 1, "weight": request.weight_g}]

    def book(self, request: ShipmentRequest) -> Booking:
        sender, to = request.sender, request.recipient
        note = " · ".join(p for p in (VIEWING_TEXT[request.viewing], request.note) if p)[:120]
        order = {
            "id": request.client_code,
            "pick_name": sender.name, "pick_tel": sender.phone, "pick_address": sender.street,
            "pick_province": sender.province_name, "pick_district": sender.district_name or "",
            "pick_ward": sender.ward_name,
            "name": to.name, "tel": to.phone, "address": to.street, "province": to.province_name,
            "district": to.district_name or "", "ward": to.ward_name, "hamlet": "Khác",
            "is_freeship": "1" if request.payer == "shop" else "0",
            "pick_money": request.cod_amount,
            "value": request.insurance_value or request.cod_amount,
            "note": note,
            "transport": request.service if request.service in TRANSPORTS else "road",
            "pick_option": "cod",
            "weight_option": "gram",
            "total_weight": request.weight_g,
        }
        if request.viewing is not Viewing.no_view:
            order["tags"] = [TAG_VIEW_GOODS]
        try:
            data = self._call("POST", "/services/shipment/order", params={"ver": "1.5"},
                              body={"products": self._products(request), "order": order}, write=True)
        except CarrierRejected as error:
            if str(error.carrier_code) in ("ORDER_ID_EXIST", "30107"):
                existing = self.find_by_client_code(request.client_code)
                if existing is not None:
                    return existing
            raise
        placed = data.get("order") or {}
        expected_text = str(placed.get("estimated_deliver_time") or "")
        return Booking(self.code, request.client_code, str(placed["label"]), str(placed.get("tracking_id") or placed["label"]),
                       fee=vnd(placed.get("fee")), expected_delivery=parse_time(expected_text),
                       carrier_status=str(placed.get("status_id") or "2"), raw=placed)

    def _order(self, reference: str) -> dict:
        return self._call("GET", f"/services/shipment/v2/{urlquote(reference, safe=':.')}").get("order") or {}

    def find_by_client_code(self, client_code: str) -> Booking | None:
        try:
            order = self._order(f"partner_id:{client_code}")
        except CarrierNotFound:
            return None
        if not order.get("label_id") or str(order.get("status")) == "-1":  # canceled
            return None
        return Booking(self.code, client_code, str(order["label_id"]), str(order["label_id"]),
                       fee=vnd(order.get("ship_money")), expected_delivery=parse_time(order.get("deliver_date")),
                       carrier_status=str(order.get("status")), raw=order)

    def cancel(self, tracking_number: str) -> None:
        self._call("POST", f"/services/shipment/cancel/{urlquote(tracking_number, safe=':.')}", write=True)

    def track(self, tracking_number: str) -> Tracking:
        order = self._order(tracking_number)
        return Tracking(self.code, str(order.get("label_id") or tracking_number), order.get("partner_id") or None,
                        str(order.get("status") or ""), parse_time(order.get("modified")),
                        vnd(order.get("pick_money")), vnd(order.get("ship_money")), raw=order)

    # --- callbacks -------------------------------------------------------------------------
    def parse_callback(self, headers, body, account_secret, *, query=None) -> CallbackEvent:
        require_secret(self.code, account_secret, headers, query)
        data = callback_fields(headers, body)
        if not data.get("label_id") or str(data.get("status_id") or "") == "":
            raise ForgedCallback("Callback GHTK thiếu label_id/status_id.")
        status = str(data["status_id"])
        money = vnd(data.get("pick_money"))
        return CallbackEvent(self.code, str(data["label_id"]), data.get("partner_id") or None, status,
                             parse_time(data.get("action_time")), money if status in DELIVERED else None,
                             vnd(data.get("fee")), reason=str(data.get("reason") or ""), raw=data)
