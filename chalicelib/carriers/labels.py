"""Printable shipping labels (A6 and 80 mm thermal), one label or a batch as one document with a
page break after each label. jinja2 with autoescape (chalicelib/core/documents.py); the Code 128
barcode of the tracking number is inline SVG built by code128.py (marked safe: it escapes its text)."""
from __future__ import annotations

from dataclasses import dataclass

from chalicelib.carriers.providers.base import LabelData

TEMPLATES = {"a6": "carriers/templates/label_a6.html", "80mm": "carriers/templates/label_80mm.html"}
MODULE_PX = {"a6": 1.6, "80mm": 1.4}  # width of one barcode module, in CSS px, per paper


@dataclass(frozen=True)
class Shop:
    name: str
    phone: str = ""


def _template(size: str) -> str:
    try:
        return TEMPLATES[size]
    except KeyError:
        from chalicelib.core.errors import InvalidInput

        raise InvalidInput("Unknown label size.", errors=[{"field": "size", "message": "a6 or 80mm"}]) from None


def render_labels(labels: list[LabelData], shop: Shop, size: str = "a6") -> str:
    """One HTML document with every label, each on its own page."""
    from markupsafe import Markup

    from chalicelib.core import barcodes as code128
    from chalicelib.core.documents import render

    template = _template(size)
    pages = [{"label": label, "barcode": Markup(code128.svg(label.tracking_number, module=MODULE_PX[size]))}
             for label in labels]
    return render(template, pages=pages, shop=shop, size=size)


def render_label(label: LabelData, shop: Shop, size: str = "a6") -> str:
    return render_labels([label], shop, size)
