"""Rollup items (one per shop, dimension, local day and key) and each order's last contribution."""
from collections.abc import Iterator

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from chalicelib.core.table import Item


class RollupItem(Item):
    """pk=SHOP#<tenant>#ROLLUP#<dimension> sk=<local day>#<key>: sums kept by ADD."""
    orders = NumberAttribute(default=0)
    units = NumberAttribute(default=0)
    revenue = NumberAttribute(default=0)
    canceled = NumberAttribute(default=0)
    returned = NumberAttribute(default=0)


class ContributionItem(Item):
    """pk=SHOP#<tenant>#RCONTRIB#<order> sk=CONTRIB: what the order's version `version` added."""
    version = NumberAttribute()
    day = UnicodeAttribute()
    figures = UnicodeAttribute()  # JSON: "dimension|key" -> figures


def rollup_rows(pk: str, low: str, high: str, fields: tuple[str, ...]) -> Iterator[tuple[str, dict[str, int]]]:
    """(sk, figures) of one rollup partition between two sort keys, parsed straight from DynamoDB's
    answer: a month of per-SKU rollups is thousands of small items, and making a model of each was
    most of the report's time."""
    connection = RollupItem._get_connection()
    start = None
    while True:
        page = connection.query(pk, range_key_condition=RollupItem.sk.between(low, high), exclusive_start_key=start,
                                attributes_to_get=["sk", *fields], return_consumed_capacity="TOTAL")
        for raw in page.get("Items", ()):
            yield raw["sk"]["S"], {f: int(raw[f]["N"]) if f in raw else 0 for f in fields}
        start = page.get("LastEvaluatedKey")
        if not start:
            return
