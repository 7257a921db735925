"""Flow 2: one order's detail and the actions its status allows, with the server's 409 in plain words
and what the user typed kept."""
from playwright.sync_api import expect

from tests.e2e.conftest import new_order, open_page, sign_in


def test_detail_fix_recipient_confirm_and_mark_paid(api, base_url, phone, shop_data):
    owner = shop_data["owner"]
    order = new_order(owner, channel="zalo", shipping_address=None, note="Giao giờ hành chính")
    context = phone()
    sign_in(context, api, shop_data["email"], shop_data["password"])
    page = open_page(context, base_url + f"/#/orders/{order['id']}")
    expect(page.locator(".order [data-sku=AT-TRANG-M]")).to_contain_text("2 ×")
    expect(page.locator(".order [data-sku=AT-TRANG-M]")).to_contain_text("300.000 ₫")
    expect(page.locator(".sums .total")).to_have_text("460.000 ₫")
    expect(page.locator("#order-customer")).to_contain_text("Lê Văn Khách")
    expect(page.locator("#order-payment")).to_contain_text("COD (thu hộ) · Chưa trả")
    expect(page.locator(".timeline li")).to_contain_text(["Tạo đơn"])
    warning = page.locator("[data-warning=incomplete_recipient]")
    expect(warning).to_contain_text("Thiếu thông tin người nhận")
    expect(warning).to_contain_text("Thêm số điện thoại và địa chỉ người nhận.")
    expect(page.locator("[data-action=cancel]")).to_be_visible()

    warning.get_by_role("button").click()
    page.fill("#sheet-recipient input[name=phone]", "0901234567")
    page.fill("#sheet-recipient input[name=text]", "5 Nguyễn Huệ, Phường Sài Gòn, TP.HCM")
    page.click("#sheet-recipient button[type=submit]")
    expect(page.locator("[data-warning=incomplete_recipient]")).to_have_count(0)
    stored = owner.get(f"/api/v1/orders/{order['id']}").data
    assert stored["shipping_address"]["text"] == "5 Nguyễn Huệ, Phường Sài Gòn, TP.HCM" and stored["warnings"] == []

    page.click("[data-action=confirm]")
    page.select_option("#sheet-confirm select[name=location_id]", shop_data["warehouse"])
    page.click("#sheet-confirm button[type=submit]")
    expect(page.locator(".order")).to_have_attribute("data-status", "confirmed")
    stored = owner.get(f"/api/v1/orders/{order['id']}").data
    assert stored["status"] == "confirmed" and stored["shipments"][0]["location_id"] == shop_data["warehouse"]
    stock = owner.get("/api/v1/stock/AT-TRANG-M").data
    assert next(x for x in stock["locations"] if x["location_id"] == shop_data["warehouse"])["reserved"] == 2

    page.click("[data-action=mark_paid]")
    page.select_option("#sheet-mark_paid select[name=method]", "bank_transfer")
    page.click("#sheet-mark_paid button[type=submit]")
    expect(page.locator("#order-payment")).to_contain_text("Chuyển khoản · Đã trả")
    stored = owner.get(f"/api/v1/orders/{order['id']}").data
    assert stored["payment"]["status"] == "paid" and stored["payment"]["amount_paid"] == 460000
    assert page.script_errors == []


def test_conflicts_are_explained_and_typed_input_is_kept(api, base_url, phone, shop_data):
    owner = shop_data["owner"]
    short = new_order(owner, lines=[{"sku": "QJ-30", "quantity": 50}])
    order = new_order(owner)
    context = phone()
    sign_in(context, api, shop_data["email"], shop_data["password"])

    page = open_page(context, base_url + f"/#/orders/{short['id']}")
    page.click("[data-action=confirm]")
    page.select_option("#sheet-confirm select[name=location_id]", shop_data["warehouse"])
    page.click("#sheet-confirm button[type=submit]")
    expect(page.locator("#sheet-confirm .error")).to_contain_text("đủ hàng")
    expect(page.locator("#sheet-confirm select[name=location_id]")).to_have_value(shop_data["warehouse"])
    stored = owner.get(f"/api/v1/orders/{short['id']}").data
    assert stored["status"] == "new" and [w["code"] for w in stored["warnings"]] == ["out_of_stock"]

    page.goto(base_url + f"/#/orders/{order['id']}")
    expect(page.locator(".order")).to_have_attribute("data-status", "new")
    page.click("[data-action=cancel]")
    page.fill("#sheet-cancel textarea[name=reason]", "Khách đổi ý, gọi lại sau")
    # Meanwhile someone else changes the order: the version the page holds is stale.
    assert owner.post(f"/api/v1/orders/{order['id']}/actions/mark_paid", {}).status_code == 200
    page.click("#sheet-cancel button[type=submit]")
    expect(page.locator("#sheet-cancel .error")).to_have_text("Đơn đã thay đổi từ lúc bạn mở; hãy tải lại.")
    expect(page.locator("#sheet-cancel textarea[name=reason]")).to_have_value("Khách đổi ý, gọi lại sau")
    assert owner.get(f"/api/v1/orders/{order['id']}").data["status"] == "new"
    page.click("#sheet-cancel button.secondary")  # reload the order, keep the sheet
    expect(page.locator("#order-payment")).to_contain_text("Đã trả")
    expect(page.locator("#sheet-cancel textarea[name=reason]")).to_have_value("Khách đổi ý, gọi lại sau")
    page.click("#sheet-cancel button[type=submit]")
    expect(page.locator(".order")).to_have_attribute("data-status", "canceled")
    stored = owner.get(f"/api/v1/orders/{order['id']}").data
    assert stored["status"] == "canceled"
    assert stored["timeline"][-1]["note"] == "Khách đổi ý, gọi lại sau" and stored["timeline"][-1]["via"] == "pwa"
    assert page.script_errors == []


def test_split_a_new_order_between_two_locations_then_confirm(api, base_url, phone, shop_data):
    owner, wh, store = shop_data["owner"], shop_data["warehouse"], shop_data["store"]
    order = new_order(owner)
    context = phone()
    sign_in(context, api, shop_data["email"], shop_data["password"])
    page = open_page(context, base_url + f"/#/orders/{order['id']}")
    page.click("#split")
    sheet = page.locator("#sheet-split")
    sheet.locator("select[name=first]").select_option(wh)
    sheet.locator("select[name=second]").select_option(store)
    sheet.locator("[data-sku=AT-TRANG-M] input").fill("1")
    sheet.locator("[data-sku=AT-DEN-L] input").fill("1")
    sheet.locator("button[type=submit]").click()
    expect(page.locator("#sheet-split")).to_have_count(0)
    stored = owner.get(f"/api/v1/orders/{order['id']}").data
    parts = {s["location_id"]: {x["sku"]: x["quantity"] for x in s["lines"]} for s in stored["shipments"]}
    assert parts == {wh: {"AT-TRANG-M": 1, "AT-DEN-L": 1}, store: {"AT-TRANG-M": 1}}
    page.click("[data-action=confirm]")
    page.click("#sheet-confirm button[type=submit]")
    expect(page.locator(".order")).to_have_attribute("data-status", "confirmed")
    levels = {x["location_id"]: x["reserved"] for x in owner.get("/api/v1/stock/AT-TRANG-M").data["locations"]}
    assert (levels[wh], levels[store]) == (1, 1)
    assert page.script_errors == []
