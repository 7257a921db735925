"""The amount in Vietnamese words printed on an invoice ("Số tiền viết bằng chữ", Decree 123/2020/ND-CP
Art. 10(13), XML field TgTTTBChu): 1 250 000 -> "Một triệu hai trăm năm mươi nghìn đồng".

Reading rules, per three-digit group (hundreds, tens, units):
- a zero tens digit between a hundreds digit (or a higher group) and a units digit reads "linh"
  (Northern usage, the default) or "lẻ" (Southern): 105 -> "một trăm linh năm";
- a group after a higher group always says its hundreds, even when zero: 1 005 -> "một nghìn không
  trăm linh năm"; an all-zero group is skipped: 1 000 005 -> "một triệu không trăm linh năm";
- tens 1 reads "mười"; tens 2-9 read "<digit> mươi";
- units after "mươi": 1 -> "mốt", 4 -> "tư", 5 -> "lăm"; after "mười": 5 -> "lăm" (1 and 4 stay
  "một", "bốn"); after "linh"/"lẻ" or alone every digit keeps its name ("linh năm", "linh bốn").
Group names: nghìn, triệu, tỷ; the range is 0 to 999 999 999 999 đồng.
"""
from __future__ import annotations

MAX_AMOUNT = 999_999_999_999
DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu", "tỷ")
ODD_WORDS = ("linh", "lẻ")


def _group_words(value: int, *, leading: bool, odd_word: str) -> list[str]:
    hundreds, tens, units = value // 100, value // 10 % 10, value % 10
    words: list[str] = []
    if not leading or hundreds:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words += [odd_word, DIGITS[units]]
        elif units:
            words.append(DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else DIGITS[units])
        return words
    words += [DIGITS[tens], "mươi"]
    if units:
        words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, DIGITS[units]))
    return words


def amount_in_words(amount: int, *, odd_word: str = "linh", currency: str = "đồng") -> str:
    """Whole đồng in words, first letter capitalised, ending with the currency word."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("amount must be an integer number of đồng")
    if not 0 <= amount <= MAX_AMOUNT:
        raise ValueError(f"amount must be between 0 and {MAX_AMOUNT:,}")
    if odd_word not in ODD_WORDS:
        raise ValueError(f"odd_word must be one of {ODD_WORDS}")
    if amount == 0:
        words = ["không"]
    else:
        groups = []
        rest = amount
        while rest:
            groups.append(rest % 1000)
            rest //= 1000
        words = []
        top = len(groups) - 1
        for index in range(top, -1, -1):
            value = groups[index]
            if value == 0:
                continue
            words += _group_words(value, leading=index == top, odd_word=odd_word)
            if GROUPS[index]:
                words.append(GROUPS[index])
    text = " ".join([*words, currency]).strip()
    return text[0].upper() + text[1:]
