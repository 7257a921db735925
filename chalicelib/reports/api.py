"""Routes: sales, customers and stock reports (JSON, or CSV for Excel)."""
from chalice import Blueprint, Response

from chalicelib.core.endpoint import endpoint
from chalicelib.core.lazy import lazy
from chalicelib.reports.schemas import CustomersReport, RangeQuery, SalesQuery, SalesReport, StockQuery, StockReport

reports = lazy("chalicelib.reports.service")

report_routes = Blueprint(__name__)
TAG = "Reports"


@endpoint(report_routes, "/api/v1/reports/sales", "GET", tag=TAG, query=SalesQuery, response=SalesReport,
          summary="Sales by day, week, month, channel, product, staff or location (format=csv for Excel)",
          permission="reports.view", errors=(400, 401, 403), alternate_media=("text/csv",))
def sales_report(caller, query: SalesQuery):
    report = reports.sales(caller, day_from=query.day_from, day_to=query.day_to, group_by=query.group_by,
                           channel=query.channel, location_id=query.location_id)
    if query.format == "csv":
        name = f"doanh-thu-{query.group_by}-{query.day_from}-{query.day_to}.csv"
        return Response(body=reports.as_csv(report), status_code=200, headers={
            "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": f'attachment; filename="{name}"'})
    return report


@endpoint(report_routes, "/api/v1/reports/customers", "GET", tag=TAG, query=RangeQuery, response=CustomersReport,
          summary="New and returning customers, and the top customers by revenue", permission="reports.view",
          errors=(400, 401, 403))
def customers_report(caller, query: RangeQuery):
    return reports.customers_report(caller, day_from=query.day_from, day_to=query.day_to)


@endpoint(report_routes, "/api/v1/reports/stock", "GET", tag=TAG, query=StockQuery, response=StockReport,
          summary="Stock value at cost, low stock and slow movers", permission="reports.view", errors=(400, 401, 403))
def stock_report(caller, query: StockQuery):
    return reports.stock_report(caller, location_id=query.location_id, slow_days=query.slow_days)
