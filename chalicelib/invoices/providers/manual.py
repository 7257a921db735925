"""The manual provider: the shop issues through Quay itself. Numbers come from the caller's counter,
the lookup code is derived locally, nothing goes over the network; the shop transmits the stored XML
to the tax authority through its own channel."""
from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping

from chalicelib.core.errors import InvalidInput
from chalicelib.invoices.providers.base import CancelRequest, InvoiceProvider, IssueRequest, ProviderResult


def lookup_code(seller_tax_code: str, series: str, number: int, transaction_id: str) -> str:
    """Ten characters the buyer types to look the invoice up; the same inputs give the same code, so a
    retried issue gives the same answer."""
    digest = hashlib.sha256(f"{seller_tax_code}|{series}|{number}|{transaction_id}".encode()).digest()
    return base64.b32encode(digest).decode()[:10]


class ManualProvider(InvoiceProvider):
    name = "manual"
    numbers_locally = True

    def issue(self, request: IssueRequest, xml: bytes | None, credentials: Mapping[str, str],
              transaction_id: str) -> ProviderResult:
        if not request.number:
            raise InvalidInput("Hóa đơn tự phát hành cần số hóa đơn từ bộ đếm",
                               errors=[{"field": "number", "message": "Bắt buộc với nhà cung cấp manual"}])
        seller = request.draft.seller.tax_code
        return ProviderResult(self.name, transaction_id, request.number, request.symbol.series, request.template_code,
                              lookup_code(seller, request.symbol.series, request.number, transaction_id),
                              raw={"provider": self.name, "xml_bytes": len(xml or b"")})

    def lookup(self, transaction_id: str, credentials: Mapping[str, str], *, seller_tax_code: str) -> None:
        return None  # the shop's own storage is the only record

    def cancel(self, request: CancelRequest, credentials: Mapping[str, str], *, seller_tax_code: str) -> dict:
        return {"provider": self.name, "canceled": request.invoice.number, "reason": request.reason}
