"""The per-buyer confirmation after a live: default template, money and local time, and shop-edited
templates that must not reach Python internals or spin the CPU."""
from datetime import UTC, datetime

import pytest

from chalicelib.core.errors import InvalidInput
from chalicelib.live.messages import default_template, local_time, render_buyer_message, validate_template

LINES = [{"name": "Áo thun", "variant": "Đỏ M", "sku": "TS-RED-M", "code": "A1", "quantity": 2, "unit_price": 625000},
         {"name": "Mũ bucket", "sku": "HAT-1", "code": "C2", "quantity": 1, "unit_price": 99000}]
HOLD = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)  # 21:30 in Hồ Chí Minh City


def render(**overrides):
    args = {"buyer_name": "Chị Lan", "shop_name": "Tiệm Mây", "lines": LINES, "hold_expires_at": HOLD,
            "payment": "Chuyển khoản Vietcombank 0123456789, nội dung DH123", "shipping_fee": 30000}
    return render_buyer_message(**{**args, **overrides})


def test_default_message_has_greeting_lines_total_payment_and_local_hold_time():
    text = render()
    assert text.startswith("Chào Chị Lan, Tiệm Mây")
    assert "- Áo thun (Đỏ M) x2: 1.250.000 ₫" in text
    assert "- Mũ bucket x1: 99.000 ₫" in text
    assert "Phí giao hàng: 30.000 ₫" in text
    assert "Tổng cộng: 1.379.000 ₫" in text
    assert "Thanh toán: Chuyển khoản Vietcombank 0123456789, nội dung DH123" in text
    assert "21:30 23/11/2026" in text


def test_optional_parts_disappear_when_empty():
    text = render(shipping_fee=0, payment="", hold_expires_at=None)
    assert "Phí giao hàng" not in text and "Thanh toán" not in text and "giữ hàng" not in text
    assert "Tổng cộng: 1.349.000 ₫" in text


def test_local_time_crosses_midnight_into_the_next_local_day():
    assert local_time(datetime(2026, 11, 23, 18, 5, tzinfo=UTC)) == "01:05 24/11/2026"
    assert local_time(datetime(2026, 11, 23, 18, 5)) == "01:05 24/11/2026"  # naive = UTC


def test_shop_edited_template():
    template = ("{{ buyer_name }} ơi, đơn {{ order_code }}: "
                "{% for l in lines %}{{ l.code }}x{{ l.quantity }} {% endfor %}= {{ total|vnd }}")
    assert render(template=template, order_code="DH9").strip() == "Chị Lan ơi, đơn DH9: A1x2 C2x1 = 1.379.000 ₫"


def test_money_must_be_integer_vnd():
    with pytest.raises(InvalidInput):
        render(lines=[{"name": "Áo", "quantity": 1, "unit_price": 99.5}])
    with pytest.raises(InvalidInput):
        render(shipping_fee="30000")
    with pytest.raises(InvalidInput):
        render(lines=[{"name": "Áo", "quantity": 0, "unit_price": 1000}])


@pytest.mark.parametrize("template", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ lines.__class__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ self._TemplateReference__context }}",
    "{{ lines.append(1) }}",
    "{{ lines.pop() }}",
    "{{ 9 ** 9 ** 9 }}",
    "{{ 'x' * 1000000000 }}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{% for a in lines recursive %}{{ loop(lines) }}{% endfor %}",
    "{% for a in range(99) %}{% for b in range(99) %}{% for c in range(99) %}{% endfor %}{% endfor %}{% endfor %}",
    "{% for a in range(100000) %}{% for b in range(100000) %}xxxxxxxx{% endfor %}{% endfor %}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{{ buyer_nam }}",
    "{% for line in lines %}",
    "{{ total | nosuchfilter }}",
    "x" * 5000,
])
def test_templates_that_reach_internals_or_break_are_invalid_input(template):
    with pytest.raises(InvalidInput) as refused:
        render(template=template)
    assert refused.value.errors[0]["field"] == "template"
    assert refused.value.detail


def test_validate_template_accepts_the_default_and_refuses_internals():
    validate_template(default_template())
    with pytest.raises(InvalidInput):
        validate_template("{{ ''.__class__ }}")
