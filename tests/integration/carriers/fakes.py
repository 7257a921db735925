"""Fake GHN, GHTK and Viettel Post servers: they check the token/shop headers and the required fields
the way each carrier does, keep the parcels they were asked to create, and answer in the carriers'
documented shapes, errors included. `fail(path, *faults)` scripts the next answers on a path:
429 (with Retry-After), a 5xx, "lost" (the order IS created, then the answer is a 504), or
("slow", seconds) (the order is created, the answer comes after the client gave up)."""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

from tests.fakes.server import FakeReply, FakeRequest, json_reply

LOST = "lost"


@dataclass
class FakeCarrier:
    faults: dict[str, list] = field(default_factory=dict)
    orders: dict[str, dict] = field(default_factory=dict)   # tracking number -> order
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    def fail(self, path: str, *faults) -> None:
        self.faults.setdefault(path, []).extend(faults)

    def __call__(self, request: FakeRequest) -> FakeReply:
        planned = self.faults.get(request.path) or []
        fault = planned.pop(0) if planned else None
        if isinstance(fault, int):
            headers = {"Retry-After": "0"} if fault == 429 else {}
            return json_reply({"message": "Too many requests" if fault == 429 else "Internal error"}, fault, **headers)
        reply = self.handle(request)
        if isinstance(fault, tuple) and fault[0] == "slow":
            time.sleep(fault[1])
        if fault == LOST:
            return json_reply({"message": "Gateway Timeout"}, 504)
        return reply

    def handle(self, request: FakeRequest) -> FakeReply:
        raise NotImplementedError

    def by_client(self, code: str) -> dict | None:
        return next((o for o in self.orders.values() if o["client_code"] == code), None)


def _missing(body: dict, *names: str) -> list[str]:
    return [n for n in names if body.get(n) in (None, "")]


# --- GHN -----------------------------------------------------------------------------------
GHN_PROVINCES = [{"ProvinceID": 202, "ProvinceName": "Hồ Chí Minh", "Code": "8",
                  "NameExtension": ["Hồ Chí Minh", "TP.Hồ Chí Minh", "TP. Hồ Chí Minh", "TP Hồ Chí Minh", "HCM"]},
                 {"ProvinceID": 201, "ProvinceName": "Hà Nội", "Code": "4", "NameExtension": ["Hà Nội", "TP.Hà Nội", "HN"]}]
GHN_DISTRICTS = {202: [{"DistrictID": 1442, "DistrictName": "Quận 1", "NameExtension": ["Quận 1", "Q1", "Q.1"]},
                       {"DistrictID": 1444, "DistrictName": "Quận 3", "NameExtension": ["Quận 3", "Q3"]},
                       {"DistrictID": 1452, "DistrictName": "Quận 10", "NameExtension": ["Quận 10", "Q10"]}],
                 201: [{"DistrictID": 1485, "DistrictName": "Quận Cầu Giấy", "NameExtension": ["Cầu Giấy"]}]}
GHN_WARDS = {1442: [{"WardCode": "20107", "WardName": "Phường Bến Nghé", "NameExtension": ["P.Bến Nghé"]},
                    {"WardCode": "20109", "WardName": "Phường Bến Thành", "NameExtension": []}],
             1444: [{"WardCode": "20301", "WardName": "Phường 1", "NameExtension": ["P1"]}],
             1452: [{"WardCode": "21001", "WardName": "Phường 1", "NameExtension": ["P1"]},
                    {"WardCode": "21014", "WardName": "Phường 14", "NameExtension": []}],
             1485: [{"WardCode": "1A0807", "WardName": "Phường Dịch Vọng", "NameExtension": []}]}
GHN_SHOP_SCOPED = ("/v2/shipping-order/fee", "/v2/shipping-order/create", "/v2/switch-status/cancel",
                   "/v2/shipping-order/leadtime")
REQUIRED_NOTES = ("CHOTHUHANG", "CHOXEMHANGKHONGTHU", "KHONGCHOXEMHANG")


def ghn_error(message: str, code_message: str = "USER_ERR_COMMON", status: int = 400) -> FakeReply:
    return json_reply({"code": status, "message": message, "data": None, "code_message": code_message,
                       "code_message_value": message}, status)


def ghn_ok(data) -> FakeReply:
    return json_reply({"code": 200, "message": "Success", "data": data})


@dataclass
class FakeGhn(FakeCarrier):
    token: str = "ghn-token"
    shop_id: int = 885

    def handle(self, request: FakeRequest) -> FakeReply:
        if request.headers.get("token") != self.token:
            return json_reply({"code": 401, "message": "Token is not valid!", "data": None}, 401)
        path = request.path.removeprefix("/shiip/public-api")
        if path in GHN_SHOP_SCOPED and request.headers.get("shopid") != str(self.shop_id):
            return ghn_error("ShopID is invalid: Lỗi gọi API: corev2_tenant_shop - Shop ID is invalid", "SHOP_NOT_FOUND")
        body = request.json() if request.body else {}
        route = {
            "/master-data/province": lambda: ghn_ok(GHN_PROVINCES),
            "/master-data/district": lambda: ghn_ok(GHN_DISTRICTS.get(int(body.get("province_id") or 0), [])),
            "/master-data/ward": lambda: ghn_ok(GHN_WARDS.get(int(body.get("district_id") or 0), [])),
            "/v2/shipping-order/available-services": lambda: self.services(body),
            "/v2/shipping-order/fee": lambda: self.fee(body),
            "/v2/shipping-order/leadtime": lambda: self.leadtime(body),
            "/v2/shipping-order/create": lambda: self.create(body),
            "/v2/shipping-order/detail-by-client-code": lambda: self.detail(self.by_client(body.get("client_order_code"))),
            "/v2/shipping-order/detail": lambda: self.detail(self.orders.get(body.get("order_code"))),
            "/v2/switch-status/cancel": lambda: self.cancel(body),
        }.get(path)
        return route() if route else json_reply({"code": 404, "message": "Not found", "data": None}, 404)

    def services(self, body: dict) -> FakeReply:
        if _missing(body, "shop_id", "from_district", "to_district"):
            return ghn_error("Thiếu thông tin shop_id/from_district/to_district")
        return ghn_ok([{"service_id": 53320, "short_name": "Chuẩn", "service_type_id": 2},
                       {"service_id": 53321, "short_name": "Tiết kiệm", "service_type_id": 2},
                       {"service_id": 100039, "short_name": "Hàng nặng", "service_type_id": 5}])

    def fee(self, body: dict) -> FakeReply:
        selector = body.get("service_id") or body.get("service_type_id")
        if _missing(body, "to_district_id", "to_ward_code", "weight") or not selector:
            return ghn_error("Sai thông tin đầu vào")
        if body.get("service_id") == 53321:
            return ghn_error("Tuyến đường không hỗ trợ dịch vụ này", "ROUTE_NOT_FOUND_SERVICE")
        total = 36300 if body.get("service_id") in (53320, None) else 70000
        return ghn_ok({"total": total, "service_fee": total, "insurance_fee": 0, "pick_station_fee": 0,
                       "coupon_value": 0, "r2s_fee": 0, "document_return": 0, "double_check": 0, "cod_fee": 0,
                       "pick_remote_areas_fee": 0, "deliver_remote_areas_fee": 0, "cod_failed_fee": 0})

    def leadtime(self, body: dict) -> FakeReply:
        if _missing(body, "to_district_id", "to_ward_code", "service_id"):
            return ghn_error("Thiếu service_id")
        return ghn_ok({"leadtime": 1593187200, "order_date": 1592981718})

    def create(self, body: dict) -> FakeReply:
        missing = _missing(body, "to_name", "to_phone", "to_address", "payment_type_id", "required_note", "weight")
        if not (body.get("to_ward_code") or body.get("to_ward_name")):
            missing.append("to_ward_code")
        if not (body.get("service_id") or body.get("service_type_id")):
            missing.append("service_type_id")
        if missing:
            return ghn_error(f"Thiếu thông tin: {', '.join(missing)}")
        if body["required_note"] not in REQUIRED_NOTES:
            return ghn_error("Sai thông tin Required Note")
        if body.get("client_order_code") and self.by_client(body["client_order_code"]):
            return ghn_error("Mã đơn hàng của khách hàng đã tồn tại", "ORDER_CODE_EXISTED")
        code = f"GA{next(self.counter):04d}XY"
        self.orders[code] = {"client_code": body.get("client_order_code") or "", "status": "ready_to_pick", "body": body}
        return json_reply({"code": 200, "message": "Success", "data": {
            "order_code": code, "sort_code": "19-60-06", "trans_type": "truck", "ward_encode": "", "district_encode": "",
            "fee": {"main_service": 22000, "insurance": 11000, "station_do": 0, "station_pu": 0, "return": 0, "r2s": 0,
                    "coupon": 0, "cod_failed_fee": 0},
            "total_fee": "33000", "expected_delivery_time": "2020-06-03T16:00:00Z"},
            "message_display": f"Tạo đơn hàng thành công. Mã đơn hàng: {code}"})

    def detail(self, order: dict | None) -> FakeReply:
        if order is None:
            return ghn_error("Lỗi gọi API: corev2_tenant_order_detail - code=404, message=Đơn hàng không tồn tại", "")
        code = next(c for c, o in self.orders.items() if o is order)
        return ghn_ok({"shop_id": self.shop_id, "order_code": code, "client_order_code": order["client_code"],
                       "status": order["status"], "cod_amount": order["body"].get("cod_amount", 0),
                       "leadtime": "2021-11-13T23:59:59Z", "updated_date": "2021-11-11T03:07:56.882Z",
                       "sort_code": "19-60-06"})

    def cancel(self, body: dict) -> FakeReply:
        results = []
        for code in body.get("order_codes") or []:
            order = self.orders.get(code)
            ok = order is not None and order["status"] in ("ready_to_pick", "picking")
            if ok:
                order["status"] = "cancel"
            results.append({"order_code": code, "result": ok, "message": "OK" if ok else "Đơn hàng không thể hủy"})
        return ghn_ok(results)


# --- GHTK ----------------------------------------------------------------------------------
def ghtk_error(message: str, error_code: str | None = None, status: int = 200, **extra) -> FakeReply:
    body = {"success": False, "message": message, "log_id": "a1b2c3", **extra}
    if error_code:
        body["error_code"] = error_code
    return json_reply(body, status)


@dataclass
class FakeGhtk(FakeCarrier):
    token: str = "ghtk-token"
    partner_code: str | None = "S308157"

    def handle(self, request: FakeRequest) -> FakeReply:
        if request.headers.get("token") != self.token:
            return ghtk_error("Cần cung cấp token hợp lệ", "20101", 401)
        if self.partner_code and request.headers.get("x-client-source") != self.partner_code:
            return ghtk_error("X-Client-Source không hợp lệ", "20102", 401)
        path = request.path
        if path == "/services/shipment/fee" and request.method == "GET":
            return self.fee(request.query)
        if path in ("/services/shipment/order", "/services/shipment/order/") and request.method == "POST":
            return self.create(request.json())
        if path.startswith("/services/shipment/v2/"):
            return self.status(path.rsplit("/", 1)[1])
        if path.startswith("/services/shipment/cancel/") and request.method == "POST":
            return self.cancel(path.rsplit("/", 1)[1])
        return ghtk_error("Đường dẫn không tồn tại, vui lòng thử lại sau", "10104", 404)

    def find(self, reference: str) -> tuple[str, dict] | None:
        if reference.startswith("partner_id:"):
            wanted = reference.split(":", 1)[1]
            return next(((label, o) for label, o in self.orders.items() if o["client_code"] == wanted), None)
        return (reference, self.orders[reference]) if reference in self.orders else None

    def fee(self, query: dict) -> FakeReply:
        for name in ("pick_province", "pick_district", "province", "district", "weight"):
            if not query.get(name):
                return ghtk_error(f"Xin hãy gửi trường {name}.", None, 422)
        fee = 30400 if query.get("transport", "road") == "road" else 45000
        return json_reply({"success": True, "message": "", "fee": {
            "name": "area1", "fee": fee, "insurance_fee": 0, "delivery_type": "", "a": 3, "dt": "local",
            "extFees": [], "delivery": query.get("province") != "Hoàng Sa"}})

    def create(self, body: dict) -> FakeReply:
        order, products = body.get("order") or {}, body.get("products") or []
        if not order:
            return ghtk_error("Thiếu thông tin đơn hàng", "30101", 422)
        missing = _missing(order, "id", "pick_name", "pick_address", "pick_province", "pick_district", "pick_tel",
                           "name", "address", "province", "district", "ward", "tel")
        if "pick_money" not in order or "value" not in order:
            missing.append("pick_money/value")
        if not (order.get("hamlet") or order.get("street")):
            missing.append("hamlet")
        if not products or any(not p.get("name") or not p.get("weight") for p in products):
            missing.append("products")
        if missing:
            return ghtk_error(f"Thiếu thông tin: {', '.join(missing)}", "30101", 422)
        existing = self.find(f"partner_id:{order['id']}")
        if existing:
            return json_reply({"success": False, "message": "Mã đơn hàng của bạn đã tồn tại trên hệ thống GHTK",
                               "error": {"code": "ORDER_ID_EXIST", "partner_id": order["id"], "ghtk_label": existing[0],
                                         "created": "2016-11-02T12:18:39+07:00", "status": 2}})
        number = next(self.counter)
        label = f"S1.A1.{2001297580 + number}"
        self.orders[label] = {"client_code": order["id"], "status": "2", "body": body}
        return json_reply({"success": True, "message": "", "order": {
            "partner_id": order["id"], "label": label, "area": "1", "fee": "30400", "insurance_fee": "0",
            "tracking_id": 2001297580 + number, "estimated_pick_time": "Sáng 2017-07-01",
            "estimated_deliver_time": "Chiều 2017-07-02", "products": [], "status_id": 2}})

    def status(self, reference: str) -> FakeReply:
        found = self.find(reference)
        if found is None:
            return ghtk_error("Không tìm thấy vận đơn", "50109")
        label, order = found
        body = order["body"]["order"]
        return json_reply({"success": True, "message": "", "order": {
            "label_id": label, "partner_id": order["client_code"], "status": order["status"], "status_text": "Đã tiếp nhận",
            "created": "2016-10-31 22:32:08", "modified": "2016-10-31 22:32:08", "message": "",
            "pick_date": "2017-09-13", "deliver_date": "2017-09-14", "customer_fullname": body["name"],
            "customer_tel": body["tel"], "address": body["address"], "storage_day": "3", "ship_money": "30400",
            "insurance": "0", "value": str(body["value"]), "weight": "300", "pick_money": body["pick_money"],
            "is_freeship": body.get("is_freeship", "0")}})

    def cancel(self, reference: str) -> FakeReply:
        found = self.find(reference)
        if found is None:
            return ghtk_error("Không tìm thấy vận đơn trên hệ thống", "50109", 400)
        order = found[1]
        if order["status"] == "-1":
            return ghtk_error("Đơn hàng đã ở trạng thái hủy", "50101")
        if order["status"] not in ("1", "2", "12"):
            return ghtk_error("Đơn đã lấy hàng, không thể hủy đơn.", "50102")
        order["status"] = "-1"
        return json_reply({"success": True, "message": "", "log_id": "a1b2c3"})


# --- Viettel Post --------------------------------------------------------------------------
def vtp_error(message: str, status: int = 205, http: int = 200) -> FakeReply:
    return json_reply({"status": status, "error": True, "message": message, "data": None}, http)


@dataclass
class FakeViettelPost(FakeCarrier):
    username: str = "0901234567"
    password: str = "secret"
    token: str = "vtp-token"

    def handle(self, request: FakeRequest) -> FakeReply:
        body = request.json() if request.body else {}
        if request.path == "/v2/user/Login":
            if body.get("USERNAME") != self.username or body.get("PASSWORD") != self.password:
                return vtp_error("Tài khoản hoặc mật khẩu không đúng", 204)
            return json_reply({"status": 200, "error": False, "message": "OK",
                               "data": {"userId": 1, "token": self.token, "partner": 1, "phone": self.username}})
        if request.headers.get("token") != self.token:
            return vtp_error("Token không hợp lệ", 401)
        if request.path == "/v2/order/getPriceAll":
            missing = _missing(body, "SENDER_PROVINCE", "SENDER_DISTRICT", "RECEIVER_PROVINCE", "RECEIVER_DISTRICT",
                               "PRODUCT_TYPE", "PRODUCT_WEIGHT", "TYPE")
            if missing:
                return vtp_error(f"Thiếu {', '.join(missing)}")
            return json_reply([{"MA_DV_CHINH": "VCN", "TEN_DICHVU": "Chuyển phát nhanh", "GIA_CUOC": 42000,
                                "THOI_GIAN": "24 giờ", "EXCHANGE_WEIGHT": 1000, "EXTRA_SERVICE": []},
                               {"MA_DV_CHINH": "LCOD", "TEN_DICHVU": "TMĐT tiết kiệm", "GIA_CUOC": 28000,
                                "THOI_GIAN": "72 giờ", "EXCHANGE_WEIGHT": 1000, "EXTRA_SERVICE": []}])
        if request.path == "/v2/order/createOrder":
            missing = _missing(body, "ORDER_NUMBER", "SENDER_FULLNAME", "SENDER_ADDRESS", "SENDER_PHONE",
                               "RECEIVER_FULLNAME", "RECEIVER_ADDRESS", "RECEIVER_PHONE", "RECEIVER_PROVINCE",
                               "PRODUCT_NAME", "PRODUCT_WEIGHT", "ORDER_PAYMENT", "ORDER_SERVICE")
            if missing:
                return vtp_error(f"Thiếu {', '.join(missing)}")
            if self.by_client(body["ORDER_NUMBER"]):
                return vtp_error("ORDER_NUMBER đã tồn tại")
            number = f"1{next(self.counter):011d}"
            self.orders[number] = {"client_code": body["ORDER_NUMBER"], "status": "-100", "body": body}
            return json_reply({"status": 200, "error": False, "message": "OK", "data": {
                "ORDER_NUMBER": number, "MONEY_COLLECTION": body.get("MONEY_COLLECTION", 0), "EXCHANGE_WEIGHT": 1000,
                "MONEY_TOTAL": 42000, "MONEY_TOTAL_FEE": 38182, "MONEY_FEE": 0, "MONEY_COLLECTION_FEE": 0,
                "MONEY_FEE_VAT": 3818, "KPI_HT": 24}})
        return vtp_error("Not found", 404, 404)


def serve_for_demo() -> None:
    """`python -m tests.integration.carriers.fakes`: fake GHN and GHTK for `make run` demos; prints
    the settings to export (tokens ghn-token / ShopId 885, ghtk-token / partner code S308157)."""
    from tests.fakes.server import FakeServer

    with FakeServer(FakeGhn()) as ghn, FakeServer(FakeGhtk()) as ghtk:
        print(f"export QUAY_GHN_API_BASE={ghn.url} QUAY_GHTK_API_BASE={ghtk.url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    serve_for_demo()
