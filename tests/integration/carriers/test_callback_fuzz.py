"""Hypothesis against the public carrier callback route, with the right secret and without:
whatever arrives, the answer is never a 5xx and the parcel and its order stay as they were."""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.carriers.test_booking_flow import _account, _packed_order

FIELDS = ["OrderCode", "ShopID", "Status", "Time", "CODAmount", "TotalFee", "ClientOrderCode", "label_id", "status_id",
          "action_time", "pick_money", "fee", "partner_id"]
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=80)
values = st.recursive(scalars, lambda children: st.lists(children, max_size=4)
                      | st.dictionaries(st.text(max_size=10), children, max_size=4), max_leaves=12)
bodies = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=12), values, max_size=6)
raw = st.binary(max_size=300) | bodies.map(lambda b: json.dumps(b).encode()) | st.just(b"{" * 5000)
FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.mark.parametrize("carrier", ["ghn", "ghtk"])
def test_callbacks_never_answer_5xx_and_change_nothing(store, fakes, client, carrier):
    owner, wh = store["api"], store["warehouse"]
    account = _account(owner, wh, carrier)
    order = _packed_order(owner, wh)
    booked = owner.post(f"/api/v1/shipments/{order['shipments'][0]['id']}/actions/book", {"carrier_account_id": account["id"]})
    assert booked.status_code == 200, booked.body
    before = owner.get(f"/api/v1/orders/{order['id']}").data
    secret = account["webhook_url"].split("hash=")[1]

    @FUZZ
    @given(body=raw, good_secret=st.booleans(),
           content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded"]))
    def probe(body, good_secret, content_type):
        path = f"/api/v1/webhooks/carriers/{carrier}/{account['id']}?hash={secret if good_secret else 'x' * 24}"
        answer = client.post(path, headers={"Content-Type": content_type}, body=body)
        assert answer.status_code < 500, (body[:200], answer.body[:300])

    probe()
    assert owner.get(f"/api/v1/orders/{order['id']}").data == before
