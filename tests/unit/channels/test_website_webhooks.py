"""Website webhooks: Shopify-style (Shopify, Haravan, Sapo), WooCommerce and generic Quay signatures."""
import base64
import hashlib
import hmac
import json

import pytest

from chalicelib.channels.providers import adapter_for, settings_from_env
from chalicelib.channels.providers.base import Unsupported
from tests.unit.channels import samples

SECRET = "whsec-123"


def b64(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def website(platform: str):
    return adapter_for("website", settings_from_env("website", {}, platform=platform, webhook_secret=SECRET))


@pytest.mark.parametrize("platform, header", [
    ("shopify", "X-Shopify-Hmac-Sha256"), ("haravan", "X-Haravan-Hmac-Sha256"), ("sapo", "X-Sapo-Hmac-Sha256"),
    ("woocommerce", "X-WC-Webhook-Signature"),
])
def test_base64_hmac_styles_good_bad_and_missing(platform, header):
    adapter = website(platform)
    order = samples.woocommerce_order() if platform == "woocommerce" else samples.shopify_order()
    body = json.dumps(order, ensure_ascii=False).encode()
    assert adapter.verify_webhook({header: b64(body)}, body)
    assert adapter.verify_webhook({header.lower(): b64(body)}, body)
    assert not adapter.verify_webhook({header: b64(body, "other-secret")}, body)
    assert not adapter.verify_webhook({header: b64(body)}, body.replace(b"727", b"728").replace(b"5001", b"5002"))
    assert not adapter.verify_webhook({header: ""}, body)
    assert not adapter.verify_webhook({}, body)
    event = adapter.parse_webhook(body)
    assert event.kind == "order" and event.order.external_id == str(order["id"]) and event.order.channel == "website"


def test_woocommerce_does_not_accept_a_shopify_header():
    body = json.dumps(samples.woocommerce_order()).encode()
    assert not website("woocommerce").verify_webhook({"X-Shopify-Hmac-Sha256": b64(body)}, body)


def test_generic_quay_signature_good_bad_and_missing():
    adapter = website("generic")
    body = json.dumps(samples.quay_order(), ensure_ascii=False).encode()
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert adapter.verify_webhook({"X-Quay-Signature": f"sha256={digest}"}, body)
    assert adapter.verify_webhook({"x-quay-signature": f"sha256={digest.upper()}"}, body)
    assert not adapter.verify_webhook({"X-Quay-Signature": digest}, body)                  # scheme missing
    assert not adapter.verify_webhook({"X-Quay-Signature": f"sha1={digest}"}, body)
    assert not adapter.verify_webhook({"X-Quay-Signature": f"sha256={'0' * 64}"}, body)
    assert not adapter.verify_webhook({}, body)
    assert adapter.parse_webhook(body).order.totals.total == 165000


def test_a_website_has_nothing_to_pull_or_push():
    adapter = website("shopify")
    with pytest.raises(Unsupported):
        adapter.pull_orders(None, None)
    with pytest.raises(Unsupported):
        adapter.push_stock(None, 1)
