"""Fake Shopee, Lazada and TikTok Shop servers for the adapter tests. Each checks requests the way
its platform does (its own signature code, written independently of the adapters: a shared bug
would otherwise pass), keeps a little state (orders, listings, tokens) and answers in the shapes of
the platforms' documented samples, errors included. Tests inject one-off replies (a 429, a 5xx)
with `fail_next(path, reply)`.

Use with tests/fakes/server.py:  with FakeServer(FakeShopee(...)) as server: ...
"""
from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections import defaultdict

from tests.fakes.server import FakeReply, FakeRequest, json_reply


def _hmac_hex(key: str, message: bytes) -> str:
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


class FakePlatform:
    clock_skew_allowed = 300  # seconds; the platforms refuse stale timestamps

    def __init__(self):
        self.injected: dict[str, list[FakeReply]] = defaultdict(list)
        self.calls: dict[str, int] = defaultdict(int)

    def fail_next(self, path: str, reply: FakeReply, times: int = 1) -> None:
        self.injected[path].extend([reply] * times)

    def __call__(self, request: FakeRequest) -> FakeReply:
        self.calls[request.path] += 1
        if self.injected.get(request.path):
            return self.injected[request.path].pop(0)
        return self.handle(request)

    def handle(self, request: FakeRequest) -> FakeReply:  # pragma: no cover - overridden
        raise NotImplementedError

    def fresh(self, timestamp: str | None, *, millis: bool = False) -> bool:
        try:
            value = int(timestamp or "")
        except ValueError:
            return False
        now = time.time() * (1000 if millis else 1)
        return abs(now - value) <= self.clock_skew_allowed * (1000 if millis else 1)


# --- Shopee ----------------------------------------------------------------------------------

class FakeShopee(FakePlatform):
    """Shopee Open Platform v2 on `/api/v2/...`."""

    def __init__(self, partner_id: str, partner_key: str, shop_id: str, access_token: str, orders: list[dict],
                 items: list[dict] | None = None, models: dict[str, dict] | None = None):
        super().__init__()
        self.partner_id, self.partner_key, self.shop_id = partner_id, partner_key, shop_id
        self.valid_tokens = {access_token}
        self.refresh = {}                         # refresh token -> (new access, new refresh)
        self.codes = {}                           # auth code -> (access, refresh)
        self.orders = {o["order_sn"]: o for o in orders}
        self.items = items or []
        self.models = models or {}
        self.stock_updates: list[dict] = []
        self.shipped: list[dict] = []

    def _error(self, error: str, message: str, status: int = 403) -> FakeReply:
        return json_reply({"error": error, "message": message, "request_id": uuid.uuid4().hex}, status)

    def _ok(self, response: dict) -> FakeReply:
        return json_reply({"error": "", "message": "", "request_id": uuid.uuid4().hex, "response": response})

    def handle(self, request: FakeRequest) -> FakeReply:
        q = request.query
        public = request.path.startswith("/api/v2/auth/")
        if q.get("partner_id") != self.partner_id:
            return self._error("error_param", "Invalid partner_id.", 400)
        if not self.fresh(q.get("timestamp")):
            return self._error("error_param", "Invalid timestamp.", 400)
        base = f"{self.partner_id}{request.path}{q.get('timestamp')}"
        if not public:
            base += f"{q.get('access_token', '')}{q.get('shop_id', '')}"
        if not hmac.compare_digest(_hmac_hex(self.partner_key, base.encode()), q.get("sign", "")):
            return self._error("error_sign", "Wrong sign.")
        if public:
            return self._auth(request)
        if q.get("shop_id") != self.shop_id:
            return self._error("error_auth", "Invalid shop_id.")
        if q.get("access_token") not in self.valid_tokens:
            return self._error("invalid_acceess_token", "Invalid access_token.")
        route = {
            "/api/v2/order/get_order_list": self._order_list,
            "/api/v2/order/get_order_detail": self._order_detail,
            "/api/v2/product/get_item_list": self._item_list,
            "/api/v2/product/get_item_base_info": self._item_base,
            "/api/v2/product/get_model_list": self._model_list,
            "/api/v2/product/update_stock": self._update_stock,
            "/api/v2/logistics/get_shipping_parameter": self._shipping_parameter,
            "/api/v2/logistics/ship_order": self._ship_order,
        }.get(request.path)
        if route is None:
            return self._error("error_not_found", "Wrong path.", 404)
        expects_post = request.path in ("/api/v2/product/update_stock", "/api/v2/logistics/ship_order")
        if (request.method == "POST") != expects_post:
            return self._error("error_method", "Wrong method.", 405)
        return route(request)

    def _auth(self, request: FakeRequest) -> FakeReply:
        body = request.json() or {}
        if body.get("partner_id") != int(self.partner_id) or str(body.get("shop_id")) != self.shop_id:
            return self._error("error_param", "partner_id and shop_id are required.", 400)
        if request.path == "/api/v2/auth/token/get":
            tokens = self.codes.pop(body.get("code"), None)
        else:
            tokens = self.refresh.pop(body.get("refresh_token"), None)
        if tokens is None:
            return self._error("error_auth", "Invalid code or refresh_token.")
        self.valid_tokens.add(tokens[0])
        return json_reply({"access_token": tokens[0], "refresh_token": tokens[1], "expire_in": 14400, "error": "",
                           "message": "", "request_id": uuid.uuid4().hex, "shop_id": int(self.shop_id),
                           "partner_id": int(self.partner_id)})

    def _order_list(self, request: FakeRequest) -> FakeReply:
        q = request.query
        time_from, time_to = int(q["time_from"]), int(q["time_to"])
        if time_to - time_from > 15 * 86400:
            return self._error("error_param", "time_to - time_from must be within 15 days.", 400)
        if q.get("time_range_field") not in ("create_time", "update_time"):
            return self._error("error_param", "time_range_field is required.", 400)
        field = q["time_range_field"]
        matching = sorted((o for o in self.orders.values() if time_from <= o[field] <= time_to), key=lambda o: o["order_sn"])
        start, size = int(q.get("cursor") or 0), int(q["page_size"])
        if not 1 <= size <= 100:
            return self._error("error_param", "page_size must be within [1,100].", 400)
        page = matching[start:start + size]
        more = start + size < len(matching)
        return self._ok({"more": more, "next_cursor": str(start + size) if more else "",
                         "order_list": [{"order_sn": o["order_sn"]} for o in page]})

    def _order_detail(self, request: FakeRequest) -> FakeReply:
        sns = [s for s in request.query.get("order_sn_list", "").split(",") if s]
        if not 1 <= len(sns) <= 50:
            return self._error("error_param", "order_sn_list limit [1,50].", 400)
        return self._ok({"order_list": [self.orders[s] for s in sns if s in self.orders]})

    def _item_list(self, request: FakeRequest) -> FakeReply:
        offset, size = int(request.query.get("offset") or 0), int(request.query["page_size"])
        page = self.items[offset:offset + size]
        more = offset + size < len(self.items)
        return self._ok({"item": [{"item_id": i["item_id"], "item_status": i["item_status"], "update_time": 1719800000}
                                  for i in page], "total_count": len(self.items), "has_next_page": more,
                         "next_offset": offset + size if more else 0})

    def _item_base(self, request: FakeRequest) -> FakeReply:
        ids = {int(x) for x in request.query["item_id_list"].split(",")}
        return self._ok({"item_list": [i for i in self.items if i["item_id"] in ids]})

    def _model_list(self, request: FakeRequest) -> FakeReply:
        return self._ok(self.models[request.query["item_id"]])

    def _update_stock(self, request: FakeRequest) -> FakeReply:
        body = request.json()
        self.stock_updates.append(body)
        return self._ok({"success_list": [{"model_id": s["model_id"], "stock": s["seller_stock"][0]["stock"]}
                                          for s in body["stock_list"]], "failure_list": []})

    def _shipping_parameter(self, request: FakeRequest) -> FakeReply:
        return self._ok({"info_needed": {"pickup": ["address_id", "pickup_time_id"]},
                         "pickup": {"address_list": [{"address_id": 777, "region": "VN", "state": "TP. Hồ Chí Minh",
                                                      "time_slot_list": [{"date": 1719900000, "pickup_time_id": "slot-1"}]}]}})

    def _ship_order(self, request: FakeRequest) -> FakeReply:
        body = request.json()
        order = self.orders.get(body.get("order_sn"))
        if order is None or order["order_status"] != "READY_TO_SHIP":
            return self._error("logistics.ship_order_only_support_one_type", "Order cannot be shipped.", 400)
        self.shipped.append(body)
        return self._ok({})


# --- Lazada ----------------------------------------------------------------------------------

class FakeLazada(FakePlatform):
    """Lazada Open Platform under `/rest` (API and auth share this fake)."""

    def __init__(self, app_key: str, app_secret: str, access_token: str, orders: list[dict], items: dict[str, list[dict]],
                 products: list[dict] | None = None):
        super().__init__()
        self.app_key, self.app_secret = app_key, app_secret
        self.valid_tokens = {access_token}
        self.refresh = {}
        self.codes = {}
        self.orders = {str(o["order_id"]): o for o in orders}
        self.items = items
        self.products = products or []
        self.stock_payloads: list[str] = []
        self.rts: list[dict] = []

    def _error(self, code: str, message: str) -> FakeReply:
        return json_reply({"type": "ISV", "code": code, "message": message, "request_id": uuid.uuid4().hex})

    def _ok(self, data) -> FakeReply:
        return json_reply({"code": "0", "data": data, "request_id": uuid.uuid4().hex})

    def handle(self, request: FakeRequest) -> FakeReply:
        params = dict(request.query)
        if request.method == "POST":
            if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
                return self._error("InvalidParameter", "Form body expected")
            params.update(request.form)
        api = request.path.removeprefix("/rest")
        if params.get("app_key") != self.app_key:
            return self._error("InvalidAppKey", "App key is invalid")
        if params.get("sign_method") != "sha256" or not self.fresh(params.get("timestamp"), millis=True):
            return self._error("InvalidTimestamp", "Timestamp or sign method is invalid")
        text = api + "".join(k + params[k] for k in sorted(params) if k != "sign")
        expected = _hmac_hex(self.app_secret, text.encode()).upper()
        if not hmac.compare_digest(expected, params.get("sign", "")):
            return self._error("IncompleteSignature", "The request signature does not conform to platform standards")
        if api.startswith("/auth/token/"):
            return self._auth(api, params)
        if params.get("access_token") not in self.valid_tokens:
            return self._error("IllegalAccessToken", "The specified access token is invalid or expired")
        route = {"/orders/get": self._orders, "/order/get": self._order, "/orders/items/get": self._orders_items,
                 "/order/items/get": self._order_items, "/products/get": self._products,
                 "/product/price_quantity/update": self._stock, "/order/rts": self._rts}.get(api)
        if route is None:
            return self._error("InvalidApiPath", "The specified API path is invalid")
        return route(params)

    def _auth(self, api: str, params: dict) -> FakeReply:
        tokens = self.codes.pop(params.get("code"), None) if api == "/auth/token/create" else self.refresh.pop(
            params.get("refresh_token"), None)
        if tokens is None:
            return self._error("InvalidCode", "Invalid authorization code or refresh token")
        self.valid_tokens.add(tokens[0])
        return json_reply({"access_token": tokens[0], "refresh_token": tokens[1], "expires_in": 604800,
                           "refresh_expires_in": 2592000, "account_platform": "seller_center", "account": "shop@example.vn",
                           "country": "vn", "code": "0", "request_id": uuid.uuid4().hex,
                           "country_user_info": [{"country": "vn", "seller_id": "100200300", "user_id": "2001",
                                                  "short_code": "VN1XYZ"}]})

    def _orders(self, params: dict) -> FakeReply:
        if "update_after" not in params and "created_after" not in params:
            return self._error("MissingParameter", "created_after or update_after is required")
        limit, offset = int(params.get("limit", 100)), int(params.get("offset", 0))
        if limit > 100:
            return self._error("InvalidParameter", "limit must be <= 100")
        ordered = sorted(self.orders.values(), key=lambda o: o["updated_at"])
        page = ordered[offset:offset + limit]
        return self._ok({"count": len(page), "countTotal": len(ordered), "orders": page})

    def _order(self, params: dict) -> FakeReply:
        order = self.orders.get(params.get("order_id"))
        return self._ok(order) if order else self._error("InvalidOrderId", "Order not found")

    def _orders_items(self, params: dict) -> FakeReply:
        ids = json.loads(params["order_ids"])
        return self._ok([{"order_id": int(i), "order_number": int(i), "order_items": self.items.get(str(i), [])} for i in ids])

    def _order_items(self, params: dict) -> FakeReply:
        return self._ok(self.items.get(params["order_id"], []))

    def _products(self, params: dict) -> FakeReply:
        limit, offset = int(params.get("limit", 20)), int(params.get("offset", 0))
        return self._ok({"total_products": len(self.products), "products": self.products[offset:offset + limit]})

    def _stock(self, params: dict) -> FakeReply:
        payload = params.get("payload", "")
        if "<Request>" not in payload or "<Quantity>" not in payload:
            return self._error("InvalidParameter", "payload must be XML with Quantity")
        self.stock_payloads.append(payload)
        return json_reply({"code": "0", "request_id": uuid.uuid4().hex})

    def _rts(self, params: dict) -> FakeReply:
        if params.get("delivery_type") != "dropship" or not params.get("order_item_ids"):
            return self._error("MissingParameter", "delivery_type and order_item_ids are required")
        self.rts.append(params)
        return self._ok({"order_items": [{"order_item_id": i} for i in json.loads(params["order_item_ids"])]})


# --- TikTok Shop -----------------------------------------------------------------------------

class FakeTikTok(FakePlatform):
    """TikTok Shop API 202309; the auth host's /api/v2/token/* on the same server."""

    def __init__(self, app_key: str, app_secret: str, access_token: str, shop_cipher: str, orders: list[dict],
                 products: list[dict] | None = None):
        super().__init__()
        self.app_key, self.app_secret, self.shop_cipher = app_key, app_secret, shop_cipher
        self.valid_tokens = {access_token}
        self.expired_tokens: set[str] = set()
        self.refresh = {}
        self.codes = {}
        self.orders = {o["id"]: o for o in orders}
        self.products = products or []
        self.inventory_updates: list[tuple[str, dict]] = []
        self.shipped: list[tuple[str, dict]] = []

    def _error(self, code: int, message: str, status: int = 200) -> FakeReply:
        return json_reply({"code": code, "message": message, "request_id": uuid.uuid4().hex, "data": None}, status)

    def _ok(self, data) -> FakeReply:
        return json_reply({"code": 0, "message": "Success", "request_id": uuid.uuid4().hex, "data": data})

    def handle(self, request: FakeRequest) -> FakeReply:
        q = request.query
        if request.path.startswith("/api/v2/token/"):
            return self._token(request.path, q)
        if q.get("app_key") != self.app_key or not self.fresh(q.get("timestamp")):
            return self._error(106001, "Invalid app_key or timestamp", 401)
        pairs = "".join(k + q[k] for k in sorted(q) if k not in ("sign", "access_token"))
        text = f"{self.app_secret}{request.path}{pairs}{request.body.decode()}{self.app_secret}"
        if not hmac.compare_digest(_hmac_hex(self.app_secret, text.encode()), q.get("sign", "")):
            return self._error(106001, "Invalid signature", 401)
        token = request.headers.get("x-tts-access-token", "")
        if token in self.expired_tokens:
            return self._error(105002, "Access token is expired, please refresh it", 401)
        if token not in self.valid_tokens:
            return self._error(105001, "Access token is invalid", 401)
        if request.path == "/authorization/202309/shops":
            return self._ok({"shops": [{"cipher": self.shop_cipher, "code": "VNLCX3", "id": "7495", "name": "Shop Quay",
                                        "region": "VN", "seller_type": "LOCAL"}]})
        if q.get("shop_cipher") != self.shop_cipher:
            return self._error(36009003, "Invalid shop_cipher", 400)
        if request.path == "/order/202309/orders/search" and request.method == "POST":
            return self._search(q, request.json() or {})
        if request.path == "/order/202309/orders" and request.method == "GET":
            ids = [i for i in q.get("ids", "").split(",") if i]
            if not 1 <= len(ids) <= 50:
                return self._error(36009004, "ids must be 1..50")
            return self._ok({"orders": [self.orders[i] for i in ids if i in self.orders]})
        if request.path == "/product/202309/products/search" and request.method == "POST":
            return self._paged(q, self.products, "products")
        if request.path.endswith("/inventory/update") and request.method == "POST":
            product_id = request.path.split("/")[4]
            self.inventory_updates.append((product_id, request.json()))
            return self._ok({})
        if request.path.startswith("/fulfillment/202309/packages/") and request.path.endswith("/ship"):
            self.shipped.append((request.path.split("/")[4], request.json()))
            return self._ok({})
        return self._error(40006, "Path not found", 404)

    def _paged(self, q: dict, entries: list, key: str, extra: dict | None = None) -> FakeReply:
        size = int(q.get("page_size") or 0)
        if not 1 <= size <= 100:
            return self._error(36009004, "page_size is required, 1..100")
        start = int(q.get("page_token") or 0)
        page = entries[start:start + size]
        more = start + size < len(entries)
        return self._ok({key: page, "next_page_token": str(start + size) if more else "", "total_count": len(entries)})

    def _search(self, q: dict, body: dict) -> FakeReply:
        low, high = body.get("update_time_ge", 0), body.get("update_time_lt", 2**40)
        matching = sorted((o for o in self.orders.values() if low <= o["update_time"] < high), key=lambda o: o["update_time"])
        return self._paged(q, matching, "orders")

    def _token(self, path: str, q: dict) -> FakeReply:
        if q.get("app_key") != self.app_key or q.get("app_secret") != self.app_secret:
            return self._error(36004004, "invalid app_key or app_secret")
        if path == "/api/v2/token/get" and q.get("grant_type") == "authorized_code":
            tokens = self.codes.pop(q.get("auth_code"), None)
        elif path == "/api/v2/token/refresh" and q.get("grant_type") == "refresh_token":
            tokens = self.refresh.pop(q.get("refresh_token"), None)
        else:
            tokens = None
        if tokens is None:
            return self._error(36004004, "invalid auth code")
        self.valid_tokens.add(tokens[0])
        now = int(time.time())
        return self._ok({"access_token": tokens[0], "access_token_expire_in": now + 7 * 86400, "refresh_token": tokens[1],
                         "refresh_token_expire_in": now + 60 * 86400, "open_id": "open-1", "seller_name": "Shop Quay",
                         "seller_base_region": "VN", "user_type": 0})


def serve_for_demo() -> None:
    """`python -m tests.integration.channels.fakes`: a fake Shopee shop (shop id 123456, access token
    shp-tok, the samples' orders and listings) for `make run` demos; prints the settings to export.
    Connect it in the PWA (Kênh bán → Shopee, shop id 123456, token shp-tok) and press "Đồng bộ"."""
    import time

    from tests.fakes.server import FakeServer
    from tests.unit.channels import samples

    items, models = samples.shopee_items()
    shop = FakeShopee("2001234", "shopee-partner-key", "123456", "shp-tok", samples.shopee_orders(), items, models)
    with FakeServer(shop) as server:
        print(f"export QUAY_SHOPEE_API_BASE={server.url} QUAY_SHOPEE_PARTNER_ID=2001234 "
              "QUAY_SHOPEE_PARTNER_KEY=shopee-partner-key", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    serve_for_demo()
