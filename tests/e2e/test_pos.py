"""Flow 5: counter sale (POS): search and scan, quantities, discount, cash and change, the VietQR
transfer QR, the 80 mm receipt; offline sales kept in the outbox and sent exactly once."""
from playwright.sync_api import expect

from tests.e2e.conftest import BARCODES, open_page, sign_in
from tests.e2e.test_pack import RECORDERS, wedge

BANK = {"bin": "970436", "account": "0071000888999", "name": "NGUYEN THI MAI"}


def crc16_ccitt_false(data: bytes) -> str:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return f"{crc:04X}"


def tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def pos_orders(owner):
    return owner.get("/api/v1/orders?channel=pos").data["items"]


def level(owner, sku, location):
    return next(x for x in owner.get(f"/api/v1/stock/{sku}").data["locations"] if x["location_id"] == location)


def open_pos(context, base_url):
    page = open_page(context, base_url + "/#/pos")
    expect(page.locator("#catalog-status")).to_contain_text("Danh mục sẵn sàng (3 mã)")
    return page


def test_cash_sale_with_discount_change_and_receipt(api, base_url, phone, shop_data):
    owner, store = shop_data["owner"], shop_data["store"]
    context = phone()
    context.add_init_script(RECORDERS)
    sign_in(context, api, shop_data["email"], shop_data["password"])
    page = open_pos(context, base_url)
    page.fill(".pos input[name=product_q]", "ao thun trang")  # accent-insensitive
    page.click(".results [data-sku=AT-TRANG-M]")
    wedge(page, BARCODES["QJ-30"])
    cart = page.locator(".cart [data-sku=AT-TRANG-M]")
    cart.get_by_role("button", name="+").click()
    expect(cart.locator("input")).to_have_value("2")
    expect(cart.locator(".stock-level")).to_have_text("Còn 10")
    page.fill("input[name=discount]", "20000")
    expect(page.locator("#pos-total")).to_have_text("630.000 ₫")
    page.fill("input[name=given]", "700000")
    expect(page.locator("#change")).to_have_text("Tiền thừa: 70.000 ₫")
    page.click("#checkout")
    expect(page.locator("#sale-done")).to_contain_text("Đã bán xong")
    expect(page.locator("#outbox-count")).to_have_count(0)

    [sale] = pos_orders(owner)
    stored = owner.get(f"/api/v1/orders/{sale['id']}").data
    assert (stored["status"], stored["total"], stored["discount"], stored["location_id"]) == ("completed", 630000, 20000, store)
    assert stored["payment"] == {"method": "cash", "status": "paid", "amount_paid": 630000, "cash_given": 700000}
    assert stored["external_id"].startswith("POS-")
    assert (level(owner, "AT-TRANG-M", store)["on_hand"], level(owner, "QJ-30", store)["on_hand"]) == (8, 4)

    page.click("#print-receipt")
    page.wait_for_function("() => window.__printed.length === 1")
    receipt = page.evaluate("window.__printed[0]")
    assert sale["id"] in receipt and "630.000" in receipt and "70.000" in receipt  # the change given
    assert page.script_errors == []


def test_bank_transfer_shows_the_vietqr_payload(api, base_url, phone, shop_data):
    owner = shop_data["owner"]
    context = phone()
    sign_in(context, api, shop_data["email"], shop_data["password"], **{"quay.bank": BANK})
    page = open_pos(context, base_url)
    wedge(page, BARCODES["AT-DEN-L"])
    page.click("[data-pay=transfer]")
    qr = page.locator("#vietqr")
    expect(qr.locator("svg")).to_be_visible()
    payload = qr.get_attribute("data-payload")
    reference = payload.split("0208QRIBFTTA")[1]  # the sale reference is the transfer's purpose
    merchant = tlv("00", "A000000727") + tlv("01", tlv("00", BANK["bin"]) + tlv("01", BANK["account"])) + tlv("02", "QRIBFTTA")
    body = tlv("00", "01") + tlv("01", "12") + tlv("38", merchant) + tlv("53", "704") + tlv("54", "160000") + tlv("58", "VN")
    assert payload.startswith(body)
    purpose = payload[len(body):-8]
    assert purpose.startswith("62") and reference
    assert payload[-8:-4] == "6304" and payload[-4:] == crc16_ccitt_false(payload[:-4].encode())
    # The same CRC code against a published VietQR sample (cuongnm viet_qr_pay README):
    sample = "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704540410005802VN62150811Chuyen tien6304"
    assert crc16_ccitt_false(sample.encode()) == "BBB8"
    assert page.evaluate(f"import('/vietqr.js').then(m => m.crc16({sample!r}))") == "BBB8"
    page.click("#checkout")
    expect(page.locator("#sale-done")).to_contain_text("Đã bán xong")
    [sale] = pos_orders(owner)
    stored = owner.get(f"/api/v1/orders/{sale['id']}").data
    assert stored["payment"] == {"method": "bank_transfer", "status": "paid", "amount_paid": 160000}
    assert purpose == tlv("62", tlv("08", stored["external_id"].replace("-", " ")))
    assert page.script_errors == []


def test_offline_sales_are_sent_exactly_once_after_reconnecting_even_across_a_reload(api, base_url, phone, shop_data):
    owner, store = shop_data["owner"], shop_data["store"]
    context = phone()
    sign_in(context, api, shop_data["email"], shop_data["password"])
    page = open_pos(context, base_url)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    wedge(page, BARCODES["AT-DEN-L"])
    expect(page.locator(".cart [data-sku=AT-DEN-L] .stock-level")).to_have_text("Còn 10")

    context.set_offline(True)
    wedge(page, BARCODES["QJ-30"])
    page.click("#checkout")
    expect(page.locator("#sale-done")).to_contain_text("Đã lưu: sẽ gửi khi có mạng.")
    expect(page.locator("#outbox-count")).to_contain_text("Chờ gửi: 1")
    assert pos_orders(owner) == []

    page.reload()  # still offline: the shell, the catalog and the outbox come from this device
    expect(page.locator("#outbox-count")).to_contain_text("Chờ gửi: 1")
    expect(page.locator("#catalog-status")).to_contain_text("Danh mục sẵn sàng (3 mã)")
    wedge(page, BARCODES["AT-DEN-L"])
    expect(page.locator(".cart [data-sku=AT-DEN-L] .stock-level")).to_contain_text("Còn 9 · lúc")  # last known, less the sale
    page.click("#checkout")
    expect(page.locator("#outbox-count")).to_contain_text("Chờ gửi: 2")
    queued = page.evaluate("""() => new Promise((ok) => indexedDB.open('quay').onsuccess = (e) =>
        e.target.result.transaction('outbox').objectStore('outbox').getAll().onsuccess = (r) => ok(r.target.result))""")
    assert len(queued) == 2 and pos_orders(owner) == []

    context.set_offline(False)
    expect(page.locator("#outbox-count")).to_have_count(0)
    sales = pos_orders(owner)
    assert sorted(s["external_id"] for s in sales) == sorted(e["body"]["external_id"] for e in queued)
    # A retry whose first answer was lost: the same key and body change nothing.
    replay = page.evaluate("""(entry) => fetch('/api/v1/orders', {method: 'POST', body: entry.json, headers: {
        'Content-Type': 'application/json', 'Idempotency-Key': entry.key,
        Authorization: 'Bearer ' + JSON.parse(localStorage.getItem('quay.session')).access_token}})
        .then((r) => r.status)""", queued[0])
    assert replay == 201  # the first answer, replayed
    page.reload()
    expect(page.locator("#catalog-status")).to_contain_text("Danh mục sẵn sàng")
    assert len(pos_orders(owner)) == 2
    assert level(owner, "AT-DEN-L", store)["on_hand"] == 8 and level(owner, "QJ-30", store)["on_hand"] == 4  # once each
    assert page.script_errors == []
