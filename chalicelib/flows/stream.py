"""The table's stream, handed to the areas that follow a write. In AWS a Lambda reads it
(`on_dynamodb_record`, the stream's ARN filled in by infra/template.py); locally and in tests
infra/stream_poller.py feeds the same handler from DynamoDB Local's stream.

Each subscriber is named by module path and imported on the first record it must see, so
neither `import app` nor the API's Lambda pays for them."""
import importlib
import logging
import os
from collections.abc import Iterable

from chalice import Blueprint

from chalicelib.core.streams import Change, change_from

stream = Blueprint(__name__)
log = logging.getLogger("quay.stream")

# (item kind from the key, "module:function"): the function receives one Change.
SUBSCRIBERS: tuple[tuple[str, str], ...] = (
    ("ORDER", "chalicelib.reports.handlers:on_order_change"),
    ("ORDER", "chalicelib.invoices.handlers:on_order_change"),
    ("STOCK", "chalicelib.channels.handlers:on_stock_change"),
    ("ORDER", "chalicelib.channels.handlers:on_order_change"),
    ("CHANNELEVENT", "chalicelib.channels.handlers:on_webhook_event"),
    ("ORDER", "chalicelib.alerts.handlers:on_change"),
    ("STOCK", "chalicelib.alerts.handlers:on_change"),
    ("CONNECTION", "chalicelib.alerts.handlers:on_change"),
    ("AUDIT", "chalicelib.alerts.handlers:on_change"),
    ("ORDER", "chalicelib.audit.handlers:on_change"),
    ("ORDER", "chalicelib.flows.customer_orders:on_order_change"),
    ("RESERVATION", "chalicelib.audit.handlers:on_change"),
)

STREAM_ARN = os.environ.get("QUAY_TABLE_STREAM_ARN",
                            "arn:aws:dynamodb:ap-southeast-1:000000000000:table/quay/stream/local")


def _function(path: str):
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


class SubscriberFailed(Exception):
    """Raised after the whole batch ran, so Lambda retries it (replays are safe by design)."""


def dispatch(changes: Iterable[Change]) -> dict:
    """Every change to every subscriber of its kind. A failing subscriber is logged and counted;
    the batch goes on, so one subscriber's outage does not hold the others back."""
    handled, failed = 0, []
    for change in changes:
        for kind, path in SUBSCRIBERS:
            if kind != change.kind:
                continue
            try:
                _function(path)(change)
                handled += 1
            except Exception as error:
                log.exception("stream subscriber %s failed on %s %s", path, change.pk, change.sk)
                failed.append({"subscriber": path, "pk": change.pk, "error": str(error)})
    return {"handled": handled, "failed": failed}


@stream.on_dynamodb_record(stream_arn=STREAM_ARN, batch_size=100, starting_position="TRIM_HORIZON",
                           name="on_table_change")
def on_table_change(event):
    outcome = dispatch(change_from(record.to_dict()) for record in event)
    if outcome["failed"]:
        raise SubscriberFailed(outcome["failed"][:5])
    return outcome
