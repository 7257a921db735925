"""Carrier adapters by identifier. Each module is imported on first use, so the app starts fast.

    carrier = providers.build("ghn", token="...", shop_id=885, base_url=settings.ghn_api_base)
"""
from __future__ import annotations

from importlib import import_module

REGISTRY = {
    "ghn": ("chalicelib.carriers.providers.ghn", "GhnCarrier"),
    "ghtk": ("chalicelib.carriers.providers.ghtk", "GhtkCarrier"),
    "viettel_post": ("chalicelib.carriers.providers.viettel_post", "ViettelPostCarrier"),
}
IDENTIFIERS = tuple(REGISTRY)


def adapter_class(identifier: str):
    try:
        module, name = REGISTRY[identifier]
    except KeyError:
        from chalicelib.core.errors import InvalidInput

        raise InvalidInput(f"Unknown carrier '{identifier}'.",
                           errors=[{"field": "carrier", "message": f"one of {', '.join(IDENTIFIERS)}"}]) from None
    return getattr(import_module(module), name)


def build(identifier: str, **credentials_and_options):
    """An adapter for one carrier account: GHN(token, shop_id), GHTK(token, partner_code?),
    Viettel Post(token | username+password); options: base_url, timeout, read_retry."""
    options = {k: v for k, v in credentials_and_options.items() if v is not None or k in ("token",)}
    return adapter_class(identifier)(**options)
