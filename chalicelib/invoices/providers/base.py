"""One small interface for every e-invoice provider (manual, Viettel S-Invoice; VNPT and MISA later).

The caller (the invoice service) owns storage and the number counter. The flow it follows:
1. build the draft (rules.build_invoice_draft) and, for a replacement/adjustment, attach the link;
2. a provider that numbers locally (`numbers_locally`, the manual one) gets the next number from the
   counter first; a provider that numbers itself (Viettel) returns its number;
3. call `issue` (or `replace` / `adjust`) with a transaction id chosen once per invoice and stored
   *before* the call: a retry with the same id never issues twice (the provider is asked by that id first);
4. build and store the XML with the final number (xml.build_xml).
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from chalicelib.core.errors import DomainError, InvalidInput
from chalicelib.invoices.rules import InvoiceDraft, InvoiceSymbol


class ProviderError(DomainError):
    """The provider refused the request (bad data, unknown symbol, bad credentials). `code` is the
    provider's own error code; retrying the same request will not help."""

    def __init__(self, detail: str, *, code: str = "", status: int | None = None, raw: Any = None):
        super().__init__(detail, extra={"provider_code": code, "provider_status": status})
        self.code = code
        self.status = status
        self.raw = raw


class ProviderUnavailable(DomainError):
    """The provider could not be reached or its answer was lost (timeout, 5xx). Whether the invoice
    exists there is unknown: retry with the same transaction id, which looks it up first."""


@dataclass(frozen=True)
class IssueRequest:
    draft: InvoiceDraft
    symbol: InvoiceSymbol
    issued_at: datetime                 # UTC; the invoice date is its ICT date
    number: int | None = None           # required by providers that number locally
    provider_template: str | None = None  # the provider's template code (Viettel "1/001"), else the form digit

    @property
    def template_code(self) -> str:
        return self.provider_template or self.symbol.template_code


@dataclass(frozen=True)
class IssuedRef:
    """An invoice already issued at the provider, for cancel."""
    symbol: InvoiceSymbol
    number: int
    issued_at: datetime
    provider_template: str | None = None
    provider_invoice_no: str | None = None   # the provider's own label when it differs (Viettel "C25TAA12")

    @property
    def template_code(self) -> str:
        return self.provider_template or self.symbol.template_code


@dataclass(frozen=True)
class CancelRequest:
    invoice: IssuedRef
    reason: str
    agreement: str = ""                      # the document agreed with the buyer ("văn bản thỏa thuận")
    agreement_date: date | None = None


@dataclass(frozen=True)
class ProviderResult:
    provider: str
    transaction_id: str
    number: int | None
    series: str
    template_code: str
    lookup_code: str | None = None           # reservation / lookup code printed for the buyer
    tax_authority_code: str | None = None    # MCCQT when the provider returns it
    provider_invoice_no: str | None = None
    raw: Any = field(default=None, compare=False)


class InvoiceProvider(ABC):
    name: str = ""
    numbers_locally: bool = False

    @abstractmethod
    def issue(self, request: IssueRequest, xml: bytes | None, credentials: Mapping[str, str],
              transaction_id: str) -> ProviderResult:
        """Issue the invoice once for this transaction id (idempotent)."""

    @abstractmethod
    def lookup(self, transaction_id: str, credentials: Mapping[str, str], *,
               seller_tax_code: str) -> ProviderResult | None:
        """The invoice the provider holds for this transaction id, or None."""

    @abstractmethod
    def cancel(self, request: CancelRequest, credentials: Mapping[str, str], *, seller_tax_code: str) -> Any:
        """Cancel an issued invoice at the provider; returns the provider's raw answer."""

    def replace(self, request: IssueRequest, xml: bytes | None, credentials: Mapping[str, str],
                transaction_id: str) -> ProviderResult:
        """Issue a replacing invoice: a new invoice whose draft links the one it replaces."""
        _require_link(request, "replaces")
        return self.issue(request, xml, credentials, transaction_id)

    def adjust(self, request: IssueRequest, xml: bytes | None, credentials: Mapping[str, str],
               transaction_id: str) -> ProviderResult:
        """Issue an adjusting invoice: a new invoice whose draft links the one it adjusts."""
        _require_link(request, "adjusts")
        return self.issue(request, xml, credentials, transaction_id)


def _require_link(request: IssueRequest, kind: str) -> None:
    link = request.draft.link
    if link is None or link.kind != kind:
        raise InvalidInput("Hóa đơn thay thế/điều chỉnh phải tham chiếu hóa đơn gốc",
                           errors=[{"field": "link", "message": f"Cần liên kết loại {kind}"}])


def require(credentials: Mapping[str, str], *names: str) -> list[str]:
    missing = [name for name in names if not credentials.get(name)]
    if missing:
        raise InvalidInput("Thiếu thông tin đăng nhập nhà cung cấp hóa đơn",
                           errors=[{"field": f"credentials.{name}", "message": "Bắt buộc"} for name in missing])
    return [credentials[name] for name in names]
