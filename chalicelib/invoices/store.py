"""E-invoice items: settings, invoices (+ the XML as sent), the per-symbol counter, the one-invoice-per-order
pointer and the buyer directory. Key layout: docs/invoices.md#storage (built in core/keys.py)."""
from pynamodb.attributes import (
    BinaryAttribute,
    BooleanAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    VersionAttribute,
)

from chalicelib.core.table import Gsi1, Item


class InvoiceSettingsItem(Item):
    """pk=SHOP#<tenant> sk=INVOICESETTINGS. `credentials` (JSON) is written, never read into an answer."""
    seller = UnicodeAttribute()                 # JSON {name, tax_code, address, phone?, email?}
    provider = UnicodeAttribute()
    template_code = UnicodeAttribute()
    symbol = UnicodeAttribute()
    default_vat_rate = UnicodeAttribute()
    auto_issue_pos = BooleanAttribute(default=False)
    credentials = UnicodeAttribute(null=True)
    api_base = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute()


class InvoiceItem(Item):
    """pk=SHOP#<tenant>#INVOICE#<id> sk=INVOICE; gsi1 (SHOP#<tenant>#INVOICES, created#id) lists by date.
    `body` is the answer (JSON); `source` what the draft was built from, so issuing rebuilds it on its date."""
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    by_date = Gsi1()
    invoice_id = UnicodeAttribute()
    order_id = UnicodeAttribute()
    status = UnicodeAttribute()
    location_ids = UnicodeSetAttribute(null=True)
    body = UnicodeAttribute()
    source = UnicodeAttribute()
    created_at = UnicodeAttribute()
    version = VersionAttribute()


class InvoiceXmlItem(Item):
    """pk=SHOP#<tenant>#INVOICE#<id> sk=XML: the bytes as built and sent, never rewritten."""
    xml = BinaryAttribute(legacy_encoding=False)


class InvoiceCounterItem(Item):
    """pk=SHOP#<tenant>#INVCOUNTER#<seller tax code>#<symbol> sk=COUNTER: the last number issued."""
    last = NumberAttribute()


class OrderInvoiceItem(Item):
    """pk=SHOP#<tenant>#ORDERINVOICE#<order> sk=INVOICE: the order's one valid invoice."""
    invoice_id = UnicodeAttribute()


class InvoiceBuyerItem(Item):
    """pk=SHOP#<tenant>#INVBUYER sk=TAX#<tax code>: a company this shop invoiced, for the lookup."""
    buyer = UnicodeAttribute()                  # JSON {name, company, tax_code, address, email}
    updated_at = UnicodeAttribute()
