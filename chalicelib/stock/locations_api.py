"""Routes: warehouses and stores."""
from chalice import Blueprint

from chalicelib.core.endpoint import endpoint
from chalicelib.core.lazy import lazy
from chalicelib.stock.location_schemas import LocationIn, LocationList, LocationOut

location_service = lazy("chalicelib.stock.locations")

locations = Blueprint(__name__)
TAG = "Locations"


@endpoint(locations, "/api/v1/locations", "POST", summary="Create a warehouse or store", tag=TAG,
          body=LocationIn, response=LocationOut, status=201, permission="locations.manage",
          errors=(400, 401, 403, 422))
def create_location(caller, body: LocationIn):
    return location_service.create(caller, name=body.name, kind=body.kind, address=body.address,
                                   channels=[c.model_dump(mode="json") for c in body.channels])


@endpoint(locations, "/api/v1/locations", "GET", summary="List locations", tag=TAG, response=LocationList,
          permission="catalog.view", errors=(401, 403))
def list_locations(caller):
    return {"items": location_service.list_all(caller.tenant_id), "next_cursor": None}


@endpoint(locations, "/api/v1/locations/{location_id}", "GET", summary="One location", tag=TAG,
          response=LocationOut, permission="catalog.view", errors=(401, 403, 404))
def get_location(caller, location_id: str):
    return location_service.get(caller.tenant_id, location_id)
