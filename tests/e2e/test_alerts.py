"""The owner's alerts screen at 360x640: settings saved, the t.me link shown, an alert listed with its
failure and a retry button."""
import pytest
from playwright.sync_api import expect

from chalicelib.alerts import outbox
from tests.e2e.conftest import open_page, sign_in

pytestmark = pytest.mark.browser


def test_owner_saves_alert_settings_links_telegram_and_sees_a_failed_alert(api, base_url, phone, shop_data,
                                                                          monkeypatch):
    monkeypatch.setenv("QUAY_TELEGRAM_BOT_USERNAME", "QuayShopBot")
    monkeypatch.delenv("QUAY_TELEGRAM_BOT_TOKEN", raising=False)  # sending fails: the failure must show
    owner = shop_data["owner"]
    tenant = owner.get("/api/v1/me").data["shop"]["id"]
    assert owner.call("put", "/api/v1/alert-settings", {"telegram_chat_ids": ["123456"]}).status_code == 200
    queued = outbox.notify(tenant, "low_stock", "e2e#low", text="📦 <b>Sắp hết hàng</b>\nAT-TRANG-M: còn 2")
    assert queued is not None and queued.status == "pending"

    context = phone()
    sign_in(context, api, shop_data["email"], shop_data["password"])
    held = []  # the alert list answers only after the owner has ticked (a slow 4G answer re-renders the form)
    context.route("**/api/v1/alerts?*", lambda route: held.append(route))
    page = open_page(context, base_url + "/#/alerts")
    form = page.locator("#alert-settings")
    form.locator("input[name=new_order]").check()
    form.locator("input[name=overdue_hours]").fill("6")
    form.locator("input[name=daily_summary_at]").fill("20:30")
    page.wait_for_timeout(100)
    for answer in held:
        answer.continue_()
    context.unroute("**/api/v1/alerts?*")
    expect(page.locator("#alert-list")).to_be_visible()
    expect(form.locator("input[name=new_order]")).to_be_checked()  # still what the owner ticked
    form.locator("button[type=submit]").click()
    expect(page.locator("#settings-saved")).to_be_visible()
    saved = owner.get("/api/v1/alert-settings").data
    assert (saved["events"]["new_order"], saved["overdue_hours"], saved["daily_summary_at"]) == (True, 6, "20:30")

    page.click("#link-telegram")
    expect(page.locator("#telegram-url")).to_contain_text("https://t.me/QuayShopBot?start=" + tenant)

    row = page.locator(f".alert-row[data-alert='{queued.alert_id}']")
    expect(row).to_have_attribute("data-status", "pending")
    expect(row.locator(".alert-error")).to_contain_text("Telegram")
    expect(row.locator("button.retry")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.script_errors == []
