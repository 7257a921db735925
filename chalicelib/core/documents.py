"""Printable documents rendered with jinja2 (loaded on first use, autoescaped). Each area keeps
its templates in its own folder; a template is named by its path under chalicelib/, e.g.
`orders/templates/receipt.html`."""
from functools import lru_cache
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent  # chalicelib/


def vnd(amount: int | None) -> str:
    """1250000 -> '1.250.000 ₫'"""
    return f"{int(amount or 0):,}".replace(",", ".") + " ₫"


def local_time(iso: str, zone: str = "Asia/Ho_Chi_Minh") -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(ZoneInfo(zone))
    return moment.strftime("%d/%m/%Y %H:%M")


PAYMENT_METHODS_VI = {"cash": "Tiền mặt", "bank_transfer": "Chuyển khoản", "cod": "Thu hộ (COD)", "card": "Thẻ",
                      "e_wallet": "Ví điện tử"}


def payment_method(method: str | None) -> str:
    return PAYMENT_METHODS_VI.get(method or "", method or "")


def barcode(text: str | None):
    """A scannable Code 128 of `text`, as inline SVG (safe markup: the encoder escapes the label)."""
    from markupsafe import Markup

    from chalicelib.core import barcodes

    return Markup(barcodes.svg(str(text))) if text else ""


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    environment = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]))
    environment.filters.update(vnd=vnd, local_time=local_time, payment_method=payment_method, barcode=barcode)
    return environment


def render(name: str, **context) -> str:
    return _environment().get_template(name).render(**context)
