"""Labels: A6 and 80 mm, barcode inline, COD formatted, text escaped, a batch with page breaks."""
from dataclasses import replace

import pytest

from chalicelib.carriers.labels import Shop, render_label, render_labels
from chalicelib.carriers.providers.base import Address, Booking, LabelData
from chalicelib.carriers.providers.ghn import GhnCarrier
from chalicelib.core import barcodes as code128
from chalicelib.core.errors import InvalidInput
from tests.integration.carriers.samples import shipment_request

SHOP = Shop("Shop <Thử>", "0911222333")


def label(tracking="GA0001XY", **changes) -> LabelData:
    request = shipment_request()
    booking = Booking("ghn", request.client_code, tracking, tracking, sort_code="19-60-06")
    return replace(GhnCarrier("t", 1).label_data(request, booking), **changes)


@pytest.mark.parametrize("size", ["a6", "80mm"])
def test_label_has_barcode_recipient_cod_shop_and_note(size):
    html = render_label(label(cod_amount=1250000), SHOP, size)
    assert code128.svg("GA0001XY", module=1.6 if size == "a6" else 1.4) in html
    assert "1.250.000 ₫" in html and "Nguyễn Văn A" in html and "0987654321" in html
    assert "72 Thành Thái, Phường 14, Quận 10, Hồ Chí Minh" in html
    assert "Shop &lt;Thử&gt;" in html and "0911222333" in html
    assert "Cho xem hàng, không cho thử" in html and "Gọi trước khi giao" in html and "19-60-06" in html


def test_buyer_text_is_escaped():
    evil = Address("<script>alert(1)</script>", "09", "<img src=x>", "Hà Nội", "Phường 1")
    html = render_label(label(recipient=evil), SHOP)
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "<img src=x>" not in html


def test_batch_is_one_document_with_a_page_per_label():
    html = render_labels([label("GA0001XY"), label("GA0002XY"), label("GA0003XY")], SHOP, "a6")
    assert html.count("<html") == 1 and html.count('<section class="label">') == 3
    assert "break-after: page" in html and all(t in html for t in ("GA0001XY", "GA0002XY", "GA0003XY"))


def test_unknown_size():
    with pytest.raises(InvalidInput):
        render_label(label(), SHOP, "a4")
