"""Flow 6 (stock check: levels per location, ledger, receive, adjust, transfer) and flow 7 (screens
and buttons follow /me's permissions and locations: a cashier sees no cost and cannot cancel)."""
from playwright.sync_api import expect

from tests.conftest import unique_email
from tests.e2e.conftest import BARCODES, new_order, open_page, sign_in
from tests.e2e.test_pack import wedge


def level(owner, sku, location):
    return next(x for x in owner.get(f"/api/v1/stock/{sku}").data["locations"] if x["location_id"] == location)


def test_stock_check_then_receive_adjust_and_transfer(api, base_url, phone, shop_data):
    owner, warehouse, store = shop_data["owner"], shop_data["warehouse"], shop_data["store"]
    order = new_order(owner)
    assert owner.post(f"/api/v1/orders/{order['id']}/actions/confirm", {"location_id": warehouse}).status_code == 200
    context = phone()
    sign_in(context, api, shop_data["email"], shop_data["password"])
    page = open_page(context, base_url + "/#/stock")
    page.fill("input[name=product_q]", "ao thun co tron")
    page.click(".results [data-sku=AT-DEN-L]")
    expect(page.locator(".stock")).to_have_attribute("data-sku", "AT-DEN-L")
    page.goto(base_url + "/#/stock")
    expect(page.locator("input[name=product_q]")).to_be_visible()
    wedge(page, BARCODES["AT-TRANG-M"])
    expect(page.locator(".stock")).to_have_attribute("data-sku", "AT-TRANG-M")
    row = page.locator(f"tr[data-location='{warehouse}']")
    expect(row).to_contain_text("Kho Gò Vấp")
    expect(row.locator("td")).to_have_text(["10", "2", "8", "0"])  # on hand, reserved, available, incoming
    expect(page.locator("tr.totals td")).to_have_text(["20", "2", "18", "0"])
    expect(page.locator("#variant-cost")).to_have_text("90.000 ₫")
    expect(page.locator(".ledger li").first).to_contain_text("Nhập hàng")

    page.click("[data-move=receive]")
    page.select_option("#move-receive select[name=location_id]", store)
    page.fill("#move-receive input[name=quantity]", "5")
    page.fill("#move-receive input[name=unit_cost]", "85000")
    page.click("#move-receive button[type=submit]")
    expect(page.locator(f"tr[data-location='{store}'] td").first).to_have_text("15")
    assert level(owner, "AT-TRANG-M", store)["on_hand"] == 15

    page.click("[data-move=adjust]")
    page.select_option("#move-adjust select[name=location_id]", store)
    page.fill("#move-adjust input[name=delta]", "-1")
    page.select_option("#move-adjust select[name=reason]", "damaged")
    page.click("#move-adjust button[type=submit]")
    expect(page.locator(f"tr[data-location='{store}'] td").first).to_have_text("14")
    expect(page.locator(".ledger li").first).to_contain_text("Điều chỉnh · Hư hỏng")
    latest = owner.get("/api/v1/stock/AT-TRANG-M/ledger").data["items"][0]
    assert (latest["kind"], latest["quantity"], latest["reason"], latest["location_id"]) == ("adjustment", -1, "damaged", store)

    page.click("[data-move=transfer]")
    page.select_option("#move-transfer select[name=location_id]", warehouse)
    page.select_option("#move-transfer select[name=to_location_id]", store)
    page.fill("#move-transfer input[name=quantity]", "3")
    page.click("#move-transfer button[type=submit]")
    expect(page.locator(f"tr[data-location='{warehouse}'] td").first).to_have_text("7")
    assert level(owner, "AT-TRANG-M", warehouse)["on_hand"] == 7
    assert level(owner, "AT-TRANG-M", store)["incoming"] == 3
    assert page.script_errors == []


def test_a_cashier_sees_no_cost_prices_and_no_cancel_button(api, base_url, phone, shop_data):
    owner, store = shop_data["owner"], shop_data["store"]
    email = unique_email("cashier")
    created = owner.post("/api/v1/staff", {"email": email, "name": "Thu Ngân Lan", "role": "cashier",
                                           "password": "cashier-pass-1", "location_ids": [store]})
    assert created.status_code == 201, created.body
    order = new_order(owner)
    context = phone()
    session = sign_in(context, api, email, "cashier-pass-1")
    cashier = api.as_(session["access_token"])

    page = open_page(context, base_url + "/#/")
    expect(page.locator("#me-role")).to_have_text("Thu ngân")
    expect(page.locator("#register-device")).to_have_count(0)
    expect(page.locator("#bank-form")).to_have_count(0)
    expect(page.locator(".tabbar a")).to_have_text(["⌂Trang chủ", "☰Đơn hàng", "▣Đóng gói", "₫Bán quầy", "▤Kho"])

    page.goto(base_url + f"/#/orders/{order['id']}")
    expect(page.locator("[data-action=confirm]")).to_be_visible()
    expect(page.locator("[data-action=mark_paid]")).to_be_visible()
    expect(page.locator("[data-action=cancel]")).to_have_count(0)
    page.click("[data-action=confirm]")  # only the cashier's own store, no automatic choice
    expect(page.locator("#sheet-confirm select[name=location_id] option:not([disabled])")).to_have_text(["Cửa hàng Quận 1"])
    refused = cashier.post(f"/api/v1/orders/{order['id']}/actions/cancel", {"reason": "thử"})
    assert refused.status_code == 403 and owner.get(f"/api/v1/orders/{order['id']}").data["status"] == "new"

    page.goto(base_url + "/#/stock/AT-TRANG-M")
    expect(page.locator("tr.totals td").first).to_have_text("20")
    expect(page.locator(".stock dl")).to_contain_text("150.000 ₫")
    expect(page.locator("#variant-cost")).to_have_count(0)
    expect(page.locator("[data-move]")).to_have_count(0)
    products = cashier.get("/api/v1/products?q=AT-TRANG-M").data["items"]
    assert {v["cost"] for p in products for v in p["variants"]} == {None}  # the server hides it as well
    assert page.script_errors == []
