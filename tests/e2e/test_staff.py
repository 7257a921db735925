"""An owner adds a cashier for the store with a PIN from the phone; the counter device then lists
them for PIN sign-in (and says how to add staff while nobody has a PIN)."""
import pytest
from playwright.sync_api import expect

from tests.conftest import unique_email
from tests.e2e.conftest import open_page, sign_in

pytestmark = pytest.mark.browser


def test_owner_adds_a_cashier_with_a_pin_and_the_counter_lists_them(api, base_url, phone, shop_data):
    owner = shop_data["owner"]
    device = owner.post("/api/v1/auth/devices").data["device_token"]
    context = phone()
    sign_in(context, api, shop_data["email"], shop_data["password"], **{"quay.device": device})
    page = open_page(context, base_url + "/#/staff")
    expect(page.locator("#staff-list li")).to_have_count(1)  # the owner alone
    email = unique_email("lan")
    form = page.locator("#add-staff")
    form.locator("input[name=name]").fill("Thu Ngân Lan")
    form.locator("input[name=email]").fill(email)
    form.locator("select[name=role]").select_option("cashier")
    form.locator("input[name=password]").fill("lan-ban-hang-2026")
    form.locator("input[name=pin]").fill("2468")
    form.locator("label.check", has_text="Cửa hàng Quận 1").locator("input").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("#staff-list li")).to_have_count(2)
    stored = next(s for s in owner.get("/api/v1/staff").data["items"] if s["email"] == email)
    assert (stored["role"], stored["location_ids"], stored["has_pin"]) == ("cashier", [shop_data["store"]], True)
    # the counter device lists her for PIN sign-in
    counter = phone()
    counter.add_init_script(f"localStorage.setItem('quay.device', {device!r})")
    pin_page = open_page(counter, base_url + "/")
    pin_page.click("[data-tab=pin]")
    expect(pin_page.locator("#pin-form select option")).to_have_text("Thu Ngân Lan")
    pin_page.fill("input[name=pin]", "2468")
    pin_page.click("#pin-form button[type=submit]")
    expect(pin_page.locator("#me-role")).to_have_text("Thu ngân")


def test_the_pin_screen_says_how_to_add_staff_when_nobody_has_a_pin(api, base_url, phone, shop_data):
    device = shop_data["owner"].post("/api/v1/auth/devices").data["device_token"]
    context = phone()
    context.add_init_script(f"localStorage.setItem('quay.device', {device!r})")
    page = open_page(context, base_url + "/")
    page.click("[data-tab=pin]")
    expect(page.locator("#no-pin-staff")).to_contain_text("đặt mã PIN")
