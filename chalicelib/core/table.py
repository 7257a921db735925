"""PynamoDB plumbing shared by every item type of the single Quay table."""
from pynamodb.attributes import UnicodeAttribute
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
