"""Checks the stock invariants of a shop and reports each drift; it never changes anything."""
from collections import defaultdict

from chalicelib.catalog import rules as catalog_rules
from chalicelib.catalog import service as catalog
from chalicelib.core import keys
from chalicelib.stock import reservations
from chalicelib.stock import rules as rules
from chalicelib.stock.levels import ledger_pk, stock_pk
from chalicelib.stock.store import LedgerItem, StockItem


def check_shop(tenant_id: str) -> dict:
    reserved_by_key = reservations.active_totals(tenant_id)
    drifts: list[rules.Drift] = []
    levels_checked = 0
    skus = catalog.all_skus(tenant_id)
    for sku in skus:
        ledger_sums: dict[str, int] = defaultdict(int)
        for movement in LedgerItem.query(ledger_pk(tenant_id, sku), consistent_read=True):
            ledger_sums[movement.location_id] += int(movement.quantity)
        levels = {lvl.location_id: lvl for lvl in
                  StockItem.query(stock_pk(tenant_id, sku), StockItem.sk.startswith(keys.LEVEL_PREFIX), consistent_read=True)}
        for location_id in set(levels) | set(ledger_sums):
            level = levels.get(location_id)
            levels_checked += 1
            drifts += rules.invariant_drifts(
                sku, location_id,
                on_hand=int(level.on_hand or 0) if level else 0, reserved=int(level.reserved or 0) if level else 0,
                available=int(level.available or 0) if level else 0, ledger_sum=ledger_sums.get(location_id, 0),
                active_reservations=reserved_by_key.get((catalog_rules.sku_key(sku), location_id), 0))
    return {"tenant_id": tenant_id, "skus_checked": len(skus), "levels_checked": levels_checked,
            "drifts": [d.__dict__ for d in drifts]}
