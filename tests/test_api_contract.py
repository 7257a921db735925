"""Property-based contract test: requests generated from the OpenAPI document, sent to the local
gateway as a signed-in owner. No answer may be a 500, and every answer must be documented and
match its schema. The generation is derandomized, so the run is the same every time."""
import threading

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

import app as _registered_routes  # noqa: F401 - the document lists the routes app.py registers
from chalicelib.core.openapi import build_document
from infra import dynamodb_local
from tests.conftest import unique_email

schema = schemathesis.openapi.from_dict(build_document())
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection, missing_required_header]


@pytest.fixture(scope="module")
def live_api(app, dynamodb):
    """The local gateway on a free port, and a fresh shop's owner with a product and some stock."""
    import requests

    from infra.server import build

    port = dynamodb_local.free_port()
    server = build(app, "127.0.0.1", port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    email = unique_email("contract")
    requests.post(f"{url}/api/v1/signup", json={"shop_name": "Contract", "owner_name": "O", "owner_email": email,
                                                "owner_password": "mai-vang-2026"}, timeout=10)
    token = requests.post(f"{url}/api/v1/auth/login", json={"email": email, "password": "mai-vang-2026"},
                          timeout=10).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    location = requests.post(f"{url}/api/v1/locations", json={"name": "Kho", "kind": "warehouse"},
                             headers=headers, timeout=10).json()["id"]
    requests.post(f"{url}/api/v1/products", json={"name": "P", "variants": [{"sku": "0", "price": 1000}]},
                  headers=headers, timeout=10)
    requests.post(f"{url}/api/v1/stock/receipts", json={"location_id": location, "lines": [{"sku": "0", "quantity": 50}]},
                  headers=headers, timeout=10)
    yield url, headers
    server.shutdown()


@schema.parametrize()
@settings(max_examples=8, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_route_keeps_its_contract(case, live_api):
    url, headers = live_api
    case.call_and_validate(base_url=url, headers=headers, checks=CHECKS, timeout=30)
