"""Text rules used everywhere: Vietnamese-aware folding for accent-insensitive search ("ao thun"
finds "Áo thun"), one Unicode form for codes, and spreadsheet-safe CSV cells."""
import unicodedata

# A cell starting with one of these is a formula to Excel / Sheets (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ -> d) and collapse whitespace."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def code(text: str) -> str:
    """SKUs, barcodes and short codes: NFC (an "Á" typed on a Mac and on Windows is one SKU),
    trimmed, and free of control characters (a NUL or a newline is never part of a code)."""
    normal = unicodedata.normalize("NFC", text).strip()
    if any(unicodedata.category(ch).startswith("C") for ch in normal):
        raise ValueError("control characters are not allowed")
    return normal


def csv_cell(value):
    """A text cell a spreadsheet would run as a formula is quoted with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
