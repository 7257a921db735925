"""Flow 3: an order taken in a chat or on the phone: products by accent-insensitive search or barcode,
quantities, the customer found by phone, recipient defaulting to the customer, shipping fee, payment."""
from playwright.sync_api import expect

from tests.e2e.conftest import BARCODES, new_order, open_page, sign_in
from tests.e2e.test_pack import wedge


def test_chat_order_with_known_customer_search_and_barcode(api, base_url, phone, shop_data):
    owner = shop_data["owner"]
    earlier = new_order(owner, customer={"name": "Trần Thị Bình", "phone": "0912345678"})
    context = phone()
    sign_in(context, api, shop_data["email"], shop_data["password"])
    page = open_page(context, base_url + "/#/orders/new")
    page.select_option("select[name=channel]", "zalo")
    page.fill("input[name=product_q]", "quan jean")
    page.click(".results [data-sku=QJ-30]")
    wedge(page, BARCODES["AT-TRANG-M"])
    line = page.locator(".cart [data-sku=AT-TRANG-M]")
    line.get_by_role("button", name="+").click()
    expect(line.locator("input")).to_have_value("2")

    page.fill("input[name=customer_phone]", "0912 345 678")
    expect(page.locator("#customer-match")).to_contain_text("Khách cũ: Trần Thị Bình · 1 đơn")
    expect(page.locator("input[name=customer_name]")).to_have_value("Trần Thị Bình")
    expect(page.locator("input[name=same]")).to_be_checked()
    page.fill("textarea[name=address]", "88 Hai Bà Trưng, Phường Bến Nghé, TP.HCM")
    page.fill("input[name=shipping_fee]", "30000")
    expect(page.locator("#new-order-total")).to_have_text("680.000 ₫")
    page.evaluate("() => { const form = document.querySelector('#new-order'); form.requestSubmit(); form.requestSubmit(); }")
    expect(page.locator(".order")).to_have_attribute("data-status", "new")

    [created] = owner.get("/api/v1/orders?channel=zalo").data["items"]  # one order, though submitted twice
    stored = owner.get(f"/api/v1/orders/{created['id']}").data
    assert page.url.endswith(f"#/orders/{stored['id']}")
    assert stored["customer"]["id"] == earlier["customer"]["id"] and stored["customer"]["phone"] == "+84912345678"
    assert stored["shipping_address"] == {"name": "Trần Thị Bình", "phone": "0912 345 678",
                                          "text": "88 Hai Bà Trưng, Phường Bến Nghé, TP.HCM"}
    lines = [(x["sku"], x["quantity"], x["unit_price"]) for x in stored["lines"]]
    assert lines == [("QJ-30", 1, 350000), ("AT-TRANG-M", 2, 150000)]
    assert (stored["shipping_fee"], stored["total"], stored["warnings"]) == (30000, 680000, [])
    assert stored["payment"]["method"] == "cod" and stored["payment"]["status"] == "unpaid"
    assert page.script_errors == []
