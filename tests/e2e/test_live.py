"""A live session on a phone (360x640): give codes to SKUs, type buyers' comments, watch each
code's counter drop, fix an ambiguous comment with one tap, end the live and read each buyer's message."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import open_page, sign_in

pytestmark = pytest.mark.browser


def _counter(page, sku):
    return page.locator(f".live-counter[data-sku='{sku}'] .available")


def test_a_live_session_from_setup_to_buyer_messages(api, base_url, phone, shop_data):
    owner, wh = shop_data["owner"], shop_data["warehouse"]
    context = phone()
    sign_in(context, api, shop_data["email"], shop_data["password"])
    page = open_page(context, base_url + "/#/live")
    setup = page.locator("#live-setup")
    setup.locator("input[name=title]").fill("Live tối nay")
    setup.locator("select[name=location_id]").select_option(wh)
    setup.locator("input[data-sku='AT-TRANG-M']").fill("A1")
    setup.locator("input[data-sku='AT-DEN-L']").fill("a1")   # two colours share one code
    setup.locator("input[data-sku='QJ-30']").fill("Q1")
    page.click("#live-start")
    expect(page.locator("#live-counters .live-counter")).to_have_count(3)
    expect(_counter(page, "AT-TRANG-M")).to_have_text("10")
    session_id = page.url.split("#/live/")[1]

    # a buyer's comment: the counter drops in the same step
    start = page.locator("#live-input button[type=submit]").bounding_box()
    assert start["y"] + start["height"] <= 640  # the capture button is within the thumb's reach
    page.fill("#live-input input[name=author_name]", "Lan")
    page.fill("#live-input input[name=text]", "chốt A1 trắng x2 0901234567")
    page.click("#live-input button[type=submit]")
    expect(_counter(page, "AT-TRANG-M")).to_have_text("8")
    expect(page.locator(".live-comment").first).to_have_attribute("data-result", "captured")
    # the same buyer repeating herself does not double it
    page.fill("#live-input input[name=text]", "A1 trắng x2 0901234567")
    page.click("#live-input button[type=submit]")
    expect(page.locator(".live-comment").first).to_have_attribute("data-result", "ignored")
    expect(_counter(page, "AT-TRANG-M")).to_have_text("8")
    page.fill("#live-input input[name=text]", "Q1 0901234567")
    page.click("#live-input button[type=submit]")
    expect(_counter(page, "QJ-30")).to_have_text("4")
    expect(page.locator("#live-orders")).to_have_text("1")

    # a comment that fits two SKUs waits; one tap fixes it
    page.fill("#live-input input[name=author_name]", "Hoa")
    page.fill("#live-input input[name=text]", "A1 0912345678")
    page.click("#live-input button[type=submit]")
    waiting = page.locator(".live-comment[data-result=needs_review]")
    expect(waiting).to_have_count(1)
    waiting.locator("button.fix[data-sku='AT-DEN-L']").click()
    expect(_counter(page, "AT-DEN-L")).to_have_text("9")
    expect(page.locator("#live-orders")).to_have_text("2")

    # a comment typed by someone else (another phone) shows up on the next poll
    owner.post(f"/api/v1/live-sessions/{session_id}/comments", {"author_name": "Minh", "text": "Q1 x2 0987654321"})
    expect(_counter(page, "QJ-30")).to_have_text("2")
    assert page.script_errors == []

    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#live-end")
    expect(page.locator("#live-summary .live-buyer")).to_have_count(3)
    expect(page.locator("#live-summary .live-buyer", has_text="Lan").locator("textarea")).to_contain_text("Chào Lan")
    stored = owner.get(f"/api/v1/live-sessions/{session_id}").data
    assert stored["status"] == "ended"
    assert {x["sku"]: (x["available"], x["held"]) for x in stored["items"]} == {
        "AT-TRANG-M": (8, 2), "AT-DEN-L": (9, 1), "QJ-30": (2, 3)}
    assert page.script_errors == []
