"""Giao Hàng Nhanh (GHN) API v2: quote (available services + fee + lead time), book, look up by our
client order code, cancel, track, master data, status callbacks.

Sources: GHN's public API docs (api.ghn.vn/home/docs: Create Order, Detail by client_order_code,
Calculate Fee, Get Service, Lead time, Cancel, Province/District/Ward, Webhook), as copied in public
code; the SDKs lehuygiang28/giaohangnhanh (src/order/Order.ts, src/calculate-fee, src/address) and
tringuyenduc2903/GiaoHangNhanh-Laravel. Host https://online-gateway.ghn.vn (test: dev-online-gateway),
paths under /shiip/public-api, headers `Token` and `ShopId`. Envelope
{"code":200,"message":"Success","data":...}; errors {"code":400,"message":...,"data":null,
"code_message":"USER_ERR_COMMON","code_message_value":...}; bad token "Token is not valid" (401).
Callbacks carry no signature (only the URL GHN is given), so the URL holds the account's secret and
the callback's ShopID must be the account's."""
from __future__ import annotations

from chalicelib.carriers.providers.base import (
    Booking,
    CallbackEvent,
    CarrierAuthFailed,
    CarrierError,
    CarrierNotFound,
    CarrierRejected,
    Division,
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

API = "/shiip/public-api"
REQUIRED_NOTE = {Viewing.try_on: "CHOTHUHANG", Viewing.view_only: "CHOXEMHANGKHONGTHU",
                 Viewing.no_view: "KHONGCHOXEMHANG"}
LIGHT_GOODS, HEAVY_GOODS = 2, 5  # service_type_id
HEAVY_FROM_G = 20000


class GhnCarrier(HttpCarrier):
    code = "ghn"
    default_base_url = "https://online-gateway.ghn.vn"

    def __init__(self, token: str, shop_id: int | str, **options):
        super().__init__(**options)
        self.token, self.shop_id = token, int(shop_id)

    def _auth_headers(self) -> dict[str, str]:
        return {"Token": self.token, "ShopId": str(self.shop_id)}

    def _data(self, method: str, path: str, body: dict | None = None, *, write: bool = False):
        reply = self._send(method, API + path, json_body=body, write=write)
        envelope = reply.json()
        if not isinstance(envelope, dict):
            raise CarrierRejected(self.code, f"HTTP {reply.status}: {reply.text[:200]}", status=reply.status)
        if reply.ok and envelope.get("code") == 200:
            return envelope.get("data")
        raise self._error(reply.status, envelope)

    def _error(self, status: int, envelope: dict) -> CarrierError:
        message = str(envelope.get("message") or "")
        reason = str(envelope.get("code_message_value") or message or f"HTTP {status}")
        code = envelope.get("code_message") or envelope.get("code")
        lowered = message.lower()
        if status in (401, 403) or envelope.get("code") == 401 or "token is not valid" in lowered \
                or code in ("TOKEN_IS_INVALID", "TOKEN_IS_EXPIRED", "CLIENT_NOT_OWNER_OF_SHOP"):
            return CarrierAuthFailed(self.code, reason, code=code, status=status)
        if "không tồn tại" in lowered or "not found" in lowered or envelope.get("code") == 404 or status == 404:
            return CarrierNotFound(self.code, reason, code=code, status=status)
        return CarrierRejected(self.code, reason, code=code, status=status)

    # --- quotes ----------------------------------------------------------------------------
    def _parcel(self, request: ShipmentRequest) -> dict:
        parcel = {"weight": request.weight_g, "length": request.length_cm, "width": request.width_cm,
                  "height": request.height_cm, "insurance_value": request.insurance_value}
        if request.weight_g >= HEAVY_FROM_G:  # heavy goods are priced per item (GHN: items required)
            parcel["items"] = [{"name": i.name, "code": i.sku or "", "quantity": i.quantity,
                                "weight": i.weight_g or request.weight_g, "length": request.length_cm,
                                "width": request.width_cm, "height": request.height_cm} for i in request.items]
        return parcel

    def _route(self, request: ShipmentRequest) -> dict:
        to = request.recipient_place
        if to is None:
            raise CarrierRejected(self.code, "thiếu mã quận/huyện và phường/xã của GHN cho người nhận")
        route = {"to_district_id": int(to.district_id), "to_ward_code": str(to.ward_id)}
        if request.sender_place is not None:  # otherwise GHN takes the ShopId's address
            route.update(from_district_id=int(request.sender_place.district_id),
                         from_ward_code=str(request.sender_place.ward_id))
        return route

    def quote(self, request: ShipmentRequest) -> list[Quote]:
        route = self._route(request)
        if "from_district_id" in route:
            services = self._data("POST", "/v2/shipping-order/available-services",
                                  {"shop_id": self.shop_id, "from_district": route["from_district_id"],
                                   "to_district": route["to_district_id"]}) or []
        else:
            services = [{"service_id": None, "service_type_id": LIGHT_GOODS, "short_name": "Hàng nhẹ"}]
        wanted_type = HEAVY_GOODS if request.weight_g >= HEAVY_FROM_G else LIGHT_GOODS
        quotes, first_error = [], None
        for service in services:
            if service.get("service_type_id") not in (None, wanted_type) and len(services) > 1:
                continue
            selector = ({"service_id": service["service_id"]} if service.get("service_id")
                        else {"service_type_id": service.get("service_type_id") or wanted_type})
            try:
                fee = self._data("POST", "/v2/shipping-order/fee",
                                 {**route, **selector, **self._parcel(request), "cod_value": request.cod_amount})
                expected = None
                if service.get("service_id"):
                    lead = self._data("POST", "/v2/shipping-order/leadtime", {**route, **selector}) or {}
                    expected = parse_time(lead.get("leadtime"))
            except CarrierRejected as error:  # a service that does not serve this route
                first_error = first_error or error
                continue
            quotes.append(Quote(self.code, str(service.get("service_id") or selector.get("service_type_id")),
                                str(service.get("short_name") or "GHN"), vnd(fee.get("total")) or 0, expected, raw=fee))
        if not quotes and first_error:
            raise first_error
        return quotes

    # --- booking ---------------------------------------------------------------------------
    def book(self, request: ShipmentRequest) -> Booking:
        to, sender = request.recipient, request.sender
        body = {
            "client_order_code": request.client_code,
            "payment_type_id": 1 if request.payer == "shop" else 2,
            "required_note": REQUIRED_NOTE[request.viewing],
            "note": request.note,
            "from_name": sender.name, "from_phone": sender.phone, "from_address": sender.one_line(),
            "from_ward_name": sender.ward_name, "from_district_name": sender.district_name or "",
            "from_province_name": sender.province_name,
            "to_name": to.name, "to_phone": to.phone, "to_address": to.one_line(),
            "to_ward_name": to.ward_name, "to_district_name": to.district_name or "", "to_province_name": to.province_name,
            **self._route(request),
            "cod_amount": request.cod_amount,
            "content": request.content(),
            **self._parcel(request),
            "items": [{"name": i.name, "code": i.sku or "", "quantity": i.quantity, "price": i.price,
                       "weight": i.weight_g or max(1, request.weight_g // max(1, len(request.items)))}
                      for i in request.items] or [{"name": "Hàng hóa", "quantity": 1, "weight": request.weight_g}],
        }
        for key in ("from_district_id", "from_ward_code"):
            body.pop(key, None)  # the sender is given by name (or taken from the ShopId)
        if request.service and request.service.isdigit() and int(request.service) not in (LIGHT_GOODS, HEAVY_GOODS):
            body["service_id"] = int(request.service)
        else:
            body["service_type_id"] = HEAVY_GOODS if request.weight_g >= HEAVY_FROM_G else LIGHT_GOODS
        data = self._data("POST", "/v2/shipping-order/create", body, write=True) or {}
        return Booking(self.code, request.client_code, str(data["order_code"]), str(data["order_code"]),
                       fee=vnd(data.get("total_fee")), expected_delivery=parse_time(data.get("expected_delivery_time")),
                       carrier_status="ready_to_pick", sort_code=str(data.get("sort_code") or ""), raw=data)

    def _booking_from_detail(self, detail: dict) -> Booking:
        return Booking(self.code, str(detail.get("client_order_code") or ""), str(detail["order_code"]),
                       str(detail["order_code"]), fee=None, expected_delivery=parse_time(detail.get("leadtime")),
                       carrier_status=detail.get("status"), sort_code=str(detail.get("sort_code") or ""), raw=detail)

    def find_by_client_code(self, client_code: str) -> Booking | None:
        try:
            data = self._data("POST", "/v2/shipping-order/detail-by-client-code", {"client_order_code": client_code})
        except CarrierNotFound:
            return None
        detail = data[0] if isinstance(data, list) and data else data
        if not isinstance(detail, dict) or not detail.get("order_code"):
            return None
        if detail.get("status") == "cancel":  # a canceled parcel does not count as booked
            return None
        return self._booking_from_detail(detail)

    def cancel(self, tracking_number: str) -> None:
        results = self._data("POST", "/v2/switch-status/cancel", {"order_codes": [tracking_number]}, write=True) or []
        for result in results:
            if result.get("order_code") == tracking_number and not result.get("result"):
                raise CarrierRejected(self.code, str(result.get("message") or "không hủy được"))

    def track(self, tracking_number: str) -> Tracking:
        detail = self._data("POST", "/v2/shipping-order/detail", {"order_code": tracking_number}) or {}
        return Tracking(self.code, str(detail.get("order_code") or tracking_number), detail.get("client_order_code") or None,
                        str(detail.get("status") or ""), parse_time(detail.get("updated_date")),
                        vnd(detail.get("cod_amount")), None, raw=detail)

    # --- master data (legacy province -> district -> ward ids) -----------------------------
    def provinces(self) -> list[Division]:
        return [Division(p["ProvinceID"], p["ProvinceName"], tuple(p.get("NameExtension") or ()))
                for p in self._data("GET", "/master-data/province") or []]

    def districts(self, province_id) -> list[Division]:
        return [Division(d["DistrictID"], d["DistrictName"], tuple(d.get("NameExtension") or ()))
                for d in self._data("POST", "/master-data/district", {"province_id": int(province_id)}) or []]

    def wards(self, district_id) -> list[Division]:
        return [Division(w["WardCode"], w["WardName"], tuple(w.get("NameExtension") or ()))
                for w in self._data("POST", "/master-data/ward", {"district_id": int(district_id)}) or []]

    # --- callbacks -------------------------------------------------------------------------
    def parse_callback(self, headers, body, account_secret, *, query=None) -> CallbackEvent:
        require_secret(self.code, account_secret, headers, query)
        data = callback_fields(headers, body)
        if str(data.get("ShopID") or self.shop_id) != str(self.shop_id):
            raise ForgedCallback("Callback GHN của cửa hàng khác.")
        if not data.get("OrderCode") or not data.get("Status"):
            raise ForgedCallback("Callback GHN thiếu OrderCode/Status.")
        status = str(data["Status"]).lower()
        cod = vnd(data.get("CODAmount"))
        return CallbackEvent(self.code, str(data["OrderCode"]), data.get("ClientOrderCode") or None, status,
                             parse_time(data.get("Time")), cod if status == "delivered" else None,
                             vnd(data.get("TotalFee")), reason=str(data.get("Reason") or ""), raw=data)
