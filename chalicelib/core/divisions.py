"""Vietnam's administrative divisions since 1 July 2025 (34 provinces, province -> ward), from the
official list shipped by the `vietnam-provinces` package (imported on first use)."""
from chalicelib.core.errors import InvalidInput


def _not_listed(field: str, error: Exception) -> InvalidInput:
    return InvalidInput("This code is not on the official list of provinces and wards.",
                        errors=[{"field": field, "message": str(error)}])


def resolve(province_code: str | None, ward_code: str | None, field: str = "shipping_address") -> dict:
    """Names for the codes, or a 400 naming the code that is not on the list (or not in that province)."""
    from vietnam_provinces import Province, Ward

    names: dict = {}
    if province_code:
        try:
            names["province_name"] = Province.from_code(int(province_code)).name
        except ValueError as error:
            raise _not_listed(f"{field}.province_code", error) from error
    if ward_code:
        try:
            ward = Ward.from_code(int(ward_code))
        except ValueError as error:
            raise _not_listed(f"{field}.ward_code", error) from error
        if province_code and int(ward.province_code) != int(province_code):
            raise InvalidInput("This ward is not in that province.",
                               errors=[{"field": f"{field}.ward_code", "message": "not in province_code"}])
        names["ward_name"] = ward.name
        names.setdefault("province_name", Province.from_code(int(ward.province_code)).name)
    return names
