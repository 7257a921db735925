"""Merging two customer profiles spans two areas: the customers' profiles and keys, and the
orders that point at the duplicate. Both are staged in one unit of work: all or nothing."""
from chalicelib.core.principal import Principal
from chalicelib.core.uow import UnitOfWork
from chalicelib.customers import service as customers
from chalicelib.orders import service as orders


def merge(actor: Principal, keep_id: str, other_id: str) -> dict:
    uow = UnitOfWork(actor)
    for order_id in customers.stage_merge(uow, keep_id, other_id):
        orders.stage_customer_change(uow, order_id, keep_id)
    uow.commit()
    return customers.profile(actor.tenant_id, keep_id)
