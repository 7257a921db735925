"""Platform payloads shaped like the documented samples (field names and value types as the
platforms send them: Shopee numbers, Lazada/TikTok strings with decimals, masked recipients,
one-line-per-unit items, a cancellation). Functions, so each test gets fresh copies."""
from __future__ import annotations

import json

T0 = 1719800000          # 2024-07-01T02:13:20Z


# --- Shopee get_order_detail entries ----------------------------------------------------------

def shopee_orders() -> list[dict]:
    return [
        {   # COD, two items, one with a model, discounted; three-level address
            "order_sn": "240701AAA1", "region": "VN", "currency": "VND", "cod": True, "order_status": "READY_TO_SHIP",
            "create_time": T0, "update_time": T0 + 60, "total_amount": 389000.0, "payment_method": "Cash on Delivery",
            "message_to_seller": "Giao giờ hành chính", "buyer_user_id": 556677, "buyer_username": "nguyenvana",
            "estimated_shipping_fee": 32000.0, "pay_time": 0,
            "recipient_address": {"name": "Nguyễn Văn A", "phone": "84901234567", "town": "", "district": "Phường Bến Nghé",
                                  "city": "Quận 1", "state": "TP. Hồ Chí Minh", "region": "VN", "zipcode": "",
                                  "full_address": "12 Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh"},
            "item_list": [
                {"item_id": 1001, "item_name": "Áo thun", "item_sku": "AT", "model_id": 2001, "model_name": "Đỏ, M",
                 "model_sku": "AT-DO-M", "model_quantity_purchased": 2, "model_original_price": 150000.0,
                 "model_discounted_price": 135000.0},
                {"item_id": 1002, "item_name": "Nón", "item_sku": "NON-01", "model_id": 0, "model_name": "",
                 "model_sku": "", "model_quantity_purchased": 1, "model_original_price": 89000.0,
                 "model_discounted_price": 89000.0},
            ],
            "package_list": [{"package_number": "OFG1234", "logistics_status": "LOGISTICS_READY"}],
        },
        {   # prepaid with ShopeePay, completed, recipient masked by Shopee
            "order_sn": "240701BBB2", "region": "VN", "currency": "VND", "cod": False, "order_status": "COMPLETED",
            "create_time": T0 + 100, "update_time": T0 + 5000, "total_amount": "120000.00", "payment_method": "ShopeePay",
            "buyer_user_id": 889900, "pay_time": T0 + 120,
            "recipient_address": {"name": "N****n", "phone": "84******67", "town": "", "district": "", "city": "",
                                  "state": "Hà Nội", "region": "VN", "zipcode": "", "full_address": "****"},
            "item_list": [{"item_id": 1003, "item_name": "Vớ", "item_sku": "VO", "model_id": 0, "model_sku": "",
                           "model_quantity_purchased": 4, "model_original_price": 30000, "model_discounted_price": 30000}],
        },
        {   # canceled by the buyer before shipping
            "order_sn": "240701CCC3", "region": "VN", "currency": "VND", "cod": True, "order_status": "CANCELLED",
            "create_time": T0 + 200, "update_time": T0 + 900, "total_amount": 150000, "payment_method": "Cash on Delivery",
            "cancel_by": "buyer", "cancel_reason": "Change of mind", "buyer_user_id": 1,
            "recipient_address": {"name": "Lê C", "phone": "0987654321", "district": "Phường 1", "city": "",
                                  "state": "Đà Nẵng", "full_address": "1 Bạch Đằng, Phường 1, Đà Nẵng"},
            "item_list": [{"item_id": 1001, "item_name": "Áo thun", "model_id": 2002, "model_name": "Xanh, L",
                           "model_sku": "AT-XANH-L", "model_quantity_purchased": 1, "model_original_price": 150000,
                           "model_discounted_price": 150000}],
        },
    ]


def shopee_items() -> tuple[list[dict], dict[str, dict]]:
    items = [
        {"item_id": 1001, "item_name": "Áo thun", "item_sku": "AT", "item_status": "NORMAL", "has_model": True},
        {"item_id": 1002, "item_name": "Nón", "item_sku": "NON-01", "item_status": "NORMAL", "has_model": False},
        {"item_id": 1003, "item_name": "Vớ", "item_sku": "VO", "item_status": "UNLIST", "has_model": False},
    ]
    models = {"1001": {
        "tier_variation": [{"name": "Màu", "option_list": [{"option": "Đỏ"}, {"option": "Xanh"}]},
                           {"name": "Size", "option_list": [{"option": "M"}, {"option": "L"}]}],
        "model": [{"model_id": 2001, "model_sku": "AT-DO-M", "tier_index": [0, 0]},
                  {"model_id": 2002, "model_sku": "AT-XANH-L", "tier_index": [1, 1]}]}}
    return items, models


def shopee_push(order_sn: str = "240701AAA1", status: str = "READY_TO_SHIP") -> bytes:
    return json.dumps({"shop_id": 123456, "code": 3, "timestamp": T0 + 61,
                       "data": {"ordersn": order_sn, "status": status, "update_time": T0 + 60}}).encode()


# --- Lazada /orders/get entries and their items (one per unit) --------------------------------

def lazada_orders() -> list[dict]:
    return [
        {"order_id": 300001, "order_number": 300001, "created_at": "2024-07-01 09:00:00 +0700",
         "updated_at": "2024-07-01 09:05:00 +0700", "price": "580000.00", "shipping_fee": "25000.00", "voucher": "20000.00",
         "voucher_seller": "20000.00", "voucher_platform": "0.00", "payment_method": "COD", "statuses": ["pending"],
         "customer_first_name": "Trần Thị B", "customer_last_name": "", "remarks": "Gọi trước khi giao", "items_count": 4,
         "address_shipping": {"first_name": "Trần Thị B", "last_name": "", "phone": "0912345678", "address1": "45 Trần Hưng Đạo",
                              "address3": "Hà Nội", "address4": "Quận Hoàn Kiếm", "address5": "Phường Hàng Bài",
                              "city": "Quận Hoàn Kiếm", "country": "Vietnam"}},
        {"order_id": 300002, "order_number": 300002, "created_at": "2024-07-01 10:00:00 +0700",
         "updated_at": "2024-07-02 10:00:00 +0700", "price": "99000.00", "shipping_fee": "0.00", "voucher": "0.00",
         "payment_method": "MIXEDCARD", "statuses": ["delivered"], "customer_first_name": "P***m", "customer_last_name": "",
         "address_shipping": {"first_name": "P***m", "last_name": "", "phone": "84*****678", "address1": "****",
                              "address3": "TP. Hồ Chí Minh", "address5": "Phường Sài Gòn", "country": "Vietnam"}},
        {"order_id": 300003, "order_number": 300003, "created_at": "2024-07-01 11:00:00 +0700",
         "updated_at": "2024-07-01 12:00:00 +0700", "price": "150000.00", "shipping_fee": "15000.00", "payment_method": "COD",
         "statuses": ["canceled"], "customer_first_name": "Hoàng D", "customer_last_name": "",
         "address_shipping": {"first_name": "Hoàng D", "last_name": "", "phone": "0168 123 4567", "address1": "9 Lý Thường Kiệt",
                              "address3": "Huế", "address5": "Phường Thuận Hòa", "country": "Vietnam"}},
    ]


def _lazada_item(order_id: int, n: int, sku: str, sku_id: str, product_id: str, name: str, price: str, paid: str,
                 status: str) -> dict:
    return {"order_item_id": order_id * 10 + n, "order_id": order_id, "name": name, "sku": sku, "sku_id": sku_id,
            "product_id": product_id, "shop_sku": f"{product_id}_VNAMZ-{sku_id}", "item_price": price, "paid_price": paid,
            "voucher_amount": "0.00", "status": status, "buyer_id": 7001, "tracking_code": "", "shipment_provider": "",
            "variation": ""}


def lazada_items() -> dict[str, list[dict]]:
    return {
        "300001": [
            _lazada_item(300001, 1, "QUAN-JEAN-30", "900101", "8001", "Quần jean 30", "150000.00", "145000.00", "pending"),
            _lazada_item(300001, 2, "QUAN-JEAN-30", "900101", "8001", "Quần jean 30", "150000.00", "145000.00", "pending"),
            _lazada_item(300001, 3, "QUAN-JEAN-30", "900101", "8001", "Quần jean 30", "150000.00", "145000.00", "pending"),
            _lazada_item(300001, 4, "THAT-LUNG", "900201", "8002", "Thắt lưng", "130000.00", "125000.00", "pending"),
        ],
        "300002": [_lazada_item(300002, 1, "MU-LUOI", "900301", "8003", "Mũ lưỡi trai", "99000.00", "99000.00",
                                "delivered")],
        "300003": [_lazada_item(300003, 1, "QUAN-JEAN-30", "900101", "8001", "Quần jean 30", "150000.00", "150000.00",
                                "canceled")],
    }


def lazada_products() -> list[dict]:
    return [
        {"item_id": 8001, "status": "active", "attributes": {"name": "Quần jean"},
         "skus": [{"SkuId": 900101, "SellerSku": "QUAN-JEAN-30", "Status": "active", "quantity": 10},
                  {"SkuId": 900102, "SellerSku": "QUAN-JEAN-32", "Status": "inactive", "quantity": 0}]},
        {"item_id": 8002, "status": "active", "attributes": {"name": "Thắt lưng"},
         "skus": [{"SkuId": 900201, "SellerSku": "THAT-LUNG", "Status": "active", "quantity": 3}]},
        {"item_id": 8003, "status": "active", "attributes": {"name": "Mũ lưỡi trai"},
         "skus": [{"SkuId": 900301, "SellerSku": "MU-LUOI", "Status": "active", "quantity": 7}]},
    ]


def lazada_push(order_id: str = "300001", status: str = "pending") -> bytes:
    return json.dumps({"seller_id": "100200300", "message_type": 0,
                       "data": {"order_status": status, "trade_order_id": order_id, "trade_order_line_id": order_id + "1",
                                "status_update_time": T0}, "timestamp": T0 * 1000, "site": "lazada_vn"}).encode()


# --- TikTok Shop 202309 orders (line items one per unit) --------------------------------------

def _tiktok_item(n: int, product_id: str, sku_id: str, seller_sku: str, name: str, sku_name: str, original: str, sale: str,
                 status: str = "TO_SHIP") -> dict:
    return {"id": f"li-{n}", "product_id": product_id, "sku_id": sku_id, "seller_sku": seller_sku, "product_name": name,
            "sku_name": sku_name, "original_price": original, "sale_price": sale, "platform_discount": "0",
            "seller_discount": str(int(float(original) - float(sale))), "currency": "VND", "display_status": status,
            "package_id": "pkg-1", "is_gift": False}


def tiktok_orders() -> list[dict]:
    return [
        {"id": "576461413038785752", "status": "AWAITING_SHIPMENT", "is_cod": True, "create_time": T0, "update_time": T0 + 30,
         "paid_time": 0, "payment_method_name": "Cash on delivery", "user_id": "7021436810468230477",
         "buyer_email": "v2b2V5@chat.seller.tiktok.com", "buyer_message": "Giao nhanh giúp em",
         "payment": {"currency": "VND", "original_total_product_price": "300000", "seller_discount": "20000",
                     "platform_discount": "0", "shipping_fee": "18000", "original_shipping_fee": "30000",
                     "shipping_fee_platform_discount": "12000", "shipping_fee_seller_discount": "0", "sub_total": "280000",
                     "tax": "0", "total_amount": "298000"},
         "recipient_address": {
             "name": "Phạm Văn E", "phone_number": "(+84)901234568",
             "full_address": "7 Nguyễn Huệ, Phường Sài Gòn, TP. Hồ Chí Minh",
             "address_detail": "7 Nguyễn Huệ", "region_code": "VN", "postal_code": "",
             "district_info": [{"address_level": "L0", "address_level_name": "Country", "address_name": "Việt Nam"},
                               {"address_level": "L1", "address_level_name": "Province", "address_name": "TP. Hồ Chí Minh"},
                               {"address_level": "L2", "address_level_name": "Ward", "address_name": "Phường Sài Gòn"}]},
         "line_items": [
             _tiktok_item(1, "1729582718312380123", "2729382476852921560", "SON-DO", "Son môi", "Đỏ", "100000", "90000"),
             _tiktok_item(2, "1729582718312380123", "2729382476852921560", "SON-DO", "Son môi", "Đỏ", "100000", "90000"),
             _tiktok_item(3, "1729582718312380999", "2729382476852921777", "KEM-01", "Kem dưỡng", "", "100000", "100000"),
         ],
         "packages": [{"id": "1153132168123859123"}], "is_buyer_request_cancel": False},
        {"id": "576461413038785753", "status": "COMPLETED", "is_cod": False, "create_time": T0 + 10, "update_time": T0 + 4000,
         "paid_time": T0 + 20, "payment_method_name": "ShopeePay Ví điện tử", "user_id": "7021436810468230478",
         "payment": {"currency": "VND", "shipping_fee": "0.00", "total_amount": "150000.00", "seller_discount": "0",
                     "platform_discount": "0"},
         "recipient_address": {"name": "L***h", "phone_number": "(+84)90*****89", "full_address": "****",
                               "district_info": [{"address_level": "L1", "address_name": "Hà Nội"},
                                                 {"address_level": "L2", "address_name": "Quận Ba Đình"},
                                                 {"address_level": "L3", "address_name": "Phường Kim Mã"}]},
         "line_items": [_tiktok_item(4, "1729582718312380999", "2729382476852921777", "KEM-01", "Kem dưỡng", "",
                                     "150000.00", "150000.00", "COMPLETED")],
         "packages": [{"id": "1153132168123859124"}]},
        {"id": "576461413038785754", "status": "CANCELLED", "is_cod": True, "create_time": T0 + 20, "update_time": T0 + 600,
         "payment_method_name": "Cash on delivery", "cancel_reason": "Buyer changed mind", "cancellation_initiator": "BUYER",
         "payment": {"shipping_fee": "18000", "total_amount": "118000"},
         "recipient_address": {"name": "Vũ F", "phone_number": "0909 111 222", "full_address": "3 Hai Bà Trưng, Hà Nội",
                               "district_info": [{"address_level": "L1", "address_name": "Hà Nội"}]},
         "line_items": [_tiktok_item(5, "1729582718312380123", "2729382476852921560", "SON-DO", "Son môi", "Đỏ", "100000",
                                     "100000", "CANCELLED")],
         "packages": []},
    ]


def tiktok_products() -> list[dict]:
    return [
        {"id": "1729582718312380123", "title": "Son môi", "status": "ACTIVATE",
         "skus": [{"id": "2729382476852921560", "seller_sku": "SON-DO",
                   "inventory": [{"warehouse_id": "wh-1", "quantity": 5}]},
                  {"id": "2729382476852921561", "seller_sku": "SON-HONG",
                   "inventory": [{"warehouse_id": "wh-1", "quantity": 0}]}]},
        {"id": "1729582718312380999", "title": "Kem dưỡng", "status": "SELLER_DEACTIVATED",
         "skus": [{"id": "2729382476852921777", "seller_sku": "KEM-01", "inventory": []}]},
    ]


def tiktok_push(order_id: str = "576461413038785752", status: str = "AWAITING_SHIPMENT") -> bytes:
    return json.dumps({"type": 1, "tts_notification_id": "7327112393057371910", "shop_id": "7495", "timestamp": T0,
                       "data": {"order_id": order_id, "order_status": status, "update_time": T0}}).encode()


# --- websites ---------------------------------------------------------------------------------

def shopify_order(**overrides) -> dict:
    order = {
        "id": 5001, "name": "#1001", "email": "khach@example.vn", "phone": None,
        "created_at": "2024-07-01T10:00:00+07:00", "updated_at": "2024-07-01T10:05:00+07:00",
        "financial_status": "pending", "fulfillment_status": None, "cancelled_at": None,
        "gateway": "Thanh toán khi giao hàng (COD)", "payment_gateway_names": ["Thanh toán khi giao hàng (COD)"],
        "total_price": "305000.00", "subtotal_price": "275000.00", "total_discounts": "25000.00",
        "total_shipping_price_set": {"shop_money": {"amount": "30000.00", "currency_code": "VND"}},
        "note": "Để hàng ở bảo vệ",
        "customer": {"id": 9001, "first_name": "Minh", "last_name": "Đỗ", "email": "khach@example.vn", "phone": "+84903334444"},
        "shipping_address": {"first_name": "Minh", "last_name": "Đỗ", "name": "Đỗ Minh", "address1": "88 Võ Văn Tần",
                             "address2": "", "city": "Quận 3", "province": "TP. Hồ Chí Minh", "district": "Quận 3",
                             "ward": "Phường 6", "country": "Vietnam", "phone": "0903334444", "zip": ""},
        "line_items": [
            {"id": 1, "product_id": 70, "variant_id": 701, "sku": "AO-S", "title": "Áo sơ mi", "name": "Áo sơ mi - S",
             "quantity": 2, "price": "100000.00", "total_discount": "25000.00"},
            {"id": 2, "product_id": 71, "variant_id": 711, "sku": "CA-VAT", "title": "Cà vạt", "name": "Cà vạt",
             "quantity": 1, "price": "100000.00", "total_discount": "0.00"},
        ],
    }
    order.update(overrides)
    return order


def woocommerce_order(**overrides) -> dict:
    order = {
        "id": 727, "status": "processing", "currency": "VND", "date_created": "2024-07-01T10:00:00",
        "date_created_gmt": "2024-07-01T03:00:00", "date_modified_gmt": "2024-07-01T03:10:00", "date_paid_gmt": None,
        "discount_total": "10000", "shipping_total": "20000", "total": "210000", "customer_id": 26,
        "payment_method": "cod", "payment_method_title": "Trả tiền mặt khi nhận hàng", "customer_note": "",
        "billing": {"first_name": "Hà", "last_name": "Vy", "address_1": "5 Phan Chu Trinh", "address_2": "", "city": "Hội An",
                    "state": "Quảng Nam", "country": "VN", "email": "vy@example.vn", "phone": "0935 123 456"},
        "shipping": {"first_name": "Hà", "last_name": "Vy", "address_1": "5 Phan Chu Trinh", "address_2": "", "city": "Hội An",
                     "state": "Quảng Nam", "country": "VN"},
        "line_items": [{"id": 315, "name": "Đèn lồng", "product_id": 93, "variation_id": 0, "quantity": 2,
                        "subtotal": "200000", "total": "190000", "sku": "DEN-LONG", "price": 95000}],
    }
    order.update(overrides)
    return order


def quay_order(**overrides) -> dict:
    order = {"id": "W1001", "status": "new", "created_at": "2024-07-01T10:00:00+07:00",
             "customer": {"id": "c-1", "name": "Ngô G", "phone": "0977 000 111", "email": "g@example.vn"},
             "lines": [{"item_id": "p1", "sku": "TRA-XANH", "name": "Trà xanh", "quantity": 3, "unit_price": 50000,
                        "discount": "5000"}],
             "shipping_address": {"name": "Ngô G", "phone": "0977000111", "text": "2 Hàng Bông, Phường Hoàn Kiếm, Hà Nội",
                                  "province": "Hà Nội", "ward": "Phường Hoàn Kiếm"},
             "payment": {"method": "bank_transfer", "status": "paid"}, "shipping_fee": 20000, "total": 165000, "note": "Quà tặng"}
    order.update(overrides)
    return order
