"""At 360x640: the owner connects a website, an order arrives by its signed webhook, and the
owner links the unlinked listing to a SKU with one tap after a search; the held order is relinked."""
import hashlib
import hmac
import json

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import open_page, sign_in
from tests.unit.channels import samples

pytestmark = pytest.mark.browser


def test_connect_a_website_receive_an_order_and_link_its_listing(api, base_url, phone, shop_data, drain):
    owner = shop_data["owner"]
    tenant = owner.get("/api/v1/me").data["tenant_id"]
    context = phone()
    sign_in(context, api, shop_data["email"], shop_data["password"])
    page = open_page(context, base_url + "/#/channels")
    form = page.locator("#connect-form")
    form.locator("select[name=channel]").select_option("website")
    form.locator("input[name=name]").fill("Web Tiệm Mai")
    form.locator("select[name=platform]").select_option("generic")
    form.locator("button[type=submit]").click()
    secret = page.locator("#webhook-secret").input_value()
    assert secret.startswith("whsec_")
    connection = owner.get("/api/v1/channel-connections").data["items"][0]
    expect(page.locator(f"[data-connection='{connection['id']}'] .conn-status")).to_have_text("hoạt động")

    order = samples.quay_order(id="WEB-77", lines=[{"item_id": "gift-1", "sku": "QUA-TANG", "name": "Hộp quà",
                                                     "quantity": 1, "unit_price": 50000}])
    body = json.dumps(order).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    stored = api.post(f"/api/v1/webhooks/website/{connection['id']}", raw=body, headers={"X-Quay-Signature": signature})
    assert stored.data == {"status": "stored"}
    drain(tenant)
    arrived = owner.get("/api/v1/orders?channel=website").data["items"]
    assert [o["external_id"] for o in arrived] == ["WEB-77"] and arrived[0]["warnings"] == ["product_not_linked"]

    page.reload()
    listing = page.locator(".listing", has_text="Hộp quà")
    expect(listing).to_be_visible()
    listing.locator("button.link").click()
    listing.locator("input[name=product_q]").fill("ao thun")
    listing.locator("button.result[data-sku='AT-TRANG-M']").click()
    expect(page.locator(".listing", has_text="Hộp quà")).to_have_count(0)   # no longer unlinked
    again = owner.get(f"/api/v1/orders/{arrived[0]['id']}").data
    assert again["lines"][0]["sku"] == "AT-TRANG-M" and again["warnings"] == []
    expect(page.locator(f"[data-connection='{connection['id']}'] button.sync")).to_have_count(0)  # a website pushes
    page.goto(base_url + "/#/orders")
    expect(page.locator("body")).to_contain_text("Ngô G")
    assert page.script_errors == []
