"""GHN adapter against a fake GHN that checks Token/ShopId and required fields like GHN does."""
import pytest

from chalicelib.carriers.providers.base import (
    CachedMasterData,
    CarrierAuthFailed,
    CarrierRejected,
    CarrierUnavailable,
    book_once,
    match_address,
)
from chalicelib.carriers.providers.ghn import GhnCarrier
from tests.fakes.server import FakeServer
from tests.integration.carriers.fakes import LOST, FakeGhn
from tests.integration.carriers.samples import BUYER, FAST_RETRY, shipment_request

pytestmark = pytest.mark.no_database  # fake servers only

CREATE = "/shiip/public-api/v2/shipping-order/create"


@pytest.fixture
def ghn():
    fake = FakeGhn()
    with FakeServer(fake) as server:
        yield fake, server, GhnCarrier("ghn-token", 885, base_url=server.url, read_retry=FAST_RETRY, timeout=2)


def test_quote_lists_each_service_with_fee_and_lead_time_and_skips_routes_it_does_not_serve(ghn):
    fake, server, carrier = ghn
    quotes = carrier.quote(shipment_request())
    assert [(q.service, q.service_name, q.fee) for q in quotes] == [("53320", "Chuẩn", 36300)]
    assert quotes[0].expected_delivery.isoformat() == "2020-06-26T16:00:00+00:00"
    fee_call = next(r for r in server.requests if r.path.endswith("/fee"))
    assert fee_call.headers["token"] == "ghn-token" and fee_call.headers["shopid"] == "885"
    assert fee_call.json()["to_district_id"] == 1452 and fee_call.json()["to_ward_code"] == "21014"
    assert fee_call.json()["cod_value"] == 450000


def test_quote_retries_429_and_5xx(ghn):
    fake, server, carrier = ghn
    fake.fail("/shiip/public-api/v2/shipping-order/available-services", 429, 502)
    assert carrier.quote(shipment_request())
    assert server.paths().count("/shiip/public-api/v2/shipping-order/available-services") == 3


def test_book_sends_our_shipment_id_as_client_order_code(ghn):
    fake, server, carrier = ghn
    booking = carrier.book(shipment_request())
    sent = next(r for r in server.requests if r.path == CREATE).json()
    assert sent["client_order_code"] == "O-1001-S1"
    assert sent["required_note"] == "CHOXEMHANGKHONGTHU" and sent["payment_type_id"] == 2
    assert sent["cod_amount"] == 450000 and sent["to_ward_code"] == "21014" and sent["service_type_id"] == 2
    assert booking.tracking_number in fake.orders and booking.fee == 33000 and booking.sort_code == "19-60-06"


def test_wrong_token_is_an_auth_error_with_a_vietnamese_message(ghn):
    fake, server, _ = ghn
    carrier = GhnCarrier("expired", 885, base_url=server.url, read_retry=FAST_RETRY)
    with pytest.raises(CarrierAuthFailed) as caught:
        carrier.quote(shipment_request())
    assert "token" in caught.value.detail.lower() and "Token is not valid" in caught.value.reason


def test_wrong_shop_id_and_bad_field_are_rejected_with_ghn_reason(ghn):
    fake, server, _ = ghn
    with pytest.raises(CarrierRejected) as caught:
        GhnCarrier("ghn-token", 1, base_url=server.url).book(shipment_request())
    assert caught.value.carrier_code == "SHOP_NOT_FOUND" and "Giao Hàng Nhanh" in caught.value.detail
    assert not fake.orders


def test_create_is_never_resent_blindly_on_5xx(ghn):
    fake, server, carrier = ghn
    fake.fail(CREATE, 503)
    with pytest.raises(CarrierUnavailable):
        carrier.book(shipment_request())
    assert server.paths().count(CREATE) == 1


def test_lost_answer_then_retry_books_one_parcel(ghn):
    fake, server, carrier = ghn
    fake.fail(CREATE, LOST)
    first = book_once(carrier, shipment_request())
    again = book_once(carrier, shipment_request())
    assert len(fake.orders) == 1 and server.paths().count(CREATE) == 1
    assert first.tracking_number == again.tracking_number == next(iter(fake.orders))


def test_a_retry_after_a_failed_attempt_finds_the_parcel_instead_of_booking_again(ghn):
    fake, server, carrier = ghn
    fake.fail(CREATE, LOST)
    fake.fail("/shiip/public-api/v2/shipping-order/detail-by-client-code", None, 500, 500, 500)
    with pytest.raises(CarrierUnavailable):
        book_once(carrier, shipment_request())  # created, but GHN would not say so
    booking = book_once(carrier, shipment_request())
    assert len(fake.orders) == 1 and server.paths().count(CREATE) == 1
    assert booking.tracking_number in fake.orders


def test_find_by_client_code_none_when_unknown(ghn):
    _, _, carrier = ghn
    assert carrier.find_by_client_code("NOPE") is None


def test_cancel_then_track(ghn):
    fake, server, carrier = ghn
    booking = carrier.book(shipment_request())
    assert carrier.track(booking.tracking_number).carrier_status == "ready_to_pick"
    carrier.cancel(booking.tracking_number)
    assert carrier.track(booking.tracking_number).carrier_status == "cancel"
    with pytest.raises(CarrierRejected):
        carrier.cancel(booking.tracking_number)


def test_master_data_maps_a_two_level_address_and_caches(ghn):
    fake, server, carrier = ghn
    cache: dict = {}
    two_level = BUYER.__class__(**{**BUYER.__dict__, "district_name": None, "ward_name": "Phường Bến Nghé"})
    place = match_address(two_level, CachedMasterData(carrier, cache))
    assert (place.province_id, place.district_id, place.ward_id) == (202, 1442, "20107")
    calls = len(server.requests)
    match_address(two_level, CachedMasterData(carrier, cache))
    assert len(server.requests) == calls  # served from the cache


def test_callback_from_docs_verified_by_url_secret(ghn):
    _, _, carrier = ghn
    body = ('{"CODAmount": 3000000, "CODTransferDate": null, "ClientOrderCode": "O-1001-S1", "ConvertedWeight": 200,'
            ' "Description": "Giao hàng thành công", "Fee": {"MainService": 53900, "Insurance": 17500}, "Height": 10,'
            ' "IsPartialReturn": false, "Length": 10, "OrderCode": "Z82BS", "PartialReturnCode": "", "PaymentType": 1,'
            ' "Reason": "", "ReasonCode": "", "ShopID": 885, "Status": "delivered", "Time": "2021-11-11T03:52:50.158Z",'
            ' "TotalFee": 71400, "Type": "switch_status", "Warehouse": "Bưu Cục 229 Quan Nhân", "Weight": 10, "Width": 10}')
    event = carrier.parse_callback({"Content-Type": "application/json"}, body.encode(), "s3cret", query={"hash": "s3cret"})
    assert (event.tracking_number, event.client_code, event.carrier_status) == ("Z82BS", "O-1001-S1", "delivered")
    assert event.cod_collected == 3000000 and event.fee == 71400 and event.at.isoformat().startswith("2021-11-11T03:52:50")


def test_timeout_on_create_then_lookup_finds_the_parcel(ghn):
    fake, server, _ = ghn
    impatient = GhnCarrier("ghn-token", 885, base_url=server.url, read_retry=FAST_RETRY, timeout=0.2)
    fake.fail(CREATE, ("slow", 0.5))
    booking = book_once(impatient, shipment_request())
    assert len(fake.orders) == 1 and server.paths().count(CREATE) == 1 and booking.tracking_number in fake.orders
