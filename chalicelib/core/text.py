"""Vietnamese-aware text folding for accent-insensitive search ("ao thun" finds "Áo thun")."""
import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ -> d) and collapse whitespace."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
