"""A packer at 360x640 opens "Gửi hàng" on a packed parcel, sees GHN's and GHTK's quotes side by
side (fake carrier servers that check requests as the carriers do), books GHN and prints its label."""
from dataclasses import replace

import pytest
from playwright.sync_api import expect

from chalicelib.core.settings import settings
from tests.e2e.conftest import new_order, open_page, sign_in
from tests.e2e.test_pack import RECORDERS
from tests.fakes.server import FakeServer
from tests.integration.carriers.fakes import FakeGhn, FakeGhtk

pytestmark = pytest.mark.browser
PICKUP = {"phone": "0911222333", "street": "590 CMT8", "ward_name": "Phường Bến Thành", "district_name": "Quận 1",
          "province_name": "TP. Hồ Chí Minh"}


def packed(owner, warehouse) -> dict:
    """A new order, confirmed, packed and ready: its parcel waits for a carrier."""
    order = new_order(owner, shipping_address={"name": "Lê Văn Khách", "phone": "0901234567",
                                               "text": "72 Thành Thái, Phường 14, Quận 10, Hồ Chí Minh"})
    for action, body in (("confirm", {"location_id": warehouse}), ("pack", {}), ("mark_ready", {"verified_without_scan": True})):
        moved = owner.post(f"/api/v1/orders/{order['id']}/actions/{action}", body)
        assert moved.status_code == 200, moved.body
    return moved.data


@pytest.fixture
def carriers(monkeypatch):
    ghn, ghtk = FakeGhn(), FakeGhtk()
    with FakeServer(ghn) as ghn_server, FakeServer(ghtk) as ghtk_server:
        monkeypatch.setattr("chalicelib.carriers.accounts.settings",
                            replace(settings, ghn_api_base=ghn_server.url, ghtk_api_base=ghtk_server.url))
        yield {"ghn": ghn, "ghtk": ghtk}


def test_packer_books_the_cheapest_choice_of_two_carriers_and_prints_the_label(api, base_url, phone, shop_data, carriers):
    owner, warehouse = shop_data["owner"], shop_data["warehouse"]
    for account in ({"carrier": "ghn", "name": "GHN", "token": "ghn-token", "carrier_shop_id": "885"},
                    {"carrier": "ghtk", "name": "GHTK", "token": "ghtk-token", "carrier_shop_id": "S308157"}):
        made = owner.post("/api/v1/carrier-accounts", {**account, "pick_location_id": warehouse, "pick_address": PICKUP})
        assert made.status_code == 201, made.body
    order = packed(owner, warehouse)
    shipment = order["shipments"][0]["id"]

    context = phone()
    context.add_init_script(RECORDERS)
    sign_in(context, api, shop_data["email"], shop_data["password"])
    page = open_page(context, base_url + f"/#/pack/{order['id']}")
    page.locator(f"[data-ship='{shipment}']").click()
    expect(page.locator(f".shipping[data-shipment='{shipment}']")).to_be_visible()
    expect(page.locator("#cod-owed")).to_have_text("460.000 ₫")
    page.click("#get-quotes")
    quotes = page.locator("#quotes label.quote")
    expect(quotes).to_have_count(3)
    expect(quotes.first).to_have_attribute("data-carrier", "ghtk")  # cheapest first
    expect(page.locator("#quotes label.quote[data-carrier=ghn] .fee")).to_have_text("36.300 ₫")
    page.locator("#quotes label.quote[data-carrier=ghn]").click()
    book = page.locator("#book")
    box = book.bounding_box()
    assert box["y"] + box["height"] <= 640 and box["height"] >= 40  # thumb-reachable, on screen
    book.click()
    expect(page.locator("#booked")).to_be_visible()
    tracking = page.locator("#tracking").inner_text()
    assert list(carriers["ghn"].orders) == [tracking] and not carriers["ghtk"].orders
    stored = owner.get(f"/api/v1/orders/{order['id']}").data["shipments"][0]
    assert (stored["carrier"], stored["tracking_number"], stored["cod_amount"]) == ("ghn", tracking, 460000)

    page.click("#print-a6")
    page.wait_for_function("() => window.__printed.length === 1")
    label = page.evaluate("window.__printed[0]")
    assert tracking in label and "<svg" in label and "460.000 ₫" in label and "Lê Văn Khách" in label
    assert page.script_errors == []


def test_a_wave_of_two_parcels_is_booked_at_once_and_its_labels_print_as_one_document(api, base_url, phone, shop_data,
                                                                                       carriers):
    owner, warehouse = shop_data["owner"], shop_data["warehouse"]
    owner.post("/api/v1/carrier-accounts", {"carrier": "ghtk", "name": "GHTK Gò Vấp", "token": "ghtk-token",
                                            "carrier_shop_id": "S308157", "pick_location_id": warehouse, "pick_address": PICKUP})
    shipments = [packed(owner, warehouse)["shipments"][0]["id"] for _ in range(2)]
    context = phone()
    context.add_init_script(RECORDERS)
    sign_in(context, api, shop_data["email"], shop_data["password"])
    page = open_page(context, base_url + "/#/shipping")
    for shipment in shipments:
        page.locator(f"[data-wave='{shipment}'] input").check()
    page.click("#book-wave")
    expect(page.locator("#print-wave")).to_be_visible()
    assert sorted(o["client_code"] for o in carriers["ghtk"].orders.values()) == sorted(shipments)
    page.click("#print-wave")
    page.wait_for_function("() => window.__printed.length === 1")
    document = page.evaluate("window.__printed[0]")
    assert document.count('class="label"') == 2 and all(label in document for label in carriers["ghtk"].orders)
    assert page.script_errors == []
