"""The stored form of an order document: what is written reads back the same, old items still read,
stream images read in both the forms a stream can carry, and an order stays small."""
import base64
import json

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.orders import codec

ORDER = {"id": "01M8W03BPSRF6E9TBHMD18PMP7", "channel": "facebook", "external_id": None, "status": "confirmed",
         "customer": {"name": "Chị Hoa", "phone": "+84901234567", "id": "01M8W03BPTWZPB1C19VVP703NA"},
         "lines": [{"sku": "SKU-1", "name": "Áo thun", "variant": "Đỏ / M", "product_id": "01M8W03B2NZSSZRXMB2RJV2DT4",
                    "linked": True, "quantity": 1, "unit_price": 100000, "discount": 0, "backorder": 0,
                    "total": 100000}],
         "shipping_address": {"name": "Chị Hoa", "phone": "0901234567", "text": "1 Lê Lợi, Q1"},
         "payment": {"method": "cod", "status": "unpaid", "amount_paid": 0}, "shipping_fee": 0, "discount": 0,
         "subtotal": 100000, "total": 100000, "note": "Giao giờ hành chính", "tags": [],
         "sold_by": "01M8W03AMVJQ7EJHR3AFEVNXZV", "handled_by": None, "location_id": "01M8W03B152Z88NQ0VVAPDFG5E",
         "warnings": [], "shipments": [{"id": "01M8W03BPSRF6E9TBHMD18PMP7-S1", "location_id": "01M8W03B152Z88NQ0VVAPDFG5E",
                                        "reservation_id": "01M8W03BPSRF6E9TBHMD18PMP7-S1.P2JEPBFZ", "reserved": True,
                                        "status": "created", "carrier": None, "tracking_number": None,
                                        "cod_amount": None, "weight_grams": None,
                                        "lines": [{"sku": "SKU-1", "quantity": 1, "scanned": 0}],
                                        "created_at": "2026-12-02T18:26:04.334295Z"}],
         "hold": None, "returned_lines": [],
         "timeline": [{"at": "2026-12-02T18:26:04.122121Z", "staff_id": "01M8W03AMVJQ7EJHR3AFEVNXZV",
                       "action": "create", "from": "", "to": "new", "via": "api", "note": None},
                      {"at": "2026-12-02T18:26:04.334395Z", "staff_id": "01M8W03AMVJQ7EJHR3AFEVNXZV",
                       "action": "confirm", "from": "new", "to": "confirmed", "via": "api", "note": None}],
         "created_at": "2026-12-02T18:26:04.121873Z", "updated_at": "2026-12-02T18:26:04.334965Z"}

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                    max_leaves=30)


@given(st.dictionaries(st.text(), JSON, max_size=8))
def test_any_document_reads_back_as_written(document):
    assert codec.decode(codec.encode(document)) == document


def test_a_confirmed_order_is_stored_in_a_third_of_its_json():
    stored = codec.encode(ORDER)
    assert stored[0] == 1  # the dictionary it was packed with
    assert len(stored) * 3 < len(json.dumps(ORDER, ensure_ascii=False).encode())


def test_items_saved_before_the_codec_still_read():
    assert codec.from_attributes(None, json.dumps(ORDER)) == ORDER
    assert codec.from_attributes(codec.encode(ORDER), None) == ORDER


def test_stream_images_read_as_bytes_or_as_a_lambda_events_base64():
    stored = codec.encode(ORDER)
    for doc in (stored, base64.b64encode(stored).decode()):
        image = {"doc": doc, "order_id": ORDER["id"], "status": "packing", "version": 3}
        assert codec.is_order_image(image)
        assert codec.of_image(image) == {**ORDER, "status": "packing"}  # the item's status wins
    assert not codec.is_order_image({"order_id": "x"}) and not codec.is_order_image(None)
