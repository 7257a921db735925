"""The demo shop `make run` creates when the data is empty."""
from chalicelib.catalog import service as catalog
from chalicelib.core.channels import Channel
from chalicelib.core.principal import Principal
from chalicelib.staff import service as staff
from chalicelib.staff.store import LoginEmailItem
from chalicelib.stock import locations, movements

OWNER_EMAIL = "owner@demo.quay.vn"
OWNER_PASSWORD = "demo-owner-1"

ONLINE = [Channel.website, Channel.facebook, Channel.zalo, Channel.livestream, Channel.shopee, Channel.lazada,
          Channel.tiktok_shop, Channel.telesales]

# name, category, SKU prefix, base price, attribute name, attribute values
PRODUCTS = [
    ("Áo thun cổ tròn", "Áo", "ATCT", 149000, "size", ["S", "M", "L", "XL"]),
    ("Áo sơ mi trắng", "Áo", "ASMT", 289000, "size", ["S", "M", "L"]),
    ("Áo khoác gió", "Áo", "AKG", 399000, "màu", ["Đen", "Xanh"]),
    ("Áo polo nam", "Áo", "APN", 219000, "size", ["M", "L", "XL"]),
    ("Áo len nữ", "Áo", "ALN", 329000, "màu", ["Kem", "Hồng"]),
    ("Quần jean ống suông", "Quần", "QJOS", 459000, "size", ["28", "29", "30", "31"]),
    ("Quần kaki", "Quần", "QKK", 359000, "size", ["29", "30", "31"]),
    ("Quần short thể thao", "Quần", "QSTT", 129000, "size", ["M", "L"]),
    ("Chân váy chữ A", "Váy", "CVA", 259000, "size", ["S", "M"]),
    ("Đầm maxi hoa", "Váy", "DMH", 499000, "size", ["S", "M", "L"]),
    ("Giày sneaker trắng", "Giày", "GST", 690000, "size", ["38", "39", "40", "41", "42"]),
    ("Dép quai ngang", "Giày", "DQN", 99000, "size", ["39", "40", "41"]),
    ("Túi tote vải", "Phụ kiện", "TTV", 119000, "màu", ["Be", "Đen"]),
    ("Mũ lưỡi trai", "Phụ kiện", "MLT", 89000, "màu", ["Đen", "Trắng", "Xanh"]),
    ("Thắt lưng da", "Phụ kiện", "TLD", 249000, "size", ["100", "110"]),
    ("Ví da nam", "Phụ kiện", "VDN", 299000, "màu", ["Nâu", "Đen"]),
    ("Khăn lụa", "Phụ kiện", "KL", 159000, "màu", ["Đỏ", "Xanh"]),
    ("Tất cổ ngắn (3 đôi)", "Phụ kiện", "TCN", 59000, "size", ["Free"]),
    ("Kính râm", "Phụ kiện", "KR", 199000, "màu", ["Đen"]),
    ("Balo laptop", "Phụ kiện", "BL", 429000, "màu", ["Xám", "Đen"]),
    ("Son kem lì", "Mỹ phẩm", "SKL", 189000, "màu", ["01", "02", "03"]),
    ("Kem chống nắng", "Mỹ phẩm", "KCN", 245000, "dung tích", ["50ml"]),
    ("Sữa rửa mặt", "Mỹ phẩm", "SRM", 135000, "dung tích", ["100ml", "150ml"]),
    ("Nước hoa hồng", "Mỹ phẩm", "NHH", 165000, "dung tích", ["200ml"]),
    ("Mặt nạ giấy (hộp 10)", "Mỹ phẩm", "MNG", 99000, "loại", ["Trà xanh", "Nha đam"]),
    ("Bình giữ nhiệt", "Gia dụng", "BGN", 179000, "dung tích", ["500ml", "750ml"]),
    ("Cốc sứ in hình", "Gia dụng", "CSIH", 79000, "màu", ["Trắng"]),
    ("Gối tựa lưng", "Gia dụng", "GTL", 149000, "màu", ["Xám", "Vàng"]),
    ("Đèn ngủ LED", "Gia dụng", "DNL", 129000, "màu", ["Trắng ấm"]),
    ("Ốp lưng điện thoại", "Phụ kiện", "OLDT", 69000, "dòng", ["iPhone 15", "Galaxy S24"]),
]


def _barcode(serial: int) -> str:
    """EAN-13 with the Vietnamese prefix 893 and a valid check digit."""
    body = f"893{serial:09d}"
    check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10
    return body + str(check)


def is_seeded() -> bool:
    try:
        LoginEmailItem.get(f"LOGIN#{OWNER_EMAIL}", "LOGIN")
        return True
    except LoginEmailItem.DoesNotExist:
        return False


def seed() -> dict:
    created = staff.signup("Quay Demo", "Chủ cửa hàng", OWNER_EMAIL, OWNER_PASSWORD)
    actor = Principal(created["tenant_id"], created["owner"]["id"])
    warehouse = locations.create(actor, name="Kho tổng Thủ Đức", kind="warehouse", address="TP. Hồ Chí Minh",
                                 channels=[{"channel": c.value, "priority": 1} for c in ONLINE])
    store = locations.create(actor, name="Cửa hàng Quận 1", kind="store", address="TP. Hồ Chí Minh",
                             channels=[{"channel": Channel.pos.value, "priority": 1}] +
                                      [{"channel": c.value, "priority": 2} for c in ONLINE])
    serial = 1
    product_ids, skus = [], []
    for name, category, prefix, price, attribute, values in PRODUCTS:
        variants = []
        for value in values:
            variants.append({"sku": f"{prefix}-{value}".replace(" ", "").upper()[:40], "barcode": _barcode(serial),
                             "attributes": {attribute: value}, "price": price, "cost": price * 55 // 100,
                             "unit": "cái", "status": "active", "allow_backorder": 0, "low_stock_threshold": 3})
            serial += 1
        product_ids.append(catalog.create_product(actor, name=name, category=category, variants=variants)["id"])
        skus += [(v["sku"], v["cost"]) for v in variants]
    for start in range(0, len(skus), 40):  # a receipt holds at most 40 lines
        batch = skus[start:start + 40]
        movements.receive_goods(actor, location_id=warehouse["id"], note="Tồn đầu kỳ (demo)", lines=[
            {"sku": sku, "quantity": 20 + (n * 7) % 30, "unit_cost": cost} for n, (sku, cost) in enumerate(batch)])
        movements.receive_goods(actor, location_id=store["id"], note="Tồn đầu kỳ (demo)", lines=[
            {"sku": sku, "quantity": (n * 3) % 8, "unit_cost": cost} for n, (sku, cost) in enumerate(batch)
            if (n * 3) % 8])
    return {"tenant_id": actor.tenant_id, "owner_id": actor.staff_id, "warehouse": warehouse["id"],
            "store": store["id"], "products": product_ids}
