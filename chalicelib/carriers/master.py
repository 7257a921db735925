"""Carrier master data (GHN's and Viettel Post's province/district/ward ids), cached per deployment:
in this Lambda's memory, then in the table for a week, then fetched from the carrier. The lists are
public and the same for every shop, so their keys hold no shop (core/keys.py row 36)."""
from __future__ import annotations

import json
from datetime import timedelta

from chalicelib.carriers.providers.base import CachedMasterData
from chalicelib.carriers.store import MasterDataItem
from chalicelib.core import clock, keys

KEEP = timedelta(days=7)
_memory: dict[str, dict] = {}


class _TableCache(dict):
    """The dict CachedMasterData fills: misses read the table, new lists are written to it."""

    def __init__(self, carrier: str):
        super().__init__(_memory.setdefault(carrier, {}))
        self.carrier = carrier

    def __contains__(self, key) -> bool:
        if dict.__contains__(self, key):
            return True
        try:
            item = MasterDataItem.get(*keys.carrier_master_data(self.carrier, key))
        except MasterDataItem.DoesNotExist:
            return False
        if item.ttl and item.ttl < clock.now():
            return False
        dict.__setitem__(self, key, json.loads(item.divisions))
        _memory[self.carrier][key] = self[key]
        return True

    def __setitem__(self, key, value) -> None:
        dict.__setitem__(self, key, value)
        _memory[self.carrier][key] = value
        pk, sk = keys.carrier_master_data(self.carrier, key)
        MasterDataItem(pk, sk, divisions=json.dumps(value, ensure_ascii=False), ttl=clock.now() + KEEP).save()


def cached(carrier: str, source) -> CachedMasterData:
    return CachedMasterData(source, _TableCache(carrier))

