"""Every carrier status in ONE table: our shipment state and the order action it triggers.
Pure, no I/O. A status not in the table keeps its raw value and maps to no state and no action.

Shipment states (PRODUCT.md, plus the carrier's own progress): ready_to_ship (booked, waiting for
pickup), handed_over (the carrier has the parcel), delivering, problem (pickup or delivery failed,
lost, damaged), returning, delivered, returned, canceled. Order actions are those of
chalicelib/orders/rules.py: hand_over (deducts on_hand), complete, return (received=False while
the parcel is on its way back, True once it is back), None = only the shipment changes.

Sources: GHN "Order status" list (api.ghn.vn docs, id=48); GHTK "Webhook" status table
(docs.giaohangtietkiem.vn, codes -1..21 and the shipper-reported 45, 49, 123, 127, 128, 410);
Viettel Post ORDER_STATUS codes as used by public integrations (see providers/viettel_post.py)."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ShipmentState(str, Enum):
    ready_to_ship = "ready_to_ship"
    handed_over = "handed_over"
    delivering = "delivering"
    problem = "problem"
    returning = "returning"
    delivered = "delivered"
    returned = "returned"
    canceled = "canceled"


@dataclass(frozen=True)
class StatusRule:
    state: ShipmentState | None
    order_action: str | None          # "hand_over", "complete", "return" or None
    label: str                        # the carrier's meaning, in Vietnamese
    received: bool | None = None      # for "return": is the parcel back at the shop?
    final: bool = False


@dataclass(frozen=True)
class Mapped:
    carrier: str
    raw: str
    state: ShipmentState | None
    order_action: str | None
    label: str
    received: bool | None = None
    final: bool = False


S = ShipmentState
_WAIT = (S.ready_to_ship, None)
_PICKED = (S.handed_over, "hand_over")
_ON_WAY = (S.handed_over, None)
_DELIVERING = (S.delivering, None)
_PROBLEM = (S.problem, None)
_DELIVERED = (S.delivered, "complete")
_CANCELED = (S.canceled, None)


def _rule(kind: tuple, label: str, *, received: bool | None = None, final: bool = False) -> StatusRule:
    return StatusRule(kind[0], kind[1], label, received, final)


def _returning(label: str) -> StatusRule:
    return StatusRule(S.returning, "return", label, received=False)


def _returned(label: str) -> StatusRule:
    return StatusRule(S.returned, "return", label, received=True, final=True)


TABLE: dict[tuple[str, str], StatusRule] = {
    # --- GHN ------------------------------------------------------------------------------
    ("ghn", "ready_to_pick"): _rule(_WAIT, "Mới tạo đơn, chờ lấy hàng"),
    ("ghn", "picking"): _rule(_WAIT, "Nhân viên đang lấy hàng"),
    ("ghn", "money_collect_picking"): _rule(_WAIT, "Đang tương tác với người gửi"),
    ("ghn", "cancel"): _rule(_CANCELED, "Hủy đơn hàng", final=True),
    ("ghn", "picked"): _rule(_PICKED, "Lấy hàng thành công"),
    ("ghn", "storing"): _rule(_ON_WAY, "Hàng đang nằm ở kho"),
    ("ghn", "transporting"): _rule(_ON_WAY, "Đang luân chuyển hàng"),
    ("ghn", "sorting"): _rule(_ON_WAY, "Đang phân loại hàng hóa"),
    ("ghn", "delivering"): _rule(_DELIVERING, "Nhân viên đang giao cho người nhận"),
    ("ghn", "money_collect_delivering"): _rule(_DELIVERING, "Nhân viên đang tương tác với người nhận"),
    ("ghn", "delivered"): _rule(_DELIVERED, "Giao hàng thành công", final=True),
    ("ghn", "delivery_fail"): _rule(_PROBLEM, "Giao hàng thất bại"),
    ("ghn", "waiting_to_return"): _rule(_PROBLEM, "Đang đợi trả hàng về cho người gửi (giao lại trong 24/48h)"),
    ("ghn", "return"): _returning("Trả hàng"),
    ("ghn", "return_transporting"): _returning("Đang luân chuyển hàng trả"),
    ("ghn", "return_sorting"): _returning("Đang phân loại hàng trả"),
    ("ghn", "returning"): _returning("Nhân viên đang đi trả hàng"),
    ("ghn", "return_fail"): _rule(_PROBLEM, "Trả hàng thất bại"),
    ("ghn", "returned"): _returned("Trả hàng thành công"),
    ("ghn", "exception"): _rule(_PROBLEM, "Đơn hàng ngoại lệ không nằm trong quy trình"),
    ("ghn", "damage"): _rule(_PROBLEM, "Hàng bị hư hỏng"),
    ("ghn", "lost"): _rule(_PROBLEM, "Hàng bị mất"),
    # --- GHTK (status_id) -----------------------------------------------------------------
    ("ghtk", "-1"): _rule(_CANCELED, "Hủy đơn hàng", final=True),
    ("ghtk", "1"): _rule(_WAIT, "Chưa tiếp nhận"),
    ("ghtk", "2"): _rule(_WAIT, "Đã tiếp nhận"),
    ("ghtk", "12"): _rule(_WAIT, "Đã điều phối lấy hàng/Đang lấy hàng"),
    ("ghtk", "8"): _rule(_WAIT, "Hoãn lấy hàng"),
    ("ghtk", "128"): _rule(_WAIT, "Shipper báo delay lấy hàng"),
    ("ghtk", "7"): _rule(_PROBLEM, "Không lấy được hàng"),
    ("ghtk", "127"): _rule(_PROBLEM, "Shipper (nhân viên lấy/giao hàng) báo không lấy được hàng"),
    ("ghtk", "3"): _rule(_PICKED, "Đã lấy hàng/Đã nhập kho"),
    ("ghtk", "123"): _rule(_PICKED, "Shipper báo đã lấy hàng"),
    ("ghtk", "4"): _rule(_DELIVERING, "Đã điều phối giao hàng/Đang giao hàng"),
    ("ghtk", "10"): _rule(_DELIVERING, "Delay giao hàng"),
    ("ghtk", "410"): _rule(_DELIVERING, "Shipper báo delay giao hàng"),
    ("ghtk", "45"): _rule(_DELIVERING, "Shipper báo đã giao hàng (chờ GHTK xác nhận)"),
    ("ghtk", "5"): _rule(_DELIVERED, "Đã giao hàng/Chưa đối soát", final=True),
    ("ghtk", "6"): _rule(_DELIVERED, "Đã đối soát", final=True),
    ("ghtk", "9"): _rule(_PROBLEM, "Không giao được hàng"),
    ("ghtk", "49"): _rule(_PROBLEM, "Shipper báo không giao được giao hàng"),
    ("ghtk", "13"): _rule(_PROBLEM, "Đơn hàng bồi hoàn"),
    ("ghtk", "20"): _returning("Đang trả hàng (COD cầm hàng đi trả)"),
    ("ghtk", "21"): _returned("Đã trả hàng (COD đã trả xong hàng)"),
    ("ghtk", "11"): _returned("Đã đối soát công nợ trả hàng"),
    # --- Viettel Post (ORDER_STATUS) ------------------------------------------------------
    ("viettel_post", "-100"): _rule(_WAIT, "Đơn hàng mới tạo, chưa duyệt"),
    ("viettel_post", "-108"): _rule(_WAIT, "Đơn gửi tại bưu cục"),
    ("viettel_post", "100"): _rule(_WAIT, "Tiếp nhận đơn hàng"),
    ("viettel_post", "102"): _rule(_WAIT, "Đơn hàng đang xử lý"),
    ("viettel_post", "103"): _rule(_WAIT, "Giao bưu cục nhận hàng"),
    ("viettel_post", "104"): _rule(_WAIT, "Giao bưu tá đi nhận"),
    ("viettel_post", "101"): _rule(_CANCELED, "Viettel Post yêu cầu hủy đơn", final=True),
    ("viettel_post", "106"): _rule(_PROBLEM, "Đối tác yêu cầu lấy lại hàng"),
    ("viettel_post", "107"): _rule(_CANCELED, "Đối tác yêu cầu hủy qua API", final=True),
    ("viettel_post", "201"): _rule(_CANCELED, "Hủy nhập phiếu gửi", final=True),
    ("viettel_post", "503"): _rule(_CANCELED, "Hủy - theo yêu cầu khách hàng", final=True),
    ("viettel_post", "105"): _rule(_PICKED, "Bưu tá đã nhận hàng"),
    ("viettel_post", "200"): _rule(_PICKED, "Nhận từ bưu tá - bưu cục gốc"),
    **{("viettel_post", code): _rule(_ON_WAY, label) for code, label in (
        ("202", "Sửa phiếu gửi"), ("300", "Đang vận chuyển"), ("301", "Đóng túi gói"), ("302", "Đóng chuyến thư"),
        ("303", "Đóng tuyến xe"), ("400", "Nhận bảng kê đến"), ("401", "Nhận túi gói"), ("402", "Nhận chuyến thư"),
        ("403", "Nhận chuyến xe"), ("509", "Chuyển tiếp bưu cục khác"))},
    ("viettel_post", "500"): _rule(_DELIVERING, "Giao bưu tá đi phát"),
    ("viettel_post", "508"): _rule(_DELIVERING, "Đơn vị yêu cầu phát tiếp"),
    ("viettel_post", "550"): _rule(_DELIVERING, "Khách hàng yêu cầu phát tiếp"),
    ("viettel_post", "501"): _rule(_DELIVERED, "Phát thành công", final=True),
    ("viettel_post", "505"): _rule(_PROBLEM, "Tồn - thông báo chuyển hoàn"),
    ("viettel_post", "506"): _rule(_PROBLEM, "Tồn - khách hàng không có nhà"),
    ("viettel_post", "507"): _rule(_PROBLEM, "Tồn - khách hàng đến bưu cục nhận"),
    ("viettel_post", "510"): _rule(_PROBLEM, "Hủy phân công phát"),
    ("viettel_post", "515"): _returning("Bưu cục phát duyệt hoàn"),
    ("viettel_post", "502"): _returning("Chuyển hoàn bưu cục gốc"),
    ("viettel_post", "551"): _returning("Đang chuyển hoàn"),
    ("viettel_post", "504"): _returned("Hoàn thành công - chuyển trả người gửi"),
}


def map_status(carrier: str, raw: str | int | None) -> Mapped:
    """Our state and order action for a carrier status; unknown statuses map to None/None and keep `raw`."""
    key = str(raw).strip() if raw is not None else ""
    if carrier == "ghn":
        key = key.lower()
    rule = TABLE.get((carrier, key))
    if rule is None:
        return Mapped(carrier, key, None, None, "Trạng thái chưa biết")
    return Mapped(carrier, key, rule.state, rule.order_action, rule.label, rule.received, rule.final)


def known(carrier: str) -> list[str]:
    return [raw for (code, raw) in TABLE if code == carrier]
