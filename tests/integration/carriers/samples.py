"""A shipment request as the packer books it, shared by the carrier tests."""
from dataclasses import replace

from chalicelib.carriers.providers.base import Address, CarrierPlace, Item, ShipmentRequest, Viewing
from chalicelib.core.outbound import RetryPolicy

FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.01, budget_seconds=2.0)

SHOP = Address(name="Shop Thử", phone="0911222333", street="590 CMT8", province_name="TP. Hồ Chí Minh",
               ward_name="Phường Bến Thành", district_name="Quận 1")
BUYER = Address(name="Nguyễn Văn A", phone="0987654321", street="72 Thành Thái", province_name="Hồ Chí Minh",
                ward_name="Phường 14", district_name="Quận 10", province_code="79", ward_code="26740")


def shipment_request(client_code: str = "O-1001-S1", **changes) -> ShipmentRequest:
    request = ShipmentRequest(
        client_code=client_code, sender=SHOP, recipient=BUYER, weight_g=1200,
        items=[Item("Áo thun", 2, 100000, "TS-M", 300), Item("Quần jean", 1, 250000, "QJ-30", 600)],
        cod_amount=450000, insurance_value=450000, note="Gọi trước khi giao", viewing=Viewing.view_only,
        payer="buyer", sender_place=CarrierPlace(202, 1442, "20109"), recipient_place=CarrierPlace(202, 1452, "21014"))
    return replace(request, **changes)
