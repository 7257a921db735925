"""Routes: channel connections, OAuth, sync, the log, listings and links, signed webhooks
(API.md "Channel connections"). Platform calls are imported on use, not at cold start."""
from chalice import Blueprint, Response

from chalicelib.channels.schemas import (
    AuthorizeQuery,
    ConnectionCreated,
    ConnectionIn,
    ConnectionList,
    ConnectionOut,
    ConnectionPatch,
    LinkIn,
    LinkOut,
    ListingList,
    ListingOut,
    ListingQuery,
    LogList,
    LogQuery,
    SyncIn,
    SyncOut,
    WebhookOut,
)
from chalicelib.core.endpoint import ANY_MEDIA, endpoint
from chalicelib.core.lazy import lazy

connections = lazy("chalicelib.channels.connections")
listings = lazy("chalicelib.channels.listings")
webhooks = lazy("chalicelib.channels.webhooks")

channel_routes = Blueprint(__name__)
TAG = "Channels"


@endpoint(channel_routes, "/api/v1/channel-connections", "POST",
          summary="Connect a marketplace shop (pasted tokens) or a website", tag=TAG,
          body=ConnectionIn, response=ConnectionCreated, status=201, permission="channels.manage",
          errors=(400, 401, 403, 409))
def create_connection(caller, body: ConnectionIn):
    return connections.create(caller, body.model_dump(exclude_none=True) | {"tokens": body.tokens.model_dump()
                                                                             if body.tokens else None})


@endpoint(channel_routes, "/api/v1/channel-connections", "GET",
          summary="Connections with their health", tag=TAG, response=ConnectionList,
          permission="channels.view", errors=(401, 403))
def list_connections(caller):
    return connections.list_connections(caller)


@endpoint(channel_routes, "/api/v1/channel-connections/{connection_id}", "GET",
          summary="One connection (never its tokens)", tag=TAG,
          response=ConnectionOut, permission="channels.view", errors=(401, 403, 404))
def get_connection(caller, connection_id: str):
    return connections.get(caller, connection_id)


@endpoint(channel_routes, "/api/v1/channel-connections/{connection_id}", "PATCH",
          summary="Rename, locations, allocation, buffer, "
          "enable/disable, replace pasted tokens", tag=TAG, body=ConnectionPatch, response=ConnectionOut,
          permission="channels.manage", errors=(400, 401, 403, 404, 409))
def update_connection(caller, connection_id: str, body: ConnectionPatch):
    changes = body.model_dump(exclude_unset=True)
    if body.tokens:
        changes["tokens"] = body.tokens.model_dump()
    return connections.update(caller, connection_id, changes)


@endpoint(channel_routes, "/api/v1/channel-connections/{connection_id}/authorize", "GET",
          summary="302 to the platform's authorization page (the path names the channel: shopee, lazada, tiktok_shop)",
          tag=TAG, query=AuthorizeQuery, status=302, permission="channels.manage", errors=(400, 401, 403))
def authorize(caller, connection_id: str, query: AuthorizeQuery):
    location_ids = [x for x in (query.location_ids or "").split(",") if x]
    url = connections.authorize_url(caller, connection_id, query.name, location_ids)
    if query.respond == "json":
        return {"url": url}
    return Response(body="", status_code=302, headers={"Location": url, "Cache-Control": "no-store"})


@endpoint(channel_routes, "/api/v1/oauth/{channel}/callback", "GET", summary="The platform returns here with a code",
          tag=TAG, status=302, public=True, errors=(400, 401))
def oauth_callback(channel: str):
    query = dict(channel_routes.current_request.query_params or {})
    connection = connections.oauth_callback(channel, query)
    return Response(body="", status_code=302, headers={"Location": f"/#/channels/{connection['id']}",
                                                        "Cache-Control": "no-store"})


@endpoint(channel_routes, "/api/v1/channel-connections/{connection_id}/sync", "POST",
          summary="Pull orders and listings now", tag=TAG,
          body=SyncIn, response=SyncOut, permission="channels.manage", errors=(400, 401, 403, 404))
def sync_now(caller, connection_id: str, body: SyncIn):
    from chalicelib.channels import sync

    return sync.sync_now(caller, connection_id, body.since)


@endpoint(channel_routes, "/api/v1/channel-connections/{connection_id}/log", "GET",
          summary="Sync, push and webhook events, newest first",
          tag=TAG, query=LogQuery, response=LogList, permission="channels.view", errors=(400, 401, 403, 404))
def read_log(caller, connection_id: str, query: LogQuery):
    return connections.read_log(caller, connection_id, query.limit, query.cursor)


@endpoint(channel_routes, "/api/v1/channel-listings", "GET", summary="Listings (filter: connection, linked)", tag=TAG,
          query=ListingQuery, response=ListingList, permission="channels.view", errors=(400, 401, 403, 404))
def list_listings(caller, query: ListingQuery):
    return listings.list_listings(caller, query.connection_id, query.linked)


@endpoint(channel_routes, "/api/v1/channel-listings/{listing_id}/link", "POST",
          summary="Link a listing to a SKU; orders held as product_not_linked for it are relinked", tag=TAG,
          body=LinkIn, response=LinkOut, permission="channels.manage", errors=(400, 401, 403, 404))
def link_listing(caller, listing_id: str, body: LinkIn):
    return listings.link(caller, listing_id, body.sku)


@endpoint(channel_routes, "/api/v1/channel-listings/{listing_id}/push", "POST",
          summary="Push this listing's stock again now (a failed push's retry)", tag=TAG, response=ListingOut,
          permission="channels.manage", errors=(401, 403, 404))
def push_listing(caller, listing_id: str):
    from chalicelib.channels import pushes

    item = listings.load_listing(caller, listing_id)
    pushes.retry_now(item)
    return listings.view(listings.load_listing(caller, listing_id))


@endpoint(channel_routes, "/api/v1/webhooks/{channel}", "POST", summary="A marketplace's signed push", tag="Webhooks",
          response=WebhookOut, public=True, request_media=ANY_MEDIA, errors=(400, 401, 404, 413))
def marketplace_webhook(channel: str, raw: bytes):
    request = channel_routes.current_request
    return webhooks.receive_marketplace(channel, request.headers, raw)


@endpoint(channel_routes, "/api/v1/webhooks/website/{connection_id}", "POST", summary="A website's signed order webhook",
          tag="Webhooks", response=WebhookOut, public=True, request_media=ANY_MEDIA, errors=(400, 401, 413))
def website_webhook(connection_id: str, raw: bytes):
    request = channel_routes.current_request
    return webhooks.receive_website(connection_id, request.headers, raw)
