"""The daily summary's figures, read from the reports' rollups (one local day: a few small Queries)."""
from chalicelib.reports import service as reports


def figures(tenant_id: str, day: str, zone: str) -> dict:
    """{date, orders (not canceled), revenue, canceled, by_channel, top_products} of one local day.
    `zone` is the shop's; the rollups are kept in the shop's own days already."""
    summary = reports.day_summary(tenant_id, day)
    totals = summary["totals"]
    return {"date": day, "orders": totals["orders"] - totals["canceled"], "revenue": totals["revenue"],
            "canceled": totals["canceled"],
            "by_channel": [{"channel": r["key"], "orders": r["orders"] - r["canceled"], "revenue": r["revenue"]}
                           for r in summary["channels"]],
            "top_products": [{"sku": r["key"], "name": r["label"], "quantity": r["units"], "revenue": r["revenue"]}
                             for r in summary["best_sellers"] if r["units"] > 0]}
