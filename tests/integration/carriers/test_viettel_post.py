"""Viettel Post adapter: login, quote, book against a fake partner API."""
import pytest

from chalicelib.carriers.providers.base import BookingUncertain, CarrierAuthFailed, CarrierPlace, book_once
from chalicelib.carriers.providers.viettel_post import ViettelPostCarrier
from tests.fakes.server import FakeServer
from tests.integration.carriers.fakes import LOST, FakeViettelPost
from tests.integration.carriers.samples import FAST_RETRY, shipment_request

pytestmark = pytest.mark.no_database  # fake servers only

PLACES = {"sender_place": CarrierPlace(2, 43, 11440), "recipient_place": CarrierPlace(1, 1, 1)}


@pytest.fixture
def vtp():
    fake = FakeViettelPost()
    with FakeServer(fake) as server:
        yield fake, server, ViettelPostCarrier(username="0901234567", password="secret", base_url=server.url,
                                               read_retry=FAST_RETRY, timeout=2)


def test_logs_in_then_quotes_every_service(vtp):
    fake, server, carrier = vtp
    quotes = carrier.quote(shipment_request(**PLACES))
    assert server.paths()[0] == "/v2/user/Login"
    assert server.requests[1].headers["token"] == "vtp-token"
    assert [(q.service, q.fee, q.expected_text) for q in quotes] == [("VCN", 42000, "24 giờ"), ("LCOD", 28000, "72 giờ")]


def test_book_sends_our_code_as_order_number_and_collects_cod(vtp):
    fake, server, carrier = vtp
    booking = carrier.book(shipment_request(service="LCOD", **PLACES))
    sent = server.requests[-1].json()
    assert sent["ORDER_NUMBER"] == "O-1001-S1" and sent["ORDER_PAYMENT"] == 2 and sent["MONEY_COLLECTION"] == 450000
    assert sent["RECEIVER_PROVINCE"] == 1 and sent["ORDER_SERVICE"] == "LCOD"
    assert booking.tracking_number in fake.orders and booking.fee == 42000


def test_bad_password_is_an_auth_error(vtp):
    _, server, _ = vtp
    with pytest.raises(CarrierAuthFailed):
        ViettelPostCarrier(username="0901234567", password="nope", base_url=server.url).quote(shipment_request(**PLACES))


def test_expired_token_is_an_auth_error(vtp):
    _, server, _ = vtp
    with pytest.raises(CarrierAuthFailed):
        ViettelPostCarrier("old-token", base_url=server.url).quote(shipment_request(**PLACES))


def test_lost_create_answer_is_uncertain_and_not_resent(vtp):
    fake, server, carrier = vtp
    fake.fail("/v2/order/createOrder", LOST)
    with pytest.raises(BookingUncertain) as caught:
        book_once(carrier, shipment_request(**PLACES))
    assert "Kiểm tra trên trang quản lý của Viettel Post" in caught.value.detail
    assert server.paths().count("/v2/order/createOrder") == 1 and len(fake.orders) == 1
