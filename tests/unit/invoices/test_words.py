"""Amounts in Vietnamese words: the lẻ/linh, mốt, tư, lăm, mười forms across the whole range."""
import pytest

from chalicelib.invoices.words import amount_in_words

CASES = [
    (0, "Không đồng"),
    (1, "Một đồng"),
    (4, "Bốn đồng"),
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (11, "Mười một đồng"),
    (14, "Mười bốn đồng"),
    (15, "Mười lăm đồng"),
    (20, "Hai mươi đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi tư đồng"),
    (25, "Hai mươi lăm đồng"),
    (55, "Năm mươi lăm đồng"),
    (99, "Chín mươi chín đồng"),
    (100, "Một trăm đồng"),
    (101, "Một trăm linh một đồng"),
    (104, "Một trăm linh bốn đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (115, "Một trăm mười lăm đồng"),
    (121, "Một trăm hai mươi mốt đồng"),
    (999, "Chín trăm chín mươi chín đồng"),
    (1_000, "Một nghìn đồng"),
    (1_001, "Một nghìn không trăm linh một đồng"),
    (1_005, "Một nghìn không trăm linh năm đồng"),
    (1_010, "Một nghìn không trăm mười đồng"),
    (1_015, "Một nghìn không trăm mười lăm đồng"),
    (1_024, "Một nghìn không trăm hai mươi tư đồng"),
    (1_100, "Một nghìn một trăm đồng"),
    (10_000, "Mười nghìn đồng"),
    (15_000, "Mười lăm nghìn đồng"),
    (21_000, "Hai mươi mốt nghìn đồng"),
    (25_500, "Hai mươi lăm nghìn năm trăm đồng"),
    (100_000, "Một trăm nghìn đồng"),
    (105_000, "Một trăm linh năm nghìn đồng"),
    (380_000, "Ba trăm tám mươi nghìn đồng"),
    (1_000_000, "Một triệu đồng"),
    (1_000_005, "Một triệu không trăm linh năm đồng"),
    (1_050_000, "Một triệu không trăm năm mươi nghìn đồng"),
    (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
    (1_284_000, "Một triệu hai trăm tám mươi tư nghìn đồng"),
    (2_001_001, "Hai triệu không trăm linh một nghìn không trăm linh một đồng"),
    (15_000_000, "Mười lăm triệu đồng"),
    (21_500_000, "Hai mươi mốt triệu năm trăm nghìn đồng"),
    (100_000_000, "Một trăm triệu đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (1_000_000_005, "Một tỷ không trăm linh năm đồng"),
    (1_000_050_000, "Một tỷ không trăm năm mươi nghìn đồng"),
    (5_005_005_005, "Năm tỷ không trăm linh năm triệu không trăm linh năm nghìn không trăm linh năm đồng"),
    (24_000_000_000, "Hai mươi tư tỷ đồng"),
    (100_000_000_000, "Một trăm tỷ đồng"),
    (999_999_999_999, "Chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn "
                      "chín trăm chín mươi chín đồng"),
]


def test_at_least_forty_amounts_are_covered():
    assert len(CASES) >= 40


@pytest.mark.parametrize(("amount", "words"), CASES)
def test_amount_in_words(amount, words):
    assert amount_in_words(amount) == words


@pytest.mark.parametrize(("amount", "words"), [
    (105, "Một trăm lẻ năm đồng"),
    (1_001, "Một nghìn không trăm lẻ một đồng"),
    (2_004_000, "Hai triệu không trăm lẻ bốn nghìn đồng"),
])
def test_southern_le(amount, words):
    assert amount_in_words(amount, odd_word="lẻ") == words


@pytest.mark.parametrize("bad", [-1, 1_000_000_000_000])
def test_out_of_range(bad):
    with pytest.raises(ValueError):
        amount_in_words(bad)


def test_only_whole_dong():
    with pytest.raises(TypeError):
        amount_in_words(10.5)
