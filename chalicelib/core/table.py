"""PynamoDB plumbing shared by every item type of the single Quay table."""
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from pynamodb.attributes import BinaryAttribute, UnicodeAttribute
from pynamodb.connection import Connection
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.core.settings import settings


class TableMeta:
    table_name = settings.table_name
    region = settings.region
    host = settings.dynamodb_endpoint
    connect_timeout_seconds = 2
    read_timeout_seconds = 5
    max_retry_attempts = 3


class Item(Model):
    """Every item: pk starts with the tenant (SHOP#<id>) except global login pointers."""

    class Meta(TableMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    # The audit entries of the write that saved this item, when it carries them itself
    # (UnitOfWork.audit(carried_by=...)); the audit area's stream subscriber files them.
    audit_entries = BinaryAttribute(legacy_encoding=False, null=True)


class Gsi1(GlobalSecondaryIndex):
    class Meta(TableMeta):
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class Gsi2(GlobalSecondaryIndex):
    class Meta(TableMeta):
        index_name = "gsi2"
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True)
    gsi2sk = UnicodeAttribute(range_key=True)


_connection: Connection | None = None


def connection() -> Connection:
    """One low-level connection for transactions, created on first use (keeps cold start low)."""
    global _connection
    if _connection is None:
        _connection = Connection(region=settings.region, host=settings.dynamodb_endpoint,
                                 connect_timeout_seconds=2, read_timeout_seconds=5)
    return _connection


Key = tuple[str, str]
_prefetched: ContextVar[dict[Key, dict | None] | None] = ContextVar("quay_prefetched", default=None)
BATCH_GET_LIMIT = 100


def _read_raw(wanted: list[Key]) -> dict[Key, dict | None]:
    """Items of any type in as few BatchGetItem calls as the limit allows (None: absent)."""
    found: dict[Key, dict | None] = dict.fromkeys(wanted)
    for start in range(0, len(wanted), BATCH_GET_LIMIT):
        todo = [{"pk": {"S": pk}, "sk": {"S": sk}} for pk, sk in wanted[start:start + BATCH_GET_LIMIT]]
        while todo:
            answer = connection().dispatch("BatchGetItem", {"RequestItems": {settings.table_name: {"Keys": todo}},
                                                            "ReturnConsumedCapacity": "TOTAL"})
            for raw in answer.get("Responses", {}).get(settings.table_name, []):
                found[(raw["pk"]["S"], raw["sk"]["S"])] = raw
            todo = answer.get("UnprocessedKeys", {}).get(settings.table_name, {}).get("Keys", [])
    return found


@contextmanager
def prefetched(wanted: Iterable[Key]) -> Iterator[None]:
    """Read items of several areas in one round trip before a use case needs them: `batch_get`
    inside the block serves each prefetched key once (a retry after a conflict reads afresh)."""
    wanted = list(dict.fromkeys(wanted))
    token = _prefetched.set(_read_raw(wanted) if wanted else {})
    try:
        yield
    finally:
        _prefetched.reset(token)


def batch_get(model, wanted: Iterable[Key]) -> list:
    """Items of one model by key: from the request's prefetch where it has them, else one BatchGetItem."""
    wanted = list(dict.fromkeys(tuple(k) for k in wanted))
    cache = _prefetched.get()
    served = [] if cache is None else [k for k in wanted if k in cache]
    items = [model.from_raw_data(raw) for raw in (cache.pop(k) for k in served) if raw is not None]
    missing = [k for k in wanted if k not in served]
    return items + (list(model.batch_get(missing)) if missing else [])


def get_first(model, candidates: Iterable[Key]):
    """The item at the first of these keys that holds one (consistent reads), or None: an item's key
    in the current layout, then where an earlier layout kept it."""
    for pk, sk in candidates:
        try:
            return model.get(pk, sk, consistent_read=True)
        except model.DoesNotExist:
            continue
    return None
