"""Platform payloads -> canonical orders, and pushes -> the ids they announce (no network)."""
from datetime import UTC, datetime

import pytest

from chalicelib.channels import canonical as c
from chalicelib.channels.providers import lazada, shopee, tiktok_shop
from chalicelib.channels.providers.base import Credentials
from chalicelib.channels.providers.website import WebsiteAdapter, WebsiteSettings, from_quay
from chalicelib.core.errors import InvalidInput
from tests.unit.channels import samples

# --- Shopee ----------------------------------------------------------------------------------


def test_shopee_cod_order_with_discounted_model_maps_to_canonical():
    order = shopee.to_canonical(samples.shopee_orders()[0])
    assert (order.channel, order.external_id, order.status, order.platform_status) == (
        "shopee", "240701AAA1", c.ChannelStatus.new, "READY_TO_SHIP")
    assert order.created_at == datetime(2024, 7, 1, 2, 13, 20, tzinfo=UTC)
    assert [(line.external_item_id, line.external_model_id, line.external_sku, line.quantity, line.unit_price, line.discount)
            for line in order.lines] == [("1001", "2001", "AT-DO-M", 2, 150000, 30000), ("1002", None, "NON-01", 1, 89000, 0)]
    assert order.lines[0].name == "Áo thun - Đỏ, M"
    assert order.payment == c.Payment(c.PaymentMethod.cod, c.PaymentStatus.unpaid, "Cash on Delivery")
    assert order.totals == c.Totals(items=389000, discount=30000, shipping=0, total=389000)
    assert order.customer.phone == "+84901234567" and order.customer.buyer_id == "556677"
    address = order.shipping_address
    assert (address.province, address.district, address.ward) == ("TP. Hồ Chí Minh", "Quận 1", "Phường Bến Nghé")
    assert not address.masked and address.phone == "+84901234567"
    assert order.note == "Giao giờ hành chính" and order.package_ids == ["OFG1234"]
    assert order.fees["estimated_shipping_fee"] == 32000


def test_shopee_masked_recipient_is_kept_masked_and_flagged():
    order = shopee.to_canonical(samples.shopee_orders()[1])
    assert order.shipping_address.masked and order.shipping_address.text == "****"
    assert order.shipping_address.phone is None and order.shipping_address.phone_as_sent == "84******67"
    assert order.customer.masked and order.customer.phone is None
    assert order.status is c.ChannelStatus.completed
    assert order.payment == c.Payment(c.PaymentMethod.e_wallet, c.PaymentStatus.paid, "ShopeePay")
    assert order.totals.total == 120000 and order.lines[0].quantity == 4


def test_shopee_cancellation_and_pending_cancel():
    canceled = shopee.to_canonical(samples.shopee_orders()[2])
    assert canceled.status is c.ChannelStatus.canceled
    assert canceled.shipping_address.district is None and canceled.shipping_address.ward == "Phường 1"
    raw = samples.shopee_orders()[0] | {"order_status": "IN_CANCEL"}
    assert shopee.to_canonical(raw).status is c.ChannelStatus.cancel_requested


def test_shopee_push_says_ordersn_where_the_api_says_order_sn():
    adapter = shopee.ShopeeAdapter(shopee.ShopeeSettings("1", "k"))
    event = adapter.parse_webhook(samples.shopee_push("240701AAA1", "PROCESSED"))
    assert (event.shop_id, event.kind, event.order_ids, event.platform_status) == ("123456", "order_status", ["240701AAA1"],
                                                                                   "PROCESSED")


def test_shopee_sign_is_partner_id_path_timestamp_token_shop():
    import hashlib
    import hmac

    expected = hmac.new(b"key", b"2001/api/v2/order/get_order_list1719800000tok123", hashlib.sha256).hexdigest()
    assert shopee.sign("key", "2001", "/api/v2/order/get_order_list", 1719800000, "tok", "123") == expected


# --- Lazada ----------------------------------------------------------------------------------


def test_lazada_sign_matches_the_documented_example():
    """Lazada's "Assemble HTTP request" worked example (app secret "helloworld")."""
    params = {"app_key": "123456", "access_token": "test", "timestamp": "1517820392000", "sign_method": "sha256",
              "order_id": "1234"}
    assert lazada.sign("helloworld", "/order/get", params) == "4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A"


def test_lazada_one_line_per_unit_is_merged_and_money_strings_are_read():
    raw = samples.lazada_orders()[0]
    order = lazada.to_canonical(raw, samples.lazada_items()["300001"])
    merged = [(line.external_sku, line.external_model_id, line.quantity, line.unit_price, line.discount) for line in order.lines]
    assert merged == [("QUAN-JEAN-30", "900101", 3, 150000, 15000), ("THAT-LUNG", "900201", 1, 130000, 5000)]
    assert order.status is c.ChannelStatus.new and order.payment.method is c.PaymentMethod.cod
    assert order.payment.status is c.PaymentStatus.unpaid
    assert order.totals == c.Totals(items=580000, discount=20000, shipping=25000, total=585000)
    assert order.created_at == datetime(2024, 7, 1, 2, 0, tzinfo=UTC)
    address = order.shipping_address
    assert (address.province, address.district, address.ward) == ("Hà Nội", "Quận Hoàn Kiếm", "Phường Hàng Bài")
    assert order.customer.phone == "+84912345678" and order.customer.buyer_id == "7001" and order.note == "Gọi trước khi giao"


def test_lazada_masked_prepaid_and_canceled_orders():
    masked = lazada.to_canonical(samples.lazada_orders()[1], samples.lazada_items()["300002"])
    assert masked.status is c.ChannelStatus.delivered and masked.payment == c.Payment(c.PaymentMethod.card, c.PaymentStatus.paid,
                                                                                    "MIXEDCARD")
    assert masked.shipping_address.masked and masked.shipping_address.phone is None and masked.customer.masked
    assert masked.shipping_address.district is None and masked.shipping_address.ward == "Phường Sài Gòn"
    canceled = lazada.to_canonical(samples.lazada_orders()[2], samples.lazada_items()["300003"])
    assert canceled.status is c.ChannelStatus.canceled and canceled.lines[0].quantity == 1
    assert canceled.customer.phone == "+84381234567"  # an old 11-digit number, renumbered


@pytest.mark.parametrize("statuses, expected", [
    (["canceled", "pending"], c.ChannelStatus.new), (["canceled", "canceled"], c.ChannelStatus.canceled),
    (["shipped", "ready_to_ship"], c.ChannelStatus.ready_to_ship), (["delivered", "returned"], c.ChannelStatus.delivered),
    (["confirmed"], c.ChannelStatus.completed), (["unpaid"], c.ChannelStatus.pending_payment), ([], c.ChannelStatus.new),
])
def test_lazada_order_stands_where_its_least_advanced_live_item_stands(statuses, expected):
    assert lazada.order_status(statuses)[0] is expected


def test_lazada_push_announces_the_trade_order():
    adapter = lazada.LazadaAdapter(lazada.LazadaSettings("111", "s"))
    event = adapter.parse_webhook(samples.lazada_push("300001", "pending"))
    assert (event.shop_id, event.kind, event.order_ids, event.platform_status) == ("100200300", "order_status", ["300001"],
                                                                                   "pending")


# --- TikTok Shop -----------------------------------------------------------------------------


def test_tiktok_one_line_per_unit_merged_and_two_level_address():
    order = tiktok_shop.to_canonical(samples.tiktok_orders()[0])
    assert [(line.external_sku, line.quantity, line.unit_price, line.discount) for line in order.lines] == [
        ("SON-DO", 2, 100000, 20000), ("KEM-01", 1, 100000, 0)]
    assert order.lines[0].name == "Son môi - Đỏ"
    assert order.status is c.ChannelStatus.new and order.payment == c.Payment(c.PaymentMethod.cod, c.PaymentStatus.unpaid,
                                                                            "Cash on delivery")
    assert order.totals == c.Totals(items=300000, discount=20000, shipping=18000, total=298000)
    address = order.shipping_address
    assert (address.province, address.district, address.ward) == ("TP. Hồ Chí Minh", None, "Phường Sài Gòn")
    assert order.customer.phone == "+84901234568" and order.customer.buyer_id == "7021436810468230477"
    assert order.package_ids == ["1153132168123859123"] and order.note == "Giao nhanh giúp em"


def test_tiktok_masked_three_level_prepaid_and_canceled():
    done = tiktok_shop.to_canonical(samples.tiktok_orders()[1])
    assert done.status is c.ChannelStatus.completed and done.payment.status is c.PaymentStatus.paid
    assert done.payment.method is c.PaymentMethod.e_wallet
    assert done.shipping_address.masked and done.shipping_address.phone is None
    assert (done.shipping_address.province, done.shipping_address.district, done.shipping_address.ward) == (
        "Hà Nội", "Quận Ba Đình", "Phường Kim Mã")
    canceled = tiktok_shop.to_canonical(samples.tiktok_orders()[2])
    assert canceled.status is c.ChannelStatus.canceled and canceled.lines[0].quantity == 1


def test_tiktok_buyer_cancel_request_holds_the_order():
    raw = samples.tiktok_orders()[0] | {"is_buyer_request_cancel": True}
    assert tiktok_shop.to_canonical(raw).status is c.ChannelStatus.cancel_requested


def test_tiktok_sign_wraps_path_params_and_body_in_the_secret():
    import hashlib
    import hmac

    params = {"app_key": "ak", "timestamp": "1719800000", "shop_cipher": "ROW_x", "sign": "old", "access_token": "t"}
    text = "sec/order/202309/orders/searchapp_keyakshop_cipherROW_xtimestamp1719800000{\"a\":1}sec"
    assert tiktok_shop.sign("sec", "/order/202309/orders/search", params, b'{"a":1}') == hmac.new(
        b"sec", text.encode(), hashlib.sha256).hexdigest()


def test_tiktok_expired_token_codes_raise_token_expired():
    from chalicelib.channels.providers.base import ChannelError, TokenExpired

    adapter = tiktok_shop.TikTokShopAdapter(tiktok_shop.TikTokSettings("a", "b"), Credentials("1", "t", "c"))
    for code in (105001, 105002, 36004004):
        with pytest.raises(TokenExpired):
            adapter.raise_for_error(401, {"code": code, "message": "expired", "request_id": "r"})
    with pytest.raises(ChannelError) as error:
        adapter.raise_for_error(200, {"code": 12019011, "message": "other", "request_id": "r"})
    assert not isinstance(error.value, TokenExpired) and error.value.code == "12019011"


def test_tiktok_push_announces_the_order():
    adapter = tiktok_shop.TikTokShopAdapter(tiktok_shop.TikTokSettings("a", "b"))
    event = adapter.parse_webhook(samples.tiktok_push())
    assert (event.shop_id, event.kind, event.order_ids) == ("7495", "order_status", ["576461413038785752"])


# --- websites --------------------------------------------------------------------------------


def _website(platform: str) -> WebsiteAdapter:
    return WebsiteAdapter(WebsiteSettings(platform, "whsec"))


def test_shopify_style_order_maps_strings_to_vnd_and_cod_to_new():
    order = _website("haravan").to_canonical(samples.shopify_order())
    assert (order.external_id, order.status, order.payment.method, order.payment.status) == (
        "5001", c.ChannelStatus.new, c.PaymentMethod.cod, c.PaymentStatus.unpaid)
    assert [(line.external_sku, line.quantity, line.unit_price, line.discount) for line in order.lines] == [
        ("AO-S", 2, 100000, 25000), ("CA-VAT", 1, 100000, 0)]
    assert order.totals == c.Totals(items=300000, discount=25000, shipping=30000, total=305000)
    assert order.created_at == datetime(2024, 7, 1, 3, 0, tzinfo=UTC)
    assert (order.shipping_address.province, order.shipping_address.district, order.shipping_address.ward) == (
        "TP. Hồ Chí Minh", "Quận 3", "Phường 6")
    assert (order.customer.phone, order.customer.email, order.customer.name) == ("+84903334444", "khach@example.vn", "Minh Đỗ")


@pytest.mark.parametrize("overrides, status", [
    ({"cancelled_at": "2024-07-01T11:00:00+07:00"}, c.ChannelStatus.canceled),
    ({"financial_status": "paid", "gateway": "VNPay"}, c.ChannelStatus.new),
    ({"financial_status": "pending", "gateway": "Chuyển khoản ngân hàng"}, c.ChannelStatus.pending_payment),
    ({"financial_status": "paid", "fulfillment_status": "fulfilled"}, c.ChannelStatus.shipping),
    ({"financial_status": "refunded"}, c.ChannelStatus.returned),
])
def test_shopify_statuses(overrides, status):
    assert _website("shopify").to_canonical(samples.shopify_order(**overrides)).status is status


def test_woocommerce_order_maps_line_subtotals_and_cod():
    order = _website("woocommerce").to_canonical(samples.woocommerce_order())
    assert order.status is c.ChannelStatus.new and order.payment.method is c.PaymentMethod.cod
    lines = [(line.external_sku, line.quantity, line.unit_price, line.discount) for line in order.lines]
    assert lines == [("DEN-LONG", 2, 100000, 10000)]
    assert order.totals == c.Totals(items=200000, discount=10000, shipping=20000, total=210000)
    assert order.created_at == datetime(2024, 7, 1, 3, 0, tzinfo=UTC) and order.customer.phone == "+84935123456"
    bank = _website("woocommerce").to_canonical(samples.woocommerce_order(status="on-hold", payment_method="bacs"))
    assert bank.status is c.ChannelStatus.pending_payment and bank.payment.method is c.PaymentMethod.bank_transfer


def test_woocommerce_ping_is_recognised():
    assert _website("woocommerce").parse_webhook(b"webhook_id=42").kind == "ping"


def test_quay_generic_order_and_its_validation():
    order = from_quay(samples.quay_order())
    assert order.totals == c.Totals(items=150000, discount=5000, shipping=20000, total=165000)
    assert order.payment == c.Payment(c.PaymentMethod.bank_transfer, c.PaymentStatus.paid, "bank_transfer")
    assert order.shipping_address.district is None and order.shipping_address.ward == "Phường Hoàn Kiếm"
    with pytest.raises(InvalidInput):
        from_quay(samples.quay_order(status="teleported"))
    with pytest.raises(InvalidInput):
        from_quay(samples.quay_order(lines=[]))
    with pytest.raises(InvalidInput):
        _website("generic").parse_webhook(b'{"id": "W1", "lines": [{"sku": "A", "quantity": 1, "unit_price": 1}]}')
    with pytest.raises(InvalidInput):
        _website("generic").parse_webhook(b"not json")


def test_unknown_website_platform_is_refused():
    with pytest.raises(InvalidInput):
        WebsiteSettings("wix", "x")
