"""Flow 1: the orders inbox (tabs with counts, held orders, channel filter, search, pull to refresh, polling)."""
from playwright.sync_api import expect

from tests.e2e.conftest import new_order, open_page, sign_in


def test_inbox_counts_filters_search_and_new_orders_appear(api, base_url, phone, shop_data):
    owner = shop_data["owner"]
    by_phone = new_order(owner, channel="zalo", customer={"name": "Trần Thị Bình", "phone": "0912345678"})
    new_order(owner)
    held = new_order(owner, channel="phone", shipping_address=None, customer={"name": "Phạm Thiếu Địa Chỉ"})
    assert [w["code"] for w in held["warnings"]] == ["incomplete_recipient"]

    context = phone()
    sign_in(context, api, shop_data["email"], shop_data["password"], **{"quay.pollMs": "700"})
    page = open_page(context, base_url + "/#/orders")
    new_tab = page.locator("[data-status=new]")
    expect(new_tab).to_contain_text("Chờ xác nhận")
    expect(new_tab.locator(".count")).to_have_text("3")
    expect(page.locator("[data-status=held] .count")).to_have_text("1")
    expect(page.locator(".list.orders li")).to_have_count(3)
    expect(page.locator(".list.orders li").first).to_contain_text("₫")

    page.click("[data-status=held]")
    expect(page.locator(".list.orders li")).to_have_count(1)
    expect(page.locator(f"[data-order='{held['id']}']")).to_contain_text("Thiếu thông tin người nhận")

    page.click("[data-status=new]")
    page.select_option("select[name=channel]", "zalo")
    expect(page.locator(".list.orders li")).to_have_count(1)
    expect(page.locator(f"[data-order='{by_phone['id']}']")).to_be_visible()
    page.select_option("select[name=channel]", "")
    page.fill("input[name=q]", "0912 345 678")
    page.press("input[name=q]", "Enter")
    expect(page.locator(".list.orders li")).to_have_count(1)
    expect(page.locator(".list.orders li")).to_contain_text("Trần Thị Bình")
    page.fill("input[name=q]", "binh")  # accent-insensitive name search
    page.press("input[name=q]", "Enter")
    expect(page.locator(".list.orders li")).to_have_count(1)
    page.fill("input[name=q]", "")
    page.press("input[name=q]", "Enter")
    expect(page.locator(".list.orders li")).to_have_count(3)

    # A new order arrives while the inbox is open: the poll shows it, no reload.
    arrived = new_order(owner, channel="facebook", customer={"name": "Khách Mới Đến", "phone": "0987654321"})
    expect(page.locator(f"[data-order='{arrived['id']}']")).to_be_visible()
    expect(new_tab.locator(".count")).to_have_text("4")

    # Pull to refresh: a downward swipe at the top of the list reloads it.
    late = new_order(owner, channel="website", customer={"name": "Khách Kéo Xuống", "phone": "0977777777"})
    page.evaluate("localStorage.setItem('quay.pollMs', '600000')")
    page.evaluate("""() => {
        const target = document.querySelector('.screen');
        const touch = (y) => new Touch({identifier: 1, target, clientX: 180, clientY: y});
        target.dispatchEvent(new TouchEvent('touchstart', {touches: [touch(120)], bubbles: true}));
        target.dispatchEvent(new TouchEvent('touchmove', {touches: [touch(260)], bubbles: true}));
        target.dispatchEvent(new TouchEvent('touchend', {touches: [], bubbles: true}));
    }""")
    expect(page.locator(f"[data-order='{late['id']}']")).to_be_visible()
    page.click("#lang")  # the English switch
    expect(new_tab).to_contain_text("To confirm")
    expect(page.locator("[data-status=held]")).to_contain_text("Needs action")
    page.click("#lang")
    expect(new_tab).to_contain_text("Chờ xác nhận")
    page.locator(f"[data-order='{by_phone['id']}'] a").click()
    expect(page).to_have_url(base_url + f"/#/orders/{by_phone['id']}")
    expect(page.locator(".order h1")).to_contain_text(by_phone["id"][-8:])
    assert page.script_errors == []
