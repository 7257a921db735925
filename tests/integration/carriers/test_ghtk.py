"""GHTK adapter against a fake GHTK that checks Token/X-Client-Source and the required order fields."""
import pytest

from chalicelib.carriers.providers.base import (
    CarrierAuthFailed,
    CarrierRejected,
    CarrierUnavailable,
    ForgedCallback,
    book_once,
)
from chalicelib.carriers.providers.ghtk import GhtkCarrier
from tests.fakes.server import FakeServer
from tests.integration.carriers.fakes import LOST, FakeGhtk
from tests.integration.carriers.samples import BUYER, FAST_RETRY, shipment_request

pytestmark = pytest.mark.no_database  # fake servers only

CREATE = "/services/shipment/order"


@pytest.fixture
def ghtk():
    fake = FakeGhtk()
    with FakeServer(fake) as server:
        yield fake, server, GhtkCarrier("ghtk-token", "S308157", base_url=server.url, read_retry=FAST_RETRY, timeout=2)


def test_quote_by_road_and_air_sends_names_and_grams(ghtk):
    fake, server, carrier = ghtk
    quotes = carrier.quote(shipment_request())
    assert [(q.service, q.fee) for q in quotes] == [("road", 30400), ("fly", 45000)]
    query = server.requests[0].query
    assert query["province"] == "Hồ Chí Minh" and query["district"] == "Quận 10" and query["weight"] == "1200"
    assert server.requests[0].headers["x-client-source"] == "S308157"


def test_quote_retries_5xx_then_answers(ghtk):
    fake, server, carrier = ghtk
    fake.fail("/services/shipment/fee", 500, 429)
    assert carrier.quote(shipment_request(service="road"))[0].fee == 30400
    assert server.paths().count("/services/shipment/fee") == 3


def test_quote_to_an_area_ghtk_does_not_serve_is_rejected(ghtk):
    _, _, carrier = ghtk
    unreachable = BUYER.__class__(**{**BUYER.__dict__, "province_name": "Hoàng Sa"})
    with pytest.raises(CarrierRejected):
        carrier.quote(shipment_request(recipient=unreachable))


def test_book_sends_partner_id_cod_and_viewing_tag(ghtk):
    fake, server, carrier = ghtk
    booking = carrier.book(shipment_request())
    sent = next(r for r in server.requests if r.path == CREATE)
    assert sent.query == {"ver": "1.5"}
    order = sent.json()["order"]
    assert order["id"] == "O-1001-S1" and order["pick_money"] == 450000 and order["tags"] == [10]
    assert order["is_freeship"] == "0" and order["weight_option"] == "gram" and order["hamlet"] == "Khác"
    assert booking.tracking_number.startswith("S1.A1.") and booking.fee == 30400
    assert booking.expected_delivery.isoformat() == "2017-07-01T17:00:00+00:00"


def test_missing_field_is_rejected_like_ghtk(ghtk):
    fake, _, carrier = ghtk
    no_phone = BUYER.__class__(**{**BUYER.__dict__, "phone": ""})
    with pytest.raises(CarrierRejected) as caught:
        carrier.book(shipment_request(recipient=no_phone))
    assert caught.value.carrier_code == "30101" and not fake.orders


def test_bad_token_is_401_auth_error(ghtk):
    _, server, _ = ghtk
    with pytest.raises(CarrierAuthFailed) as caught:
        GhtkCarrier("wrong", "S308157", base_url=server.url).quote(shipment_request())
    assert caught.value.carrier_code == "20101" and caught.value.status == 401


def test_order_id_already_used_returns_the_existing_parcel(ghtk):
    fake, server, carrier = ghtk
    first = carrier.book(shipment_request())
    second = carrier.book(shipment_request())
    assert first.tracking_number == second.tracking_number and len(fake.orders) == 1


def test_lost_answer_then_retry_books_one_parcel(ghtk):
    fake, server, carrier = ghtk
    fake.fail(CREATE, LOST)
    booking = book_once(carrier, shipment_request())
    assert len(fake.orders) == 1 and server.paths().count(CREATE) == 1
    assert booking.tracking_number in fake.orders
    assert "/services/shipment/v2/partner_id:O-1001-S1" in server.paths()


def test_create_5xx_without_parcel_stays_an_error(ghtk):
    fake, server, carrier = ghtk
    fake.fail(CREATE, 503)
    with pytest.raises(CarrierUnavailable):
        book_once(carrier, shipment_request())
    assert not fake.orders and server.paths().count(CREATE) == 1


def test_cancel_before_pickup_then_refused_after(ghtk):
    fake, _, carrier = ghtk
    booking = carrier.book(shipment_request())
    carrier.cancel(booking.tracking_number)
    assert carrier.track(booking.tracking_number).carrier_status == "-1"
    assert carrier.find_by_client_code("O-1001-S1") is None  # a canceled parcel is not a booking
    other = carrier.book(shipment_request("O-1002-S1"))
    fake.orders[other.tracking_number]["status"] = "3"
    with pytest.raises(CarrierRejected) as caught:
        carrier.cancel(f"partner_id:{other.client_code}")
    assert caught.value.carrier_code == "50102"


GHTK_FORM = ("label_id=S1.A1.17373471&partner_id=O-1001-S1&action_time=2016-11-02T12:18:39%2B07:00&status_id=5"
             "&reason_code=&reason=&weight=2.4&fee=15000&pick_money=100000&return_part_package=0")


def test_callback_form_from_docs(ghtk):
    _, _, carrier = ghtk
    event = carrier.parse_callback({"Content-Type": "application/x-www-form-urlencoded"}, GHTK_FORM.encode(),
                                   "s3cret", query={"hash": "s3cret"})
    assert (event.tracking_number, event.client_code, event.carrier_status) == ("S1.A1.17373471", "O-1001-S1", "5")
    assert event.cod_collected == 100000 and event.fee == 15000
    assert event.at.isoformat() == "2016-11-02T05:18:39+00:00"


@pytest.mark.parametrize("query", [{}, {"hash": "guess"}, {"hash": ""}])
def test_forged_callback_rejected(ghtk, query):
    _, _, carrier = ghtk
    with pytest.raises(ForgedCallback):
        carrier.parse_callback({"Content-Type": "application/x-www-form-urlencoded"}, GHTK_FORM.encode(), "s3cret",
                               query=query)
