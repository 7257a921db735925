"""The Viettel S-Invoice adapter against a fake S-Invoice server (tests/integration/invoices/fake_viettel.py)."""
from datetime import UTC, date, datetime
from urllib.parse import parse_qs

import pytest

from chalicelib.core.errors import InvalidInput
from chalicelib.invoices import rules
from chalicelib.invoices.providers import provider_for, viettel
from chalicelib.invoices.providers.base import (
    CancelRequest,
    IssuedRef,
    IssueRequest,
    ProviderError,
    ProviderUnavailable,
)
from tests.fakes.server import FakeServer
from tests.integration.invoices.fake_viettel import API, FakeViettel

pytestmark = pytest.mark.no_database  # fake servers only

SELLER = {"name": "Cửa hàng Quay", "tax_code": "0100109106", "address": "1 Hàng Bạc, Hà Nội", "email": "shop@quay.vn"}
BUYER = {"name": "Nguyễn Văn A", "company": "Công ty TNHH X", "tax_code": "0100109106-505", "address": "Q1, TP HCM"}
CREDENTIALS = {"username": "0100109106-509", "password": "2wsx#CDE"}
SYMBOL = rules.parse_symbol("C25TAA", template_code="1/001")
ISSUED_AT = datetime(2025, 8, 1, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_tokens():
    viettel._tokens.clear()
    yield
    viettel._tokens.clear()


@pytest.fixture
def fake():
    state = FakeViettel()
    with FakeServer(state) as server:
        state.server = server
        yield state


def provider(fake, **kwargs) -> viettel.ViettelProvider:
    return viettel.ViettelProvider(fake.server.url, **kwargs)


def draft(**overrides):
    order = {"lines": [{"name": "Áo thun", "quantity": 2, "unit_price": 165_000, "discount": 10_000, "sku": "AO1"},
                       {"name": "Sách", "quantity": 1, "unit_price": 50_000, "vat_rate": "KCT"}],
             "discount": 20_000, "shipping_fee": 30_000, **overrides}
    return rules.build_invoice_draft(order, SELLER, BUYER, default_vat_rate=10, on_date=date(2025, 8, 1))


def request(the_draft=None, symbol=SYMBOL) -> IssueRequest:
    return IssueRequest(the_draft or draft(), symbol, ISSUED_AT, provider_template="1/001")


def test_issue_logs_in_sends_the_documented_body_and_reads_the_answer(fake):
    result = provider(fake).issue(request(), None, CREDENTIALS, "uuid-1")
    assert (result.number, result.series, result.template_code, result.lookup_code, result.tax_authority_code,
            result.provider_invoice_no) == (1, "C25TAA", "1/001", "RSV00001", "00CQT000001", "C25TAA1")
    paths = fake.server.paths()
    assert paths == ["/auth/login", API + "/searchInvoiceByTransactionUuid", API + "/createInvoice/0100109106"]
    login, search, create = fake.server.requests
    assert login.json() == CREDENTIALS
    assert search.headers["cookie"] == "access_token=token-1" == create.headers["cookie"]
    assert parse_qs(search.body.decode()) == {"supplierTaxCode": ["0100109106"], "transactionUuid": ["uuid-1"]}
    body = create.json()
    general = body["generalInvoiceInfo"]
    assert (general["transactionUuid"], general["templateCode"], general["invoiceSeries"], general["adjustmentType"],
            general["invoiceIssuedDate"], general["currencyCode"]) == ("uuid-1", "1/001", "C25TAA", "1",
                                                                       1754017200000, "VND")
    assert body["buyerInfo"]["buyerTaxCode"] == "0100109106-505" and body["buyerInfo"]["buyerNotGetInvoice"] == 0
    assert body["sellerInfo"]["sellerTaxCode"] == "0100109106"
    assert [(i["selection"], i["taxPercentage"]) for i in body["itemInfo"]] == [(1, 10), (1, -2), (1, 10), (3, 10), (3, -2)]
    assert body["itemInfo"][3]["isIncreaseItem"] is False
    assert body["summarizeInfo"]["totalAmountWithTax"] == 380_000
    assert body["summarizeInfo"]["totalAmountWithTaxInWords"] == "Ba trăm tám mươi nghìn đồng"
    assert [(t["taxPercentage"], t["taxableAmount"], t["taxAmount"]) for t in body["taxBreakdowns"]] == \
        [(10, 302_457, 30_246), (-2, 47_297, 0)]
    assert len(fake.created()) == 1


def test_token_is_reused_then_renewed_when_expired(fake):
    adapter = provider(fake)
    adapter.issue(request(), None, CREDENTIALS, "uuid-1")
    adapter.issue(request(), None, CREDENTIALS, "uuid-2")
    assert fake.logins == 1
    fake.expire_tokens()                      # Viettel answers 500 {"message": "GENERAL"}
    result = adapter.issue(request(), None, CREDENTIALS, "uuid-3")
    assert result.number == 3 and fake.logins == 2


def test_timeout_then_retry_creates_exactly_one_invoice(fake):
    fake.slow_creates, fake.delay = 1, 1.0
    adapter = provider(fake, timeout=0.3)
    with pytest.raises(ProviderUnavailable):
        adapter.issue(request(), None, CREDENTIALS, "uuid-lost")
    assert len(fake.created()) == 1           # Viettel made it; we never heard back
    result = adapter.issue(request(), None, CREDENTIALS, "uuid-lost")
    assert (result.number, result.lookup_code, result.provider_invoice_no) == (1, "RSV00001", "C25TAA1")
    assert len(fake.created()) == 1
    creates = [p for p in fake.server.paths() if "/createInvoice/" in p]
    assert len(creates) == 1                  # the retry looked it up instead of sending again
    assert fake.server.paths()[-1] == API + "/searchInvoiceByTransactionUuid"


def test_gateway_error_then_retry(fake):
    fake.failing_creates = 1
    adapter = provider(fake)
    with pytest.raises(ProviderUnavailable):
        adapter.issue(request(), None, CREDENTIALS, "uuid-5")
    assert fake.created() == []
    assert adapter.issue(request(), None, CREDENTIALS, "uuid-5").number == 1
    assert len(fake.created()) == 1


def test_uuid_already_used_answer_is_resolved_by_lookup(fake):
    adapter = provider(fake)
    first = adapter.issue(request(), None, CREDENTIALS, "uuid-6")
    fake.stale_searches = 1                   # the first lookup misses it; create answers TRANSACTION_UUID_INVALID
    again = adapter.issue(request(), None, CREDENTIALS, "uuid-6")
    assert again.provider_invoice_no == first.provider_invoice_no
    assert len(fake.created()) == 1
    assert [p.rsplit("/", 1)[-1] for p in fake.server.paths()[-3:]] == [
        "searchInvoiceByTransactionUuid", "0100109106", "searchInvoiceByTransactionUuid"]


def test_unknown_series_is_the_providers_error(fake):
    with pytest.raises(ProviderError) as caught:
        provider(fake).issue(request(symbol=rules.parse_symbol("1C25TZZ")), None, CREDENTIALS, "uuid-7")
    assert caught.value.code == "INVOICE_SERIAL_NOT_FOUND" and caught.value.status == 400
    assert "Ký hiệu hóa đơn không tồn tại" in caught.value.detail
    assert fake.created() == []


def test_bad_credentials(fake):
    with pytest.raises(ProviderError) as caught:
        provider(fake).issue(request(), None, {"username": CREDENTIALS["username"], "password": "wrong"}, "uuid-8")
    assert caught.value.code == "AUTH_FAILED" and "wrong" not in caught.value.detail
    with pytest.raises(InvalidInput):
        provider(fake).issue(request(), None, {"username": "x"}, "uuid-8")


def test_lookup_unknown_uuid_is_none(fake):
    assert provider(fake).lookup("nope", CREDENTIALS, seller_tax_code="0100109106") is None


def test_cancel(fake):
    adapter = provider(fake)
    issued = adapter.issue(request(), None, CREDENTIALS, "uuid-9")
    ref = IssuedRef(SYMBOL, issued.number, ISSUED_AT, provider_template="1/001",
                    provider_invoice_no=issued.provider_invoice_no)
    adapter.cancel(CancelRequest(ref, "Khách trả hàng", "Biên bản 01", date(2025, 8, 2)), CREDENTIALS,
                   seller_tax_code="0100109106")
    (invoice,) = fake.created()
    assert invoice["state"] == "canceled"
    assert invoice["cancel"]["reasonDelete"] == "Khách trả hàng"
    assert invoice["cancel"]["additionalReferenceDesc"] == "Biên bản 01"
    with pytest.raises(ProviderError) as caught:          # the second time Viettel refuses
        adapter.cancel(CancelRequest(ref, "again"), CREDENTIALS, seller_tax_code="0100109106")
    assert caught.value.code == "INVOICE_CANCELED"


def test_cancel_unknown_invoice(fake):
    ref = IssuedRef(SYMBOL, 99, ISSUED_AT, provider_template="1/001")
    with pytest.raises(ProviderError) as caught:
        provider(fake).cancel(CancelRequest(ref, "x"), CREDENTIALS, seller_tax_code="0100109106")
    assert caught.value.code == "NOT_FOUND_DATA"


def test_replace_issues_a_new_invoice_referencing_the_original(fake):
    adapter = provider(fake)
    original = adapter.issue(request(), None, CREDENTIALS, "uuid-10")
    issued = rules.IssuedInvoice("inv-1", "issued", SYMBOL.template_code, original.series, original.number,
                                 date(2025, 8, 1))
    replacing = rules.with_link(draft(shipping_fee=0), rules.link_to(issued, "replaces", "Sai phí vận chuyển"))
    result = adapter.replace(request(replacing), None, CREDENTIALS, "uuid-11")
    assert result.number == 2 and len(fake.created()) == 2
    general = fake.invoices["uuid-11"]["body"]["generalInvoiceInfo"]
    assert (general["adjustmentType"], general["originalInvoiceId"], general["originalTemplateCode"],
            general["additionalReferenceDesc"]) == ("3", "C25TAA1", "1/001", "Sai phí vận chuyển")
    assert general["originalInvoiceIssueDate"] == 1753981200000      # 1 August 2025 00:00 in Hà Nội
    assert "adjustmentInvoiceType" not in general
    assert rules.next_status(issued.status, "replace") == "replaced"


def test_adjust_sends_the_adjustment_kind(fake):
    adapter = provider(fake)
    original = adapter.issue(request(), None, CREDENTIALS, "uuid-12")
    issued = rules.IssuedInvoice("inv-1", "issued", "1", original.series, original.number, date(2025, 8, 1))
    adjusting = rules.with_link(draft(lines=[{"name": "Điều chỉnh giá áo", "quantity": 1, "unit_price": 11_000}],
                                      discount=0, shipping_fee=0),
                                rules.link_to(issued, "adjusts"), adjustment_kind="money")
    adapter.adjust(request(adjusting), None, CREDENTIALS, "uuid-13")
    general = fake.invoices["uuid-13"]["body"]["generalInvoiceInfo"]
    assert (general["adjustmentType"], general["adjustmentInvoiceType"], general["originalInvoiceId"]) == \
        ("5", "1", "C25TAA1")


def test_replace_without_a_link_sends_nothing(fake):
    with pytest.raises(InvalidInput):
        provider(fake).replace(request(), None, CREDENTIALS, "uuid-14")
    assert fake.server.requests == []


def test_base_url_is_a_setting():
    assert provider_for("viettel").base_url == viettel.DEFAULT_BASE_URL == "https://api-vinvoice.viettel.vn"
    assert provider_for("viettel", "http://127.0.0.1:9/").base_url == "http://127.0.0.1:9"
