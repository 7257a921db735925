"""E-invoice providers behind one interface (base.InvoiceProvider). `provider_for(settings_name, api_base)`
picks one by the invoice settings' `provider`; modules are imported on first use."""
from __future__ import annotations

from chalicelib.core.errors import InvalidInput

PROVIDERS = ("manual", "viettel")


def provider_for(name: str, api_base: str | None = None):
    if name == "manual":
        from chalicelib.invoices.providers.manual import ManualProvider

        return ManualProvider()
    if name == "viettel":
        from chalicelib.invoices.providers.viettel import DEFAULT_BASE_URL, ViettelProvider

        return ViettelProvider(api_base or DEFAULT_BASE_URL)
    raise InvalidInput("Nhà cung cấp hóa đơn chưa được hỗ trợ",
                       errors=[{"field": "provider", "message": f"Hỗ trợ: {', '.join(PROVIDERS)}"}])
