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


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    environment = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]))
    environment.filters.update(vnd=vnd, local_time=local_time)
    return environment


def render(name: str, **context) -> str:
    return _environment().get_template(name).render(**context)
