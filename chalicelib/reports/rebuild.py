"""Rollups recomputed from the orders, and a check that compares the two.

    python -m chalicelib.reports.rebuild <tenant_id> [--check]
Run the rebuild in a quiet hour: an order changing during it is corrected by its next stream record."""
import argparse
import json

from chalicelib.core import keys
from chalicelib.core.principal import Principal
from chalicelib.orders import service as orders
from chalicelib.reports import rollups, rules
from chalicelib.reports.store import ContributionItem, RollupItem

DIMENSIONS = ("total", "channel", "location", "channel_loc", "staff", "staff_loc", "product", "product_loc", "customer",
              *rules.WEEKLY.values())


def _orders(tenant_id: str) -> list[dict]:
    system, out, cursor = Principal.system(tenant_id), [], None
    while True:
        page = orders.list_orders(tenant_id, status=None, channel=None, q=None, warning=None, phone=None,
                                  staff_id=None, date_from=None, date_to=None, limit=100, cursor=cursor)
        out += [orders.get(system, summary["id"]) for summary in page["items"]]
        cursor = page.get("next_cursor")
        if not cursor:
            return out


def _stored(tenant_id: str) -> dict[tuple[str, str, str], dict]:
    out = {}
    for dimension in DIMENSIONS:
        for item in RollupItem.query(keys.rollup(tenant_id, dimension)):
            day, _, key = item.sk.partition("#")
            figures = {f: int(getattr(item, f) or 0) for f in rules.FIELDS}
            if any(figures.values()):
                out[(dimension, day, key)] = figures
    return out


def check(tenant_id: str) -> list[dict]:
    """Every rollup that differs from a recomputation from the orders (empty: they agree)."""
    expected = rollups.expected_from_orders(tenant_id, _orders(tenant_id))
    stored = _stored(tenant_id)
    zero = dict.fromkeys(rules.FIELDS, 0)
    return [{"dimension": d, "day": day, "key": key, "stored": stored.get((d, day, key), zero),
             "expected": expected.get((d, day, key), zero)}
            for (d, day, key) in sorted(expected.keys() | stored.keys())
            if {**zero, **stored.get((d, day, key), {})} != {**zero, **expected.get((d, day, key), {})}]


def rebuild(tenant_id: str) -> int:
    """Overwrite the rollups and contributions with the recomputation; answers how many rollups changed."""
    documents = _orders(tenant_id)
    expected = rollups.expected_from_orders(tenant_id, documents)
    stored = _stored(tenant_id)
    changed = 0
    for key in expected.keys() | stored.keys():
        if stored.get(key) == expected.get(key):
            continue
        dimension, day, rest = key
        RollupItem(keys.rollup(tenant_id, dimension), keys.rollup_sk(day, rest),
                   **expected.get(key, dict.fromkeys(rules.FIELDS, 0))).save()
        changed += 1
    zone = rollups.shop_time_zone(tenant_id)
    for document in documents:
        day, whole = rules.local_day(document["created_at"], zone), rules.contribution(document)
        ContributionItem(*keys.contribution(tenant_id, document["id"]), version=int(document["version"]),
                         day=day, figures=json.dumps(whole, sort_keys=True)).save()
        ContributionItem(*keys.weekly_contribution(tenant_id, document["id"]), version=int(document["version"]),
                         day=rules.week_start(day), figures=json.dumps(rules.weekly(whole), sort_keys=True)).save()
    return changed


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("tenant_id")
    parser.add_argument("--check", action="store_true", help="only compare, change nothing")
    args = parser.parse_args()
    print(json.dumps(check(args.tenant_id) if args.check else {"changed": rebuild(args.tenant_id)}, indent=2))
