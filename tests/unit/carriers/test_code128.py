"""Code 128 against known encodings (bit patterns from an independent encoder, python-barcode 0.16.1,
for values where both choose the same code sets) and the checksum rule."""
import pytest

from chalicelib.core import barcodes as code128

KNOWN = {
    'S1.A1.17373471': (
        "1101001000011011101000100111001101001100111010100011000100111001101001100111010111011110100111001101"
        "00011010001000101100010011010000100010110001100011101011"
    ),
    '1234567890': (
        "110100111001011001110010001011000111000101101100001010011011110110100111100101100011101011"
    ),
    'Z82BS': (
        "110100100001110110001011101001100110011100101000101100011011101000100011010001100011101011"
    ),
    '12345': (
        "1101001110010110011100100010110001011110111011011100100111010110001100011101011"
    ),
}


@pytest.mark.parametrize("text", sorted(KNOWN))
def test_known_patterns(text):
    assert code128.bits(text) == KNOWN[text]


def test_every_symbol_is_eleven_modules_and_stop_thirteen():
    assert all(sum(map(int, p)) == 11 for p in code128.PATTERNS[:-1])
    assert sum(map(int, code128.PATTERNS[code128.STOP])) == 13 and len(code128.PATTERNS) == 107


def test_checksum_is_weighted_sum_mod_103():
    # Start C (105) + 12*1 + 34*2 + 56*3 + 78*4 + 90*5 = 1115; 1115 mod 103 = 85
    assert code128.symbols("1234567890") == [105, 12, 34, 56, 78, 90, 85]


def test_digits_after_text_switch_to_set_c_keeping_pairs_aligned():
    # "GHN1" in B, then "23", "45" in C: shorter than all-B
    assert code128.symbols("GHN12345")[:-1] == [104, 39, 40, 46, 17, 99, 23, 45]
    assert code128.symbols("AB12C") == [104, 33, 34, 17, 18, 35, (104 + 33 + 2 * 34 + 3 * 17 + 4 * 18 + 5 * 35) % 103]


def _decode(bits: str) -> list[int]:
    widths, run = [], 1
    for previous, current in zip(bits, bits[1:], strict=False):
        if current == previous:
            run += 1
        else:
            widths.append(str(run))
            run = 1
    widths.append(str(run))
    table = {p: v for v, p in enumerate(code128.PATTERNS)}
    return [table["".join(widths[i:i + 6])] for i in range(0, len(widths) - 7, 6)]


@pytest.mark.parametrize("text", ["S1.A1.2001297581", "GA0001XY", "1000000000123", "O-1001-S1", "a1", "~ !"])
def test_round_trip(text):
    values = _decode(code128.bits(text))
    assert values == code128.symbols(text)


def test_rejects_what_sets_b_and_c_cannot_encode():
    for bad in ("", "Mã đơn", "tab\t"):
        with pytest.raises(ValueError):
            code128.symbols(bad)


def test_svg_is_inline_and_escapes_the_caption():
    svg = code128.svg("A<&>1")
    assert svg.startswith("<svg") and "A&lt;&amp;&gt;1" in svg and "<script" not in svg
    assert svg.count("<rect") == 1 + code128.bits("A<&>1").count("01") + 1
