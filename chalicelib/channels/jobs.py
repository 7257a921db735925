"""Scheduled channel work, fanned out: each run reads the sharded due-time index (bounded per
shard), moves each due connection's next time forward with a conditional write (so two runs never
take the same one), and enqueues one message per connection; SQS spreads the messages over
Lambdas (`work_messages`). See docs/adr/0013-channel-sync-at-scale.md for the numbers."""
import json
import logging

from chalice import Blueprint, Rate

from chalicelib.channels import queue, rules
from chalicelib.core import clock, keys
from chalicelib.core.errors import NotFound
from chalicelib.core.lazy import lazy

connections = lazy("chalicelib.channels.connections")  # loaded by the first run, not by `import app`
pushes = lazy("chalicelib.channels.pushes")
sync = lazy("chalicelib.channels.sync")

channel_jobs = Blueprint(__name__)
log = logging.getLogger("quay.channels")
DUE_PER_SHARD = 200  # per run: 16 shards x 200 = 3,200 connections a minute, more than 10,000 shops need


def take_due(now=None, per_shard: int = DUE_PER_SHARD) -> int:
    """Enqueue a sync for every connection whose pull is due; returns how many."""
    from chalicelib.channels.store import ConnectionItem, UpdateError, conditional_failed

    now = now or clock.now()
    next_due = clock.iso(now + rules.PULL_EVERY)
    taken = 0
    for shard in range(rules.DUE_SHARDS):
        for entry in ConnectionItem.by_due.query(keys.channel_sync_due(shard),
                                                 ConnectionItem.gsi2sk <= clock.iso(now) + "~", limit=per_shard):
            try:
                entry.update(actions=[ConnectionItem.gsi2sk.set(keys.due_sk(next_due, entry.tenant_id,
                                                                            entry.connection_id))],
                             condition=ConnectionItem.gsi2sk == entry.gsi2sk)
            except UpdateError as error:
                if conditional_failed(error):
                    continue  # another run took it
                raise
            queue.send({"work": "sync", "tenant_id": entry.tenant_id, "connection_id": entry.connection_id})
            taken += 1
    return taken


def retry_pushes(now=None) -> int:
    now = now or clock.now()
    return sum(pushes.retry_due_stock_pushes(shard, now) + pushes.retry_due_status_pushes(shard, now)
               for shard in range(rules.DUE_SHARDS))


def work(message: dict) -> object:
    """One unit of channel work (a queue message)."""
    kind, tenant_id = message.get("work"), message.get("tenant_id")
    if kind == "sync":
        try:
            item = connections.load_item(tenant_id, message["connection_id"])
        except NotFound:
            return None
        return sync.run(item)
    if kind == "push_stock":
        return pushes.push_listing(tenant_id, message["listing_id"])
    if kind == "push_status":
        return pushes.push_status(tenant_id, message["order_id"])
    log.warning("unknown channel work %s", message)
    return None


@channel_jobs.schedule(Rate(1, unit=Rate.MINUTES), description="Enqueue the channel pulls that are due")
def dispatch_channel_sync(event):
    return {"enqueued": take_due()}


@channel_jobs.schedule(Rate(1, unit=Rate.MINUTES), description="Retry failed stock and status pushes")
def retry_channel_pushes(event):
    return {"enqueued": retry_pushes()}


@channel_jobs.on_sqs_message(queue=queue.QUEUE_NAME, batch_size=10, name="channel_work")
def work_messages(event):
    for record in event:
        work(json.loads(record.body))
