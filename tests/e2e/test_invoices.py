"""E-invoices on the phone (360x640): the owner sets up invoicing, issues an invoice for a counter sale with the
buyer filled from its tax code, prints it (A4 and 80 mm), finds it in the list and cancels it with a reason."""
import pytest
from playwright.sync_api import expect

from chalicelib.core import clock
from tests.e2e.conftest import open_page, sign_in

pytestmark = pytest.mark.browser

SERIES = f"C{clock.now().year % 100:02d}TAA"
PRINTS = """(() => {
  const top = window.top;
  top.__printed = top.__printed || [];
  window.print = () => top.__printed.push(document.documentElement.outerHTML);
})()"""
COMPANY = {"name": "Trần Thị B", "company": "Công ty TNHH Hoa Sen", "tax_code": "0100109106-505",
           "address": "5 Nguyễn Huệ, Q1, TP HCM"}


def counter_sale(owner, store):
    sale = owner.post("/api/v1/orders", {"channel": "pos", "location_id": store,
                                         "lines": [{"sku": "AT-TRANG-M", "quantity": 2}], "payment": {"method": "cash"}})
    assert sale.status_code == 201, sale.body
    return sale.data


def test_owner_sets_up_issues_prints_and_cancels_an_invoice(api, base_url, phone, shop_data):
    owner = shop_data["owner"]
    context = phone()
    context.add_init_script(PRINTS)
    sign_in(context, api, shop_data["email"], shop_data["password"])

    page = open_page(context, base_url + "/#/invoices/settings")
    form = page.locator("#invoice-settings")
    form.locator("input[name=seller_name]").fill("Công ty TNHH Tiệm Áo Mai")
    form.locator("input[name=seller_tax_code]").fill("0100109106")
    form.locator("input[name=seller_address]").fill("1 Hàng Bạc, Hoàn Kiếm, Hà Nội")
    form.locator("input[name=symbol]").fill(SERIES)
    form.locator("button[type=submit]").click()
    expect(page.locator("#settings-saved")).to_be_visible()
    stored = owner.get("/api/v1/invoice-settings").data
    assert (stored["seller"]["tax_code"], stored["symbol"], stored["provider"]) == ("0100109106", SERIES, "manual")

    earlier = owner.post("/api/v1/invoices", {"order_id": counter_sale(owner, shop_data["store"])["id"], "buyer": COMPANY})
    owner.post(f"/api/v1/invoices/{earlier.data['id']}/actions/issue", {})      # the buyer is now in the directory
    sale = counter_sale(owner, shop_data["store"])
    page.goto(base_url + f"/#/orders/{sale['id']}")  # from the order, one tap
    page.click("#order-invoice")
    new = page.locator("#new-invoice")
    new.locator("#buyer-company").check()
    new.locator("input[name=tax_code]").fill(COMPANY["tax_code"])
    new.locator("#lookup-buyer").click()
    expect(new.locator("input[name=company]")).to_have_value(COMPANY["company"])
    expect(new.locator("input[name=address]")).to_have_value(COMPANY["address"])
    issue = new.locator("#issue-new")
    box = issue.bounding_box()
    assert box["y"] + box["height"] <= 640 and box["width"] >= 44        # on the first screen, thumb-sized
    issue.click()

    expect(page.locator("#invoice-view")).to_have_attribute("data-status", "issued")
    expect(page.locator("#invoice-title")).to_have_text(f"1{SERIES} · Số 2")
    invoice = next(x for x in owner.get("/api/v1/invoices").data["items"] if x["order_id"] == sale["id"])
    assert (invoice["status"], invoice["number"], invoice["buyer"]["company"]) == ("issued", 2, COMPANY["company"])
    expect(page.locator("#lookup-code")).to_have_text(invoice["lookup_code"])

    page.click("#print-a4")
    page.wait_for_function("() => window.__printed.length === 1")
    printed = page.evaluate("window.__printed[0]")
    assert invoice["lookup_code"] in printed and "<svg" in printed and COMPANY["company"] in printed
    page.click("#print-80mm")
    page.wait_for_function("() => window.__printed.length === 2")
    assert invoice["lookup_code"] in page.evaluate("window.__printed[1]")

    page.goto(base_url + "/#/invoices")
    page.locator("#invoice-status").select_option("issued")
    expect(page.locator("#invoice-list li[data-invoice]")).to_have_count(2)
    page.locator(f"#invoice-list li[data-invoice='{invoice['id']}'] a").click()
    page.click("#cancel-invoice")
    page.fill("#cancel-form input[name=reason]", "Khách trả hàng")
    page.click("#cancel-form button[type=submit]")
    expect(page.locator("#invoice-view")).to_have_attribute("data-status", "canceled")
    after = owner.get(f"/api/v1/invoices/{invoice['id']}").data
    assert (after["status"], after["cancel_reason"]) == ("canceled", "Khách trả hàng")
    assert page.script_errors == []


def test_a_replacement_links_to_the_invoice_it_replaces(api, base_url, phone, shop_data):
    owner = shop_data["owner"]
    owner.call("put", "/api/v1/invoice-settings", {"seller": {"name": "Tiệm Áo Mai", "tax_code": "0100109106",
                                                              "address": "Hà Nội"}, "provider": "manual",
                                                   "template_code": "1", "symbol": SERIES})
    original = owner.post("/api/v1/invoices", {"order_id": counter_sale(owner, shop_data["store"])["id"]}).data
    owner.post(f"/api/v1/invoices/{original['id']}/actions/issue", {})
    new = owner.post(f"/api/v1/invoices/{original['id']}/actions/replace", {"reason": "Sai người mua",
                                                                           "buyer": COMPANY}).data
    context = phone()
    sign_in(context, api, shop_data["email"], shop_data["password"])
    page = open_page(context, base_url + f"/#/invoices/{new['id']}")
    expect(page.locator("#invoice-title")).to_have_text(f"1{SERIES} · Số 2")
    expect(page.locator("#invoice-link")).to_contain_text(f"{SERIES} · Số 1")
    page.locator("#invoice-link a").click()
    expect(page.locator("#invoice-view")).to_have_attribute("data-status", "replaced")
    expect(page.locator("#cancel-invoice")).to_have_count(0)               # a replaced invoice cannot be canceled
    assert page.script_errors == []
