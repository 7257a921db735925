"""Hypothesis against the public routes (no token needed): whatever arrives, the answer is never a
5xx, and it is always JSON or problem+json."""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PUBLIC_WRITES = ["/api/v1/signup", "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout",
                 "/api/v1/auth/device-staff", "/api/v1/auth/pin"]
FIELDS = ["shop_name", "owner_name", "owner_email", "owner_password", "email", "password", "refresh_token",
          "device_token", "staff_id", "pin"]

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=80)
values = st.recursive(scalars, lambda children: st.lists(children, max_size=4)
                      | st.dictionaries(st.text(max_size=10), children, max_size=4), max_leaves=12)
bodies = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=12), values, max_size=6)
raw = st.binary(max_size=300) | bodies.map(lambda b: json.dumps(b).encode()) | st.just(b"[" * 5000)

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.mark.parametrize("path", PUBLIC_WRITES)
def test_public_routes_never_answer_5xx(client, path):
    @FUZZ
    @given(body=raw, content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded"]))
    def probe(body, content_type):
        answer = client.post(path, headers={"Content-Type": content_type}, body=body)
        assert answer.status_code < 500, (path, body[:200], answer.body[:300])
        media = {k.lower(): v for k, v in answer.headers.items()}.get("content-type", "")
        assert media.startswith(("application/json", "application/problem+json")), media

    probe()
