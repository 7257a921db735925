"""Routes: customers, matched across channels; lookup by phone prefix; merge."""
from chalice import Blueprint

from chalicelib.core.endpoint import endpoint
from chalicelib.core.lazy import lazy
from chalicelib.customers.schemas import CustomerList, CustomerOut, CustomerPatch, CustomerProfile, CustomerQuery

customers = lazy("chalicelib.customers.service")

customer_routes = Blueprint(__name__)
TAG = "Customers"


@endpoint(customer_routes, "/api/v1/customers", "GET", summary="Find customers by phone prefix or text", tag=TAG,
          query=CustomerQuery, response=CustomerList, permission="customers.view", errors=(400, 401, 403))
def list_customers(caller, query: CustomerQuery):
    return customers.search(caller.tenant_id, phone=query.phone, q=query.q, limit=query.limit, cursor=query.cursor)


@endpoint(customer_routes, "/api/v1/customers/{customer_id}", "GET", summary="Profile with stats and orders", tag=TAG,
          response=CustomerProfile, permission="customers.view", errors=(401, 403, 404))
def get_customer(caller, customer_id: str):
    return customers.profile(caller.tenant_id, customer_id)


@endpoint(customer_routes, "/api/v1/customers/{customer_id}", "PATCH", summary="Name, group, notes", tag=TAG,
          body=CustomerPatch, response=CustomerOut, permission="customers.manage", errors=(400, 401, 403, 404))
def update_customer(caller, customer_id: str, body: CustomerPatch):
    return customers.update(caller, customer_id, body.model_dump(exclude_unset=True))
