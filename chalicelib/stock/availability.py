"""What each sales channel may sell: the numbers the channel sync pushes to marketplaces."""
from datetime import datetime

from chalicelib.catalog.service import sku_policies
from chalicelib.core import clock, keys
from chalicelib.core.channels import Channel
from chalicelib.core.errors import InvalidInput
from chalicelib.core.principal import Principal
from chalicelib.core.uow import UnitOfWork
from chalicelib.stock import locations
from chalicelib.stock import rules as rules
from chalicelib.stock.levels import stock_pk
from chalicelib.stock.store import ChannelRuleItem, FlashHoldItem, StockItem


def _rules(tenant_id: str) -> dict[str, rules.ChannelRule]:
    found = ChannelRuleItem.query(keys.shop_pk(tenant_id), ChannelRuleItem.sk.startswith(keys.CHANNEL_RULE_PREFIX))
    return {i.channel: rules.ChannelRule(int(i.buffer), int(i.percent)) for i in found}


def rule_view(channel: str, rule: rules.ChannelRule) -> dict:
    return {"channel": channel, "buffer": rule.buffer, "percent": rule.percent}


def set_rule(actor: Principal, channel: Channel, buffer: int, percent: int) -> dict:
    before = _rules(actor.tenant_id).get(channel.value, rules.ChannelRule())
    uow = UnitOfWork(actor)
    uow.put(ChannelRuleItem(keys.shop_pk(actor.tenant_id), keys.channel_rule_sk(channel.value), channel=channel.value,
                            buffer=buffer, percent=percent))
    after = rule_view(channel.value, rules.ChannelRule(buffer, percent))
    uow.audit("channel_rule.changed", "setting", f"channel-{channel.value}",
              before=rule_view(channel.value, before), after=after)
    uow.commit()
    return after


def hold_for_flash_sale(actor: Principal, sku: str, channel: Channel, quantity: int, until: datetime) -> dict:
    sku_policies(actor.tenant_id, [{"sku": sku}])
    until_iso = clock.iso(until)
    if until_iso <= clock.now_iso():
        raise InvalidInput("until must be in the future.", errors=[{"field": "until", "message": "past"}])
    uow = UnitOfWork(actor)
    uow.put(FlashHoldItem(stock_pk(actor.tenant_id, sku), keys.hold_sk(channel.value), channel=channel.value,
                          quantity=quantity, until=until_iso, ttl=until))
    result = {"sku": sku, "channel": channel.value, "quantity": quantity, "until": until_iso}
    uow.audit("flash_hold.set", "stock", f"{sku}-{channel.value}", after=result)
    uow.commit(result)
    return result


def for_skus(tenant_id: str, skus: list[str], now: datetime | None = None) -> list[dict]:
    """For each SKU: what every channel served by some location may sell now."""
    now = now or clock.now()
    sku_policies(tenant_id, [{"sku": s} for s in skus])
    serving: dict[str, set[str]] = {}
    for location in locations.list_all(tenant_id):
        if location["active"]:
            for entry in location["channels"]:
                serving.setdefault(entry["channel"], set()).add(location["id"])
    channel_rules = _rules(tenant_id)
    answer = []
    for sku in skus:
        partition = list(StockItem.query(stock_pk(tenant_id, sku), StockItem.sk.startswith(keys.LEVEL_PREFIX)))
        holds = [rules.FlashHold(h.channel, int(h.quantity), datetime.fromisoformat(h.until.replace("Z", "+00:00")))
                 for h in FlashHoldItem.query(stock_pk(tenant_id, sku), FlashHoldItem.sk.startswith(keys.HOLD_PREFIX))]
        available = {level.location_id: int(level.available or 0) for level in partition}
        answer.append({"sku": sku, "channels": {
            channel: rules.channel_availability(available, location_ids, channel_rules.get(channel, rules.ChannelRule()),
                                                channel, holds, now)
            for channel, location_ids in sorted(serving.items())}})
    return answer


def for_connection(tenant_id: str, sku: str, channel: str, location_ids: list[str] | None, buffer: int,
                   percent: int, now: datetime | None = None) -> int:
    """What one channel connection may sell of a SKU now: available at its locations (or at every
    active location serving its channel), its own buffer and allocation %, flash-sale holds
    applied. Read consistently: the stock push must never send a value older than the change
    that triggered it."""
    now = now or clock.now()
    if location_ids:
        serving = set(location_ids)
    else:
        serving = {location["id"] for location in locations.list_all(tenant_id)
                   if location["active"] and any(e["channel"] == channel for e in location["channels"])}
    pk = stock_pk(tenant_id, sku)
    available = {level.location_id: int(level.available or 0)
                 for level in StockItem.query(pk, StockItem.sk.startswith(keys.LEVEL_PREFIX), consistent_read=True)}
    holds = [rules.FlashHold(h.channel, int(h.quantity), datetime.fromisoformat(h.until.replace("Z", "+00:00")))
             for h in FlashHoldItem.query(pk, FlashHoldItem.sk.startswith(keys.HOLD_PREFIX), consistent_read=True)]
    return rules.channel_availability(available, serving, rules.ChannelRule(buffer, percent), channel, holds, now)
