"""The endpoint decorator: every route goes through it, so parsing, validation, auth,
permission checks, idempotency, error mapping and the OpenAPI registry live in one place."""
import functools
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chalice import Blueprint, Response
from pydantic import BaseModel, ValidationError

from chalicelib.core import clock, i18n, problems
from chalicelib.core import headers as security_headers
from chalicelib.core import idempotency as idempotency_keys
from chalicelib.core.errors import (
    DomainError,
    InvalidInput,
    NotAuthenticated,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from chalicelib.core.gate import bearer_token
from chalicelib.core.idempotency import IdempotencyRequest, Replay
from chalicelib.core.lazy import lazy
from chalicelib.core.principal import Principal
from chalicelib.core.roles import Role
from chalicelib.core.settings import settings

unit_of_work = lazy("chalicelib.core.uow")  # PynamoDB is loaded by the first write, not by `import app`

log = logging.getLogger("quay")
JSON_TYPE = "application/json; charset=utf-8"
MAX_PATH_PARAMETER = 128  # ids, SKUs, barcodes; DynamoDB keys must stay short
MAX_JSON_DEPTH = 32  # our deepest body nests 4 levels; platforms' webhooks fewer than 20


PrincipalCheck = Callable[[Principal], Principal]
_principal_checks: list[PrincipalCheck] = []


def register_principal_check(check: PrincipalCheck) -> None:
    """The staff area registers how a token's principal is checked against the account as it is
    now (deactivated, demoted, narrowed, password reset -> refused at once); see ADR 0008."""
    _principal_checks.append(check)


@dataclass
class Operation:
    """What the OpenAPI document says about one route."""
    path: str
    method: str
    summary: str
    tag: str
    status: int
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: Any
    permission: str | None
    public: bool
    replayable: bool  # every authenticated write accepts Idempotency-Key
    request_media: str = "application/json"
    response_media: str = "application/json"
    errors: tuple[int, ...] = field(default_factory=tuple)
    alternate_media: tuple[str, ...] = ()  # other answers the route may give on request (e.g. format=csv)


OPERATIONS: list[Operation] = []
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _field_errors(error: ValidationError, whole: str) -> list[dict]:
    """One entry per invalid field; a rule over several fields is named after `whole`."""
    return [{"field": ".".join(str(part) for part in item["loc"]) or whole, "message": item["msg"],
             "code": item["type"], "ctx": {k: str(v) for k, v in (item.get("ctx") or {}).items()}}
            for item in error.errors()]


def _principal(request) -> Principal:
    context = (request.context or {}).get("authorizer") or {}
    if "auth_error" in context or "tid" not in context:
        raise NotAuthenticated(context.get("auth_error", "Sign in first."))
    if int(context["exp"]) <= clock.now().timestamp():  # the authorizer's verdict may be cached past expiry
        raise NotAuthenticated("The token has expired; sign in again.")
    locations = tuple(x for x in str(context.get("loc", "")).split(",") if x)
    principal = Principal(context["tid"], context["principalId"], Role(context["role"]), locations,
                               access_version=int(context.get("av") or 0))
    for check in _principal_checks:
        principal = check(principal)
    return principal


def _raw_body(request) -> bytes:
    raw = request.raw_body or b""
    if len(raw) > settings.max_body_bytes:
        raise PayloadTooLarge(f"The body is {len(raw)} bytes; the limit is {settings.max_body_bytes}.")
    return raw


def nesting_depth(raw: bytes) -> int:
    """How deep arrays and objects nest, outside strings: checked before parsing, so a body of ten
    thousand brackets is a 400, never a RecursionError."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def parse_json_body(request, model: type[BaseModel]) -> BaseModel:
    raw = _raw_body(request)
    if nesting_depth(raw) > MAX_JSON_DEPTH:
        raise InvalidInput("The body nests too deeply.",
                           errors=[{"field": "body", "message": f"at most {MAX_JSON_DEPTH} levels of nesting"}])
    try:
        data = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise InvalidInput("The body is not valid JSON.",
                           errors=[{"field": "body", "message": str(error)}]) from error
    if not isinstance(data, dict):
        raise InvalidInput("The body must be a JSON object.",
                           errors=[{"field": "body", "message": "expected an object"}])
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidInput("Some fields are invalid.", errors=_field_errors(error, "body")) from error


def _parse_query(request, model: type[BaseModel]) -> BaseModel:
    try:
        return model.model_validate(dict(request.query_params or {}))
    except ValidationError as error:
        raise InvalidInput("Some query parameters are invalid.", errors=_field_errors(error, "query")) from error


def _idempotency(request, operation: Operation, params: dict) -> IdempotencyRequest | None:
    """The request's Idempotency-Key, scoped to the operation and its concrete path (the same key
    sent to confirm two different orders is two requests)."""
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    if not 1 <= len(key) <= 128 or not key.isprintable():
        raise InvalidInput("Idempotency-Key must be 1-128 printable characters.",
                           errors=[{"field": "Idempotency-Key", "message": "invalid"}])
    digest = hashlib.sha256(request.raw_body or b"").hexdigest()
    return IdempotencyRequest(scope=f"{operation.method}{operation.path.format(**params)}", key=key,
                              request_hash=digest)


ANY_MEDIA = "*/*"
ACCEPTED_MEDIA = {"application/json": {"application/json"}, "text/csv": {"text/csv", "text/plain"}}


def _check_media(request, expected: str) -> None:
    """Chalice lets every media type through (so its own 415 never answers); we refuse here.
    `*/*` takes any body as raw bytes (signed webhooks: JSON, or a form-encoded ping)."""
    if not request.raw_body or expected == ANY_MEDIA:
        return
    sent = (request.headers.get("content-type") or "application/json").split(";")[0].strip().lower()
    if sent not in ACCEPTED_MEDIA.get(expected, {expected}):
        raise UnsupportedMediaType(f"Send this body as {expected}, not {sent}.",
                                   errors=[{"field": "Content-Type", "message": f"expected {expected}"}])


def _check_path(params: dict) -> None:
    too_long = [name for name, value in params.items() if len(value) > MAX_PATH_PARAMETER]
    if too_long:
        raise InvalidInput("A path parameter is too long.", errors=[
            {"field": name, "message": f"at most {MAX_PATH_PARAMETER} characters"} for name in too_long])


def _secured(response: Response) -> Response:
    """Every answer leaves with the security headers (core/headers.py), whatever produced it."""
    media = next((v for k, v in response.headers.items() if k.lower() == "content-type"), "application/json")
    for name, value in security_headers.for_api(media).items():
        response.headers.setdefault(name, value)
    return response


def json_response(body: Any, status: int = 200, headers: dict | None = None) -> Response:
    return Response(body=json.dumps(body, ensure_ascii=False, default=str), status_code=status,
                    headers={"Content-Type": JSON_TYPE, **(headers or {})})


def _render(result: Any, status: int) -> Response:
    if isinstance(result, Response):
        return result
    if isinstance(result, BaseModel):
        result = result.model_dump(mode="json")
    return json_response(result, status)


def endpoint(bp: Blueprint, path: str, method: str, *, summary: str, tag: str,
             body: type[BaseModel] | None = None, query: type[BaseModel] | None = None,
             response: Any = None, status: int = 200, permission: str | None = None,
             public: bool = False,
             request_media: str = "application/json", response_media: str = "application/json",
             errors: tuple[int, ...] = (), alternate_media: tuple[str, ...] = ()) -> Callable:
    """Register a route. The view gets `caller`, `body`, `query` and the path
    parameters as keyword arguments, and returns a pydantic model, a dict or a Response."""
    replayable = not public and method in MUTATING  # every authenticated write accepts Idempotency-Key
    operation = Operation(path, method, summary, tag, status, body, query, response, permission,
                          public, replayable, request_media, response_media, errors, alternate_media)
    OPERATIONS.append(operation)

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def handler(**params):
            return _secured(_handle(bp.current_request, params))

        def _handle(request, params):
            try:
                kwargs = dict(params)
                key = None
                if not public:
                    caller = kwargs["caller"] = _principal(request)
                    if permission:
                        caller.require(permission)
                    if replayable:
                        key = _idempotency(request, operation, params)
                        if key is not None:
                            unit_of_work.replay_if_seen(caller.tenant_id, key)
                _check_path(params)
                if body is not None or request_media != "application/json":
                    _check_media(request, request_media)
                if body is not None:
                    kwargs["body"] = parse_json_body(request, body)
                elif request_media != "application/json":
                    kwargs["raw"] = _raw_body(request)
                if query is not None:
                    kwargs["query"] = _parse_query(request, query)
                with idempotency_keys.bound(key):
                    return _render(view(**kwargs), status)
            except Replay as replay:
                return json_response(replay.body, replay.status_code, {"Idempotent-Replayed": "true"})
            except DomainError as error:
                return problems.from_error(error, i18n.language(request.headers.get("accept-language")))
            except Exception:
                log.exception("unhandled error on %s %s", method, path)
                return problems.internal_error(i18n.language(request.headers.get("accept-language")))

        route_options = {"methods": [method], "content_types": ["*/*"]}
        if not public:
            route_options["authorizer"] = bearer_token
        bp.route(path, **route_options)(handler)
        return handler

    return decorator
