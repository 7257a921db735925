"""The livestream comment parser against comments as Vietnamese buyers write them."""
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.live.parser import Catalogue, build_catalogue, code_key, fold, parse_comment

ITEMS = [
    {"code": "A1", "sku": "TS-RED-M", "attributes": {"Màu": "Đỏ", "Size": "M"}, "name": "Áo thun"},
    {"code": "A1", "sku": "TS-RED-L", "attributes": {"Màu": "Đỏ", "Size": "L"}, "name": "Áo thun"},
    {"code": "A1", "sku": "TS-BLU-M", "attributes": {"Màu": "Xanh dương", "Size": "M"}, "name": "Áo thun"},
    {"code": "A1", "sku": "TS-WHT-XL", "attributes": {"Màu": "Trắng", "Size": "XL"}, "name": "Áo thun"},
    {"code": "B3", "sku": "JEAN-30", "attributes": {"Size": "30"}, "name": "Quần jean"},
    {"code": "B3", "sku": "JEAN-31", "attributes": {"Size": "31"}, "name": "Quần jean"},
    {"code": "C2", "sku": "HAT-1", "attributes": {}, "name": "Mũ bucket"},
    {"code": "D5", "sku": "DRESS-PINK", "attributes": {"Màu": "Hồng", "Size": "Free size"}, "name": "Váy hoa"},
    {"code": "D5", "sku": "DRESS-YEL", "attributes": {"Màu": "Vàng", "Size": "Free size"}, "name": "Váy hoa"},
    {"code": "G01", "sku": "SOCK-1", "attributes": {}, "name": "Tất"},
    {"code": "S2", "sku": "SHOE-38", "attributes": {"Size": "38"}, "name": "Giày"},
    {"code": "S2", "sku": "SHOE-39", "attributes": {"Size": "39"}, "name": "Giày"},
]
CATALOGUE = build_catalogue(ITEMS)
PHONE = "+84901234567"
A1_ALL = ("TS-RED-M", "TS-RED-L", "TS-BLU-M", "TS-WHT-XL")

# (comment, kind, lines as (code, sku, quantity), phone)
CAPTURED = [
    ("A1 đỏ M 0901234567", [("A1", "TS-RED-M", 1)], PHONE),
    ("a1 do m", [("A1", "TS-RED-M", 1)], None),
    ("A1 ĐỎ M", [("A1", "TS-RED-M", 1)], None),
    ("chốt A1 đỏ size M", [("A1", "TS-RED-M", 1)], None),
    ("A1 sz l đỏ", [("A1", "TS-RED-L", 1)], None),
    ("A1 sz m do", [("A1", "TS-RED-M", 1)], None),
    ("A 1 trắng", [("A1", "TS-WHT-XL", 1)], None),
    ("a-1 xanh dương", [("A1", "TS-BLU-M", 1)], None),
    ("A1 xanh x2", [("A1", "TS-BLU-M", 2)], None),
    ("A1M đỏ", [("A1", "TS-RED-M", 1)], None),
    ("A1 đỏ L 2 cái", [("A1", "TS-RED-L", 2)], None),
    ("A1 đỏ L 2c", [("A1", "TS-RED-L", 2)], None),
    ("A1 đỏ L sl 3", [("A1", "TS-RED-L", 3)], None),
    ("A1 đỏ L sl:3", [("A1", "TS-RED-L", 3)], None),
    ("lấy 2 A1 đỏ L", [("A1", "TS-RED-L", 2)], None),
    ("A1 đỏ L lấy 2", [("A1", "TS-RED-L", 2)], None),
    ("A1 trắng hai cái", [("A1", "TS-WHT-XL", 2)], None),
    ("A1 đo L", [("A1", "TS-RED-L", 1)], None),
    ("A1 đỏ M x2, B3 31", [("A1", "TS-RED-M", 2), ("B3", "JEAN-31", 1)], None),
    ("B3 30 C2", [("B3", "JEAN-30", 1), ("C2", "HAT-1", 1)], None),
    ("A1 do M, A1 xanh M", [("A1", "TS-RED-M", 1), ("A1", "TS-BLU-M", 1)], None),
    ("C2 x3 0901234567", [("C2", "HAT-1", 3)], PHONE),
    ("C2 090 123 4567", [("C2", "HAT-1", 1)], PHONE),
    ("C2 090.123.4567", [("C2", "HAT-1", 1)], PHONE),
    ("C2 090-123-4567", [("C2", "HAT-1", 1)], PHONE),
    ("C2 +84 90 123 4567", [("C2", "HAT-1", 1)], PHONE),
    ("C2 +84901234567", [("C2", "HAT-1", 1)], PHONE),
    ("C2 84901234567", [("C2", "HAT-1", 1)], PHONE),
    ("C2 (+84) 901 234 567", [("C2", "HAT-1", 1)], PHONE),
    ("C2 sdt 0162 345 6789", [("C2", "HAT-1", 1)], "+84323456789"),
    ("C2 2 0901234567", [("C2", "HAT-1", 2)], PHONE),
    ("0901234567 C2", [("C2", "HAT-1", 1)], PHONE),
    ("B3 31 0912345678", [("B3", "JEAN-31", 1)], "+84912345678"),
    ("C2 3 chiếc", [("C2", "HAT-1", 3)], None),
    ("C2 *2", [("C2", "HAT-1", 2)], None),
    ("C2 2x", [("C2", "HAT-1", 2)], None),
    ("C2 150k", [("C2", "HAT-1", 1)], None),
    ("S2 38", [("S2", "SHOE-38", 1)], None),
    ("S2 size 39 x2", [("S2", "SHOE-39", 2)], None),
    ("lấy 38 S2", [("S2", "SHOE-38", 1)], None),
    ("G1", [("G01", "SOCK-1", 1)], None),
    ("g01 x2", [("G01", "SOCK-1", 2)], None),
    ("G-01", [("G01", "SOCK-1", 1)], None),  # "g" is grams, so only a dash may split it
    ("D5 hồng", [("D5", "DRESS-PINK", 1)], None),
    ("D5 vang freesize", [("D5", "DRESS-YEL", 1)], None),
    ("bỏ giỏ C2", [("C2", "HAT-1", 1)], None),
    ("ib C2", [("C2", "HAT-1", 1)], None),
    ("đặt C2 nha shop", [("C2", "HAT-1", 1)], None),
    ("mua A1 xanh M", [("A1", "TS-BLU-M", 1)], None),
    ("A1 A1 A1 đỏ M", [("A1", "TS-RED-M", 1)], None),
    ("C2 C2 C2", [("C2", "HAT-1", 1)], None),
    ("Chốt A1 đỏ M ạ, sđt 0901 234 567 😍", [("A1", "TS-RED-M", 1)], PHONE),
]

IGNORED = [
    "đẹp quá shop ơi",
    "",
    "   ",
    "hello",
    "😍😍😍",
    "A1 còn không shop?",
    "ib giá A1",
    "A1 giá bao nhiêu vậy",
    "MA1 đỏ M",
    "em cao 1m6 nặng 50kg mặc size gì",
    "0901234567",
]

# (comment, expected candidates per line, or None to only check the kind), substring of the reason
NEEDS_REVIEW = [
    ("A1 đỏ", [("TS-RED-M", "TS-RED-L")], "chưa rõ Size"),
    ("A1 M", [("TS-RED-M", "TS-BLU-M")], "chưa rõ Màu"),
    ("A1", [A1_ALL], "4 loại"),
    ("A1 đồ M", [("TS-RED-M", "TS-BLU-M")], "chưa rõ Màu"),  # "đồ" (clothes) is not "đỏ" (red)
    ("A1 đỏ 1m6 50kg", [("TS-RED-M", "TS-RED-L")], "chưa rõ Size"),
    ("chốt A9", [], "A9 không có trong phiên"),
    ("A10 đỏ", [], "A10 không có trong phiên"),
    ("C2 x100", None, "vượt mức tối đa 20"),
    ("C2 x0", None, "không hợp lệ"),
    ("A1 đỏ xanh M", None, "nhiều Màu"),
    ("A1 trắng M", [A1_ALL], "không có loại"),
    ("A1 đỏ L, A9", None, "A9 không có trong phiên"),
    ("C2 x2 3 cái", None, "số lượng không rõ"),
    ("đổi A1 đỏ sang xanh", None, "đổi hàng"),
    ("hủy A1 lấy C2", None, "vừa hủy vừa đặt"),
    ("S2 0901234567", [("SHOE-38", "SHOE-39")], "chưa rõ Size"),
]

CANCELLED = [
    ("hủy A1", ["A1"]),
    ("huỷ C2", ["C2"]),
    ("không lấy C2 nữa", ["C2"]),
    ("bỏ C2", ["C2"]),
    ("bo C2 nha", ["C2"]),
    ("hủy đơn", []),
    ("ko lấy nữa nha shop", []),
]


def _lines(result):
    return [(line.code, line.sku, line.quantity) for line in result.lines]


@pytest.mark.parametrize(("text", "lines", "phone"), CAPTURED, ids=[c[0] or "empty" for c in CAPTURED])
def test_captured(text, lines, phone):
    result = parse_comment(text, CATALOGUE)
    assert result.kind == "captured", result.as_dict()
    assert _lines(result) == lines
    assert result.phone == phone
    assert result.reason is None


@pytest.mark.parametrize("text", IGNORED, ids=[t or "empty" for t in IGNORED])
def test_ignored(text):
    result = parse_comment(text, CATALOGUE)
    assert result.kind == "ignored", result.as_dict()
    assert result.lines == ()
    assert result.reason  # a Vietnamese reason is always given


@pytest.mark.parametrize(("text", "candidates", "reason"), NEEDS_REVIEW, ids=[c[0] for c in NEEDS_REVIEW])
def test_needs_review(text, candidates, reason):
    result = parse_comment(text, CATALOGUE)
    assert result.kind == "needs_review", result.as_dict()
    assert reason.lower() in result.reason.lower()
    if candidates is not None:
        assert [line.candidates for line in result.lines] == candidates
        assert all(line.sku is None for line in result.lines)


@pytest.mark.parametrize(("text", "codes"), CANCELLED, ids=[c[0] for c in CANCELLED])
def test_cancel(text, codes):
    result = parse_comment(text, CATALOGUE)
    assert result.kind == "cancel", result.as_dict()
    assert [line.code for line in result.lines] == codes
    assert result.reason.startswith("Khách hủy")


def test_the_table_has_at_least_sixty_comments():
    assert len(CAPTURED) + len(IGNORED) + len(NEEDS_REVIEW) + len(CANCELLED) >= 60


def test_phone_digits_are_never_a_quantity_or_code():
    catalogue = build_catalogue([{"code": "A1", "sku": "X"}, {"code": "90", "sku": "NINETY"}])
    result = parse_comment("A1 0901234567", catalogue)
    assert _lines(result) == [("A1", "X", 1)]
    assert result.phone == PHONE


def test_decomposed_unicode_reads_like_composed():
    nfd = unicodedata.normalize("NFD", "Chốt A1 đỏ M")
    assert _lines(parse_comment(nfd, CATALOGUE)) == [("A1", "TS-RED-M", 1)]


def test_one_product_live_needs_no_code():
    single = build_catalogue([{"code": "K1", "sku": "BAG-S", "attributes": {"Size": "S"}},
                              {"code": "K1", "sku": "BAG-M", "attributes": {"Size": "M"}}])
    result = parse_comment("chốt size M 0901234567", single)
    assert result.kind == "captured"
    assert _lines(result) == [("K1", "BAG-M", 1)]
    assert parse_comment("đẹp quá", single).kind == "ignored"


def test_numeric_codes_need_a_prefix():
    catalogue = build_catalogue([{"code": "15", "sku": "FIFTEEN"}, {"code": "A1", "sku": "X"}])
    assert _lines(parse_comment("mã 15 x2", catalogue)) == [("15", "FIFTEEN", 2)]
    assert _lines(parse_comment("#15", catalogue)) == [("15", "FIFTEEN", 1)]
    assert _lines(parse_comment("A1 15", catalogue)) == [("A1", "X", 15)]


def test_max_quantity_is_a_setting():
    catalogue = build_catalogue([{"code": "A1", "sku": "X"}], max_quantity=5)
    assert parse_comment("A1 x6", catalogue).kind == "needs_review"
    assert parse_comment("A1 x5", catalogue).kind == "captured"


def test_as_dict_matches_the_comment_answer_shape():
    assert parse_comment("A1 đỏ M 0901234567", CATALOGUE).as_dict() == {
        "result": "captured", "lines": [{"code": "A1", "sku": "TS-RED-M", "quantity": 1}], "phone": PHONE}
    review = parse_comment("A1 đỏ", CATALOGUE).as_dict()
    assert review["result"] == "needs_review" and review["lines"][0]["candidates"] == ["TS-RED-M", "TS-RED-L"]


def test_catalogue_is_compiled_once_per_item_list():
    assert build_catalogue(ITEMS) is CATALOGUE
    assert isinstance(CATALOGUE, Catalogue)


def test_code_key_and_fold():
    assert code_key("A-01") == code_key("a1") == "a1"
    assert code_key("A10") == "a10"
    assert fold("Xanh Dương ĐỎ") == "xanh duong do"


def test_items_without_code_or_sku_are_invalid_input():
    from chalicelib.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        build_catalogue([{"code": "", "sku": "X"}])


_VOCABULARY = st.sampled_from(["A1", "a 1", "B3", "C2", "x2", "sl", "2", "0901234567", "+84", "đỏ", "M", "size", "hủy",
                               "bỏ", "giỏ", "chốt", "?", "1m6", "#", "mã", "15", "ạ", "-", ".", ",", "😍", "\u0301", " "])


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(_VOCABULARY, max_size=30).map(" ".join),
                 st.lists(_VOCABULARY, max_size=30).map("".join)))
def test_parser_never_raises_and_only_names_session_skus(text):
    result = parse_comment(text, CATALOGUE)
    assert result.kind in {"captured", "cancel", "ignored", "needs_review"}
    skus = {item["sku"] for item in ITEMS}
    for line in result.lines:
        assert line.sku is None or line.sku in skus
        assert set(line.candidates) <= skus
        assert isinstance(line.quantity, int)
    if result.kind == "captured":
        assert result.lines and all(line.sku for line in result.lines)
    if result.kind != "captured":
        assert result.reason
    assert result.phone is None or result.phone.startswith("+")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.from_regex(r"[A-Z]{0,3}[0-9]{0,3}", fullmatch=True), st.text(max_size=10)), max_size=8),
       st.text(max_size=120))
def test_any_catalogue_any_text(codes, text):
    items = [{"code": code or "Z", "sku": f"SKU{i}", "attributes": {"Màu": colour} if colour.strip() else {}}
             for i, (code, colour) in enumerate(codes)]
    result = parse_comment(text, build_catalogue(items))
    assert result.kind in {"captured", "cancel", "ignored", "needs_review"}
