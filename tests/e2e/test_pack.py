"""Flow 4: scan-to-pack: the list of orders to pack, keyboard-wedge and camera scans, a wrong or
extra item blocking with a vibration, ready, the packing slip, hand-over to the carrier."""
import pytest
from playwright.sync_api import expect

from tests.e2e.barcodes import write_y4m
from tests.e2e.conftest import BARCODES, CHROMIUM_ARGS, PHONE, new_order, open_page, sign_in

# Records vibrations and prints instead of doing them (also inside the print frame).
RECORDERS = """(() => {
  const top = window.top;
  top.__vibrations = top.__vibrations || [];
  top.__printed = top.__printed || [];
  navigator.vibrate = (pattern) => { top.__vibrations.push(pattern); return true; };
  window.print = () => top.__printed.push(document.documentElement.outerHTML);
})()"""


def confirmed_order(owner, warehouse, lines):
    order = new_order(owner, lines=lines)
    confirmed = owner.post(f"/api/v1/orders/{order['id']}/actions/confirm", {"location_id": warehouse})
    assert confirmed.status_code == 200, confirmed.body
    return confirmed.data


def wedge(page, code):
    """A keyboard-wedge scanner: the digits typed as fast as they come, then Enter."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def scanned(owner, order_id):
    order = owner.get(f"/api/v1/orders/{order_id}").data
    return {x["sku"]: x["scanned"] for s in order["shipments"] for x in s["lines"]}


def test_pack_by_wedge_scans_blocks_wrong_and_extra_items_then_hands_over(api, base_url, phone, shop_data):
    owner = shop_data["owner"]
    lines = [{"sku": "AT-TRANG-M", "quantity": 2}, {"sku": "AT-DEN-L", "quantity": 1}]
    order = confirmed_order(owner, shop_data["warehouse"], lines)
    context = phone()
    context.add_init_script(RECORDERS)
    sign_in(context, api, shop_data["email"], shop_data["password"])
    page = open_page(context, base_url + "/#/pack")
    page.locator(f"[data-order='{order['id']}'] a").click()
    page.click("#start-packing")
    expect(page.locator(".pack")).to_have_attribute("data-status", "packing")
    white = page.locator("[data-sku=AT-TRANG-M] .tally")

    wedge(page, BARCODES["AT-TRANG-M"])
    expect(white).to_have_text("1/2")
    wedge(page, BARCODES["AT-TRANG-M"])
    expect(white).to_have_text("2/2")
    assert scanned(owner, order["id"]) == {"AT-TRANG-M": 2, "AT-DEN-L": 0}

    wedge(page, BARCODES["QJ-30"])  # not on this order
    expect(page.locator("#scan-error")).to_contain_text(f"Sai hàng: {BARCODES['QJ-30']} không thuộc kiện này.")
    assert page.evaluate("window.__vibrations").pop() == [200, 100, 200]
    wedge(page, BARCODES["AT-DEN-L"])  # ignored while the packer has not dealt with the wrong item
    expect(page.locator("#scan-error")).to_be_visible()
    assert scanned(owner, order["id"]) == {"AT-TRANG-M": 2, "AT-DEN-L": 0}
    page.click("#scan-error button")

    wedge(page, BARCODES["AT-TRANG-M"])  # one too many
    expect(page.locator("#scan-error")).to_contain_text("Thừa hàng: AT-TRANG-M chỉ cần 2.")
    assert scanned(owner, order["id"]) == {"AT-TRANG-M": 2, "AT-DEN-L": 0}
    page.click("#scan-error button")
    expect(page.locator("#mark-ready")).to_be_disabled()

    page.fill("#scan-code", "AT-DEN-L")  # typed by hand: the SKU works as well as the barcode
    page.press("#scan-code", "Enter")
    expect(page.locator("[data-sku=AT-DEN-L] .tally")).to_have_text("1/1")
    page.click("#mark-ready")
    expect(page.locator(".pack")).to_have_attribute("data-status", "ready_to_ship")
    assert owner.get(f"/api/v1/orders/{order['id']}").data["status"] == "ready_to_ship"

    page.locator("[data-print]").click()
    page.wait_for_function("() => window.__printed.length === 1")
    slip = page.evaluate("window.__printed[0]")
    assert order["id"] in slip and "AT-TRANG-M" in slip

    page.fill("input[name=carrier]", "GHN")
    page.fill("input[name=tracking_number]", "GHN0012345")
    page.click("#hand-over")
    expect(page.locator(".pack")).to_have_attribute("data-status", "shipping")
    stored = owner.get(f"/api/v1/orders/{order['id']}").data
    assert stored["status"] == "shipping"
    assert (stored["shipments"][0]["carrier"], stored["shipments"][0]["tracking_number"]) == ("GHN", "GHN0012345")
    level = next(x for x in owner.get("/api/v1/stock/AT-TRANG-M").data["locations"] if x["location_id"] == shop_data["warehouse"])
    assert (level["on_hand"], level["reserved"]) == (8, 0)
    assert page.script_errors == []


@pytest.fixture
def camera_browser(playwright_driver, tmp_path):
    video = write_y4m(tmp_path / "ean13.y4m", BARCODES["AT-DEN-L"])
    chromium = playwright_driver.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS + [
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", f"--use-file-for-fake-video-capture={video}"])
    yield chromium
    chromium.close()


def test_pack_by_camera_reads_an_ean13_through_the_polyfill(api, base_url, camera_browser, shop_data):
    owner = shop_data["owner"]
    order = confirmed_order(owner, shop_data["warehouse"], [{"sku": "AT-DEN-L", "quantity": 1}])
    context = camera_browser.new_context(**PHONE, permissions=["camera"])
    context.set_default_timeout(15000)
    context.add_init_script(RECORDERS)
    try:
        sign_in(context, api, shop_data["email"], shop_data["password"])
        page = open_page(context, base_url + f"/#/pack/{order['id']}")
        page.click("#start-packing")
        expect(page.locator(".pack")).to_have_attribute("data-status", "packing")
        assert page.evaluate("'BarcodeDetector' in window") is False  # so the ZXing polyfill does the reading
        page.click(".pack [data-camera]")
        expect(page.locator("[data-sku=AT-DEN-L] .tally")).to_have_text("1/1", timeout=30000)
        assert scanned(owner, order["id"]) == {"AT-DEN-L": 1}
        # The camera keeps seeing the same barcode: after a pause that is one item too many, refused.
        expect(page.locator("#scan-error")).to_contain_text("Thừa hàng: AT-DEN-L", timeout=15000)
        assert scanned(owner, order["id"]) == {"AT-DEN-L": 1}
        assert page.evaluate("performance.getEntriesByType('resource').some(e => e.name.endsWith('/vendor/zxing_reader.wasm'))")
        assert page.script_errors == []
    finally:
        context.close()
