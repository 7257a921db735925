"""Quay API: wiring only. Each area lives in a Blueprint under chalicelib/api/."""
from chalice import Chalice

from chalicelib.api.accounts import accounts
from chalicelib.api.audit import audit
from chalicelib.api.customers import customer_routes
from chalicelib.api.gate import gate
from chalicelib.api.jobs import jobs
from chalicelib.api.locations import locations
from chalicelib.api.openapi import meta
from chalicelib.api.orders import order_routes
from chalicelib.api.products import products
from chalicelib.api.stock import stock_routes

app = Chalice(app_name="quay")
app.api.binary_types = []  # CSV and JSON are text; keep bodies as UTF-8 strings

for blueprint in (gate, meta, accounts, products, locations, stock_routes, order_routes, customer_routes, audit,
                  jobs):
    app.register_blueprint(blueprint)
