"""Signing in to the PWA (password and counter-device PIN) in real headless Chromium against the
local gateway; the browser and server fixtures are in tests/e2e/conftest.py."""
import pytest
from playwright.sync_api import expect

from tests.conftest import unique_email

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()


def test_sign_in_shows_who_i_am_then_sign_out(api, base_url, page):
    email = unique_email()
    api.post("/api/v1/signup", {"shop_name": "Tiệm Hoa Mai", "owner_name": "Nguyễn Thị Mai",
                                "owner_email": email, "owner_password": "hoa-mai-2026"})
    page.goto(base_url + "/")
    expect(page.locator("h1")).to_have_text("Đăng nhập")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "wrong-password")
    page.click("#password-form button[type=submit]")
    expect(page.locator("#password-form .error")).to_have_text("Sai email hoặc mật khẩu.")  # the PWA asks in Vietnamese
    page.fill("input[name=password]", "hoa-mai-2026")
    page.click("#password-form button[type=submit]")
    page.wait_for_selector("#me-name")
    expect(page.locator("#me-name")).to_have_text("Nguyễn Thị Mai")
    expect(page.locator("#me-shop")).to_have_text("Tiệm Hoa Mai")
    expect(page.locator("#me-role")).to_have_text("Chủ cửa hàng")
    page.click("#lang")
    expect(page.locator("#me-role")).to_have_text("Owner")
    expect(page.locator("#logout")).to_have_text("Sign out")
    page.reload()  # the session survives a reload
    page.wait_for_selector("#me-name")
    # An expired access token is renewed with the refresh token, without bothering the user.
    page.evaluate("""() => { const s = JSON.parse(localStorage.getItem('quay.session'));
        s.access_token = 'expired.token.value'; localStorage.setItem('quay.session', JSON.stringify(s)); }""")
    page.reload()
    expect(page.locator("#me-name")).to_have_text("Nguyễn Thị Mai")
    page.goto(base_url + "/#/orders")  # the next call to the API meets a 401 and renews behind the scenes
    token = "JSON.parse(localStorage.getItem('quay.session')).access_token"
    for _ in range(100):  # polled from here: the app's CSP forbids the eval wait_for_function needs
        if page.evaluate(token) != "expired.token.value":
            break
        page.wait_for_timeout(100)
    assert page.evaluate(token) != "expired.token.value"
    page.goto(base_url + "/#/")
    refresh_token = page.evaluate("JSON.parse(localStorage.getItem('quay.session')).refresh_token")
    page.click("#logout")
    expect(page.locator("h1")).to_have_text("Sign in")
    page.wait_for_timeout(300)  # the logout call is fire-and-forget
    assert api.post("/api/v1/auth/refresh", {"refresh_token": refresh_token}).status_code == 401


def test_counter_device_pin_sign_in(api, base_url, page):
    email = unique_email()
    api.post("/api/v1/signup", {"shop_name": "Quầy", "owner_name": "Chủ", "owner_email": email,
                                "owner_password": "owner-pass-1"})
    token = api.post("/api/v1/auth/login", {"email": email, "password": "owner-pass-1"}).data["access_token"]
    api.as_(token).post("/api/v1/staff", {"email": unique_email("c"), "name": "Thu Ngân Lan", "role": "cashier",
                                          "password": "cashier-pass", "pin": "2468"})
    page.goto(base_url + "/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "owner-pass-1")
    page.click("#password-form button[type=submit]")
    page.click("#register-device")
    page.wait_for_selector("#device-note:not([hidden])")
    page.click("#logout")
    page.click("[data-tab=pin]")
    page.wait_for_selector("#pin-form select option", state="attached")
    expect(page.locator("#pin-form select option")).to_have_text("Thu Ngân Lan")
    page.fill("input[name=pin]", "2468")
    page.click("#pin-form button[type=submit]")
    page.wait_for_selector("#me-name")
    expect(page.locator("#me-role")).to_have_text("Thu ngân")


def test_shell_is_installable_and_served_as_utf8(base_url, page):
    response = page.goto(base_url + "/")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    manifest = page.evaluate("fetch('/manifest.webmanifest').then(r => r.json())")
    assert manifest["display"] == "standalone" and {i["sizes"] for i in manifest["icons"]} >= {"192x192", "512x512"}
    registered = page.evaluate("navigator.serviceWorker.ready.then(r => !!r.active)")
    assert registered is True
    problem = page.evaluate("fetch('/api/v1/me').then(async r => [r.status, r.headers.get('content-type')])")
    assert problem == [401, "application/problem+json"]
