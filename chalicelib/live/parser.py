"""Livestream comment parser: turns "A1 đỏ M x2 0901234567" into order lines, in microseconds and
without I/O, so a seller can capture hundreds of comments an evening.

    catalogue = build_catalogue(session_items)          # once per session (cached)
    result = parse_comment("chốt A1 đỏ M 0901234567", catalogue)
    result.kind  -> "captured" | "cancel" | "ignored" | "needs_review"

Rules (chosen for how Vietnamese buyers really type, documented so staff can predict them):
- Text is compared lower-case and accent-free ("Đỏ" == "đỏ" == "do"), but typed accents must not
  contradict the value: "đồ" (clothes) is not "đỏ" (red), while "do" and "đo" are.
- Product codes: matched anywhere, only as a whole token ("MA1" and "A10" are not "A1"). Leading
  zeros in the number are ignored ("a01" == "A1"); a space or dash between letters and number is
  allowed ("A 1", "a-1") unless the letters are also a size or a quantity word ("M 1", "x 2").
  All-digit codes need a prefix: "#15", "mã 15", "sp 15". Several codes in one comment each get
  the words after them (the words before the first code belong to the first code).
- Phone numbers (0901234567, 090 123 4567, 090.123.4567, +84 90…, 84…, 0162… renumbered) are
  found first and blanked, so their digits are never read as a quantity or a code; stored E.164.
- Quantity: "x2", "2x", "*2", "2 cái", "2c", "2 chiếc/bộ/đôi/sp", "sl 2", "sl:2", "lấy 2",
  "hai cái", or a lone 1–2 digit number; default 1. A number with a unit ("1m6", "50kg", "150k")
  or equal to a numeric size of the product ("38") is not a quantity. Over `max_quantity` or 0
  -> needs_review. Two different quantities for one code -> needs_review.
- Variants: the SKU's attribute values ("Đỏ", "M", "Xanh dương", "2XL") are looked for in the
  code's words. One-letter sizes (S/M/L) count only as a lone token ("m", "size m", "sz m"; not
  "1m6", "m2"). One word of a multi-word value is a weaker match ("xanh" for "Xanh dương"), used
  only when no full value matched. Nothing decides between several SKUs -> needs_review with the
  candidates listed.
- Intent words ("chốt", "lấy", "ib", "đặt", "mua", "bỏ giỏ") are not required when a known code
  is present; they matter for questions ("A1 còn size M không?" is ignored unless it also has an
  intent word or a phone), for unknown codes, and for a session with a single code (there "chốt M"
  is enough). Cancel words ("hủy", "huỷ", "bỏ", "không lấy") give a cancel intent; "bỏ giỏ"
  (add to cart) is an order. Cancel and order words together -> needs_review.
- Repeating the same code and variant ("A1 A1 A1") is urgency, not extra units: the larger
  quantity is kept.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from chalicelib.core.errors import InvalidInput

DEFAULT_MAX_QUANTITY = 20
MAX_COMMENT_CHARS = 2000  # a longer comment is cut: live comments are short, the parser stays fast

Kind = Literal["captured", "cancel", "ignored", "needs_review"]

# ---------------------------------------------------------------------------------------------
# Text folding that keeps positions: folded[i] is the accent-free form of marked[i], so a match
# found in the folded text can be checked against the accents the buyer actually typed.
# ---------------------------------------------------------------------------------------------

_STROKE = "\u0335"  # stands for the bar of đ when comparing marks


def _marked(text: str) -> str:
    """Lower-case NFC text without stray combining marks (one code point per letter)."""
    lowered = unicodedata.normalize("NFC", text.lower())
    return "".join(ch for ch in lowered if not unicodedata.combining(ch))


def _fold_char(ch: str) -> str:
    if ch == "đ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    return base if base.isascii() else ch


def _fold(marked: str) -> str:
    return "".join(_fold_char(ch) for ch in marked)


def fold(text: str) -> str:
    """Accent-free lower-case text ("Xanh Dương" -> "xanh duong"), one char per input letter."""
    return _fold(_marked(text))


def _marks(ch: str) -> set[str]:
    marks = {c for c in unicodedata.normalize("NFD", ch) if unicodedata.combining(c)}
    if ch == "đ":
        marks.add(_STROKE)
    return marks


def _accents_compatible(typed: str, value: str) -> bool:
    """True when every accent the buyer typed is also on the value ("do"/"đo"/"đỏ" fit "đỏ"; "đồ" does not)."""
    typed, value = " ".join(typed.split()), " ".join(value.split())
    return len(typed) == len(value) and all(_marks(a) <= _marks(b) for a, b in zip(typed, value, strict=True))


# ---------------------------------------------------------------------------------------------
# Fixed vocabulary (each compiled once, on first use, so importing the parser costs nothing)
# ---------------------------------------------------------------------------------------------


class _lazy:  # lower-case: reads like re.compile at the definitions
    __slots__ = ("_compiled", "source")

    def __init__(self, source: str):
        self.source, self._compiled = source, None

    @property
    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = re.compile(self.source)
        return self._compiled

    def finditer(self, text: str):
        return self.compiled.finditer(text)

    def search(self, text: str):
        return self.compiled.search(text)

    def match(self, text: str, pos: int = 0):
        return self.compiled.match(text, pos)


_B = r"(?<![a-z0-9])"   # token start
_E = r"(?![a-z0-9])"    # token end

_PHONE_RUN = _lazy(r"(?<![\w+])(?:\(\s*\+?\s*84\s*\)|\+\s?84|\+)?[\s.\-]?\d(?:[ .\-]?\d)*(?!\w)")
_WORD_UNITS = r"(?:kg|ky|ki|gr|cm|mm|met|tuoi|phut|nghin|ngan|tr|trieu|dong|vnd|lit|ml|%)"
_NOT_UNIT = r"(?!(?:\s?" + _WORD_UNITS + r"|[kgthpd])(?![a-z0-9]))"  # "2 kg", "150k", "8h" are not quantities
_QTY_WORDS = r"(?:cai|c|chiec|bo|doi|sp|san pham|hop|goi|cuon|set|pcs|pc|cap|lo|chai|tui)"
_NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8,
                 "chin": 9, "muoi": 10}
# (pattern, the number may instead be a numeric size such as "lấy 38")
_QTY_PATTERNS = [
    (_lazy(_B + r"(\d{1,4})\s?" + _QTY_WORDS + _E), False),
    (_lazy(_B + r"(" + "|".join(_NUMBER_WORDS) + r")\s+" + _QTY_WORDS + _E), False),
    (_lazy(_B + r"(?:x|\*)\s?(\d{1,4})(?!\d)" + _NOT_UNIT), False),
    (_lazy(_B + r"(\d{1,4})\s?x" + _E), False),
    (_lazy(_B + r"(?:sl|so luong|soluong)\s*[:=.]?\s*(\d{1,4})(?!\d)"), False),
    (_lazy(_B + r"(?:lay|chot|mua|dat|them|lai)\s+(\d{1,4})(?![\d.,])" + _NOT_UNIT), True),
]
_BARE_NUMBER = _lazy(r"(?<![a-z0-9.,/])(\d{1,2})(?![0-9.,/])(?![a-z])" + _NOT_UNIT)
_SIZE_PREFIX = _lazy(r"(?:size|sz|sai|sie|co|so)\s*$")
_MEASURE = _lazy(_B + r"\d+(?:[.,]\d+)?(?:\s?" + _WORD_UNITS + r"|[kgthpd]|m\d+)" + _E  # 1m6, 50kg, 150k, 8h
                      + r"|" + _B + r"\d+[.,]\d+\s?m" + _E)                                      # 1.6m

_ORDER_WORDS = _lazy(_B + r"(?:chot|lay|dat|mua|bo gio|bo vao gio|len don|cho (?:em|e|minh|mk|mik|chi|c|toi|t)"
                          r"|gui|ship cho|giu cho|de cho|order)" + _E)
_INBOX_WORDS = _lazy(_B + r"(?:ib|inbox|inb)" + _E)  # "ib" orders, but "ib giá" is a question
_ADD_TO_CART = _lazy(_B + r"bo (?:vao )?gio" + _E)
_CANCEL_WORDS = _lazy(_B + r"(?:huy|cancel|khong lay|ko lay|k lay|kh lay|hong lay|hok lay|khong mua|ko mua|thoi khong"
                           r"|thoi ko|khong chot|ko chot)" + _E)
_BO_WORD = _lazy(_B + r"bo" + _E)
_CHANGE_WORDS = _lazy(_B + r"doi(?: (?:mau|size|sz|lai)" + _E + r"|" + _E + r".*" + _B + r"(?:sang|qua|thanh)" + _E + ")")
_QUESTION = _lazy(r"\?|" + _B + r"(?:bao nhieu|bn|bnhieu|gia|con (?:khong|ko|k|hong|kh|hok|hang|size|sz|mau|ko a)"
                       r"|co (?:size|sz|mau|san)|nhieu tien|may k|ntn|nhu the nao|the nao|sao a|ship (?:khong|ko|k)"
                       r"|het chua|con ko|con k|con khong|con hong)" + _E)
_UNKNOWN_CODE = _lazy(_B + r"([a-z]{1,2})-?(\d{1,3})" + _E)
_RESERVED_LETTERS = frozenset({"x", "sl", "sz", "c", "k", "m", "s", "l", "t", "h", "g", "p", "kg", "cm", "mm", "ml", "xl",
                               "d", "tr", "ib", "bo", "ma", "sp", "so", "co", "size", "sai", "lay", "vnd", "sdt", "dt", "ms"})
_SEPARATORS = r"[\s\-_.]?"
_WEAK_STOPWORDS = frozenset({"size", "mau", "free", "ao", "quan", "loai", "set", "bo"})


# ---------------------------------------------------------------------------------------------
# Session catalogue: the items of one live session, compiled into one code pattern
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SessionItem:
    code: str
    sku: str
    attributes: tuple[tuple[str, str], ...] = ()
    name: str = ""

    @classmethod
    def of(cls, raw: SessionItem | Mapping[str, Any]) -> SessionItem:
        if isinstance(raw, SessionItem):
            return raw
        code, sku = str(raw.get("code") or "").strip(), str(raw.get("sku") or "").strip()
        if not code or not sku:
            raise InvalidInput("Mỗi sản phẩm trong phiên live cần mã và SKU.",
                               errors=[{"field": "items", "message": "code and sku are required"}])
        attributes = tuple((str(k), str(v)) for k, v in (raw.get("attributes") or {}).items() if str(v).strip())
        return cls(code, sku, attributes, str(raw.get("name") or ""))


@dataclass(frozen=True)
class _Value:
    attribute: str
    text: str            # as the shop wrote it ("Xanh dương")
    folded: str          # "xanh duong"
    marked: str          # "xanh dương"
    pattern: re.Pattern  # full value, token-bounded, aliases included
    words: tuple[tuple[re.Pattern, str], ...]  # (pattern, marked) per word of a multi-word value, for weak matches


@dataclass(frozen=True)
class _CodeGroup:
    key: str
    code: str                       # as the shop wrote it (first item's spelling)
    items: tuple[SessionItem, ...]
    values: tuple[_Value, ...]      # every attribute value among the group's SKUs


@dataclass(frozen=True)
class Catalogue:
    groups: dict[str, _CodeGroup]
    pattern: re.Pattern | None      # one alternation of all codes; group name = code key index
    group_keys: tuple[str, ...]
    max_quantity: int = DEFAULT_MAX_QUANTITY

    @property
    def single_group(self) -> _CodeGroup | None:
        return next(iter(self.groups.values())) if len(self.groups) == 1 else None


def code_key(code: str) -> str:
    """"A-01" -> "a1": the spelling-free identity of a code."""
    compact = re.sub(r"[\s\-_.]", "", fold(code))
    return re.sub(r"(?<!\d)0+(?=\d)", "", compact)


def _size_aliases(folded: str) -> list[str]:
    match = re.fullmatch(r"(\d)xl", folded)
    if match and 2 <= int(match.group(1)) <= 5:
        return [folded, "x" * int(match.group(1)) + "l"]
    match = re.fullmatch(r"(x{2,5})l", folded)
    if match:
        return [folded, f"{len(match.group(1))}xl"]
    if folded in ("free size", "freesize", "free"):
        return ["free size", "freesize", "free", "fs"]
    return [folded]


def _value(attribute: str, text: str) -> _Value:
    marked = _marked(text.strip())
    folded = _fold(marked)
    spellings = sorted({re.escape(alias).replace(r"\ ", r"\s+") for alias in _size_aliases(folded)}, key=len, reverse=True)
    pattern = re.compile(_B + "(?:" + "|".join(spellings) + ")" + _E)
    words = tuple((re.compile(_B + re.escape(w) + _E), m) for w, m in zip(folded.split(), marked.split(), strict=False)
                  if len(w) >= 2 and w not in _WEAK_STOPWORDS) if " " in folded else ()
    return _Value(attribute, text.strip(), folded, " ".join(marked.split()), pattern, words)


def _code_pattern(key: str, reserved: frozenset[str]) -> str:
    runs = re.findall(r"[a-z]+|\d+|[^a-z\d]+", key)
    if all(run.isdigit() for run in runs):
        return r"(?:#\s?|(?:ma|sp|so|mau so)\s?)" + "".join("0*" + run for run in runs) + r"(?!\d)"
    parts: list[str] = []
    for index, run in enumerate(runs):
        if run.isdigit():
            parts.append("0*" + run)
        else:
            parts.append(re.escape(run))
        if index + 1 < len(runs):
            spaced_ok = run.isalpha() and run not in reserved
            parts.append(_SEPARATORS if spaced_ok else r"[\-_.]?")
    tail = r"(?!\d)" if runs[-1].isdigit() else r"(?![a-z])"
    return "".join(parts) + tail


def _compile(items: tuple[SessionItem, ...], max_quantity: int) -> Catalogue:
    grouped: dict[str, list[SessionItem]] = {}
    for item in items:
        grouped.setdefault(code_key(item.code), []).append(item)
    groups: dict[str, _CodeGroup] = {}
    variant_tokens: set[str] = set()
    for key, members in grouped.items():
        seen: dict[tuple[str, str], _Value] = {}
        for item in members:
            for attribute, text in item.attributes:
                value = _value(attribute, text)
                seen.setdefault((attribute, value.folded), value)
                variant_tokens.update(value.folded.split())
        groups[key] = _CodeGroup(key, members[0].code, tuple(members), tuple(seen.values()))
    reserved = _RESERVED_LETTERS | variant_tokens
    keys = tuple(sorted((k for k in groups if k), key=len, reverse=True))
    alternatives = [f"(?P<c{i}>{_code_pattern(key, reserved)})" for i, key in enumerate(keys)]
    pattern = re.compile(_B + "(?:" + "|".join(alternatives) + ")") if alternatives else None
    return Catalogue(groups, pattern, keys, max_quantity)


@lru_cache(maxsize=256)
def _compile_cached(items: tuple[SessionItem, ...], max_quantity: int) -> Catalogue:
    return _compile(items, max_quantity)


def build_catalogue(items: Iterable[SessionItem | Mapping[str, Any]], *, max_quantity: int = DEFAULT_MAX_QUANTITY) -> Catalogue:
    """Compile a session's items once; the same items give the same (cached) catalogue."""
    return _compile_cached(tuple(SessionItem.of(item) for item in items), max_quantity)


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    code: str
    quantity: int
    sku: str | None = None                  # None until the words pick one SKU
    candidates: tuple[str, ...] = ()        # the SKUs still possible when sku is None

    def as_dict(self) -> dict:
        out: dict[str, Any] = {"code": self.code, "sku": self.sku, "quantity": self.quantity}
        if self.candidates:
            out["candidates"] = list(self.candidates)
        return out


@dataclass(frozen=True)
class ParseResult:
    kind: Kind
    lines: tuple[Line, ...] = ()
    phone: str | None = None
    reasons: tuple[str, ...] = ()           # Vietnamese, shown to staff
    unknown_codes: tuple[str, ...] = ()

    @property
    def reason(self) -> str | None:
        return "; ".join(self.reasons) or None

    @property
    def candidates(self) -> tuple[str, ...]:
        return tuple(sku for line in self.lines for sku in line.candidates)

    def as_dict(self) -> dict:
        out: dict[str, Any] = {"result": self.kind, "lines": [line.as_dict() for line in self.lines]}
        if self.phone:
            out["phone"] = self.phone
        if self.reasons:
            out["reason"] = self.reason
        if self.unknown_codes:
            out["unknown_codes"] = list(self.unknown_codes)
        return out


R_NO_CODE = "Không có mã sản phẩm"
R_QUESTION = "Khách đang hỏi, chưa chốt đơn"
R_EMPTY = "Bình luận trống"
R_CANCEL = "Khách hủy"
R_CANCEL_AND_ORDER = "Bình luận vừa hủy vừa đặt, cần xem lại"
R_CHANGE = "Khách muốn đổi hàng, cần xem lại"


# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------

@dataclass
class _Text:
    """The comment as the parser sees it: folded text with spans blanked as they are consumed."""
    marked: str
    folded: str
    chars: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.chars = list(self.folded)

    def blank(self, start: int, end: int) -> None:
        self.chars[start:end] = " " * (end - start)

    @property
    def current(self) -> str:
        return "".join(self.chars)


def _extract_phone(text: _Text) -> str | None:
    """Find the first Vietnamese phone number; blank every long digit run so it is not a quantity."""
    from chalicelib.core.phones import normalise

    phone: str | None = None
    for match in _PHONE_RUN.finditer(text.current):
        run = match.group(0)
        groups = [(m.start() + match.start(), m.end() + match.start(), m.group(0)) for m in re.finditer(r"\+?\d+", run)]
        international = bool(re.match(r"\s*(?:\(\s*\+?\s*84|\+)", run))
        best: tuple[int, int, str] | None = None
        for i in range(len(groups)):              # the longest run of groups that forms a phone number
            for j in range(len(groups), i, -1):
                digits = "".join(g[2] for g in groups[i:j]).lstrip("+")
                if best and j - i <= best[1] - best[0]:
                    break
                if _looks_like_phone(digits, international and i == 0):
                    best = (i, j, digits)
                    break
        if best is not None:
            i, j, digits = best
            start = match.start() if i == 0 else groups[i][0]
            end = groups[j - 1][1]
            if phone is None:
                candidate = ("+" if international and i == 0 and not digits.startswith("0") else "") + digits
                try:
                    phone = normalise(candidate)
                except Exception:  # the shared helper's InvalidInput (or the library's) -> not a phone
                    phone = None
            text.blank(start, end)
        for start, end, digits in groups:          # never read 5+ digits as a quantity or code
            if len(digits.lstrip("+")) >= 5:
                text.blank(start, end)
    return phone


def _looks_like_phone(digits: str, international: bool) -> bool:
    if international or digits.startswith("84"):
        national = digits[2:] if digits.startswith("84") else ""
        national = national[1:] if national.startswith("0") else national
        return len(national) in (9, 10) and national[0] in "2357890" if national else False
    if digits.startswith("0"):
        return (len(digits) == 10 and digits[1] in "35789") or (len(digits) == 11 and digits[1] in "12")
    return False


@dataclass
class _Hit:
    group: _CodeGroup
    start: int
    end: int
    segment: tuple[int, int] = (0, 0)


def _find_codes(text: _Text, catalogue: Catalogue) -> list[_Hit]:
    if catalogue.pattern is None:
        return []
    hits: list[_Hit] = []
    for match in catalogue.pattern.finditer(text.current):
        name = match.lastgroup
        if name is None:
            continue
        group = catalogue.groups[catalogue.group_keys[int(name[1:])]]
        if not group.key.isdigit() and not text.marked[match.start():match.end()].isascii():
            continue  # letter codes are typed plain: "ạ 1" is a particle and a number, not A1
        hits.append(_Hit(group, match.start(), match.end()))
    for hit in hits:
        text.blank(hit.start, hit.end)
    collapsed: list[_Hit] = []
    for hit in hits:  # "A1 A1 A1 đỏ M": a repeated code with nothing between is one mention
        previous = collapsed[-1] if collapsed else None
        if previous and previous.group is hit.group and not re.search(r"[a-z0-9]", text.current[previous.end:hit.start]):
            previous.end = hit.end
        else:
            collapsed.append(hit)
    hits = collapsed
    for index, hit in enumerate(hits):  # each code owns the words up to the next code
        start = 0 if index == 0 else hit.end
        end = hits[index + 1].start if index + 1 < len(hits) else len(text.chars)
        hit.segment = (start, end)
    return hits


def _quantity(segment: str, group: _CodeGroup) -> tuple[int | None, list[int]]:
    """(the quantity, every distinct quantity seen) for one code's words; explicit markers win over lone numbers."""
    numeric_values = {v.folded for v in group.values if v.folded.isdigit()}
    explicit: list[tuple[int, int]] = []  # (position, quantity)
    taken: list[tuple[int, int]] = []
    for pattern, may_be_size in _QTY_PATTERNS:
        for match in pattern.finditer(segment):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            raw = match.group(1)
            if may_be_size and raw in numeric_values:
                continue
            explicit.append((match.start(), int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]))
            taken.append(match.span())
    if not explicit:
        for match in _BARE_NUMBER.finditer(segment):
            if match.group(1) in numeric_values or _SIZE_PREFIX.search(segment[: match.start()]):
                continue
            explicit.append((match.start(), int(match.group(1))))
    if not explicit:
        return None, []
    explicit.sort()
    return explicit[0][1], sorted({q for _, q in explicit})


@dataclass(frozen=True)
class _Mention:
    values: tuple[_Value, ...]
    strong: bool  # the whole value was written (not one word of it)


def _mentions(segment: str, marked: str, group: _CodeGroup) -> dict[str, _Mention]:
    """Per attribute, the values the words name: full matches, else weak (one-word) matches."""
    full: dict[str, list[tuple[_Value, int, int]]] = {}
    for value in group.values:
        for match in value.pattern.finditer(segment):
            if match.group(0) == value.folded and not _accents_compatible(marked[match.start():match.end()], value.marked):
                continue
            full.setdefault(value.attribute, []).append((value, match.start(), match.end()))
    result: dict[str, _Mention] = {}
    for attribute, found in full.items():  # "xanh duong" names Xanh dương, not also Xanh
        kept = [v for v, s, e in found if not any(s2 <= s and e <= e2 and e2 - s2 > e - s for _, s2, e2 in found)]
        result[attribute] = _Mention(tuple(dict.fromkeys(kept)), True)
    strong_spans = [(s, e) for found_list in full.values() for _, s, e in found_list]
    weak: dict[str, list[_Value]] = {}
    for value in group.values:
        for pattern, word_marked in value.words:
            if any(_accents_compatible(marked[m.start():m.end()], word_marked)
                   and not any(s < m.end() and m.start() < e for s, e in strong_spans) for m in pattern.finditer(segment)):
                weak.setdefault(value.attribute, []).append(value)
                break
    for attribute, values in weak.items():
        if attribute not in result:
            result[attribute] = _Mention(tuple(values), False)
        elif any(v not in result[attribute].values for v in values):  # "đỏ xanh": a second colour, however short
            result[attribute] = _Mention(tuple(dict.fromkeys(result[attribute].values + tuple(values))), True)
    return result


def _options(items: list[SessionItem]) -> str:
    return ", ".join(" ".join(v for _, v in item.attributes) or item.sku for item in items)


def _resolve(group: _CodeGroup, segment: str, marked: str) -> tuple[str | None, tuple[str, ...], list[str]]:
    """(sku, candidates, reasons) for one code and its words."""
    items = list(group.items)
    if len(items) == 1:
        return items[0].sku, (), []
    reasons: list[str] = []
    named: list[str] = []
    for attribute, mention in _mentions(segment, marked, group).items():
        if mention.strong and len(mention.values) > 1:
            reasons.append(f"Mã {group.code}: khách ghi nhiều {attribute} ({', '.join(v.text for v in mention.values)})")
            continue
        wanted = {v.folded for v in mention.values}
        named.append("/".join(v.text for v in mention.values))
        items = [item for item in items if fold(dict(item.attributes).get(attribute, "")) in wanted]
    if not items:
        return None, tuple(item.sku for item in group.items), [f"Mã {group.code} không có loại {' '.join(named)}"]
    if len(items) == 1 and not reasons:
        return items[0].sku, (), []
    if not reasons:
        varying = [name for name in dict.fromkeys(a for item in items for a, _ in item.attributes)
                   if len({fold(dict(item.attributes).get(name, "")) for item in items}) > 1]
        reasons.append(f"Mã {group.code} có {len(items)} loại ({_options(items)}), chưa rõ {'/'.join(varying) or 'loại nào'}")
    return None, tuple(item.sku for item in items), reasons


def _cancel_spans(folded: str, marked: str, code_starts: set[int]) -> list[tuple[int, int]]:
    """Where the buyer cancels. "bỏ" cancels, "bỏ giỏ" orders; a plain "bo" (maybe "bộ", a set) cancels
    only as the first word or right before a code."""
    spans = [m.span() for m in _CANCEL_WORDS.finditer(folded)]
    for match in _BO_WORD.finditer(folded):
        if _ADD_TO_CART.match(folded, match.start()):
            continue
        typed = marked[match.start():match.end()]
        after = match.end() + len(folded[match.end():]) - len(folded[match.end():].lstrip())
        if typed == "bỏ" or (typed == "bo" and (not folded[:match.start()].strip() or after in code_starts)):
            spans.append(match.span())
    return spans


def _unknown_codes(rest: str, catalogue: Catalogue) -> list[str]:
    values = {v.folded for g in catalogue.groups.values() for v in g.values}
    found = [m.group(0).upper().replace("-", "") for m in _UNKNOWN_CODE.finditer(rest)
             if m.group(1) not in _RESERVED_LETTERS and m.group(0) not in values]
    return list(dict.fromkeys(found))


def parse_comment(text: str, catalogue: Catalogue | Iterable[SessionItem | Mapping[str, Any]]) -> ParseResult:
    """Read one livestream comment against the session's items. Never raises on any text."""
    if not isinstance(catalogue, Catalogue):
        catalogue = build_catalogue(catalogue)
    marked = _marked((text or "")[:MAX_COMMENT_CHARS])
    folded = _fold(marked)
    if not folded.strip():
        return ParseResult("ignored", reasons=(R_EMPTY,))
    work = _Text(marked, folded)
    phone = _extract_phone(work)
    values = {v.folded for g in catalogue.groups.values() for v in g.values}
    for match in _MEASURE.finditer(work.current):   # "1m6 50kg" is the buyer's height and weight
        if match.group(0) not in values:
            work.blank(*match.span())
    hits = _find_codes(work, catalogue)
    rest = work.current
    cancel_spans = _cancel_spans(folded, marked, {hit.start for hit in hits})
    order_text = "".join(" " if any(s <= i < e for s, e in cancel_spans) else ch for i, ch in enumerate(rest))
    strong_order = bool(_ORDER_WORDS.search(order_text))
    wants_order = strong_order or bool(_INBOX_WORDS.search(order_text))
    wants_cancel = bool(cancel_spans)
    unknown = _unknown_codes(rest, catalogue)
    if not hits and catalogue.single_group is not None and (wants_order or phone) and not unknown:
        hits = [_Hit(catalogue.single_group, 0, 0, (0, len(rest)))]  # a one-product live: "chốt M" is enough

    if not hits:
        if unknown and (wants_order or phone or wants_cancel or len(folded.split()) <= 4):
            return ParseResult("needs_review", phone=phone, unknown_codes=tuple(unknown),
                               reasons=(f"Mã {', '.join(unknown)} không có trong phiên live",))
        if wants_cancel and not wants_order:
            return ParseResult("cancel", phone=phone, reasons=(R_CANCEL + " đơn",))
        return ParseResult("ignored", phone=phone, reasons=(R_NO_CODE,))
    if _QUESTION.search(rest) and not strong_order and not phone and not wants_cancel:
        return ParseResult("ignored", reasons=(R_QUESTION,))

    lines: list[Line] = []
    reasons: list[str] = []
    for hit in hits:
        start, end = hit.segment
        segment = rest[start:end]
        sku, candidates, why = _resolve(hit.group, segment, marked[start:end])
        quantity, seen = _quantity(segment, hit.group)
        if len(seen) > 1:
            why.append(f"Mã {hit.group.code}: số lượng không rõ ({', '.join(map(str, seen))})")
        quantity = 1 if quantity is None else quantity
        if quantity <= 0:
            why.append(f"Mã {hit.group.code}: số lượng {quantity} không hợp lệ")
        elif quantity > catalogue.max_quantity:
            why.append(f"Mã {hit.group.code}: số lượng {quantity} vượt mức tối đa {catalogue.max_quantity}")
        reasons.extend(why)
        lines.append(Line(hit.group.code, quantity, sku, candidates))
    lines = _merge_repeats(lines)
    if unknown:
        reasons.append(f"Mã {', '.join(unknown)} không có trong phiên live")

    if wants_cancel:
        if strong_order:
            return ParseResult("needs_review", tuple(lines), phone, (R_CANCEL_AND_ORDER,), tuple(unknown))
        codes = ", ".join(dict.fromkeys(line.code for line in lines))
        return ParseResult("cancel", tuple(lines), phone, (f"{R_CANCEL} {codes}",), tuple(unknown))
    change = _CHANGE_WORDS.search(rest)
    if change and marked[change.start():change.start() + 3] != "đôi":  # "đôi" is a pair, "đổi" a change
        reasons.insert(0, R_CHANGE)
    if reasons:
        return ParseResult("needs_review", tuple(lines), phone, tuple(dict.fromkeys(reasons)), tuple(unknown))
    return ParseResult("captured", tuple(lines), phone)


def _merge_repeats(lines: list[Line]) -> list[Line]:
    """"A1 A1 A1" is one A1: the same code and variant keeps its larger quantity."""
    merged: dict[tuple[str, str | None, tuple[str, ...]], Line] = {}
    for line in lines:
        key = (line.code, line.sku, line.candidates)
        if key not in merged or line.quantity > merged[key].quantity:
            merged[key] = line
    return list(merged.values())
