"""The daily summary's figures: one small function the reports area's rollups can later replace.
Today it reads one local day of one shop's orders through the orders area's list use case."""
from chalicelib.alerts import rules
from chalicelib.core import clock
from chalicelib.orders import service as orders

PAGE = 200
MAX_ORDERS = 5000  # a summary reads at most this many orders (25 pages); beyond, the figures say so in the log


def figures(tenant_id: str, day: str, zone: str) -> dict:
    start, end = rules.day_bounds_utc(day, zone)
    low, high = clock.iso(start), clock.iso(end)
    found, cursor = [], None
    while len(found) < MAX_ORDERS:
        page = orders.list_orders(tenant_id, status=None, channel=None, q=None, warning=None, phone=None,
                                  staff_id=None, date_from=low, date_to=high, limit=PAGE, cursor=cursor)
        found += [o for o in page["items"] if o["created_at"] < high]
        cursor = page["next_cursor"]
        if not cursor:
            break
    return rules.day_figures(day, found)
