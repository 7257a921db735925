"""Vietnamese phone numbers: one E.164 form for matching (0901234567 == +84901234567 ==
84 90 123 4567). Old 11-digit mobile numbers renumbered in 2018 are mapped to their new form.
We do not reject a number only because the library's range table calls it unallocated."""
import re

from chalicelib.core.errors import InvalidInput

# 2018 renumbering of 11-digit mobile prefixes (Ministry of Information and Communications).
RENUMBERED_2018 = {
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036", "0167": "037", "0168": "038",
    "0169": "039", "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078", "0123": "083",
    "0124": "084", "0125": "085", "0127": "081", "0129": "082", "0186": "056", "0188": "058", "0199": "059",
}


def _without_trunk_zero(subscriber: str) -> str:
    """Staff type both the country code and the trunk zero: "(+84) 0912-345-678", "+84 (0) 912..."."""
    return subscriber[1:] if subscriber.startswith("0") else subscriber


def _national(raw: str) -> str:
    digits = re.sub(r"[^\d+]", "", raw)
    if digits.startswith("+84"):
        digits = "0" + _without_trunk_zero(digits[3:])
    elif digits.startswith("84") and len(digits) >= 11:
        digits = "0" + _without_trunk_zero(digits[2:])
    elif digits and not digits.startswith("0") and not digits.startswith("+") and len(digits) == 9:
        digits = "0" + digits
    if len(digits) == 11 and digits[:4] in RENUMBERED_2018:
        digits = RENUMBERED_2018[digits[:4]] + digits[4:]
    return digits


def normalise(raw: str, field: str = "phone") -> str:
    """E.164 (+84...) for a Vietnamese number; other countries' numbers in E.164 as given."""
    import phonenumbers  # lazy: keeps it off the cold-start path

    text = raw.strip()
    candidate = text if text.startswith("+") and not text.startswith("+84") else _national(text)
    try:
        parsed = phonenumbers.parse(candidate, "VN")
    except phonenumbers.NumberParseException as error:
        raise InvalidInput("This is not a phone number.", errors=[{"field": field, "message": str(error)}]) from error
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidInput("This phone number has the wrong length.",
                           errors=[{"field": field, "message": "not a possible phone number"}])
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
