"""Customers: one profile per real person, matched across channels by normalised phone,
email or the channel's buyer id; stats kept by the orders that name them."""
import json

from chalicelib.core import ids, keys, paging, table
from chalicelib.core.errors import Conflict, InvalidInput, NotFound
from chalicelib.core.principal import Principal
from chalicelib.core.text import fold
from chalicelib.core.uow import UnitOfWork
from chalicelib.customers.store import CustomerItem, CustomerKeyItem, CustomerOrderItem

MAX_MERGE_ORDERS = 25  # one transaction: keys, order pointers and orders move together


def customer_pk(tenant_id: str, customer_id: str) -> str:
    return keys.customer(tenant_id, customer_id)


def keys_pk(tenant_id: str) -> str:
    return keys.customer_keys(tenant_id)


def match_keys(phone: str | None, email: str | None, channel: str | None, buyer_id: str | None) -> list[str]:
    """Strongest first: the channel's own buyer id, then phone, then email."""
    wanted = []
    if buyer_id and channel:
        wanted.append(keys.buyer_key(channel, buyer_id))
    if phone:
        wanted.append(keys.phone_key(phone))
    if email:
        wanted.append(keys.email_key(email.strip().lower()))
    return wanted


def find(tenant_id: str, wanted: list[str]) -> tuple[str | None, set[str]]:
    """The customer of the strongest key that exists, and every key that already exists."""
    found = {k.sk: k.customer_id for k in table.batch_get(CustomerKeyItem, [(keys_pk(tenant_id), k) for k in wanted])}
    return next((found[k] for k in wanted if k in found), None), set(found)


def _search_text(name: str, phones, emails) -> str:
    return fold(" ".join([name, *(phones or []), *(emails or [])]))


def stage_for_order(uow: UnitOfWork, *, name: str | None, phone: str | None, email: str | None, channel: str,
                    buyer_id: str | None, address: dict | None, order_id: str, total: int,
                    at: str) -> tuple[str | None, bool]:
    """Match or create the buyer's profile; answers the profile and whether it existed before.
    A new profile is created counting this order; a known one counts it from the stream
    (`count_order`), so the order's transaction writes only what matching needs. Never fails the
    order: keys already pointing elsewhere are left alone (a merge joins the two later)."""
    wanted = match_keys(phone, email, channel, buyer_id)
    if not wanted:
        return None, False
    tenant_id = uow.actor.tenant_id
    customer_id, known = find(tenant_id, wanted)
    existed = customer_id is not None
    if customer_id is None:
        customer_id = ids.new_id()
        sets = _contact_sets(channel, phone, email, buyer_id)
        uow.put(CustomerItem(customer_pk(tenant_id, customer_id), "CUSTOMER", customer_id=customer_id,
                             name=name or phone or email or buyer_id, gsi1pk=keys.customers_by_recency(tenant_id),
                             gsi1sk=at, search_text=_search_text(name or "", sets["phones"], sets["emails"]),
                             created_at=at, order_count=1, total_spend=total, first_order_at=at, last_order_at=at,
                             addresses=json.dumps([address], ensure_ascii=False) if address else None,
                             **{k: v for k, v in sets.items() if v}),
                condition=CustomerItem.pk.does_not_exist())
        uow.audit("customer.created", "customer", customer_id, after={"name": name, "phone": phone, "email": email})
        uow.put(_history_entry(tenant_id, customer_id, order_id, channel, total, at))
    for key in wanted:
        if key not in known:
            uow.put(CustomerKeyItem(keys_pk(tenant_id), key, customer_id=customer_id))
    return customer_id, existed


def _contact_sets(channel: str, phone: str | None, email: str | None, buyer_id: str | None) -> dict:
    email = email.strip().lower() if email else None
    return {"source_channels": {channel}, "phones": {phone} if phone else None, "emails": {email} if email else None,
            "buyer_ids": {f"{channel}:{buyer_id}"} if buyer_id else None}


def _history_entry(tenant_id: str, customer_id: str, order_id: str, channel: str, total: int,
                   at: str) -> CustomerOrderItem:
    return CustomerOrderItem(customer_pk(tenant_id, customer_id), keys.customer_order_sk(at, order_id),
                             order_id=order_id, channel=channel, total=total, created_at=at, counted=True)


class _AlreadyCounted(Conflict):
    pass


def count_order(tenant_id: str, customer_id: str, *, order_id: str, channel: str, total: int, at: str,
                phone: str | None = None, email: str | None = None, buyer_id: str | None = None,
                address: dict | None = None) -> bool:
    """Count an order in its profile (history entry, stats, contacts, last address), once: the history
    entry is written only if absent, in the same transaction. Answers whether it counted now."""
    uow = UnitOfWork(Principal.system(tenant_id))
    uow.put(_history_entry(tenant_id, customer_id, order_id, channel, total, at),
            condition=CustomerOrderItem.sk.does_not_exist(), on_fail=lambda: _AlreadyCounted("counted"))
    actions = [CustomerItem.order_count.add(1), CustomerItem.total_spend.add(total),
               CustomerItem.last_order_at.set(at), CustomerItem.first_order_at.set(CustomerItem.first_order_at | at),
               CustomerItem.gsi1sk.set(at)]
    actions += [getattr(CustomerItem, k).add(v) for k, v in _contact_sets(channel, phone, email, buyer_id).items() if v]
    if address:
        actions.append(CustomerItem.addresses.set(json.dumps([address], ensure_ascii=False)))
    uow.update(CustomerItem(customer_pk(tenant_id, customer_id), "CUSTOMER"), actions,
               condition=CustomerItem.pk.exists(), on_fail=lambda: _AlreadyCounted("no such profile"))
    return _commit_once(uow)


def uncount_order(tenant_id: str, customer_id: str, *, order_id: str, at: str) -> bool:
    """A canceled or returned order no longer counts in the profile's stats: the total it was counted
    with comes out, once (the history entry says whether it still counts). Answers whether it did now."""
    try:
        entry = CustomerOrderItem.get(customer_pk(tenant_id, customer_id), keys.customer_order_sk(at, order_id),
                                      consistent_read=True)
    except CustomerOrderItem.DoesNotExist:
        return False
    if entry.counted is False:
        return False
    uow = UnitOfWork(Principal.system(tenant_id))
    uow.update(entry, [CustomerOrderItem.counted.set(False)],
               condition=CustomerOrderItem.counted.does_not_exist() | (CustomerOrderItem.counted == True),  # noqa: E712
               on_fail=lambda: _AlreadyCounted("not counted"))
    uow.update(CustomerItem(customer_pk(tenant_id, customer_id), "CUSTOMER"),
               [CustomerItem.order_count.add(-1), CustomerItem.total_spend.add(-int(entry.total))],
               condition=CustomerItem.pk.exists(), on_fail=lambda: _AlreadyCounted("no such profile"))
    return _commit_once(uow)


def _commit_once(uow: UnitOfWork) -> bool:
    try:
        uow.commit()
    except _AlreadyCounted:
        return False
    return True


def _load(tenant_id: str, customer_id: str) -> CustomerItem:
    try:
        return CustomerItem.get(customer_pk(tenant_id, customer_id), "CUSTOMER", consistent_read=True)
    except CustomerItem.DoesNotExist as error:
        raise NotFound("No such customer.") from error


def view(item: CustomerItem) -> dict:
    count, spend = int(item.order_count or 0), int(item.total_spend or 0)
    return {"id": item.customer_id, "name": item.name, "phones": sorted(item.phones or []),
            "emails": sorted(item.emails or []), "buyer_ids": sorted(item.buyer_ids or []),
            "source_channels": sorted(item.source_channels or []),
            "addresses": json.loads(item.addresses) if item.addresses else [], "group": item.group, "notes": item.notes,
            "merged_into": item.merged_into,
            "stats": {"order_count": count, "total_spend": spend,
                      "average_order_value": spend // count if count > 0 else 0,
                      "first_order_at": item.first_order_at, "last_order_at": item.last_order_at,
                      "repeat": "returning" if count >= 2 else ("new" if count == 1 else "none")}}


def profile(tenant_id: str, customer_id: str) -> dict:
    item = _load(tenant_id, customer_id)
    history = CustomerOrderItem.query(customer_pk(tenant_id, customer_id), CustomerOrderItem.sk.startswith(keys.ORDER_PREFIX),
                                      scan_index_forward=False, limit=50)
    return {**view(item), "orders": [{"id": o.order_id, "channel": o.channel, "total": int(o.total),
                                      "created_at": o.created_at} for o in history]}


def phone_prefix(raw: str) -> str:
    digits = "".join(ch for ch in raw if ch.isdigit())
    if raw.strip().startswith("+"):
        return "+" + digits
    if digits.startswith("0"):
        return "+84" + digits[1:]
    if digits.startswith("84"):
        return "+" + digits
    return "+84" + digits


def search(tenant_id: str, *, phone: str | None, q: str | None, limit: int, cursor: str | None) -> dict:
    """By phone prefix (fast entry at the counter) or by name/phone/email text, most recent first."""
    if phone:
        prefix = phone_prefix(phone)
        if len(prefix) < 6:
            raise InvalidInput("Type at least 3 digits.", errors=[{"field": "phone", "message": "too short"}])
        pointers = CustomerKeyItem.query(keys_pk(tenant_id), CustomerKeyItem.sk.startswith(keys.phone_key(prefix)),
                                         limit=limit)
        wanted = list(dict.fromkeys(p.customer_id for p in pointers))
        found = {c.customer_id: c for c in CustomerItem.batch_get([(customer_pk(tenant_id, cid), "CUSTOMER")
                                                                   for cid in wanted])}
        return {"items": [view(found[c]) for c in wanted if c in found], "next_cursor": None}
    condition = CustomerItem.search_text.contains(fold(q)) if q else None
    results = CustomerItem.by_recency.query(keys.customers_by_recency(tenant_id), filter_condition=condition,
                                            scan_index_forward=False, limit=limit,
                                            last_evaluated_key=paging.decode(cursor, keys.cursor_scope(tenant_id)))
    return {"items": [view(c) for c in results if not c.merged_into], "next_cursor": paging.encode(results.last_evaluated_key)}


def update(actor: Principal, customer_id: str, changes: dict) -> dict:
    item = _load(actor.tenant_id, customer_id)
    before = view(item)
    for key in ("name", "group", "notes"):
        if key in changes:
            setattr(item, key, changes[key])
    item.search_text = _search_text(item.name, item.phones, item.emails)
    uow = UnitOfWork(actor)
    uow.update(CustomerItem(item.pk, item.sk), [CustomerItem.name.set(item.name), CustomerItem.search_text.set(item.search_text)]
               + [getattr(CustomerItem, k).set(changes[k]) if changes[k] is not None else getattr(CustomerItem, k).remove()
                  for k in ("group", "notes") if k in changes], condition=CustomerItem.pk.exists())
    after = view(item)
    uow.audit("customer.updated", "customer", customer_id, before=before, after=after)
    uow.commit(after, 200)
    return after


def stage_merge(uow: UnitOfWork, keep_id: str, other_id: str) -> list[str]:
    """Join a duplicate into `keep_id`: its phones, emails, buyer ids, stats and order history move
    over; the duplicate stays as a pointer (merged_into) so old links still resolve. Answers the
    ids of the orders that moved (the merge flow moves the orders themselves)."""
    if keep_id == other_id:
        raise InvalidInput("A customer cannot be merged into itself.", errors=[{"field": "other_id", "message": "same"}])
    tenant_id = uow.actor.tenant_id
    keep, other = _load(tenant_id, keep_id), _load(tenant_id, other_id)
    if keep.merged_into or other.merged_into:
        raise Conflict("One of these customers was already merged.")
    pointers = list(CustomerOrderItem.query(customer_pk(tenant_id, other_id), CustomerOrderItem.sk.startswith(keys.ORDER_PREFIX)))
    if len(pointers) > MAX_MERGE_ORDERS:
        raise Conflict(f"The duplicate has {len(pointers)} orders; at most {MAX_MERGE_ORDERS} can move at once.")
    wanted = _keys_of(tenant_id, other)
    before = {"keep": view(keep), "other": view(other)}
    for key in wanted:
        uow.put(CustomerKeyItem(keys_pk(tenant_id), key, customer_id=keep_id))
    for pointer in pointers:
        uow.put(CustomerOrderItem(customer_pk(tenant_id, keep_id), pointer.sk, order_id=pointer.order_id,
                                  channel=pointer.channel, total=pointer.total, created_at=pointer.created_at,
                                  counted=pointer.counted))
        uow.delete(pointer)
    actions = [CustomerItem.order_count.add(int(other.order_count or 0)),
               CustomerItem.total_spend.add(int(other.total_spend or 0))]
    for attribute in ("phones", "emails", "buyer_ids", "source_channels"):
        values = getattr(other, attribute)
        if values:
            actions.append(getattr(CustomerItem, attribute).add(set(values)))
    firsts = [x for x in (keep.first_order_at, other.first_order_at) if x]
    lasts = [x for x in (keep.last_order_at, other.last_order_at) if x]
    if firsts:
        actions.append(CustomerItem.first_order_at.set(min(firsts)))
    if lasts:
        actions += [CustomerItem.last_order_at.set(max(lasts)), CustomerItem.gsi1sk.set(max(lasts))]
    uow.update(CustomerItem(keep.pk, keep.sk), actions, condition=CustomerItem.merged_into.does_not_exist())
    uow.update(CustomerItem(other.pk, other.sk), [CustomerItem.merged_into.set(keep_id),
                                                  CustomerItem.order_count.set(0), CustomerItem.total_spend.set(0)],
               condition=CustomerItem.merged_into.does_not_exist())
    uow.audit("customer.merged", "customer", keep_id, before=before, after={"merged": other_id})
    uow.audit("customer.merged_into", "customer", other_id, before=before["other"], after={"merged_into": keep_id})
    return [pointer.order_id for pointer in pointers]


def _keys_of(tenant_id: str, item: CustomerItem) -> list[str]:
    wanted = [keys.phone_key(p) for p in item.phones or []] + [keys.email_key(e) for e in item.emails or []]
    wanted += [keys.buyer_key(*b.split(":", 1)) for b in item.buyer_ids or []]
    found = CustomerKeyItem.batch_get([(keys_pk(tenant_id), k) for k in wanted])
    return [k.sk for k in found if k.customer_id == item.customer_id]


def profiles(tenant_id: str, customer_ids: list[str]) -> dict[str, dict]:
    """Several customers by id in one BatchGet (reports: names, first order)."""
    wanted = list(dict.fromkeys(customer_ids))
    found = table.batch_get(CustomerItem, [(customer_pk(tenant_id, cid), "CUSTOMER") for cid in wanted])
    return {c.customer_id: view(c) for c in found}
