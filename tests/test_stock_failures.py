"""Failures injected between steps: nothing half-applied, nothing stranded, retries safe."""
import pytest
from botocore.exceptions import EndpointConnectionError
from pynamodb.connection import Connection

from chalicelib.core import idempotency as idempotency_keys
from chalicelib.core.errors import NotFound
from chalicelib.core.idempotency import IdempotencyRequest, Replay
from chalicelib.core.principal import Principal
from chalicelib.core.uow import UnitOfWork
from chalicelib.stock import levels as stock
from chalicelib.stock import movements, reconcile, reservations


def _levels(store, sku="TS-M"):
    return {x["location_id"]: x for x in stock.levels_for_sku(store["tenant_id"], sku)["locations"]}


def _fail_next_transaction(mocker):
    """The next TransactWriteItems call dies on the network; later calls go through."""
    real = Connection.transact_write_items
    calls = {"n": 0}

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise EndpointConnectionError(endpoint_url="http://dynamodb")
        return real(self, *args, **kwargs)

    mocker.patch.object(Connection, "transact_write_items", flaky)
    return calls


def test_failed_receipt_writes_nothing_and_a_retry_applies_once(store, mocker):
    actor, wh = Principal(store["tenant_id"], store["owner_id"]), store["warehouse"]
    _fail_next_transaction(mocker)
    with pytest.raises(EndpointConnectionError):
        movements.receive_goods(actor, location_id=wh, lines=[{"sku": "TS-M", "quantity": 5}], note=None)
    assert _levels(store) == {}
    assert stock.ledger_for_sku(actor.tenant_id, "TS-M", 50, None)["items"] == []
    movements.receive_goods(actor, location_id=wh, lines=[{"sku": "TS-M", "quantity": 5}], note=None)
    assert _levels(store)[wh]["on_hand"] == 5
    assert reconcile.check_shop(actor.tenant_id)["drifts"] == []


def test_failed_reservation_strands_nothing(store, mocker):
    actor, wh = Principal(store["tenant_id"], store["owner_id"]), store["warehouse"]
    movements.receive_goods(actor, location_id=wh, lines=[{"sku": "TS-M", "quantity": 3}], note=None)
    _fail_next_transaction(mocker)
    with pytest.raises(EndpointConnectionError):
        reservations.reserve(actor, reservation_id="o-9", location_id=wh, lines=[{"sku": "TS-M", "quantity": 2}])
    assert _levels(store)[wh]["reserved"] == 0
    with pytest.raises(NotFound):
        reservations.load(actor.tenant_id, "o-9")
    reservations.reserve(actor, reservation_id="o-9", location_id=wh, lines=[{"sku": "TS-M", "quantity": 2}])
    reservations.reserve(actor, reservation_id="o-9", location_id=wh, lines=[{"sku": "TS-M", "quantity": 2}])
    assert _levels(store)[wh]["reserved"] == 2
    assert reconcile.check_shop(actor.tenant_id)["drifts"] == []


def test_failure_between_transfer_steps_leaves_goods_in_transit(store, mocker):
    actor, wh, shop_ = Principal(store["tenant_id"], store["owner_id"]), store["warehouse"], store["store"]
    movements.receive_goods(actor, location_id=wh, lines=[{"sku": "TS-M", "quantity": 8}], note=None)
    sent = movements.send_transfer(actor, from_location_id=wh, to_location_id=shop_,
                                   lines=[{"sku": "TS-M", "quantity": 5}], note=None)
    _fail_next_transaction(mocker)
    with pytest.raises(EndpointConnectionError):
        movements.receive_transfer(actor, sent["id"], None)
    levels = _levels(store)
    assert (levels[wh]["on_hand"], levels[shop_]["on_hand"], levels[shop_]["incoming"]) == (3, 0, 5)
    assert movements.get_transfer(actor.tenant_id, sent["id"])["status"] == "in_transit"
    movements.receive_transfer(actor, sent["id"], None)
    levels = _levels(store)
    assert (levels[shop_]["on_hand"], levels[shop_]["incoming"]) == (5, 0)
    assert reconcile.check_shop(actor.tenant_id)["drifts"] == []


def test_failed_commit_keeps_the_reservation_active(store, mocker):
    actor, wh = Principal(store["tenant_id"], store["owner_id"]), store["warehouse"]
    movements.receive_goods(actor, location_id=wh, lines=[{"sku": "TS-M", "quantity": 4}], note=None)
    reservations.reserve(actor, reservation_id="o-1", location_id=wh, lines=[{"sku": "TS-M", "quantity": 4}])
    _fail_next_transaction(mocker)
    with pytest.raises(EndpointConnectionError):
        reservations.commit(actor, "o-1")
    assert reservations.load(actor.tenant_id, "o-1").status == "active"
    assert _levels(store)[wh] | {} == {**_levels(store)[wh], "on_hand": 4, "reserved": 4}
    reservations.commit(actor, "o-1")
    assert _levels(store)[wh]["on_hand"] == 0 and reconcile.check_shop(actor.tenant_id)["drifts"] == []


def test_lost_answer_then_retry_with_the_same_key_does_not_move_stock_twice(store, mocker):
    """The transaction commits but the answer never reaches the client; it retries."""
    actor, wh = Principal(store["tenant_id"], store["owner_id"]), store["warehouse"]
    key = IdempotencyRequest("POST/api/v1/stock/receipts", "lost-1", "hash-of-body")
    real_commit = UnitOfWork.commit

    def commit_then_lose_answer(self, *args, **kwargs):
        real_commit(self, *args, **kwargs)
        raise EndpointConnectionError(endpoint_url="http://dynamodb")

    patch = mocker.patch.object(UnitOfWork, "commit", commit_then_lose_answer)
    with pytest.raises(EndpointConnectionError), idempotency_keys.bound(key):  # as the endpoint binds it
        movements.receive_goods(actor, location_id=wh, lines=[{"sku": "TS-M", "quantity": 6}], note=None)
    mocker.stop(patch)
    with pytest.raises(Replay) as replay, idempotency_keys.bound(key):
        movements.receive_goods(actor, location_id=wh, lines=[{"sku": "TS-M", "quantity": 6}], note=None)
    assert replay.value.body["movements"][0]["balance_after"] == 6
    assert _levels(store)[wh]["on_hand"] == 6
