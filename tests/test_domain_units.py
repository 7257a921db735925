"""Pure domain rules: no database."""
from datetime import UTC, datetime

import pytest
from chalice.app import Cron

from chalicelib.catalog import rules as catalog
from chalicelib.core.errors import InvalidInput
from chalicelib.core.text import fold
from infra.scheduler import cron_due


@pytest.mark.parametrize("text, folded", [
    ("Áo thun", "ao thun"), ("ĐỒNG HỒ  đeo tay", "dong ho deo tay"), ("Quần   jean", "quan jean"),
    ("Nước hoa hồng", "nuoc hoa hong"), ("Giày", "giay"),
])
def test_fold_removes_vietnamese_diacritics(text, folded):
    assert fold(text) == folded


def test_sku_key_ignores_case_and_spaces():
    assert catalog.sku_key(" at-001 ") == catalog.sku_key("AT-001")


def test_read_csv_money_formats_and_errors():
    reading = catalog.read_csv("product_name,sku,price,cost\nA,A1,\"1.250.000\",1000 ₫\nB,B1,-5,\nC,C1,,\n")
    assert reading.rows[0].variant["price"] == 1250000 and reading.rows[0].variant["cost"] == 1000
    assert [(e["line"], e["field"]) for e in reading.errors] == [(3, "price"), (4, "price")]


def test_read_csv_handles_excel_bom_and_quoted_commas():
    reading = catalog.read_csv("\ufeffproduct_name,sku,price\n\"Áo, dài\",AD-1,500000\n")
    assert reading.rows[0].product_name == "Áo, dài" and not reading.errors


def test_check_unique_within_names_the_repeating_field():
    with pytest.raises(InvalidInput) as caught:
        catalog.check_unique_within([{"sku": "A", "barcode": "123"}, {"sku": "B", "barcode": "123"}])
    assert caught.value.errors[0]["field"] == "variants.1.barcode"


def test_write_then_read_csv_round_trip_keeps_attributes_and_hides_cost():
    text = catalog.write_csv([{"name": "Áo", "category": None, "variants": [
        {"sku": "A-1", "barcode": None, "attributes": {"size": "M", "màu": "Đỏ"}, "price": 1, "cost": 9,
         "unit": "cái", "status": "active"}]}], include_cost=False)
    row = catalog.read_csv(text).rows[0]
    assert row.variant["attributes"] == {"size": "M", "màu": "Đỏ"} and row.variant["cost"] is None


def test_cron_matching_uses_aws_fields():
    daily_8am_vietnam = Cron(0, 1, "*", "*", "?", "*")  # 01:00 UTC
    assert cron_due(daily_8am_vietnam, datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    assert not cron_due(daily_8am_vietnam, datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    every_15 = Cron("0/15", "*", "*", "*", "?", "*")
    assert cron_due(every_15, datetime(2026, 11, 23, 5, 45, tzinfo=UTC))
    assert not cron_due(every_15, datetime(2026, 11, 23, 5, 50, tzinfo=UTC))
    mondays = Cron(0, 0, "?", "*", "2", "*")  # AWS: 1 = Sunday, 2 = Monday
    assert cron_due(mondays, datetime(2026, 11, 23, 0, 0, tzinfo=UTC))  # a Monday
