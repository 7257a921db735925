"""The list of all orders, newest first, reads the shop's month partitions (ADR 0016): pages run on
across a month's end, a date range reads only its months, and filters still apply."""
from datetime import UTC, datetime

import pytest

from chalicelib.core import clock


@pytest.fixture
def at(mocker):
    """at("2026-10-31T23:59:00"): the clock reads that UTC moment until set again."""
    now = {"value": clock.now()}
    mocker.patch.object(clock, "now", side_effect=lambda: now["value"])

    def set_to(text: str) -> None:
        now["value"] = datetime.fromisoformat(text).replace(tzinfo=UTC)
    return set_to


def _order(api, channel="website", phone="0901234567"):
    made = api.post("/api/v1/orders", {"channel": channel, "lines": [{"sku": "TS-M", "quantity": 1}],
                                       "customer": {"name": "Lan", "phone": phone},
                                       "shipping_address": {"text": "1 Lê Lợi"}})
    assert made.status_code == 201, made.body
    return made.data["id"]


def test_pages_run_across_months_newest_first_and_ranges_read_their_months(store, at):
    api = store["api"]
    made = []
    for moment in ("2026-09-15T08:00:00", "2026-10-31T23:59:00", "2026-11-01T00:01:00", "2026-11-20T10:00:00",
                   "2026-11-20T10:05:00"):
        at(moment)
        made.append(_order(api, channel="facebook" if moment.startswith("2026-10") else "website"))
    newest_first = list(reversed(made))

    for size in (1, 2, 3, 5, 50):  # pages that end inside a month, at its end, and across months
        seen, cursor = [], None
        for _ in range(8):
            page = api.get(f"/api/v1/orders?limit={size}" + (f"&cursor={cursor}" if cursor else "")).data
            assert len(page["items"]) <= size
            seen += [o["id"] for o in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert seen == newest_first, size

    november = api.get("/api/v1/orders?from=2026-11-01&to=2026-11-30").data["items"]
    assert [o["id"] for o in november] == newest_first[:3]
    edge = api.get("/api/v1/orders?from=2026-10-31T23:00:00Z&to=2026-11-01T00:30:00Z").data["items"]
    assert [o["id"] for o in edge] == [made[2], made[1]]
    facebook = api.get("/api/v1/orders?channel=facebook").data["items"]
    assert [o["id"] for o in facebook] == [made[1]]
    assert api.get(f"/api/v1/orders/{made[0]}").data["created_at"].startswith("2026-09-15")
    assert api.get("/api/v1/orders/" + "X" * 80).status_code == 404  # no order, no invalid key
