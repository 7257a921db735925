"""Route x role x location: every role, limited to the store, against every route that acts at or
reads from a location, aimed at the warehouse -> 403/404 and nothing changed. The route list comes
from the endpoint registry (the same one the OpenAPI document is built from): a route added later
must be classified below, or the first test fails, so it cannot slip past the matrix."""
import pytest

from chalicelib.core.endpoint import OPERATIONS
from chalicelib.core.roles import Role
from tests.conftest import unique_email

PASSWORD = "mai-vang-2026"

# Routes that act at, or read from, one location: each builds a request aimed at the warehouse.
AT_A_LOCATION = {
    ("POST", "/api/v1/orders"): lambda w: ("post", "/api/v1/orders", {
        "channel": "pos", "location_id": w["wh"], "lines": [{"sku": "TS-M", "quantity": 1}]}),
    ("GET", "/api/v1/orders/{order_id}"): lambda w: ("get", f"/api/v1/orders/{w['order']}", None),
    ("PATCH", "/api/v1/orders/{order_id}"): lambda w: ("patch", f"/api/v1/orders/{w['order']}", {"note": "x"}),
    ("POST", "/api/v1/orders/{order_id}/split"): lambda w: ("post", f"/api/v1/orders/{w['new_order']}/split", {
        "shipments": [{"location_id": w["store"], "lines": [{"sku": "TS-M", "quantity": 1}]},
                      {"location_id": w["wh"], "lines": [{"sku": "TS-M", "quantity": 1}]}]}),
    ("GET", "/api/v1/orders/{order_id}/receipt"): lambda w: ("get", f"/api/v1/orders/{w['order']}/receipt", None),
    ("PATCH", "/api/v1/shipments/{shipment_id}"): lambda w: ("patch", f"/api/v1/shipments/{w['shipment']}",
                                                              {"tracking_number": "T1"}),
    ("POST", "/api/v1/shipments/{shipment_id}/scan"): lambda w: ("post", f"/api/v1/shipments/{w['shipment']}/scan",
                                                                 {"code": "TS-M"}),
    ("GET", "/api/v1/shipments/{shipment_id}/packing-slip"): lambda w: (
        "get", f"/api/v1/shipments/{w['shipment']}/packing-slip", None),
    ("POST", "/api/v1/stock/receipts"): lambda w: ("post", "/api/v1/stock/receipts", {
        "location_id": w["wh"], "lines": [{"sku": "TS-M", "quantity": 1}]}),
    ("POST", "/api/v1/stock/adjustments"): lambda w: ("post", "/api/v1/stock/adjustments", {
        "location_id": w["wh"], "sku": "TS-M", "delta": -1, "reason": "damaged"}),
    ("POST", "/api/v1/stock/transfers"): lambda w: ("post", "/api/v1/stock/transfers", {
        "from_location_id": w["wh"], "to_location_id": w["store"], "lines": [{"sku": "TS-M", "quantity": 1}]}),
    ("POST", "/api/v1/stock/transfers/{transfer_id}/receive"): lambda w: (
        "post", f"/api/v1/stock/transfers/{w['transfer']}/receive", {}),
    ("POST", "/api/v1/stock/stocktakes"): lambda w: ("post", "/api/v1/stock/stocktakes", {
        "location_id": w["wh"], "lines": [{"sku": "TS-M", "counted": 0}]}),
    ("POST", "/api/v1/stock/reservations"): lambda w: ("post", "/api/v1/stock/reservations", {
        "reservation_id": "matrix-1", "location_id": w["wh"], "lines": [{"sku": "TS-M", "quantity": 1}]}),
    ("POST", "/api/v1/stock/reservations/{reservation_id}/release"): lambda w: (
        "post", f"/api/v1/stock/reservations/{w['reservation']}/release", None),
    ("POST", "/api/v1/stock/reservations/{reservation_id}/commit"): lambda w: (
        "post", f"/api/v1/stock/reservations/{w['reservation']}/commit", None),
    ("PUT", "/api/v1/stock/{sku}/locations/{location_id}/threshold"): lambda w: (
        "put", f"/api/v1/stock/TS-M/locations/{w['wh']}/threshold", {"low_stock_threshold": 3}),
    ("POST", "/api/v1/shipments/{shipment_id}/quotes"): lambda w: ("post", f"/api/v1/shipments/{w['shipment']}/quotes", {}),
    ("POST", "/api/v1/shipments/{shipment_id}/actions/book"): lambda w: (
        "post", f"/api/v1/shipments/{w['shipment']}/actions/book", {"carrier_account_id": w["carrier_account"]}),
    ("POST", "/api/v1/shipments/{shipment_id}/actions/cancel_booking"): lambda w: (
        "post", f"/api/v1/shipments/{w['shipment']}/actions/cancel_booking", {"reason": "x"}),
    ("GET", "/api/v1/shipments/{shipment_id}/label"): lambda w: ("get", f"/api/v1/shipments/{w['shipment']}/label", None),
    ("GET", "/api/v1/shipment-labels"): lambda w: ("get", f"/api/v1/shipment-labels?ids={w['shipment']}", None),
    ("POST", "/api/v1/carrier-accounts"): lambda w: ("post", "/api/v1/carrier-accounts", {
        "carrier": "ghtk", "name": "GHTK", "token": "t", "pick_location_id": w["wh"]}),
    ("GET", "/api/v1/carrier-accounts/{account_id}"): lambda w: ("get", f"/api/v1/carrier-accounts/{w['carrier_account']}",
                                                                 None),
    ("PATCH", "/api/v1/carrier-accounts/{account_id}"): lambda w: (
        "patch", f"/api/v1/carrier-accounts/{w['carrier_account']}", {"name": "x"}),
    ("POST", "/api/v1/cod-statements"): lambda w: ("post", "/api/v1/cod-statements", {
        "carrier_account_id": w["carrier_account"], "lines": [{"tracking_number": "S1.A1.1", "cod_amount": 1}]}),
    ("GET", "/api/v1/reports/sales"): lambda w: (
        "get", f"/api/v1/reports/sales?from=2026-01-01&to=2026-12-31&location_id={w['wh']}", None),
    ("GET", "/api/v1/reports/customers"): lambda w: ("get", "/api/v1/reports/customers?from=2026-01-01&to=2026-12-31", None),
    ("GET", "/api/v1/reports/stock"): lambda w: ("get", f"/api/v1/reports/stock?location_id={w['wh']}", None),
    ("POST", "/api/v1/channel-connections"): lambda w: ("post", "/api/v1/channel-connections", {
        "channel": "website", "name": "Web kho", "shop_id": "matrix", "platform": "generic", "location_ids": [w["wh"]]}),
    ("GET", "/api/v1/channel-connections/{connection_id}"): lambda w: (
        "get", f"/api/v1/channel-connections/{w['connection']}", None),
    ("PATCH", "/api/v1/channel-connections/{connection_id}"): lambda w: (
        "patch", f"/api/v1/channel-connections/{w['connection']}", {"buffer": 9}),
    ("GET", "/api/v1/channel-connections/{connection_id}/authorize"): lambda w: (
        "get", f"/api/v1/channel-connections/shopee/authorize?location_ids={w['wh']}", None),
    ("POST", "/api/v1/channel-connections/{connection_id}/sync"): lambda w: (
        "post", f"/api/v1/channel-connections/{w['connection']}/sync", {}),
    ("GET", "/api/v1/channel-connections/{connection_id}/log"): lambda w: (
        "get", f"/api/v1/channel-connections/{w['connection']}/log", None),
    ("GET", "/api/v1/channel-listings"): lambda w: ("get", f"/api/v1/channel-listings?connection_id={w['connection']}",
                                                     None),
    ("POST", "/api/v1/channel-listings/{listing_id}/link"): lambda w: (
        "post", f"/api/v1/channel-listings/{w['listing']}/link", {"sku": "TS-M"}),
    ("POST", "/api/v1/channel-listings/{listing_id}/push"): lambda w: (
        "post", f"/api/v1/channel-listings/{w['listing']}/push", None),
    ("POST", "/api/v1/staff"): lambda w: ("post", "/api/v1/staff", {
        "email": unique_email("m"), "name": "M", "role": "warehouse", "password": PASSWORD, "location_ids": [w["wh"]]}),
    ("POST", "/api/v1/invoices"): lambda w: ("post", "/api/v1/invoices", {"order_id": w["order"]}),
    ("GET", "/api/v1/invoices/{invoice_id}"): lambda w: ("get", f"/api/v1/invoices/{w['invoice']}", None),
    ("GET", "/api/v1/invoices/{invoice_id}/xml"): lambda w: ("get", f"/api/v1/invoices/{w['invoice']}/xml", None),
    ("GET", "/api/v1/invoices/{invoice_id}/print"): lambda w: ("get", f"/api/v1/invoices/{w['invoice']}/print", None),
    ("POST", "/api/v1/invoices/{invoice_id}/actions/{action}"): lambda w: (
        "post", f"/api/v1/invoices/{w['invoice']}/actions/cancel", {"reason": "x"}),
    ("POST", "/api/v1/live-sessions"): lambda w: ("post", "/api/v1/live-sessions", {
        "title": "Live", "channel": "livestream", "location_id": w["wh"], "items": [{"code": "A1", "sku": "TS-M"}]}),
    ("GET", "/api/v1/live-sessions/{session_id}"): lambda w: ("get", f"/api/v1/live-sessions/{w['live']}", None),
    ("PATCH", "/api/v1/live-sessions/{session_id}"): lambda w: ("patch", f"/api/v1/live-sessions/{w['live']}",
                                                                 {"title": "x"}),
    ("POST", "/api/v1/live-sessions/{session_id}/comments"): lambda w: (
        "post", f"/api/v1/live-sessions/{w['live']}/comments", {"author_name": "Lan", "text": "A1 0901234567"}),
    ("POST", "/api/v1/live-sessions/{session_id}/comments/{comment_id}/resolve"): lambda w: (
        "post", f"/api/v1/live-sessions/{w['live']}/comments/{w['live_comment']}/resolve",
        {"lines": [{"sku": "TS-M", "quantity": 1}]}),
    ("POST", "/api/v1/live-sessions/{session_id}/actions/end"): lambda w: (
        "post", f"/api/v1/live-sessions/{w['live']}/actions/end", None),
}
ORDER_ACTIONS = ["confirm", "pack", "mark_ready", "hand_over", "complete", "cancel", "return", "mark_paid"]
# Shop-wide routes (catalog, customers, lists, settings, sign-in) and reads of shop-wide facts.
SHOP_WIDE = {
    ("GET", "/api/v1/audit"), ("GET", "/api/v1/audit/staff/{staff_id}"), ("POST", "/api/v1/products"),
    ("GET", "/api/v1/products"), ("GET", "/api/v1/products/{product_id}"), ("PATCH", "/api/v1/products/{product_id}"),
    ("POST", "/api/v1/products/{product_id}/variants"), ("PATCH", "/api/v1/products/{product_id}/variants/{sku}"),
    ("GET", "/api/v1/variants/by-barcode/{code}"), ("POST", "/api/v1/products/import"), ("GET", "/api/v1/products/export"),
    ("GET", "/api/v1/customers"), ("GET", "/api/v1/customers/{customer_id}"), ("PATCH", "/api/v1/customers/{customer_id}"),
    ("POST", "/api/v1/customers/{customer_id}/merge"), ("GET", "/api/v1/orders"), ("GET", "/api/v1/orders/counts"),
    ("POST", "/api/v1/auth/devices"), ("GET", "/api/v1/me"), ("GET", "/api/v1/staff"), ("GET", "/api/v1/staff/{staff_id}"),
    ("PATCH", "/api/v1/staff/{staff_id}"), ("GET", "/api/v1/stock/transfers/{transfer_id}"),
    ("GET", "/api/v1/stock/reservations/{reservation_id}"), ("GET", "/api/v1/stock/availability"),
    ("POST", "/api/v1/stock/holds"), ("PUT", "/api/v1/channels/{channel}/rule"), ("GET", "/api/v1/stock/reconcile"),
    ("GET", "/api/v1/stock/{sku}"), ("GET", "/api/v1/stock/{sku}/ledger"), ("POST", "/api/v1/locations"),
    ("GET", "/api/v1/locations"), ("GET", "/api/v1/locations/{location_id}"), ("GET", "/api/v1/shop"),
    ("PATCH", "/api/v1/shop"), ("GET", "/api/v1/carrier-accounts"), ("GET", "/api/v1/reports/cod"),
    ("GET", "/api/v1/invoice-settings"), ("PUT", "/api/v1/invoice-settings"),
    ("GET", "/api/v1/invoices"), ("GET", "/api/v1/invoice-buyers/{tax_code}"), ("GET", "/api/v1/live-sessions"),
    ("GET", "/api/v1/channel-connections"),
    # alerts: shop-wide settings and the shop's alert list; push subscriptions belong to the caller's device
    ("GET", "/api/v1/alert-settings"), ("PUT", "/api/v1/alert-settings"), ("POST", "/api/v1/alert-settings/telegram-link"),
    ("GET", "/api/v1/alerts"), ("POST", "/api/v1/alerts/{alert_id}/retry"), ("GET", "/api/v1/push/key"),
    ("POST", "/api/v1/push-subscriptions"), ("DELETE", "/api/v1/push-subscriptions"),
}
ROLES = [role for role in Role if role is not Role.owner]


def test_every_route_is_classified_for_the_matrix(app):
    routes = {(op.method, op.path) for op in OPERATIONS if not op.public}
    classified = set(AT_A_LOCATION) | SHOP_WIDE | {("POST", "/api/v1/orders/{order_id}/actions/{action}")}
    assert routes - classified == set(), "classify the new routes in this file"
    assert classified - routes == set(), "these routes no longer exist"


@pytest.fixture
def warehouse_world(api, store):
    """Things at the warehouse (an order confirmed there, a new order, a reservation, a transfer
    coming in) and one staff member per role limited to the store."""
    owner, wh, counter = store["api"], store["warehouse"], store["store"]
    owner.post("/api/v1/stock/receipts", {"location_id": wh, "lines": [{"sku": "TS-M", "quantity": 20}]})
    owner.post("/api/v1/stock/receipts", {"location_id": counter, "lines": [{"sku": "TS-M", "quantity": 5}]})

    def new_order(quantity=1):
        return owner.post("/api/v1/orders", {"channel": "website", "customer": {"name": "A", "phone": "0901234567"},
                                             "shipping_address": {"text": "1 Lê Lợi"},
                                             "lines": [{"sku": "TS-M", "quantity": quantity}]}).data["id"]
    order = new_order()
    confirmed = owner.post(f"/api/v1/orders/{order}/actions/confirm", {"location_id": wh}).data
    owner.post("/api/v1/stock/reservations", {"reservation_id": "at-wh", "location_id": wh,
                                              "lines": [{"sku": "TS-M", "quantity": 1}]})
    transfer = owner.post("/api/v1/stock/transfers", {"from_location_id": counter, "to_location_id": wh,
                                                      "lines": [{"sku": "TS-M", "quantity": 1}]}).data["id"]
    carrier_account = owner.post("/api/v1/carrier-accounts", {"carrier": "ghtk", "name": "GHTK kho", "token": "t",
                                                              "pick_location_id": wh}).data["id"]
    owner.call("put", "/api/v1/invoice-settings", {"seller": {"name": "Quay", "tax_code": "0100109106", "address": "HN"},
                                                   "provider": "manual", "template_code": "1", "symbol": "C26TAA"})
    invoice = owner.post("/api/v1/invoices", {"order_id": order}).data["id"]
    owner.post(f"/api/v1/invoices/{invoice}/actions/issue", {})
    live = owner.post("/api/v1/live-sessions", {"title": "Live", "channel": "livestream", "location_id": wh,
                                                "items": [{"code": "A1", "sku": "TS-M"}]}).data["id"]
    review = owner.post(f"/api/v1/live-sessions/{live}/comments", {"author_name": "Lan", "text": "A7 nhé",
                                                                   "comment_id": "c-review"}).data
    assert review["result"] == "needs_review", review
    connection = owner.post("/api/v1/channel-connections", {"channel": "website", "name": "Web", "shop_id": "wh-web",
                                                            "platform": "generic", "location_ids": [wh]}).data["id"]
    listing = _listing_at(store["tenant_id"], connection)
    staff = {}
    for role in ROLES:
        email = unique_email(role.value)
        made = owner.post("/api/v1/staff", {"email": email, "name": role.value, "role": role.value,
                                            "password": PASSWORD, "location_ids": [counter]})
        assert made.status_code == 201, made.body
        staff[role] = api.as_(api.post("/api/v1/auth/login", {"email": email, "password": PASSWORD}).data["access_token"])
    return {"owner": owner, "wh": wh, "store": counter, "order": order, "new_order": new_order(2),
            "shipment": confirmed["shipments"][0]["id"], "reservation": "at-wh", "transfer": transfer, "staff": staff,
            "carrier_account": carrier_account, "invoice": invoice, "live": live, "live_comment": "c-review",
            "connection": connection, "listing": listing}


def _listing_at(tenant_id: str, connection_id: str) -> str:
    """A listing of the warehouse's website connection, as a webhook order would have left it."""
    from chalicelib.channels import connections, listings
    from chalicelib.channels.providers.base import Listing

    item = connections.load_item(tenant_id, connection_id)
    return listings.seen(item, Listing("p-1", None, "WEB-1", "Áo web", "active")).listing_id


def _state(w) -> dict:
    owner = w["owner"]
    orders = {k: owner.get(f"/api/v1/orders/{w[k]}").data for k in ("order", "new_order")}
    level = next(x for x in owner.get("/api/v1/stock/TS-M").data["locations"] if x["location_id"] == w["wh"])
    return {"orders": {k: (o["status"], o["version"]) for k, o in orders.items()}, "level": level,
            "reservation": owner.get(f"/api/v1/stock/reservations/{w['reservation']}").data["status"],
            "transfer": owner.get(f"/api/v1/stock/transfers/{w['transfer']}").data["status"],
            "staff": len(owner.get("/api/v1/staff").data["items"]),
            "invoices": [(x["id"], x["status"]) for x in owner.get("/api/v1/invoices").data["items"]],
            "live": {k: v for k, v in owner.get(f"/api/v1/live-sessions/{w['live']}").data.items() if k != "now"},
            "connections": [(c["id"], c["buffer"]) for c in owner.get("/api/v1/channel-connections").data["items"]],
            "listings": [(x["id"], x["sku"]) for x in owner.get("/api/v1/channel-listings").data["items"]]}


def test_no_role_limited_to_the_store_can_act_at_the_warehouse(warehouse_world):
    w = warehouse_world
    before = _state(w)
    requests = [build(w) for build in AT_A_LOCATION.values()]
    requests += [("post", f"/api/v1/orders/{w['order']}/actions/{action}",
                  {"location_id": w["wh"], "reason": "x"} if action in ("confirm", "cancel") else {})
                 for action in ORDER_ACTIONS]
    allowed = []
    for role, caller in w["staff"].items():
        for method, path, body in requests:
            answer = caller.call(method, path, body)
            if answer.status_code not in (403, 404):
                allowed.append(f"{role.value} {method.upper()} {path} -> {answer.status_code} {answer.body[:200]}")
    probes = len(w["staff"]) * len(requests)
    print(f"location matrix: {len(requests)} requests x {len(w['staff'])} roles = {probes} probes")
    assert allowed == []
    assert _state(w) == before
