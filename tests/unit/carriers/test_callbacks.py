"""Callback verification and parsing, per carrier, with the shapes from the carriers' docs."""
import json

import pytest

from chalicelib.carriers.providers.base import ForgedCallback, callback_url
from chalicelib.carriers.providers.ghn import GhnCarrier
from chalicelib.carriers.providers.viettel_post import ViettelPostCarrier
from chalicelib.carriers.statuses import ShipmentState, map_status

GHN_DOC = {"CODAmount": 3000000, "CODTransferDate": None, "ClientOrderCode": "", "ConvertedWeight": 200,
           "Description": "Tạo đơn hàng", "Fee": {"CODFailedFee": 0, "CODFee": 0, "Insurance": 17500, "MainService": 53900},
           "Height": 10, "IsPartialReturn": False, "Length": 10, "OrderCode": "Z82BS", "PartialReturnCode": "",
           "PaymentType": 1, "Reason": "", "ReasonCode": "", "ShopID": 81558, "Status": "ready_to_pick",
           "Time": "2021-11-11T03:52:50.158Z", "TotalFee": 71400, "Type": "create",
           "Warehouse": "Bưu Cục 229 Quan Nhân-Q.Thanh Xuân-HN", "Weight": 10, "Width": 10}
JSON = {"Content-Type": "application/json"}


def ghn(shop_id=81558):
    return GhnCarrier("token", shop_id)


def test_ghn_doc_sample_parses_and_maps():
    event = ghn().parse_callback(JSON, json.dumps(GHN_DOC).encode(), "k3y", query={"hash": "k3y"})
    assert (event.tracking_number, event.client_code, event.carrier_status) == ("Z82BS", None, "ready_to_pick")
    assert event.cod_collected is None  # not delivered yet
    assert map_status("ghn", event.carrier_status).state is ShipmentState.ready_to_ship


def test_ghn_secret_may_come_as_header():
    assert ghn().parse_callback({**JSON, "X-Quay-Secret": "k3y"}, json.dumps(GHN_DOC).encode(), "k3y").tracking_number


@pytest.mark.parametrize("query,secret", [({}, "k3y"), ({"hash": "k3y "}, "k3y"), ({"hash": "x"}, "k3y"),
                                          ({"hash": ""}, ""), ({"hash": "k3y"}, "")])
def test_ghn_without_the_account_secret_is_forged(query, secret):
    with pytest.raises(ForgedCallback):
        ghn().parse_callback(JSON, json.dumps(GHN_DOC).encode(), secret, query=query)


def test_ghn_for_another_shop_is_forged():
    with pytest.raises(ForgedCallback):
        ghn(shop_id=885).parse_callback(JSON, json.dumps(GHN_DOC).encode(), "k3y", query={"hash": "k3y"})


def test_ghn_without_order_code_is_forged():
    body = {**GHN_DOC, "OrderCode": ""}
    with pytest.raises(ForgedCallback):
        ghn().parse_callback(JSON, json.dumps(body).encode(), "k3y", query={"hash": "k3y"})


def test_viettel_post_callback():
    body = {"DATA": {"ORDER_NUMBER": "1000000123", "ORDER_REFERENCE": "O-1-S1", "ORDER_STATUSDATE": "02/12/2026 10:15:00",
                     "ORDER_STATUS": 501, "STATUS_NAME": "Phát thành công", "MONEY_COLLECTION": 250000, "MONEY_TOTAL": 30000},
            "TOKEN": "ignored"}
    event = ViettelPostCarrier("t").parse_callback(JSON, json.dumps(body).encode(), "k3y", query={"hash": "k3y"})
    assert (event.tracking_number, event.client_code, event.carrier_status, event.cod_collected) == (
        "1000000123", "O-1-S1", "501", 250000)
    assert event.at.isoformat() == "2026-12-02T03:15:00+00:00"
    assert map_status("viettel_post", event.carrier_status).order_action == "complete"


def test_callback_url_carries_the_secret():
    assert callback_url("https://quay.vn/", "ghtk", "CA1", "a b") == "https://quay.vn/api/v1/webhooks/carriers/ghtk/CA1?hash=a+b"
