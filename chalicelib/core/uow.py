"""Unit of work: every mutation is one DynamoDB transaction with its audit entries and,
for creates, its idempotency record - so a request either happens whole or not at all."""
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from pynamodb.exceptions import DeleteError, PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.core import clock, ids, keys, retry
from chalicelib.core import idempotency as idempotency_keys
from chalicelib.core.errors import Conflict, Contention, DomainError, IdempotencyKeyReused, InvalidInput
from chalicelib.core.idempotency import IdempotencyRequest, Replay
from chalicelib.core.principal import Principal
from chalicelib.core.records import AuditItem, IdempotencyItem, pack_audit_entries, unpack_audit_entries
from chalicelib.core.table import connection

MAX_ITEMS = 100  # DynamoDB TransactWriteItems limit
IDEMPOTENCY_TTL = timedelta(hours=24)

OnFail = Callable[[], DomainError] | None


class TransactionStats:
    """Counter read by benchmarks: transactions retried after a TransactionConflict."""
    conflicts = 0


def _to_json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)


def audit_item(tenant_id: str, entry: dict) -> AuditItem:
    """One audit entry as its item: its key is the entry's own, so filing it twice changes nothing."""
    return AuditItem(keys.audit(tenant_id, entry["entity_type"], entry["entity_id"]), entry["sort"],
                     gsi1pk=keys.audit_by_staff(tenant_id, entry["staff_id"]), gsi1sk=entry["sort"],
                     entity_type=entry["entity_type"], entity_id=entry["entity_id"], action=entry["action"],
                     staff_id=entry["staff_id"], at=entry["at"], before=entry["before"], after=entry["after"])


def file_audit_entries(tenant_id: str, entries: list[dict]) -> None:
    """Carried entries as their own items (one BatchWriteItem per 25; unconditional: replays are the same item)."""
    with AuditItem.batch_write() as batch:
        for entry in entries:
            batch.save(audit_item(tenant_id, entry))


class UnitOfWork:
    """Collects writes, then commits them atomically. `on_fail` turns a failed condition on
    one write into the domain error the user sees (e.g. the SKU item -> DuplicateSku)."""

    def __init__(self, actor: Principal, idempotency: IdempotencyRequest | None = None):
        self.actor = actor
        self.idempotency = idempotency
        # PynamoDB sends condition checks, deletes, puts, updates in that order; keep the same
        # grouping so cancellation reasons line up with our on_fail handlers.
        # Each write: (its part of a transaction, the same write on its own, on_fail).
        self._ops: dict[str, list[tuple[Callable[[TransactWrite], None], Callable[[], None] | None, OnFail]]] = {
            "check": [], "delete": [], "put": [], "update": []}
        self._carriers: set[int] = set()  # items given this write's audit entries (their old ones dropped)

    # --- collecting -------------------------------------------------------------------
    def put(self, item, condition=None, on_fail: OnFail = None) -> None:
        self._ops["put"].append((lambda tx: tx.save(item, condition=condition),
                                 lambda: item.save(condition=condition), on_fail))

    def update(self, item, actions, condition=None, on_fail: OnFail = None) -> None:
        self._ops["update"].append((lambda tx: tx.update(item, actions, condition=condition),
                                    lambda: item.update(actions, condition=condition), on_fail))

    def delete(self, item, condition=None, on_fail: OnFail = None) -> None:
        self._ops["delete"].append((lambda tx: tx.delete(item, condition=condition),
                                    lambda: item.delete(condition=condition), on_fail))

    def check(self, model_cls, hash_key, range_key, condition, on_fail: OnFail = None) -> None:
        self._ops["check"].append(
            (lambda tx: tx.condition_check(model_cls, hash_key, range_key, condition=condition), None, on_fail))

    def audit(self, action: str, entity_type: str, entity_id: str,
              before: Any = None, after: Any = None, *, carried_by=None) -> None:
        """An audit entry of this write: an item of its own, or, with `carried_by` (an item this
        unit of work puts), an attribute of that item filed from the stream (audit/handlers.py) -
        the hot paths (orders, reservations) so write one item instead of two."""
        at = clock.now_iso()
        entry = {"sort": f"{at}#{ids.new_id()}", "entity_type": entity_type, "entity_id": entity_id,
                 "action": action, "staff_id": self.actor.staff_id, "at": at,
                 "before": _to_json(before), "after": _to_json(after)}
        if carried_by is None:
            self.put(audit_item(self.actor.tenant_id, entry))
            return
        carried = [] if id(carried_by) not in self._carriers else unpack_audit_entries(carried_by.audit_entries)
        self._carriers.add(id(carried_by))
        carried_by.audit_entries = pack_audit_entries(carried + [entry])

    def size(self) -> int:
        return sum(len(ops) for ops in self._ops.values()) + (1 if self.idempotency else 0)

    # --- committing -------------------------------------------------------------------
    def commit(self, response: Any = None, status_code: int = 201) -> None:
        """Write everything at once. The commit that carries the request's answer (`response`)
        also stores it under the request's Idempotency-Key, if the client sent one."""
        if self.idempotency is None and response is not None:
            self.idempotency = idempotency_keys.current()
        if self.idempotency:
            self._record_idempotency(response, status_code)
        if self.size() > MAX_ITEMS:
            raise InvalidInput(f"Too many lines in one request (at most {MAX_ITEMS - 10}).",
                               errors=[{"field": "lines", "message": "too many lines"}])
        ordered = [op for group in ("check", "delete", "put", "update") for op in self._ops[group]]
        if len(ordered) == 1 and ordered[0][1] is not None:
            self._write_alone(*ordered[0][1:])
            return
        for _ in retry.attempts():
            try:
                self._execute(ordered)
                return
            except TransactWriteError as error:
                reasons = error.cancellation_reasons or []
                codes = [r.code if r else None for r in reasons]
                if "TransactionConflict" in codes and "ConditionalCheckFailed" not in codes:
                    TransactionStats.conflicts += 1
                    continue  # core/retry.py waits before the next attempt
                self._raise_for(ordered, codes, error)
        raise Contention("Too many people are changing the same items right now; please retry.")

    def _write_alone(self, write: Callable[[], None], on_fail: OnFail) -> None:
        """One write needs no transaction: a conditional PutItem/UpdateItem/DeleteItem is as atomic and
        costs half the capacity (1 unit per KB instead of 2)."""
        try:
            write()
        except (PutError, UpdateError, DeleteError) as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise
            if on_fail is not None:
                raise on_fail() from error
            raise Conflict("Something this request depends on changed at the same moment; reload and retry.") from error

    def _execute(self, ordered) -> None:
        with TransactWrite(connection=connection()) as tx:
            for apply, _, _ in ordered:
                apply(tx)

    def _raise_for(self, ordered, codes: list, error: TransactWriteError) -> None:
        failed = [i for i, code in enumerate(codes) if code == "ConditionalCheckFailed"]
        if self.idempotency and self._idempotency_index in failed:
            self._replay()
        for index in failed:
            on_fail = ordered[index][2]
            if on_fail is not None:
                raise on_fail() from error
        if failed:
            raise Conflict("Something this request depends on changed at the same moment; reload and retry.") from error
        raise error

    def _record_idempotency(self, response: Any, status_code: int) -> None:
        item = IdempotencyItem(
            self._idempotency_pk(), "IDEM", request_hash=self.idempotency.request_hash,
            status_code=status_code, response=_to_json(response),
            ttl=clock.now() + IDEMPOTENCY_TTL)
        self._idempotency_index = len(self._ops["check"]) + len(self._ops["delete"]) + len(self._ops["put"])
        self.put(item, condition=IdempotencyItem.pk.does_not_exist())

    def _idempotency_pk(self) -> str:
        return idempotency_pk(self.actor.tenant_id, self.idempotency)

    def _replay(self) -> None:
        replay_if_seen(self.actor.tenant_id, self.idempotency, missing_is_error=True)


def idempotency_pk(tenant_id: str, request: IdempotencyRequest) -> str:
    return keys.idempotency(tenant_id, request.scope, request.key)[0]


def replay_if_seen(tenant_id: str, request: IdempotencyRequest, *, missing_is_error: bool = False) -> None:
    """Raise Replay with the first answer if this key was already answered, IdempotencyKeyReused
    if it came with another body. The endpoint asks before running a keyed request (a retried
    action would otherwise meet the state its first try left: a confirmed order cannot be
    confirmed again); the unit of work asks again when its own condition fails (a race)."""
    try:
        stored = IdempotencyItem.get(idempotency_pk(tenant_id, request), "IDEM", consistent_read=True)
    except IdempotencyItem.DoesNotExist:
        if missing_is_error:
            raise Conflict("This request is being handled right now; retry in a moment.") from None
        return
    if stored.request_hash != request.request_hash:
        raise IdempotencyKeyReused("This Idempotency-Key was already used with a different request body.")
    raise Replay(int(stored.status_code), json.loads(stored.response))

