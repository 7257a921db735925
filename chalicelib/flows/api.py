"""Routes whose use case spans areas (chalicelib/flows/)."""
from chalice import Blueprint

from chalicelib.core.endpoint import endpoint
from chalicelib.core.lazy import lazy
from chalicelib.customers.schemas import CustomerProfile, MergeIn

customer_merge = lazy("chalicelib.flows.customer_merge")


flow_routes = Blueprint(__name__)


@endpoint(flow_routes, "/api/v1/customers/{customer_id}/merge", "POST", summary="Merge a duplicate into this one",
          tag="Customers", body=MergeIn, response=CustomerProfile, permission="customers.manage",
          errors=(400, 401, 403, 404, 409))
def merge_customers(caller, customer_id: str, body: MergeIn):
    return customer_merge.merge(caller, customer_id, body.other_id)
