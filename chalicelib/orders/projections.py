"""Index projections shared by the item models and the table definition (no imports: infra reads it
before any settings exist)."""

# What order lists show and filter on: the only attributes the two order indexes copy, so
# that saving an order does not write its whole document three times.
ORDER_SUMMARY_ATTRIBUTES = ("order_id", "status", "channel", "external_id", "total", "payment_status",
                            "customer_name", "customer_phone", "sold_by", "warning_codes", "search_text",
                            "created_at", "location_ids")
