"""Catalog: products, variants, SKU/barcode uniqueness, search, CSV import/export, isolation."""
import pytest

from tests.conftest import unique_email


def product(name="Áo thun cổ tròn", sku="AT-001", barcode="8930000000011", **variant):
    return {"name": name, "category": "Áo", "variants": [
        {"sku": sku, "barcode": barcode, "attributes": {"size": "M", "màu": "Đỏ"}, "price": 150000,
         "cost": 80000, **variant}]}


def test_create_get_and_find_by_barcode(shop):
    owner, _ = shop
    created = owner.post("/api/v1/products", product())
    assert created.status_code == 201, created.body
    got = owner.get(f"/api/v1/products/{created.data['id']}").data
    assert got["variants"][0]["price"] == 150000 and got["variants"][0]["cost"] == 80000
    found = owner.get("/api/v1/variants/by-barcode/8930000000011").data
    assert found["variant"]["sku"] == "AT-001" and found["product"]["id"] == created.data["id"]
    assert owner.get("/api/v1/variants/by-barcode/0000").status_code == 404


def test_duplicate_sku_is_409_case_insensitive_and_writes_nothing(shop):
    owner, _ = shop
    assert owner.post("/api/v1/products", product()).status_code == 201
    again = owner.post("/api/v1/products", product(name="Khác", sku="at-001 ", barcode="8930000000099"))
    assert again.status_code == 409
    assert again.data["errors"][0]["field"] == "variants.0.sku"
    assert owner.get("/api/v1/variants/by-barcode/8930000000099").status_code == 404
    assert len(owner.get("/api/v1/products").data["items"]) == 1


def test_duplicate_barcode_and_repeated_sku_within_one_product(shop):
    owner, _ = shop
    owner.post("/api/v1/products", product())
    taken = owner.post("/api/v1/products", product(sku="AT-002"))
    assert taken.status_code == 409 and taken.data["errors"][0]["field"] == "variants.0.barcode"
    twice = {"name": "Quần", "variants": [{"sku": "Q-1", "price": 1}, {"sku": "q-1", "price": 2}]}
    answer = owner.post("/api/v1/products", twice)
    assert answer.status_code == 400 and answer.data["errors"][0]["field"] == "variants.1.sku"


@pytest.mark.parametrize("variant, field", [
    ({"sku": "X", "price": -1}, "variants.0.price"),
    ({"sku": "X", "price": 1.5}, "variants.0.price"),
    ({"sku": "", "price": 1}, "variants.0.sku"),
    ({"price": 1}, "variants.0.sku"),
])
def test_invalid_variant_fields_are_named(shop, variant, field):
    owner, _ = shop
    answer = owner.post("/api/v1/products", {"name": "P", "variants": [variant]})
    assert answer.status_code == 400
    assert field in {e["field"] for e in answer.data["errors"]}


def test_search_is_accent_insensitive_by_name_and_sku(shop):
    owner, _ = shop
    owner.post("/api/v1/products", product())
    owner.post("/api/v1/products", product(name="Quần jean", sku="QJ-9", barcode=None, attributes={"size": "L"}))
    names = lambda q: [p["name"] for p in owner.get(f"/api/v1/products?q={q}").data["items"]]  # noqa: E731
    assert names("ao%20thun") == ["Áo thun cổ tròn"]
    assert names("QUAN") == ["Quần jean"]
    assert names("qj-9") == ["Quần jean"]
    assert names("do") == ["Áo thun cổ tròn"]  # attribute value Đỏ


def test_paging_returns_every_product_once(shop):
    owner, _ = shop
    for i in range(5):
        assert owner.post("/api/v1/products", product(name=f"P{i}", sku=f"S{i}", barcode=None)).status_code == 201
    seen, cursor = [], None
    while True:
        page = owner.get("/api/v1/products?limit=2" + (f"&cursor={cursor}" if cursor else "")).data
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 5
    assert owner.get("/api/v1/products?limit=500").status_code == 400


def test_update_variant_price_and_barcode_moves_the_lookup(shop):
    owner, _ = shop
    pid = owner.post("/api/v1/products", product()).data["id"]
    changed = owner.patch(f"/api/v1/products/{pid}/variants/AT-001", {"price": 99000, "barcode": "8930000000028"})
    assert changed.status_code == 200 and changed.data["variants"][0]["price"] == 99000
    assert owner.get("/api/v1/variants/by-barcode/8930000000011").status_code == 404
    assert owner.get("/api/v1/variants/by-barcode/8930000000028").data["variant"]["price"] == 99000
    stale = owner.patch(f"/api/v1/products/{pid}", {"name": "Mới", "expected_version": 1})
    assert stale.status_code == 409
    trail = owner.get(f"/api/v1/audit?entity_type=product&entity_id={pid}").data["items"]
    assert trail[0]["action"] == "variant.updated"
    assert trail[0]["before"]["variants"][0]["price"] == 150000 and trail[0]["after"]["variants"][0]["price"] == 99000


def test_another_shop_gets_404_for_my_product(api, shop):
    owner, _ = shop
    pid = owner.post("/api/v1/products", product()).data["id"]
    email = unique_email()
    api.post("/api/v1/signup", {"shop_name": "B", "owner_name": "B", "owner_email": email,
                                "owner_password": "sen-hong-2026"})
    other = api.as_(api.post("/api/v1/auth/login", {"email": email, "password": "sen-hong-2026"}).data["access_token"])
    assert other.get(f"/api/v1/products/{pid}").status_code == 404
    assert other.get("/api/v1/variants/by-barcode/8930000000011").status_code == 404
    assert other.get("/api/v1/products").data["items"] == []
    assert other.patch(f"/api/v1/products/{pid}", {"name": "hacked"}).status_code == 404
    # A cursor from shop A cannot page through shop A's data for shop B.
    for i in range(3):
        owner.post("/api/v1/products", product(name=f"P{i}", sku=f"S{i}", barcode=None))
    cursor = owner.get("/api/v1/products?limit=1").data["next_cursor"]
    assert other.get(f"/api/v1/products?limit=1&cursor={cursor}").status_code == 400


CSV = (
    "product_name,category,sku,barcode,attributes,price,cost,unit,status\n"
    "Áo sơ mi,Áo,SM-S,,size=S,250000,120000,cái,active\n"
    "Áo sơ mi,Áo,SM-M,,size=M,250.000,120000,cái,active\n"
    "Mũ,Phụ kiện,MU-1,,,abc,,cái,active\n"
    "Mũ lưỡi trai,Phụ kiện,,,,50000,,cái,active\n"
    "Tất,Phụ kiện,SM-S,,,10000,,đôi,active\n"
    "Khăn,Phụ kiện,KH-1,,màu,10000,,cái,active\n"
    "Ví,Phụ kiện,VI-1,,,90000,,cái,active,extra\n"
)


def test_csv_import_reports_bad_rows_by_line_and_writes_good_rows(shop):
    owner, _ = shop
    answer = owner.post("/api/v1/products/import", raw=CSV.encode(), headers={"Content-Type": "text/csv"})
    assert answer.status_code == 200, answer.body
    assert answer.data["created_products"] == 1 and answer.data["created_variants"] == 2
    assert [(e["line"], e["field"]) for e in answer.data["errors"]] == [
        (4, "price"), (5, "sku"), (6, "sku"), (7, "attribute"), (8, "csv")]
    products = owner.get("/api/v1/products").data["items"]
    assert [p["name"] for p in products] == ["Áo sơ mi"]
    assert sorted(v["sku"] for v in products[0]["variants"]) == ["SM-M", "SM-S"]
    assert products[0]["variants"][0]["price"] == 250000


def test_export_edit_reimport_updates_prices_of_existing_skus(shop):
    owner, _ = shop
    pid = owner.post("/api/v1/products", product()).data["id"]
    owner.post("/api/v1/products", product(name="Khăn", sku="KH-1", barcode="8930000000035"))
    exported = owner.get("/api/v1/products/export")
    assert exported.status_code == 200
    text = exported.body.decode("utf-8-sig")
    assert text.splitlines()[1].startswith("Áo thun cổ tròn,Áo,AT-001,8930000000011,size=M; màu=Đỏ,150000,80000")
    edited = text.replace(",150000,80000,", ",135000,80000,", 1) + "Khăn mới,,KH-1,8930000000011,,1000,,cái,active\n"
    again = owner.post("/api/v1/products/import", raw=edited.encode(), headers={"Content-Type": "text/csv"})
    assert again.data["created_products"] == 0 and again.data["updated_variants"] == 2
    assert again.data["errors"] == [{"line": 4, "field": "sku", "message": "SKU 'KH-1' repeats an earlier row"}]
    assert owner.get(f"/api/v1/products/{pid}").data["variants"][0]["price"] == 135000
    trail = owner.get(f"/api/v1/audit?entity_type=product&entity_id={pid}").data["items"]
    assert trail[0]["action"] == "product.import_updated"


def test_reimport_moving_a_barcode_onto_a_taken_one_rejects_only_that_row(shop):
    owner, _ = shop
    owner.post("/api/v1/products", product())
    owner.post("/api/v1/products", product(name="Khăn", sku="KH-1", barcode="8930000000035"))
    csv_text = ("product_name,sku,barcode,price\n"
                "Khăn,KH-1,8930000000011,2000\n"
                "Áo thun cổ tròn,AT-001,,99000\n")
    answer = owner.post("/api/v1/products/import", raw=csv_text.encode(), headers={"Content-Type": "text/csv"})
    assert answer.data["updated_variants"] == 1
    assert answer.data["errors"] == [{"line": 2, "field": "barcode", "message": "barcode '8930000000011' is already used"}]
    assert owner.get("/api/v1/variants/by-barcode/8930000000035").data["variant"]["price"] == 150000
    assert owner.get("/api/v1/variants/by-barcode/8930000000011").data["variant"]["price"] == 99000


def test_csv_without_required_columns_is_400(shop):
    owner, _ = shop
    answer = owner.post("/api/v1/products/import", raw=b"name,price\nx,1\n", headers={"Content-Type": "text/csv"})
    assert answer.status_code == 400
    assert {e["field"] for e in answer.data["errors"]} == {"csv.product_name", "csv.sku"}


def test_body_over_the_limit_is_413(shop):
    owner, _ = shop
    big = b"product_name,sku,price\n" + b"x,y,1\n" * 200000
    answer = owner.post("/api/v1/products/import", raw=big, headers={"Content-Type": "text/csv"})
    assert answer.status_code == 413


def test_overlong_path_parameters_and_far_past_dates_are_refused(shop):
    owner, _ = shop
    answer = owner.get("/api/v1/variants/by-barcode/" + "9" * 2000)
    assert answer.status_code == 400 and answer.data["errors"][0]["field"] == "code"
    assert owner.get("/api/v1/stock/availability?skus=" + "A" * 2000).status_code == 400
    owner.post("/api/v1/products", product())
    old = owner.post("/api/v1/stock/holds", {"sku": "AT-001", "channel": "shopee", "quantity": 1,
                                             "until": "0556-11-04T08:28:11Z"})
    assert old.status_code == 400 and old.data["errors"][0]["field"] == "until"


def test_wrong_media_type_is_a_415_problem(shop):
    owner, _ = shop
    answer = owner.post("/api/v1/products/import", raw=b'{"a": 1}', headers={"Content-Type": "application/json"})
    assert answer.status_code == 415 and answer.headers["content-type"] == "application/problem+json"
    as_form = owner.post("/api/v1/products", raw=b"name=x", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert as_form.status_code == 415 and as_form.data["errors"][0]["field"] == "Content-Type"


def test_adding_a_variant_with_a_taken_sku_names_the_field(shop):
    owner, _ = shop
    first = owner.post("/api/v1/products", product()).data
    other = owner.post("/api/v1/products", product(name="Quần", sku="Q-1", barcode=None)).data
    answer = owner.post(f"/api/v1/products/{other['id']}/variants", {"sku": "at-001", "price": 1})
    assert answer.status_code == 409 and answer.data["errors"] == [{"field": "sku", "message": "SKU already exists"}]
    added = owner.post(f"/api/v1/products/{first['id']}/variants", {"sku": "AT-002", "price": 2, "barcode": "8930000000042"})
    assert added.status_code == 201 and [v["sku"] for v in added.data["variants"]] == ["AT-001", "AT-002"]
    assert owner.get("/api/v1/variants/by-barcode/8930000000042").data["product"]["id"] == first["id"]
