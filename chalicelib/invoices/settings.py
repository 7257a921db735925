"""Invoice settings per shop: the seller as printed, the provider and its credentials (stored, never
returned), template code, symbol, default VAT rate and whether counter sales are invoiced by themselves."""
from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from chalicelib.core import clock, keys
from chalicelib.core.errors import Conflict, InvalidInput
from chalicelib.core.principal import Principal
from chalicelib.core.settings import settings as deployment
from chalicelib.core.uow import UnitOfWork
from chalicelib.invoices import rules
from chalicelib.invoices.providers import PROVIDERS, provider_for
from chalicelib.invoices.store import InvoiceSettingsItem

# Credentials each provider needs (Viettel: the S-Invoice API account; supplier_tax_code when it differs).
REQUIRED_CREDENTIALS = {"manual": (), "viettel": ("username", "password")}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class InvoicingNotSetUp(Conflict):
    """The shop has no invoice settings yet."""


@dataclass(frozen=True)
class ShopInvoicing:
    seller: dict
    provider: str
    template_code: str
    symbol: str
    default_vat_rate: str
    auto_issue_pos: bool
    credentials: dict
    api_base: str | None

    def symbol_for(self, year: int) -> rules.InvoiceSymbol:
        """The registered symbol for the year the invoice is issued in (its two year digits)."""
        return rules.parse_symbol(self.symbol, template_code=self.template_code).for_year(year)

    @property
    def provider_template(self) -> str | None:
        """A provider's own template label ("1/001") when it is more than the form digit."""
        return self.template_code if len(self.template_code) > 1 else None

    def adapter(self):
        base = self.api_base or (deployment.viettel_invoice_api_base if self.provider == "viettel" else None)
        return provider_for(self.provider, base)


def _item(tenant_id: str) -> InvoiceSettingsItem | None:
    try:
        return InvoiceSettingsItem.get(keys.shop_pk(tenant_id), keys.INVOICE_SETTINGS_SK, consistent_read=True)
    except InvoiceSettingsItem.DoesNotExist:
        return None


def _from_item(item: InvoiceSettingsItem) -> ShopInvoicing:
    return ShopInvoicing(json.loads(item.seller), item.provider, item.template_code, item.symbol,
                         item.default_vat_rate, bool(item.auto_issue_pos), json.loads(item.credentials or "{}"),
                         item.api_base)


def load(tenant_id: str) -> ShopInvoicing | None:
    item = _item(tenant_id)
    return _from_item(item) if item else None


def require(tenant_id: str) -> ShopInvoicing:
    found = load(tenant_id)
    if found is None:
        raise InvoicingNotSetUp("Set up invoicing (seller, provider, symbol) first.")
    return found


def view(item: InvoiceSettingsItem | None) -> dict:
    """Settings as answered: credentials only say which names are stored."""
    if item is None:
        return {"configured": False}
    conf = _from_item(item)
    return {"configured": True, "seller": conf.seller, "provider": conf.provider, "template_code": conf.template_code,
            "symbol": conf.symbol, "default_vat_rate": conf.default_vat_rate, "auto_issue_pos": conf.auto_issue_pos,
            "api_base": conf.api_base, "credentials_set": sorted(conf.credentials), "updated_at": item.updated_at}


def get(principal: Principal) -> dict:
    return view(_item(principal.tenant_id))


def _checked_api_base(value: str | None) -> str | None:
    """A provider's sandbox host: https; plain http only to this machine, and only on the local stage (in a
    Lambda, loopback is the runtime's own API)."""
    if not value:
        return None
    try:
        parts = urlsplit(value.strip())
        host = parts.hostname
    except ValueError:                     # e.g. an unclosed IPv6 bracket
        parts, host = None, None
    on_this_machine = deployment.stage == "local" and parts and parts.scheme == "http" and host in LOOPBACK
    if parts and parts.scheme == "https" and host or on_this_machine:
        return value.strip().rstrip("/")
    raise InvalidInput("Some fields are invalid.", errors=[{"field": "api_base", "message": "an https:// address"}])


def put(principal: Principal, data: dict) -> dict:
    """Replace the settings; credentials left out keep the stored ones (a GET never shows them)."""
    errors: list[dict] = []
    try:
        seller = rules.validate_seller(data["seller"])
    except InvalidInput as error:
        errors += error.errors
        seller = None
    provider = data["provider"]
    if provider not in PROVIDERS:
        errors.append({"field": "provider", "message": f"supported: {', '.join(PROVIDERS)}"})
    try:
        rules.parse_symbol(data["symbol"], template_code=data["template_code"])
    except InvalidInput as error:
        errors += error.errors
    try:
        rate = rules.normalize_rate(data.get("default_vat_rate", 10), field_name="default_vat_rate")
    except InvalidInput as error:
        errors += error.errors
        rate = "10%"
    try:
        api_base = _checked_api_base(data.get("api_base"))
    except InvalidInput as error:
        errors += error.errors
        api_base = None
    previous = _item(principal.tenant_id)
    credentials = data.get("credentials")
    if credentials is None:
        credentials = json.loads(previous.credentials or "{}") if previous and previous.provider == provider else {}
    missing = [name for name in REQUIRED_CREDENTIALS.get(provider, ()) if not credentials.get(name)]
    errors += [{"field": f"credentials.{name}", "message": "required"} for name in missing]
    if errors:
        raise InvalidInput("Some fields are invalid.", errors=errors)
    symbol = data["symbol"].strip().upper()
    item = InvoiceSettingsItem(
        keys.shop_pk(principal.tenant_id), keys.INVOICE_SETTINGS_SK,
        seller=json.dumps({k: v for k, v in vars(seller).items() if v}, ensure_ascii=False), provider=provider,
        template_code=data["template_code"].strip(), symbol=symbol, default_vat_rate=rate,
        auto_issue_pos=bool(data.get("auto_issue_pos")), credentials=json.dumps(credentials),
        api_base=api_base, updated_at=clock.now_iso())
    answer = view(item)
    uow = UnitOfWork(principal)
    uow.put(item)
    before = view(previous)
    uow.audit("invoice_settings", "invoice_settings", principal.tenant_id, before=before, after=answer)
    uow.commit(answer, 200)
    return answer
