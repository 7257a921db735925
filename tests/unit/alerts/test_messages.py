"""Alert texts: Vietnamese wording, money and time formats, escaping of hostile input, Telegram's limits."""
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.alerts import messages as m
from tests.integration.alerts.fakes import check_telegram_html, utf16_length

HOSTILE = '<b>x</b> & co "quoted" \'single\' <a href="javascript:alert(1)">y</a> &amp;'


def order(**extra):
    return {"id": "01JD7ZQK8M3V9ABCDEF1234567", "channel": "shopee", "external_id": "241123ABCD",
            "customer": {"name": HOSTILE, "phone": "0901234567"},
            "lines": [{"sku": "AT-<01>", "name": "Áo thun <i>trắng</i>", "quantity": 2, "total": 500000},
                      {"sku": "QJ-02", "quantity": 1}],
            "total": 1250000, "payment": {"method": "cod"}, "created_at": "2026-11-23T07:05:00Z", **extra}


def valid(text: str) -> str:
    """The text Telegram would show; fails the test if Telegram would refuse the markup."""
    plain = check_telegram_html(text)
    assert utf16_length(plain) <= 4096
    return plain


def test_money_uses_dots_and_the_dong_sign():
    assert m.money(1250000) == "1.250.000 ₫"
    assert m.money(0) == "0 ₫"
    assert m.money(999) == "999 ₫"
    assert m.money(-50000) == "-50.000 ₫"


def test_times_are_shown_in_the_shops_zone():
    assert m.local_time("2026-11-23T17:30:00Z") == "24/11/2026 00:30"            # UTC+7 crosses midnight
    assert m.local_time(datetime(2026, 11, 23, 1, 0, tzinfo=UTC)) == "23/11/2026 08:00"
    assert m.local_time("2026-11-23T17:30:00Z", zone="Asia/Tokyo") == "24/11/2026 02:30"
    assert m.local_date("2026-11-23") == "23/11/2026"
    with pytest.raises(ValueError):
        m.local_time(datetime(2026, 11, 23, 1, 0))                                # naive times are refused


def test_new_order_escapes_every_name_and_keeps_our_markup():
    text = m.new_order(order(), order_url="https://app.quay.vn/orders/1?a=1&b=2")
    plain = valid(text)
    assert "<b>x</b>" not in text and "&lt;b&gt;x&lt;/b&gt; &amp; co" in text
    assert 'href="javascript' not in text
    assert HOSTILE in plain                                        # the reader sees the name as typed
    assert "Đơn mới #241123ABCD" in plain and "Shopee" in plain
    assert "Tổng: 1.250.000 ₫ · COD" in plain
    assert "2 × Áo thun <i>trắng</i> (AT-<01>)" in plain
    assert "1 × QJ-02" in plain
    assert "Lúc 23/11/2026 14:05" in plain
    assert '<a href="https://app.quay.vn/orders/1?a=1&amp;b=2">' in text


def test_a_link_that_is_not_http_is_dropped():
    text = m.new_order(order(), order_url="javascript:alert(1)")
    assert "<a " not in text


def test_new_order_without_customer_or_external_id():
    text = m.new_order({"id": "01jd7zqk8m3v9abcdef1234567", "channel": "pos", "lines": [], "total": 0})
    plain = valid(text)
    assert "Đơn mới #34567" not in plain and "#F1234567" in plain     # our id's tail, upper-cased
    assert "Tại quầy" in plain and "Khách" not in plain


def test_problem_order_gives_the_reason_and_the_fix_in_plain_words():
    plain = valid(m.problem_order(order(), {"code": "product_not_linked", "detail": "Not linked: <SKU-9>"}))
    assert "đang bị giữ lại" in plain
    assert "Lý do: Sản phẩm trên kênh bán chưa được liên kết với mã SKU của shop." in plain
    assert "Cách xử lý: Liên kết dòng hàng với một SKU." in plain
    assert "Chi tiết: Not linked: <SKU-9>" in plain


def test_problem_order_with_an_unknown_warning_shows_its_detail():
    plain = valid(m.problem_order(order(), {"code": "carrier_refused", "detail": "GHN <refused> & returned"}))
    assert "Lý do: GHN <refused> & returned" in plain


def test_overdue_order_says_how_long_it_has_waited():
    text = m.overdue_order(order(), confirmed_at="2026-11-23T01:00:00Z", now=datetime(2026, 11, 23, 7, 30, tzinfo=UTC),
                           overdue_hours=4)
    plain = valid(text)
    assert "chưa được đóng gói" in plain
    assert "Đã xác nhận lúc 23/11/2026 08:00, đã 6 giờ (ngưỡng 4 giờ)." in plain


def test_low_stock_lists_sku_name_location_available_and_threshold():
    items = [{"sku": "AT-01", "name": "Áo <b>x</b> & co", "location_name": "Kho <Q1>", "available": 2, "threshold": 5}]
    plain = valid(m.low_stock(items))
    assert "Sắp hết hàng: 1 mã" in plain
    assert "AT-01 Áo <b>x</b> & co — Kho <Q1>: còn 2 (ngưỡng 5)" in plain


def test_low_stock_shows_a_bounded_list():
    items = [{"sku": f"S{i}", "name": "n", "location_name": "K", "available": 0, "threshold": 1} for i in range(45)]
    plain = valid(m.low_stock(items))
    assert "Sắp hết hàng: 45 mã" in plain and "S29" in plain and "S30 " not in plain
    assert "… và 15 mã khác" in plain


def test_channel_error_names_the_connection_and_the_error():
    plain = valid(m.channel_error("Shop <A> & B", "invalid_access_token: <expired>", channel="tiktok_shop",
                                  at="2026-11-23T07:05:00Z"))
    assert "Kết nối kênh bán bị lỗi" in plain
    assert "Kết nối: Shop <A> & B (TikTok Shop)" in plain
    assert "Lỗi: invalid_access_token: <expired>" in plain
    assert "Lúc 23/11/2026 14:05" in plain


def test_setting_change_shows_who_what_before_and_after_and_hides_secrets():
    entry = {"staff_name": "Trần <Thị> B", "action": "staff.role_changed", "entity_type": "staff",
             "entity_id": "01STAFF", "at": "2026-11-23T07:05:00Z",
             "before": {"role": "staff", "location_ids": ["a", "b"], "pin": "1234", "name": "Lan"},
             "after": {"role": "manager", "location_ids": ["a"], "pin": "9876", "name": "Lan"}}
    plain = valid(m.setting_changed(entry))
    assert "Người thực hiện: Trần <Thị> B" in plain
    assert "Thao tác: staff.role_changed" in plain and "Đối tượng: Nhân viên 01STAFF" in plain
    assert "• role: staff → manager" in plain
    assert "• location_ids: a, b → a" in plain
    assert "• pin: •••• → ••••" in plain and "1234" not in plain and "9876" not in plain
    assert "name:" not in plain                                       # unchanged fields are left out
    assert "Lúc 23/11/2026 14:05" in plain


def test_setting_created_and_deleted():
    created = valid(m.setting_changed({"staff_name": "A", "action": "alert_settings.updated",
                                       "entity_type": "alert_settings", "entity_id": None, "before": None,
                                       "after": {"events": {"new_order": True}, "bot_token": "secret-value"},
                                       "at": "2026-11-23T07:05:00Z"}))
    assert "Cài đặt cảnh báo" in created and "Tạo mới:" in created
    assert "• events: new_order: bật" in created and "secret-value" not in created
    deleted = valid(m.setting_changed({"staff_name": "A", "action": "role.deleted", "entity_type": "role",
                                       "entity_id": "r1", "before": {"name": "Kho"}, "after": None, "at": None}))
    assert "Đã xóa:" in deleted and "• name: Kho" in deleted and "Lúc" not in deleted


def test_daily_summary():
    plain = valid(m.daily_summary({
        "date": "2026-11-23", "orders": 42, "revenue": 12500000, "canceled": 3, "low_stock_count": 4,
        "by_channel": [{"channel": "shopee", "orders": 20, "revenue": 6000000},
                       {"channel": "pos", "orders": 22, "revenue": 6500000}],
        "top_products": [{"sku": "AT-01", "name": "Áo <b>x</b>", "quantity": 15, "revenue": 3000000},
                         {"sku": "B-2", "quantity": 2}]}))
    assert "Tổng kết ngày 23/11/2026" in plain
    assert "Đơn hàng: 42 · Doanh thu: 12.500.000 ₫" in plain
    assert "Đơn hủy: 3" in plain
    assert "• Shopee: 20 đơn · 6.000.000 ₫" in plain and "• Tại quầy: 22 đơn · 6.500.000 ₫" in plain
    assert "1. Áo <b>x</b> (AT-01): 15 · 3.000.000 ₫" in plain and "2. B-2: 2" in plain
    assert "Sắp hết hàng: 4 mã" in plain


def test_a_quiet_day_has_no_empty_sections():
    plain = valid(m.daily_summary({"date": "2026-11-23", "orders": 0, "revenue": 0, "canceled": 0}))
    assert "Theo kênh" not in plain and "Bán chạy" not in plain and "Sắp hết hàng" not in plain
    assert "\n\n" not in plain


def test_a_short_message_is_not_split():
    text = m.new_order(order())
    assert m.split_message(text) == [text]


def test_a_long_message_is_split_on_line_boundaries_within_4096():
    items = [{"sku": f"SKU-{i:03}", "name": "Áo <b>x</b> & co 😀 " * 4, "location_name": "Kho", "available": i,
              "threshold": 10} for i in range(200)]
    text = m.low_stock(items, limit=200)
    assert m.visible_length(text) > 3 * 4096
    parts = m.split_message(text)
    assert len(parts) >= 4
    plains = [valid(part) for part in parts]
    lines = [line for plain in plains for line in plain.split("\n")]
    assert lines == m.plain_text(text).split("\n")                  # nothing lost, no line cut in two
    assert all(len(plain.split("\n")) > 1 for plain in plains)


def test_a_tag_open_across_a_cut_is_closed_and_reopened():
    text = "<b>" + "\n".join(f"dòng {i} &amp; <i>nghiêng</i>" for i in range(50)) + '</b>\n<a href="https://q.vn/x">xem</a>'
    parts = m.split_message(text, limit=100)
    assert len(parts) > 5
    for part in parts[:-1]:
        valid(part)
        assert part.startswith("<b>") and part.endswith("</b>")
    assert "".join(m.plain_text(p) + "\n" for p in parts).rstrip("\n") == m.plain_text(text)


def test_a_line_longer_than_a_part_is_cut_between_words_then_characters():
    text = "<code>" + "chữ " * 600 + "</code>\n" + "x" * 250
    parts = m.split_message(text, limit=100)
    for part in parts:
        assert m.visible_length(part) <= 100
        valid(part)
    assert "".join(m.plain_text(p) for p in parts).replace("\n", "") == m.plain_text(text).replace("\n", "")


def test_emoji_count_as_two_utf16_units():
    text = "😀" * 3000                                               # 6000 UTF-16 units
    parts = m.split_message(text)
    assert len(parts) == 2 and all(utf16_length(p) <= 4096 for p in parts)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab <>&\"'đ😀")), min_size=1, max_size=40), min_size=1,
                max_size=60), st.integers(min_value=30, max_value=200))
def test_any_hostile_names_split_into_valid_parts(names, limit):
    items = [{"sku": n, "name": n, "location_name": n, "available": 1, "threshold": 2} for n in names]
    text = m.low_stock(items, limit=len(items))
    parts = m.split_message(text, limit=limit)
    for part in parts:
        plain = check_telegram_html(part)
        assert utf16_length(plain) <= limit
    assert "".join(m.plain_text(p) for p in parts).replace("\n", "") == m.plain_text(text).replace("\n", "")


def test_push_payload_is_plain_text():
    payload = m.push_payload(m.new_order(order()), url="https://app.quay.vn/orders/1", tag="order-1")
    assert payload["title"] == "🛒 Đơn mới #241123ABCD · Shopee"
    assert HOSTILE in payload["body"] and "&lt;" not in payload["body"]
    assert payload["url"] == "https://app.quay.vn/orders/1" and payload["tag"] == "order-1"
    assert "url" not in m.push_payload("x", url="javascript:alert(1)")
