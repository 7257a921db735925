"""The confirmation each buyer gets after the live: their lines, the total, how to pay and until when
the goods are held (shop's local time). The shop may edit the template, so it runs in jinja2's
immutable sandbox: no attribute starting with "_", no Python internals, no mutation, no huge `**`/`*`
results, a capped `range`, and a capped output length. Any template fault becomes InvalidInput."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from chalicelib.core.documents import vnd
from chalicelib.core.errors import InvalidInput

DEFAULT_TEMPLATE_PATH = Path(__file__).resolve().parent / "templates" / "buyer_message.txt.j2"
DEFAULT_ZONE = "Asia/Ho_Chi_Minh"
MAX_TEMPLATE_CHARS = 4000
MAX_OUTPUT_CHARS = 8000      # a chat message; Messenger caps a text at 2000 chars, Zalo similar
MAX_RANGE = 100
TEMPLATE_VARIABLES = ("shop_name", "buyer_name", "session_title", "lines", "subtotal", "shipping_fee", "total",
                      "payment", "hold_until", "order_code")  # lines: name, variant, sku, code, quantity, unit_price, amount


def default_template() -> str:
    return DEFAULT_TEMPLATE_PATH.read_text(encoding="utf-8")


def local_time(moment: datetime, zone: str = DEFAULT_ZONE) -> str:
    """UTC instant -> "21:30 23/11/2026" in the shop's zone (a naive datetime is taken as UTC)."""
    from datetime import UTC
    from zoneinfo import ZoneInfo

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone)).strftime("%H:%M %d/%m/%Y")


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

    class MessageEnvironment(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"**", "*"})

        def call_binop(self, context, operator, left, right):
            if operator == "**":
                raise SecurityError("the ** operator is not allowed in messages")
            if operator == "*":
                sizes = [len(v) for v in (left, right) if isinstance(v, str | list | tuple)]
                counts = [v for v in (left, right) if isinstance(v, int) and not isinstance(v, bool)]
                if sizes and counts and sizes[0] * max(counts) > MAX_OUTPUT_CHARS:
                    raise SecurityError("repeating text this much is not allowed in messages")
                if not sizes and any(abs(v) > 10**12 for v in counts):
                    raise SecurityError("number too large")
            return super().call_binop(context, operator, left, right)

    environment = MessageEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    environment.filters.update(vnd=vnd)
    environment.globals["range"] = lambda *args: range(*args)[:MAX_RANGE]
    return environment


def _money(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("Số tiền phải là số nguyên VND.", errors=[{"field": field, "message": "integer VND expected"}])
    return value


def _lines(lines: Iterable[Mapping[str, Any]]) -> list[dict]:
    out = []
    for index, line in enumerate(lines):
        quantity = line.get("quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
            raise InvalidInput("Số lượng không hợp lệ.",
                               errors=[{"field": f"lines[{index}].quantity", "message": "positive integer"}])
        unit_price = _money(line.get("unit_price"), f"lines[{index}].unit_price")
        out.append({"name": str(line.get("name") or line.get("sku") or ""), "variant": str(line.get("variant") or ""),
                    "sku": str(line.get("sku") or ""), "code": str(line.get("code") or ""), "quantity": quantity,
                    "unit_price": unit_price, "amount": unit_price * quantity})
    return out


def _template_error(error: Exception) -> InvalidInput:
    line = getattr(error, "lineno", None)
    where = f" (dòng {line})" if line else ""
    return InvalidInput(f"Mẫu tin nhắn không dùng được{where}: {error}",
                        errors=[{"field": "template", "message": f"{type(error).__name__}: {error}"}])


def _checked(source: str):
    """Parse the template and refuse what could spin the CPU without output: macros (recursion),
    recursive loops and loops nested more than two deep (`range` is capped, other loops walk data)."""
    from jinja2 import nodes

    tree = _environment().parse(source)
    if any(True for _ in tree.find_all((nodes.Macro, nodes.CallBlock))):
        raise InvalidInput("Mẫu tin nhắn không được dùng macro.", errors=[{"field": "template", "message": "macro not allowed"}])

    def depth(node, level: int = 0) -> int:
        if isinstance(node, nodes.For):
            if node.recursive:
                raise InvalidInput("Mẫu tin nhắn không được dùng vòng lặp đệ quy.",
                                   errors=[{"field": "template", "message": "recursive loop not allowed"}])
            level += 1
        return max([level, *(depth(child, level) for child in node.iter_child_nodes())])

    if depth(tree) > 2:
        raise InvalidInput("Mẫu tin nhắn lồng quá hai vòng lặp.",
                           errors=[{"field": "template", "message": "loops nested too deep"}])
    return tree


def render_buyer_message(*, buyer_name: str, lines: Iterable[Mapping[str, Any]], shop_name: str,
                         hold_expires_at: datetime | None = None, payment: str = "", shipping_fee: int = 0,
                         session_title: str = "", order_code: str = "", template: str | None = None,
                         zone: str = DEFAULT_ZONE) -> str:
    """Render one buyer's message; `template` is the shop's edited text (None = the default)."""
    from jinja2 import TemplateError

    source = default_template() if template is None else template
    if len(source) > MAX_TEMPLATE_CHARS:
        raise InvalidInput(f"Mẫu tin nhắn quá dài (tối đa {MAX_TEMPLATE_CHARS} ký tự).",
                           errors=[{"field": "template", "message": "too long"}])
    rendered_lines = _lines(lines)
    subtotal = sum(line["amount"] for line in rendered_lines)
    shipping = _money(shipping_fee, "shipping_fee")
    context = {"shop_name": shop_name, "buyer_name": buyer_name, "session_title": session_title, "lines": rendered_lines,
               "subtotal": subtotal, "shipping_fee": shipping, "total": subtotal + shipping, "payment": payment,
               "hold_until": local_time(hold_expires_at, zone) if hold_expires_at else "", "order_code": order_code}
    try:
        compiled = _environment().from_string(_checked(source))
        chunks: list[str] = []
        size = 0
        for chunk in compiled.generate(**context):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise InvalidInput(f"Tin nhắn quá dài (tối đa {MAX_OUTPUT_CHARS} ký tự).",
                                   errors=[{"field": "template", "message": "output too long"}])
            chunks.append(chunk)
    except InvalidInput:
        raise
    except TemplateError as error:  # syntax, undefined variable, sandbox SecurityError
        raise _template_error(error) from error
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError, RecursionError) as error:
        raise _template_error(error) from error
    return "".join(chunks).strip() + "\n"


def validate_template(template: str) -> None:
    """Check a shop's edited template before saving it, by rendering it with a sample order."""
    from datetime import UTC

    render_buyer_message(buyer_name="Lan", shop_name="Shop", template=template, payment="Chuyển khoản",
                         hold_expires_at=datetime(2026, 1, 1, tzinfo=UTC), session_title="Live", order_code="DH1",
                         lines=[{"name": "Áo thun", "variant": "Đỏ M", "sku": "TS-RED-M", "code": "A1", "quantity": 1,
                                 "unit_price": 150000}])
