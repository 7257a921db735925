"""Viettel Post (partner API v2): login, quote (getPriceAll), book (createOrder), cancel
(UpdateOrder TYPE 4), master data, status callbacks. No lookup by our ORDER_NUMBER is documented,
so a create whose answer was lost raises BookingUncertain instead of being resent.

Sources: public integrations of partner.viettelpost.vn/v2 (WooCommerce plugin "echbay viettelpost",
NestJS/TypeScript clients with VTPOrderRequest/VTPOrderResponse types, PHP getPriceAll callers) and
the status table they share (100..107, 200..202, 300..303, 400..403, 500..515, 550, 551). Host
https://partner.viettelpost.vn; POST /v2/user/Login {USERNAME, PASSWORD} -> data.token, then header
`Token`. Envelope {"status":200,"error":false,"message":"OK","data":...}; getPriceAll answers a bare
list of {MA_DV_CHINH, TEN_DICHVU, GIA_CUOC, THOI_GIAN}. Callback shape {"DATA": {...}, "TOKEN": ...}
is from those integrations, not from an official page we could read: treat it as unverified."""
from __future__ import annotations

from chalicelib.carriers.providers.base import (
    VIEWING_TEXT,
    Booking,
    CallbackEvent,
    CarrierAuthFailed,
    CarrierError,
    CarrierRejected,
    Division,
    ForgedCallback,
    HttpCarrier,
    Quote,
    ShipmentRequest,
    Tracking,
    callback_fields,
    parse_time,
    require_secret,
    vnd,
)

DELIVERED = {"501"}


def _payment(cod_amount: int, payer: str) -> int:
    """ORDER_PAYMENT: 1 collect nothing, 2 collect goods + fee, 3 collect fee only, 4 collect goods only."""
    if cod_amount > 0:
        return 2 if payer == "buyer" else 4
    return 3 if payer == "buyer" else 1


class ViettelPostCarrier(HttpCarrier):
    code = "viettel_post"
    default_base_url = "https://partner.viettelpost.vn"
    supports_lookup = False

    def __init__(self, token: str | None = None, *, username: str | None = None, password: str | None = None,
                 group_address_id: int = 0, **options):
        super().__init__(**options)
        self.token, self.username, self.password = token, username, password
        self.group_address_id = group_address_id

    def _auth_headers(self) -> dict[str, str]:
        return {"Token": self.token} if self.token else {}

    def login(self) -> str:
        try:
            body = self._envelope(self._send("POST", "/v2/user/Login",
                                             json_body={"USERNAME": self.username, "PASSWORD": self.password}))
        except CarrierRejected as error:  # wrong user name or password
            raise CarrierAuthFailed(self.code, error.reason, code=error.carrier_code, status=error.status) from error
        self.token = str((body.get("data") or {}).get("token") or "")
        if not self.token:
            raise CarrierAuthFailed(self.code, str(body.get("message") or "không có token"))
        return self.token

    def _envelope(self, reply) -> dict | list:
        body = reply.json()
        if isinstance(body, list) and reply.ok:
            return body
        if not isinstance(body, dict):
            raise CarrierRejected(self.code, f"HTTP {reply.status}: {reply.text[:200]}", status=reply.status)
        if reply.ok and not body.get("error") and body.get("status", 200) == 200:
            return body
        raise self._error(reply.status, body)

    def _error(self, status: int, body: dict) -> CarrierError:
        reason = str(body.get("message") or f"HTTP {status}")
        code = body.get("status")
        if status in (401, 403) or code in (401, 403) or "token" in reason.lower():
            return CarrierAuthFailed(self.code, reason, code=code, status=status)
        return CarrierRejected(self.code, reason, code=code, status=status)

    def _call(self, method: str, path: str, *, body=None, params=None, write=False):
        if not self.token and self.username:
            self.login()
        return self._envelope(self._send(method, path, json_body=body, params=params, write=write))

    def _places(self, request: ShipmentRequest) -> dict:
        sender, to = request.sender_place, request.recipient_place
        if sender is None or to is None:
            raise CarrierRejected(self.code, "thiếu mã tỉnh/quận/phường của Viettel Post (gọi match_address trước)")
        return {"SENDER_PROVINCE": int(sender.province_id), "SENDER_DISTRICT": int(sender.district_id or 0),
                "SENDER_WARD": int(sender.ward_id or 0), "RECEIVER_PROVINCE": int(to.province_id),
                "RECEIVER_DISTRICT": int(to.district_id or 0), "RECEIVER_WARD": int(to.ward_id or 0)}

    def quote(self, request: ShipmentRequest) -> list[Quote]:
        body = {**self._places(request), "PRODUCT_TYPE": "HH", "PRODUCT_WEIGHT": request.weight_g,
                "PRODUCT_PRICE": request.insurance_value or request.cod_amount, "MONEY_COLLECTION": request.cod_amount,
                "PRODUCT_LENGTH": request.length_cm, "PRODUCT_WIDTH": request.width_cm,
                "PRODUCT_HEIGHT": request.height_cm, "TYPE": 1}
        answer = self._call("POST", "/v2/order/getPriceAll", body=body)
        services = answer if isinstance(answer, list) else answer.get("data") or []
        return [Quote(self.code, str(s["MA_DV_CHINH"]), str(s.get("TEN_DICHVU") or s["MA_DV_CHINH"]),
                      vnd(s.get("GIA_CUOC")) or 0, expected_text=str(s.get("THOI_GIAN") or ""), raw=s)
                for s in services if s.get("MA_DV_CHINH")]

    def book(self, request: ShipmentRequest) -> Booking:
        sender, to = request.sender, request.recipient
        body = {
            "ORDER_NUMBER": request.client_code, "GROUPADDRESS_ID": self.group_address_id, "CUS_ID": 0,
            "SENDER_FULLNAME": sender.name, "SENDER_ADDRESS": sender.one_line(), "SENDER_PHONE": sender.phone,
            "RECEIVER_FULLNAME": to.name, "RECEIVER_ADDRESS": to.one_line(), "RECEIVER_PHONE": to.phone,
            **self._places(request),
            "PRODUCT_NAME": request.content()[:150] or "Hàng hóa", "PRODUCT_DESCRIPTION": request.content(),
            "PRODUCT_QUANTITY": sum(i.quantity for i in request.items) or 1,
            "PRODUCT_PRICE": request.insurance_value or request.cod_amount, "PRODUCT_WEIGHT": request.weight_g,
            "PRODUCT_LENGTH": request.length_cm, "PRODUCT_WIDTH": request.width_cm, "PRODUCT_HEIGHT": request.height_cm,
            "PRODUCT_TYPE": "HH", "ORDER_PAYMENT": _payment(request.cod_amount, request.payer),
            "ORDER_SERVICE": request.service or "VCN", "ORDER_SERVICE_ADD": "",
            "ORDER_NOTE": " · ".join(p for p in (VIEWING_TEXT[request.viewing], request.note) if p),
            "MONEY_COLLECTION": request.cod_amount,
            "LIST_ITEM": [{"PRODUCT_NAME": i.name, "PRODUCT_PRICE": i.price, "PRODUCT_WEIGHT": i.weight_g,
                           "PRODUCT_QUANTITY": i.quantity} for i in request.items],
        }
        data = self._call("POST", "/v2/order/createOrder", body=body, write=True).get("data") or {}
        number = str(data["ORDER_NUMBER"])
        return Booking(self.code, request.client_code, number, number, fee=vnd(data.get("MONEY_TOTAL")),
                       carrier_status="-100", raw=data)

    def find_by_client_code(self, client_code: str) -> Booking | None:
        return None  # not offered by the partner API: see BookingUncertain

    def cancel(self, tracking_number: str) -> None:
        self._call("POST", "/v2/order/UpdateOrder", body={"TYPE": 4, "ORDER_NUMBER": tracking_number,
                                                          "NOTE": "Hủy đơn"}, write=True)

    def track(self, tracking_number: str) -> Tracking:
        raise CarrierRejected(self.code, "tra cứu trạng thái chưa được hỗ trợ; dùng callback của Viettel Post")

    # --- master data -----------------------------------------------------------------------
    def _list(self, path: str, params: dict) -> list[dict]:
        return self._call("GET", path, params=params).get("data") or []

    def provinces(self) -> list[Division]:
        return [Division(p["PROVINCE_ID"], p["PROVINCE_NAME"], (p.get("PROVINCE_CODE") or "",))
                for p in self._list("/v2/categories/listProvinceById", {"provinceId": -1})]

    def districts(self, province_id) -> list[Division]:
        return [Division(d["DISTRICT_ID"], d["DISTRICT_NAME"])
                for d in self._list("/v2/categories/listDistrict", {"provinceId": province_id})]

    def wards(self, district_id) -> list[Division]:
        return [Division(w["WARDS_ID"], w["WARDS_NAME"]) for w in self._list("/v2/categories/listWards",
                                                                            {"districtId": district_id})]

    # --- callbacks -------------------------------------------------------------------------
    def parse_callback(self, headers, body, account_secret, *, query=None) -> CallbackEvent:
        require_secret(self.code, account_secret, headers, query)
        data = callback_fields(headers, body)
        order = data.get("DATA") if isinstance(data.get("DATA"), dict) else data
        if not order.get("ORDER_NUMBER") or order.get("ORDER_STATUS") in (None, ""):
            raise ForgedCallback("Callback Viettel Post thiếu ORDER_NUMBER/ORDER_STATUS.")
        status = str(order["ORDER_STATUS"])
        cod = vnd(order.get("MONEY_COLLECTION"))
        return CallbackEvent(self.code, str(order["ORDER_NUMBER"]), order.get("ORDER_REFERENCE") or None, status,
                             parse_time(order.get("ORDER_STATUSDATE")), cod if status in DELIVERED else None,
                             vnd(order.get("MONEY_TOTAL")), reason=str(order.get("NOTE") or order.get("STATUS_NAME") or ""),
                             raw=data)

