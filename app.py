"""Quay API: wiring only. Each area of chalicelib/ brings its own Blueprint."""
from chalice import Chalice

from chalicelib.alerts.api import alert_routes
from chalicelib.alerts.jobs import alert_jobs
from chalicelib.audit.api import audit
from chalicelib.carriers.api import carrier_routes
from chalicelib.carriers.jobs import carrier_jobs
from chalicelib.catalog.api import products
from chalicelib.channels.api import channel_routes
from chalicelib.channels.jobs import channel_jobs
from chalicelib.core.gate import gate
from chalicelib.core.openapi import meta
from chalicelib.customers.api import customer_routes
from chalicelib.flows.api import flow_routes
from chalicelib.flows.jobs import jobs
from chalicelib.flows.stream import stream
from chalicelib.invoices.api import invoice_routes
from chalicelib.live.api import live_routes
from chalicelib.live.jobs import live_jobs
from chalicelib.orders.api import order_routes
from chalicelib.reports.api import report_routes
from chalicelib.staff.api import accounts
from chalicelib.stock.api import stock_routes
from chalicelib.stock.locations_api import locations

app = Chalice(app_name="quay")
app.api.binary_types = []  # CSV and JSON are text; keep bodies as UTF-8 strings

for blueprint in (gate, meta, accounts, products, locations, stock_routes, order_routes, customer_routes, audit,
                  flow_routes, jobs, stream, carrier_routes, carrier_jobs, invoice_routes,
                  report_routes, live_routes, live_jobs, channel_routes, channel_jobs, alert_routes, alert_jobs):
    app.register_blueprint(blueprint)
