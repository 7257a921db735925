"""The owner's dashboard at 360x640: today's figures after a few orders, by channel, the trend, CSV."""
from tests.e2e.conftest import open_page, sign_in


def test_the_dashboard_shows_todays_sales(phone, api, base_url, shop_data, stream_poller):
    owner, store = shop_data["owner"], shop_data["store"]
    for quantity in (1, 2):
        sale = owner.post("/api/v1/orders", {"channel": "pos", "location_id": store,
                                             "lines": [{"sku": "AT-TRANG-M", "quantity": quantity}]})
        assert sale.status_code == 201, sale.body
    stream_poller.drain(owner.get("/api/v1/me").data["shop"]["id"])  # the stream handler's work, at once
    context = phone(accept_downloads=True)
    sign_in(context, api, shop_data["email"], shop_data["password"])
    page = open_page(context, base_url + "/#/reports")
    page.wait_for_selector("#kpi-today")
    today = page.evaluate("() => { const d = new Date();"
                          " return new Date(d - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10); }")
    api_today = owner.get(f"/api/v1/reports/sales?from={today}&to={today}&group_by=day").data["totals"]
    api_channels = owner.get(f"/api/v1/reports/sales?from={today}&to={today}&group_by=channel").data["rows"]
    assert api_today["revenue"] == 150000 * 3 and api_today["orders"] == 2  # the figures the screen must show
    shown = lambda amount: f"{amount:,}".replace(",", ".")  # noqa: E731 - 450.000 ₫
    assert shown(api_today["revenue"]) in page.inner_text("#kpi-today") and "2" in page.inner_text("#kpi-today")
    assert [r["key"] for r in api_channels] == ["pos"]
    assert page.locator("#by-channel li[data-key=pos]").count() == 1
    assert shown(api_channels[0]["revenue"]) in page.inner_text("#by-channel li[data-key=pos]")
    assert page.locator("#trend rect").count() == 30
    box = page.locator("#kpi-today").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    with page.expect_download() as download:
        page.click("#csv")
    assert download.value.suggested_filename.startswith("doanh-thu-day-")
