"""The Chalice authorizer: verifies the bearer token once per token (cached by API Gateway).

It lets every request through to the function but passes its verdict in the context;
the endpoint layer answers 401 as problem+json when the verdict is negative. See
docs/adr/0002-authorizer-verdict-in-context.md."""
from chalice import AuthResponse, Blueprint

from chalicelib.core import tokens
from chalicelib.core.errors import NotAuthenticated

gate = Blueprint(__name__)


@gate.authorizer(ttl_seconds=60)
def bearer_token(auth_request):
    scheme, _, token = (auth_request.token or "").partition(" ")
    try:
        if scheme.lower() != "bearer" or not token:
            raise NotAuthenticated("Use 'Authorization: Bearer <access_token>'.")
        claims = tokens.read_access_token(token.strip())
    except NotAuthenticated as error:
        return AuthResponse(routes=["*"], principal_id="anonymous", context={"auth_error": error.detail})
    return AuthResponse(routes=["*"], principal_id=claims.staff_id, context={
        "tid": claims.tenant_id, "role": claims.role,
        "loc": ",".join(claims.location_ids), "exp": claims.expires_at, "av": claims.access_version})
