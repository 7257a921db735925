"""Pure rules of core: the principal's location scope, languages, codes, CSV cells, JSON nesting."""
import pytest

from chalicelib.core import i18n, text
from chalicelib.core.endpoint import nesting_depth
from chalicelib.core.errors import NotPermitted
from chalicelib.core.principal import Principal
from chalicelib.core.roles import Role


def test_a_limited_principal_acts_only_at_its_locations():
    cashier = Principal("t", "s", Role.cashier, ("store",))
    cashier.require_location("store")
    cashier.require_location(None)  # an order not routed yet is at no location
    with pytest.raises(NotPermitted) as refused:
        cashier.require_locations(["store", "warehouse"])
    assert refused.value.code == "location_not_assigned"
    assert cashier.within_my_locations(["warehouse", "store", "kiosk"]) == ["store"]


def test_an_unlimited_principal_and_the_system_act_everywhere():
    owner, system = Principal("t", "o", Role.owner), Principal.system("t")
    owner.require_locations(["a", "b"])
    system.require("orders.cancel")
    assert system.within_my_locations(["a", "b"]) == ["a", "b"]
    with pytest.raises(NotPermitted):
        Principal("t", "c", Role.cashier).require("orders.cancel")


@pytest.mark.parametrize("header, language", [(None, "vi"), ("", "vi"), ("en", "en"), ("en-US,en;q=0.9", "en"),
                                              ("fr-FR, en;q=0.8, vi;q=0.5", "en"), ("vi-VN,en;q=0.5", "vi"),
                                              ("de", "vi"), ("en;q=0.1, vi;q=0.9", "vi"), ("en;q=x", "vi")])
def test_the_language_follows_accept_language_with_vietnamese_first(header, language):
    assert i18n.language(header) == language


def test_messages_with_values_are_translated_too():
    assert i18n.detail("A canceled order can no longer be changed.", "vi") == "Đơn đã hủy không thể thay đổi nữa."
    assert i18n.detail("Wrong item: 8930001 is not in this parcel.", "vi") == "Sai hàng: 8930001 không thuộc kiện này."
    assert i18n.detail("Something new.", "vi") == "Something new."  # untranslated stays readable
    assert i18n.field_message({"message": "String should have at most 64 characters", "code": "string_too_long",
                               "ctx": {"max_length": "64"}}, "vi") == "quá dài (tối đa 64 ký tự)"


def test_codes_are_nfc_and_refuse_control_characters():
    assert text.code(" A\u0301O-1 ") == "ÁO-1"
    for bad in ("A\x00B", "A\nB", "A\u200bB"):
        with pytest.raises(ValueError):
            text.code(bad)


@pytest.mark.parametrize("cell", ["=1+1", "+33", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_that_would_run_as_formulas_are_quoted(cell):
    assert text.csv_cell(cell) == "'" + cell


def test_plain_csv_cells_and_numbers_are_kept():
    assert [text.csv_cell(x) for x in ("Áo thun", "A-1", -5, 120000)] == ["Áo thun", "A-1", -5, 120000]


def test_nesting_depth_ignores_brackets_inside_strings():
    assert nesting_depth(b'{"a": "[[[{{{", "b": [1, {"c": "\\"]]"}]}') == 3
    assert nesting_depth(b"[" * 40 + b"]" * 40) == 40
    assert nesting_depth(b"") == 0
