"""One module per delivery provider (telegram, webpush) behind the small interface in base.py."""
from chalicelib.alerts.providers.base import (
    AlertProvider,
    Delivery,
    DeliveryError,
    RateLimited,
    RecipientGone,
    Rejected,
    Unavailable,
)

__all__ = ["AlertProvider", "Delivery", "DeliveryError", "RateLimited", "RecipientGone", "Rejected", "Unavailable"]
