"""Every role against every protected route; the OpenAPI document against the routes."""
import pytest

from chalicelib.core.endpoint import OPERATIONS
from chalicelib.core.roles import ROLE_PERMISSIONS, Role
from tests.conftest import unique_email

PROTECTED = [op for op in OPERATIONS if op.permission]


@pytest.fixture(scope="module")
def role_clients(app, dynamodb):
    """One shop with one staff member per role (module-scoped: signing in 8 people once)."""
    from chalice.test import Client

    from tests.conftest import Api

    with Client(app, stage_name="local") as test_client:
        api = Api(test_client.http)
        email = unique_email()
        api.post("/api/v1/signup", {"shop_name": "Roles", "owner_name": "O", "owner_email": email,
                                    "owner_password": "mai-vang-2026"})
        owner = api.as_(api.post("/api/v1/auth/login", {"email": email, "password": "mai-vang-2026"}).data["access_token"])
        clients = {Role.owner: owner}
        for role in Role:
            if role is Role.owner:
                continue
            staff_email = unique_email(role.value)
            assert owner.post("/api/v1/staff", {"email": staff_email, "name": role.value, "role": role.value,
                                                "password": "mai-vang-2026"}).status_code == 201
            token = api.post("/api/v1/auth/login", {"email": staff_email, "password": "mai-vang-2026"}).data["access_token"]
            clients[role] = api.as_(token)
        yield clients


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_is_refused_exactly_the_routes_it_lacks(role_clients, role):
    client = role_clients[role]
    for op in PROTECTED:
        path = "/".join("X" + part.strip("{}") if part.startswith("{") else part for part in op.path.split("/"))
        answer = client.call(op.method.lower(), path, raw=b"")
        allowed = op.permission in ROLE_PERMISSIONS[role]
        assert (answer.status_code == 403) != allowed, (role, op.method, op.path, answer.status_code, answer.body)


def test_permission_table_uses_only_named_permissions():
    from chalicelib.core.roles import PERMISSIONS

    for role, granted in ROLE_PERMISSIONS.items():
        assert granted <= set(PERMISSIONS), role
    assert {op.permission for op in PROTECTED} <= set(PERMISSIONS)


def test_openapi_lists_every_route_with_schemas(app, api):
    document = api.get("/api/v1/openapi.json").data
    assert document["openapi"] == "3.1.0"
    for path, methods in app.routes.items():
        for method in methods:
            assert method.lower() in document["paths"][path], (method, path)
    create = document["paths"]["/api/v1/products"]["post"]
    body_ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body_ref.rsplit("/", 1)[1] in document["components"]["schemas"]
    assert "201" in create["responses"] and "409" in create["responses"]
    variant = document["components"]["schemas"]["VariantIn"]
    assert {"sku", "price"} <= set(variant["required"])


def test_permissions_doc_is_current():
    from infra.permissions_doc import DOC, render

    assert DOC.read_text() == render(), "run: python -m infra.permissions_doc"
