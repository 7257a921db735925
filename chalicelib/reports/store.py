"""Rollup items (one per shop, dimension, local day and key) and each order's last contribution."""
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
