"""E-invoices end to end against DynamoDB Local: settings, a draft from an order, issue (numbered here, or at a
fake Viettel S-Invoice), the counter under 50 concurrent issues, cancel, replace, adjust, one valid invoice per
order, the XML as sent, print, the buyer directory, another shop and staff limited to a location."""
import functools
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from chalicelib.core import clock
from chalicelib.core.errors import Contention
from chalicelib.core.principal import Principal
from chalicelib.core.roles import Role
from chalicelib.core.streams import Change
from chalicelib.flows import stream
from chalicelib.invoices import service as invoices
from chalicelib.invoices.providers import viettel
from chalicelib.invoices.schemas import InvoiceOut
from chalicelib.invoices.service import OrderAlreadyInvoiced
from chalicelib.invoices.xml import validation_errors
from chalicelib.orders import service as orders
from tests.conftest import unique_email
from tests.fakes.server import FakeServer
from tests.integration.invoices.fake_viettel import FakeViettel

YEAR = clock.now().year % 100
SERIES = f"C{YEAR:02d}TAA"
SELLER = {"name": "Công ty TNHH Quay", "tax_code": "0100109106", "address": "1 Hàng Bạc, Hoàn Kiếm, Hà Nội"}
COMPANY = {"name": "Nguyễn Văn A", "company": "Công ty TNHH X", "tax_code": "0100109106-505",
           "address": "12 Lê Lợi, Q1, TP HCM", "email": "ketoan@x.vn"}
PASSWORD = "mai-vang-2026"


def put_settings(owner, **overrides):
    body = {"seller": SELLER, "provider": "manual", "template_code": "1", "symbol": SERIES, "default_vat_rate": 10,
            **overrides}
    answer = owner.call("put", "/api/v1/invoice-settings", body)
    assert answer.status_code == 200, answer.body
    return answer.data


def counter_sale(store, quantity=2):
    owner = store["api"]
    owner.post("/api/v1/stock/receipts", {"location_id": store["store"], "lines": [{"sku": "TS-M", "quantity": quantity}]})
    sale = owner.post("/api/v1/orders", {"channel": "pos", "location_id": store["store"],
                                         "lines": [{"sku": "TS-M", "quantity": quantity}], "payment": {"method": "cash"}})
    assert sale.status_code == 201, sale.body
    return sale.data


def draft_for(owner, order_id, **body):
    answer = owner.post("/api/v1/invoices", {"order_id": order_id, **body})
    assert answer.status_code == 201, answer.body
    return answer.data


def act(owner, invoice_id, action, body=None):
    return owner.post(f"/api/v1/invoices/{invoice_id}/actions/{action}", body or {})


def staff(owner, api, role, location_ids):
    email = unique_email(role)
    made = owner.post("/api/v1/staff", {"email": email, "name": role, "role": role, "password": PASSWORD,
                                        "location_ids": location_ids})
    assert made.status_code == 201, made.body
    return api.as_(api.post("/api/v1/auth/login", {"email": email, "password": PASSWORD}).data["access_token"])


def test_settings_keep_credentials_and_never_show_them(store):
    owner = store["api"]
    assert owner.get("/api/v1/invoice-settings").data == {"configured": False}
    saved = put_settings(owner, provider="viettel", template_code="1/001",
                         credentials={"username": "u", "password": "secret-1"}, api_base="https://sandbox.example.vn")
    shown = owner.get("/api/v1/invoice-settings")
    assert shown.status_code == 200 and shown.data == saved
    assert b"secret-1" not in shown.body and shown.data["credentials_set"] == ["password", "username"]
    again = put_settings(owner, provider="viettel", template_code="1/001")          # credentials kept
    assert again["credentials_set"] == ["password", "username"]
    bad = owner.call("put", "/api/v1/invoice-settings", {
        "seller": {**SELLER, "tax_code": "0100109107"}, "provider": "viettel", "template_code": "1",
        "symbol": "C26XAA", "api_base": "http://evil.example.com", "credentials": {}})
    assert bad.status_code == 400
    assert {e["field"] for e in bad.data["errors"]} >= {"seller.tax_code", "symbol", "api_base", "credentials.username"}
    assert owner.get("/api/v1/invoice-settings").data == again                       # nothing changed


def test_a_counter_sale_invoiced_printed_and_its_xml_valid(store):
    owner = store["api"]
    put_settings(owner)
    sale = counter_sale(store)
    draft = draft_for(owner, sale["id"], buyer=COMPANY)
    assert (draft["status"], draft["number"], draft["allowed_actions"]) == ("draft", None, ["issue"])
    assert draft["totals"] == {"before_vat": 181_818, "vat": 18_182, "total": 200_000,
                               "total_in_words": "Hai trăm nghìn đồng"}
    assert [(x["name"], x["quantity"], x["vat_rate"]) for x in draft["lines"]] == [("Áo thun", 2, "10%")]
    issued = act(owner, draft["id"], "issue")
    assert issued.status_code == 200, issued.body
    invoice = issued.data
    assert (invoice["status"], invoice["symbol"], invoice["number"]) == ("issued", "1" + SERIES, 1)
    assert invoice["lookup_code"] and invoice["issued_at"]
    assert owner.get(f"/api/v1/invoices/{draft['id']}").data == invoice
    xml = owner.get(f"/api/v1/invoices/{draft['id']}/xml")
    assert xml.status_code == 200 and xml.headers["content-type"].startswith("application/xml")
    assert validation_errors(xml.body) == []
    assert b"<SHDon>1</SHDon>" in xml.body and "Công ty TNHH X".encode() in xml.body
    for size, marker in (("a4", "Ngày"), ("80mm", "/")):
        page = owner.get(f"/api/v1/invoices/{draft['id']}/print?size={size}")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        text = page.body.decode()
        assert invoice["lookup_code"] in text and "<svg" in text and "Hai trăm nghìn đồng" in text and marker in text
    found = owner.get("/api/v1/invoice-buyers/0100109106-505")
    assert found.status_code == 200 and found.data["company"] == "Công ty TNHH X"
    assert owner.get("/api/v1/invoice-buyers/0100109106").status_code == 404
    assert act(owner, draft["id"], "issue").status_code == 409                     # issued once
    InvoiceOut.model_validate(invoice)                                           # the documented shape
    put_settings(owner, seller={**SELLER, "name": "Tên mới của shop"})
    assert owner.get(f"/api/v1/invoices/{draft['id']}/xml").body == xml.body      # kept exactly as sent
    assert "Công ty TNHH Quay" in owner.get(f"/api/v1/invoices/{draft['id']}/print").body.decode()


def test_a_replayed_issue_answers_the_same_and_issues_once(store):
    owner = store["api"]
    put_settings(owner)
    draft = draft_for(owner, counter_sale(store)["id"])
    key = {"Idempotency-Key": "issue-once-1"}
    first = owner.post(f"/api/v1/invoices/{draft['id']}/actions/issue", {}, headers=key)
    again = owner.post(f"/api/v1/invoices/{draft['id']}/actions/issue", {}, headers=key)
    assert first.status_code == again.status_code == 200
    assert again.headers.get("idempotent-replayed") == "true" and again.data == first.data
    other = draft_for(owner, counter_sale(store)["id"])
    assert act(owner, other["id"], "issue").data["number"] == 2                    # no number was used twice


def test_drafts_raced_for_one_order_leave_one(store):
    owner = store["api"]
    put_settings(owner)
    sale = counter_sale(store)
    principal = Principal(store["tenant_id"], store["owner_id"], Role.owner)

    def attempt(_):
        try:
            return invoices.create(principal, {"order_id": sale["id"]})["id"]
        except OrderAlreadyInvoiced as refused:
            return ("refused", refused.extra["invoice_id"])

    with ThreadPoolExecutor(max_workers=5) as pool:
        results = list(pool.map(attempt, range(5)))
    made = [r for r in results if isinstance(r, str)]
    assert len(made) == 1 and all(r == ("refused", made[0]) for r in results if not isinstance(r, str))
    assert [x["id"] for x in owner.get("/api/v1/invoices").data["items"]] == made


def test_the_list_filters_by_day_and_status(store):
    owner = store["api"]
    put_settings(owner)
    draft = draft_for(owner, counter_sale(store)["id"])
    today = clock.now().date()
    assert [x["id"] for x in owner.get(f"/api/v1/invoices?from={today}&to={today}").data["items"]] == [draft["id"]]
    assert owner.get(f"/api/v1/invoices?to={today - timedelta(days=1)}").data["items"] == []
    assert owner.get("/api/v1/invoices?status=issued").data["items"] == []
    assert owner.get("/api/v1/invoices?from=0").status_code == 400


def test_an_order_has_at_most_one_valid_invoice(store):
    owner = store["api"]
    put_settings(owner)
    sale = counter_sale(store)
    first = draft_for(owner, sale["id"])
    twice = owner.post("/api/v1/invoices", {"order_id": sale["id"]})
    assert twice.status_code == 409 and twice.data["code"] == "order_already_invoiced"
    assert twice.data["invoice_id"] == first["id"]
    act(owner, first["id"], "issue")
    assert act(owner, first["id"], "cancel", {}).status_code == 400                # a reason is required
    canceled = act(owner, first["id"], "cancel", {"reason": "Khách đổi ý"})
    assert canceled.status_code == 200 and canceled.data["status"] == "canceled"
    assert canceled.data["cancel_reason"] == "Khách đổi ý"
    second = draft_for(owner, sale["id"])                                         # a canceled one no longer counts
    assert act(owner, second["id"], "issue").data["number"] == 2
    listed = owner.get("/api/v1/invoices?status=canceled").data["items"]
    assert [x["id"] for x in listed] == [first["id"]]
    assert {x["id"] for x in owner.get("/api/v1/invoices").data["items"]} == {first["id"], second["id"]}


def test_replace_and_adjust_keep_the_links(store):
    owner = store["api"]
    put_settings(owner)
    sale = counter_sale(store)
    original = draft_for(owner, sale["id"])
    act(owner, original["id"], "issue")
    replaced = act(owner, original["id"], "replace", {"reason": "Sai tên người mua", "buyer": COMPANY})
    assert replaced.status_code == 200, replaced.body
    new = replaced.data
    assert (new["kind"], new["status"], new["number"]) == ("replacement", "issued", 2)
    assert new["link"]["kind"] == "replaces" and new["link"]["invoice_id"] == original["id"]
    old = owner.get(f"/api/v1/invoices/{original['id']}").data
    assert (old["status"], old["replaced_by"]) == ("replaced", new["id"])
    assert b"<TCHDon>1</TCHDon>" in owner.get(f"/api/v1/invoices/{new['id']}/xml").body
    assert owner.post("/api/v1/invoices", {"order_id": sale["id"]}).data["invoice_id"] == new["id"]
    adjusted = act(owner, new["id"], "adjust", {"reason": "Thiếu phí gói quà", "adjustment_kind": "money",
                                                "lines": [{"name": "Gói quà", "unit_price": 11_000}]})
    assert adjusted.status_code == 200, adjusted.body
    assert (adjusted.data["kind"], adjusted.data["totals"]["total"], adjusted.data["link"]["kind"]) == \
        ("adjustment", 11_000, "adjusts")
    assert owner.get(f"/api/v1/invoices/{new['id']}").data["adjusted_by"] == [adjusted.data["id"]]
    assert act(owner, original["id"], "replace", {"reason": "again"}).status_code == 409


def test_fifty_concurrent_issues_take_numbers_one_to_fifty(store):
    owner = store["api"]
    put_settings(owner)
    owner.post("/api/v1/stock/receipts", {"location_id": store["store"], "lines": [{"sku": "TS-M", "quantity": 50}]})
    drafts = []
    for _ in range(50):
        sale = owner.post("/api/v1/orders", {"channel": "pos", "location_id": store["store"],
                                             "lines": [{"sku": "TS-M", "quantity": 1}]}).data
        drafts.append(draft_for(owner, sale["id"])["id"])
    principal = Principal(store["tenant_id"], store["owner_id"], Role.owner)
    start = threading.Barrier(10)

    def issue(invoice_id, first=False):
        if first:
            start.wait()
        while True:                          # 503 Contention is safe to retry; nothing was written
            try:
                return invoices.act(principal, invoice_id, "issue", {})["number"]
            except Contention:
                continue

    with ThreadPoolExecutor(max_workers=10) as pool:
        numbers = list(pool.map(lambda pair: issue(pair[1], pair[0] < 10), enumerate(drafts)))
    assert sorted(numbers) == list(range(1, 51))
    stored = sorted(owner.get(f"/api/v1/invoices/{x}").data["number"] for x in drafts)
    assert stored == list(range(1, 51))


def test_another_shop_sees_nothing_and_staff_stay_at_their_locations(api, store):
    owner = store["api"]
    put_settings(owner)
    owner.post("/api/v1/stock/receipts", {"location_id": store["warehouse"], "lines": [{"sku": "TS-M", "quantity": 2}]})
    online = owner.post("/api/v1/orders", {"channel": "website", "customer": {"name": "B", "phone": "0901234567"},
                                           "shipping_address": {"text": "1 Lê Lợi"},
                                           "lines": [{"sku": "TS-M", "quantity": 1}]}).data
    owner.post(f"/api/v1/orders/{online['id']}/actions/confirm", {"location_id": store["warehouse"]})
    at_warehouse = draft_for(owner, online["id"])
    at_store = draft_for(owner, counter_sale(store)["id"])
    for invoice in (at_warehouse, at_store):
        act(owner, invoice["id"], "issue")

    email = unique_email()
    api.post("/api/v1/signup", {"shop_name": "Shop Khác", "owner_name": "B", "owner_email": email,
                                "owner_password": "secret-pass-1"})
    other = api.as_(api.post("/api/v1/auth/login", {"email": email, "password": "secret-pass-1"}).data["access_token"])
    put_settings(other)
    for path in (f"/api/v1/invoices/{at_store['id']}", f"/api/v1/invoices/{at_store['id']}/xml",
                 f"/api/v1/invoices/{at_store['id']}/print"):
        assert other.get(path).status_code == 404
    assert other.post("/api/v1/invoices", {"order_id": at_store["order_id"]}).status_code == 404
    assert act(other, at_store["id"], "cancel", {"reason": "x"}).status_code == 404
    assert other.get("/api/v1/invoices").data["items"] == []

    accountant = staff(owner, api, "accountant", [store["store"]])
    assert accountant.get(f"/api/v1/invoices/{at_store['id']}").status_code == 200
    assert accountant.get(f"/api/v1/invoices/{at_warehouse['id']}").status_code == 403
    assert act(accountant, at_warehouse["id"], "cancel", {"reason": "x"}).status_code == 403
    assert [x["id"] for x in accountant.get("/api/v1/invoices").data["items"]] == [at_store["id"]]
    cashier = staff(owner, api, "cashier", [])
    assert cashier.get("/api/v1/invoices").status_code == 403
    assert owner.get(f"/api/v1/invoices/{at_warehouse['id']}").data["status"] == "issued"


def test_counter_sales_issue_by_themselves_once(store):
    owner = store["api"]
    system = Principal.system(store["tenant_id"])
    sale = counter_sale(store)
    assert invoices.issue_for_order(system, sale["id"]) is None                     # not set up
    put_settings(owner, auto_issue_pos=True)
    first = invoices.issue_for_order(system, sale["id"])
    again = invoices.issue_for_order(system, sale["id"])                          # the stream record again
    assert first["status"] == "issued" and again["id"] == first["id"] and again["number"] == first["number"]
    assert len(owner.get("/api/v1/invoices").data["items"]) == 1


# --- Viettel S-Invoice ------------------------------------------------------------------------------
@pytest.fixture
def fake():
    viettel._tokens.clear()
    state = FakeViettel(templates={SERIES: "1/001"})
    with FakeServer(state) as server:
        state.server = server
        yield state
    viettel._tokens.clear()


def viettel_shop(owner, fake):
    put_settings(owner, provider="viettel", template_code="1/001", api_base=fake.server.url,
                 credentials={"username": fake.username, "password": fake.password})


def test_viettel_issue_a_lost_answer_retried_then_cancel(store, fake, monkeypatch):
    owner = store["api"]
    viettel_shop(owner, fake)
    draft = draft_for(owner, counter_sale(store)["id"], buyer=COMPANY)
    # the invoice is made, its answer comes after we stopped waiting (the shop's adapter waits 1 s here)
    monkeypatch.setattr(viettel, "ViettelProvider", functools.partial(viettel.ViettelProvider, timeout=1.0))
    fake.slow_creates, fake.delay = 1, 3.0
    lost = act(owner, draft["id"], "issue")
    assert lost.status_code == 503 and lost.data["code"] == "invoice_provider_unavailable"
    assert owner.get(f"/api/v1/invoices/{draft['id']}").data["status"] == "draft"
    retried = act(owner, draft["id"], "issue")
    assert retried.status_code == 200, retried.body
    invoice = retried.data
    assert len(fake.created()) == 1                              # looked up by transaction id, not sent twice
    made = fake.created()[0]
    assert (invoice["number"], invoice["lookup_code"], invoice["symbol"]) == (1, made["reservationCode"], "1" + SERIES)
    assert made["body"]["generalInvoiceInfo"]["transactionUuid"] == invoice["transaction_id"]
    assert validation_errors(owner.get(f"/api/v1/invoices/{draft['id']}/xml").body) == []
    canceled = act(owner, draft["id"], "cancel", {"reason": "Hàng trả lại toàn bộ"})
    assert canceled.status_code == 200, canceled.body
    assert made["state"] == "canceled" and made["cancel"]["reasonDelete"] == "Hàng trả lại toàn bộ"
    assert made["cancel"]["strIssueDate"] == str(made["issueDate"])


def test_viettel_replace_sends_the_link(store, fake):
    owner = store["api"]
    viettel_shop(owner, fake)
    original = draft_for(owner, counter_sale(store)["id"])
    act(owner, original["id"], "issue")
    replaced = act(owner, original["id"], "replace", {"reason": "Sai mã số thuế", "buyer": COMPANY})
    assert replaced.status_code == 200, replaced.body
    assert replaced.data["number"] == 2 and len(fake.created()) == 2
    general = fake.created()[1]["body"]["generalInvoiceInfo"]
    assert (general["adjustmentType"], general["originalInvoiceId"]) == ("3", f"{SERIES}1")
    assert owner.get(f"/api/v1/invoices/{original['id']}").data["status"] == "replaced"


def test_viettel_refusal_is_a_conflict_naming_its_code(store, fake):
    owner = store["api"]
    viettel_shop(owner, fake)
    fake.templates = {}
    draft = draft_for(owner, counter_sale(store)["id"])
    refused = act(owner, draft["id"], "issue")
    assert refused.status_code == 409 and refused.data["provider_code"] == "INVOICE_SERIAL_NOT_FOUND"
    assert "Ký hiệu hóa đơn không tồn tại" in refused.data["provider_detail"]      # the provider's own words
    in_vietnamese = owner.post(f"/api/v1/invoices/{draft['id']}/actions/issue", {}, headers={"Accept-Language": "vi"})
    assert in_vietnamese.data["detail"] == "Nhà cung cấp hóa đơn điện tử từ chối yêu cầu (INVOICE_SERIAL_NOT_FOUND)."
    assert owner.get(f"/api/v1/invoices/{draft['id']}").data["status"] == "draft"
    fake.templates = {SERIES: "1/001"}                            # the shop registers the symbol, tries again
    issued = act(owner, draft["id"], "issue")
    assert issued.status_code == 200 and issued.data["number"] == 1 and len(fake.created()) == 1


def test_a_refused_automatic_issue_stays_on_the_draft(store, fake):
    owner = store["api"]
    viettel_shop(owner, fake)
    owner.call("put", "/api/v1/invoice-settings", {
        "seller": SELLER, "provider": "viettel", "template_code": "1/001", "symbol": SERIES, "auto_issue_pos": True,
        "api_base": fake.server.url})
    fake.templates = {}                                             # the symbol is not registered at Viettel
    system = Principal.system(store["tenant_id"])
    sale = counter_sale(store)
    noted = invoices.issue_for_order(system, sale["id"])
    assert noted["status"] == "draft" and noted["last_error"]["extra"]["provider_code"] == "INVOICE_SERIAL_NOT_FOUND"
    assert owner.get(f"/api/v1/invoices/{noted['id']}").data["last_error"]["code"] == "provider_refused"
    fake.templates = {SERIES: "1/001"}
    issued = invoices.issue_for_order(system, sale["id"])            # the next record of the order
    assert (issued["id"], issued["status"], len(fake.created())) == (noted["id"], "issued", 1)
    assert "last_error" not in issued


def test_a_counter_sale_is_invoiced_by_itself_once(store, drain):
    """auto_issue_pos: the stream handler issues the sale's invoice; the record delivered again changes nothing."""
    owner = store["api"]
    put_settings(owner, auto_issue_pos=True)
    sale = counter_sale(store)
    assert owner.get("/api/v1/invoices").data["items"] == []  # nothing until the stream delivers the sale
    drain(store["tenant_id"])
    issued = owner.get("/api/v1/invoices").data["items"]
    assert [(i["order_id"], i["status"], i["number"]) for i in issued] == [(sale["id"], "issued", 1)]
    order = orders.get(Principal.system(store["tenant_id"]), sale["id"])
    from chalicelib.core.clock import now
    replay = Change("INSERT", f"SHOP#{store['tenant_id']}#ORDER#{sale['id']}", "ORDER",
                    {"order_id": sale["id"], "channel": "pos", "status": order["status"]}, None, "1", now())
    assert stream.dispatch([replay])["failed"] == []
    assert len(owner.get("/api/v1/invoices").data["items"]) == 1
