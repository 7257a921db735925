"""Test stack: one in-memory DynamoDB Local for the session, tables from infra/, a Chalice
test client. Every test signs up its own shop, so tests never share data."""
import os
import uuid

import pytest

from infra import dynamodb_local, provision

_PORT = dynamodb_local.free_port()
os.environ.update({
    "QUAY_STAGE": "local",
    "QUAY_TABLE": "quay-local",
    "QUAY_DYNAMODB_ENDPOINT": f"http://127.0.0.1:{_PORT}",
    "QUAY_TOKEN_SECRET": "test-secret-" + "x" * 32,
})
dynamodb_local.local_credentials()


UNIT_TESTS = os.path.join(os.path.dirname(__file__), "unit") + os.sep


@pytest.fixture(scope="session")
def dynamodb():
    """The real engine, in memory, started once for the session by the first test that needs it."""
    process = dynamodb_local.start(_PORT, data_dir=None)
    provision.ensure_all(os.environ["QUAY_DYNAMODB_ENDPOINT"], os.environ["AWS_DEFAULT_REGION"],
                         {"QUAY_TABLE": os.environ["QUAY_TABLE"]})
    yield os.environ["QUAY_DYNAMODB_ENDPOINT"]
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(autouse=True)
def stack(request):
    """Every test outside tests/unit runs against DynamoDB Local. Each starts and ends with the
    loopback address's failed sign-ins and signups forgotten (every request of the test client comes from
    127.0.0.1), so tests do not lock each other out. Unit tests, and adapter tests marked
`no_database` (they talk to fake servers only), need no database and no Java."""
    if str(request.path).startswith(UNIT_TESTS) or request.node.get_closest_marker("no_database"):
        yield None
        return
    endpoint = request.getfixturevalue("dynamodb")
    from chalicelib.staff.store import ThrottleItem

    addresses = [ThrottleItem(f"THROTTLE#{kind}#127.0.0.1", "THROTTLE") for kind in ("login-ip", "signup-ip")]
    for address in addresses:
        address.delete()
    yield endpoint
    for address in addresses:
        address.delete()  # also before module-scoped fixtures of the next module sign in


@pytest.fixture(scope="session")
def app():
    from app import app as chalice_app

    return chalice_app


@pytest.fixture(scope="session")
def stream_poller(app, dynamodb):
    """DynamoDB Local's stream fed to the app's stream handler, as Lambda does in AWS."""
    from infra.stream_poller import StreamPoller

    return StreamPoller(app, dynamodb, os.environ["QUAY_TABLE"], os.environ["AWS_DEFAULT_REGION"])


@pytest.fixture
def drain(stream_poller):
    """drain(tenant_id) hands that shop's pending stream records to the stream handler now."""
    return stream_poller.drain


@pytest.fixture
def client(app):
    from chalice.test import Client

    with Client(app, stage_name="local") as test_client:
        yield test_client.http


class Api:
    """A thin JSON helper over the Chalice test client."""

    def __init__(self, http, token: str | None = None):
        self.http, self.token = http, token

    def headers(self, extra=None):
        headers = {"Content-Type": "application/json", "Accept-Language": "en"}  # the API defaults to Vietnamese
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        headers.update(extra or {})
        return headers

    def call(self, method, path, body=None, headers=None, raw: bytes | None = None):
        import json

        data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        response = getattr(self.http, method)(path, headers=self.headers(headers), body=data)
        response.headers = {k.lower(): v for k, v in response.headers.items()}
        media = response.headers.get("content-type", "")
        response.data = json.loads(response.body) if response.body and media.startswith(
            ("application/json", "application/problem+json")) else None
        return response

    def get(self, path, **kw):
        return self.call("get", path, **kw)

    def post(self, path, body=None, **kw):
        return self.call("post", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.call("patch", path, body, **kw)

    def as_(self, token):
        return Api(self.http, token)


def unique_email(prefix="owner"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}@test.quay.vn"


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def shop(api):
    """A fresh shop: returns (owner Api, signup answer)."""
    email = unique_email()
    created = api.post("/api/v1/signup", {"shop_name": "Shop Thử", "owner_name": "Chủ Shop",
                                          "owner_email": email, "owner_password": "secret-pass-1"})
    assert created.status_code == 201, created.body
    login = api.post("/api/v1/auth/login", {"email": email, "password": "secret-pass-1"})
    assert login.status_code == 200, login.body
    return api.as_(login.data["access_token"]), created.data


@pytest.fixture
def store(shop):
    """A shop with a warehouse (online channels), a store (pos) and one product with two SKUs."""
    owner, created = shop
    warehouse = owner.post("/api/v1/locations", {"name": "Kho", "kind": "warehouse",
                                                 "channels": ["shopee", {"channel": "website", "priority": 1}]}).data
    counter = owner.post("/api/v1/locations", {"name": "Cửa hàng", "kind": "store",
                                               "channels": ["pos", {"channel": "website", "priority": 2}]}).data
    product = owner.post("/api/v1/products", {"name": "Áo thun", "variants": [
        {"sku": "TS-M", "price": 100000}, {"sku": "TS-L", "price": 100000, "allow_backorder": 5}]}).data
    return {"api": owner, "tenant_id": created["tenant_id"], "owner_id": created["owner"]["id"],
            "warehouse": warehouse["id"], "store": counter["id"], "product": product}
