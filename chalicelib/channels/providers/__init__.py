"""The adapters by channel identifier. Modules are imported on first use, so the app's cold start
does not pay for channels it does not touch.

    settings = settings_from_env("shopee", os.environ)          # deployment settings (API.md)
    adapter = adapter_for("shopee", settings, Credentials(shop_id="123", access_token="..."))
"""
from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any

from chalicelib.core.errors import InvalidInput

# channel -> (module, adapter class, settings class)
PROVIDERS: dict[str, tuple[str, str, str]] = {
    "shopee": ("chalicelib.channels.providers.shopee", "ShopeeAdapter", "ShopeeSettings"),
    "lazada": ("chalicelib.channels.providers.lazada", "LazadaAdapter", "LazadaSettings"),
    "tiktok_shop": ("chalicelib.channels.providers.tiktok_shop", "TikTokShopAdapter", "TikTokSettings"),
    "website": ("chalicelib.channels.providers.website", "WebsiteAdapter", "WebsiteSettings"),
}

# settings field -> environment variable (API.md "Deployment settings"); base URLs are optional
ENV_NAMES: dict[str, dict[str, str]] = {
    "shopee": {"partner_id": "QUAY_SHOPEE_PARTNER_ID", "partner_key": "QUAY_SHOPEE_PARTNER_KEY",
               "api_base": "QUAY_SHOPEE_API_BASE"},
    "lazada": {"app_key": "QUAY_LAZADA_APP_KEY", "app_secret": "QUAY_LAZADA_APP_SECRET", "api_base": "QUAY_LAZADA_API_BASE",
               "auth_base": "QUAY_LAZADA_AUTH_BASE"},
    "tiktok_shop": {"app_key": "QUAY_TIKTOK_APP_KEY", "app_secret": "QUAY_TIKTOK_APP_SECRET", "api_base": "QUAY_TIKTOK_API_BASE",
                    "auth_base": "QUAY_TIKTOK_AUTH_BASE"},
}
OPTIONAL = {"api_base", "auth_base"}  # the platforms' token hosts, overridable like their API hosts


def _parts(channel: str) -> tuple[Any, str, str]:
    try:
        module_name, adapter_name, settings_name = PROVIDERS[channel]
    except KeyError:
        raise InvalidInput("Kênh bán không được hỗ trợ.",
                           errors=[{"field": "channel", "message": f"one of {', '.join(PROVIDERS)}"}]) from None
    return import_module(module_name), adapter_name, settings_name


def settings_class(channel: str) -> type:
    module, _, settings_name = _parts(channel)
    return getattr(module, settings_name)


def settings_from_env(channel: str, env: Mapping[str, str], **extra: Any) -> Any:
    """A marketplace's deployment settings from an environment mapping (passed in, never read
    globally); `extra` fills fields the environment does not have (a website's platform and
    webhook secret come from its connection)."""
    values: dict[str, Any] = {}
    for field_name, variable in ENV_NAMES.get(channel, {}).items():
        value = env.get(variable)
        if value:
            values[field_name] = value
        elif field_name not in OPTIONAL:
            raise InvalidInput("Thiếu cấu hình kênh bán.", errors=[{"field": variable, "message": "not set"}])
    values.update({k: v for k, v in extra.items() if v is not None})
    return settings_class(channel)(**values)


def adapter_for(channel: str, settings: Any, credentials: Any = None, **options: Any):
    """The adapter for `channel` with these settings and the shop's credentials. `options` go to
    the adapter (now=, sleep=, timeout=) for tests and jobs."""
    module, adapter_name, _ = _parts(channel)
    return getattr(module, adapter_name)(settings, credentials, **options)
