"""Browser fixtures for the staff PWA flows: the local gateway (API + web/) on a free port, Debian's
Chromium through Playwright at 360x640 with touch, and helpers to seed a shop and sign a page in.
Copied from tests/test_browser.py (same flags), plus the vendored modules the PWA imports."""
import json
import subprocess
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from infra import dynamodb_local
from tests.conftest import Api, unique_email
from tests.e2e.barcodes import ean13

pytestmark = pytest.mark.browser
expect.set_options(timeout=10000)

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BARCODES = {"AT-TRANG-M": ean13("893500100001"), "AT-DEN-L": ean13("893500100002"), "QJ-30": ean13("893500100003")}
PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True, "locale": "vi-VN",
         "timezone_id": "Asia/Ho_Chi_Minh"}


@pytest.fixture(scope="session")
def vendored():
    """web/vendor/ is copied from node_modules by `make pwa-vendor` (part of `make deps`)."""
    if not (ROOT / "web/vendor/preact.mjs").exists():
        subprocess.run(["make", "--no-print-directory", "pwa-vendor"], cwd=ROOT, check=True, capture_output=True)
    return ROOT / "web/vendor"


@pytest.fixture(scope="session")
def base_url(app, dynamodb, vendored):
    from infra.server import build

    port = dynamodb_local.free_port()
    server = build(app, "127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture(scope="module")
def playwright_driver():
    """Per module: only one sync Playwright may run at a time (tests/test_browser.py starts its own)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_driver):
    chromium = playwright_driver.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def phone(browser):
    """A new phone-sized browser context; close() is automatic."""
    contexts = []

    def open_context(**extra):
        context = browser.new_context(**PHONE, **extra)
        context.set_default_timeout(10000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


def sign_in(context, api: Api, email: str, password: str, **local) -> dict:
    """Puts a real session (from POST /auth/login) in the page's storage before the app starts."""
    session = api.post("/api/v1/auth/login", {"email": email, "password": password}).data
    items = {"quay.session": json.dumps(session), **{k: (v if isinstance(v, str) else json.dumps(v)) for k, v in local.items()}}
    context.add_init_script("(() => { if (sessionStorage.getItem('quay.seeded')) return;"
                            "sessionStorage.setItem('quay.seeded', '1');"
                            f"const items = {json.dumps(items)};"
                            "for (const [k, v] of Object.entries(items)) localStorage.setItem(k, v); })()")
    return session


@pytest.fixture
def shop_data(api):
    """A fresh shop with a warehouse (online channels), a store (pos) and stock of two barcoded SKUs."""
    email = unique_email()
    api.post("/api/v1/signup", {"shop_name": "Tiệm Áo Mai", "owner_name": "Chủ Mai", "owner_email": email,
                                "owner_password": "owner-pass-1"})
    token = api.post("/api/v1/auth/login", {"email": email, "password": "owner-pass-1"}).data["access_token"]
    owner = api.as_(token)
    warehouse = owner.post("/api/v1/locations", {"name": "Kho Gò Vấp", "kind": "warehouse",
                                                 "channels": ["facebook", "zalo", "phone", "website", "shopee"]}).data
    store = owner.post("/api/v1/locations", {"name": "Cửa hàng Quận 1", "kind": "store", "channels": ["pos"]}).data
    product = owner.post("/api/v1/products", {"name": "Áo thun cổ tròn", "category": "Áo", "variants": [
        {"sku": "AT-TRANG-M", "barcode": BARCODES["AT-TRANG-M"], "attributes": {"màu": "Trắng", "size": "M"},
         "price": 150000, "cost": 90000},
        {"sku": "AT-DEN-L", "barcode": BARCODES["AT-DEN-L"], "attributes": {"màu": "Đen", "size": "L"},
         "price": 160000, "cost": 95000},
    ]}).data
    other = owner.post("/api/v1/products", {"name": "Quần jean", "variants": [
        {"sku": "QJ-30", "barcode": BARCODES["QJ-30"], "price": 350000, "cost": 200000}]}).data
    for location in (warehouse["id"], store["id"]):
        received = owner.post("/api/v1/stock/receipts", {"location_id": location, "lines": [
            {"sku": "AT-TRANG-M", "quantity": 10}, {"sku": "AT-DEN-L", "quantity": 10}, {"sku": "QJ-30", "quantity": 5}]})
        assert received.status_code == 201, received.body
    return {"owner": owner, "email": email, "password": "owner-pass-1", "warehouse": warehouse["id"], "store": store["id"],
            "product": product, "other": other}


def new_order(owner: Api, **fields) -> dict:
    body = {"channel": "facebook", "customer": {"name": "Lê Văn Khách", "phone": "0901234567"},
            "shipping_address": {"name": "Lê Văn Khách", "phone": "0901234567", "text": "12 Lê Lợi, Phường Bến Thành, TP.HCM"},
            "lines": [{"sku": "AT-TRANG-M", "quantity": 2}, {"sku": "AT-DEN-L", "quantity": 1}], **fields}
    created = owner.post("/api/v1/orders", body)
    assert created.status_code == 201, created.body
    return created.data


def open_page(context, url: str):
    """A page with its script errors collected (page.script_errors), opened at url."""
    page = context.new_page()
    page.script_errors = []
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and not message.text.startswith("Failed to load resource")
            and page.script_errors.append(message.text))  # an HTTP error answer is not a script error
    page.on("close", lambda _: page.script_errors and print("script errors:", page.script_errors))
    page.goto(url)
    return page
