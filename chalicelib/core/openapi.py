"""Routes: health and the OpenAPI 3.1 document generated from the endpoint registry."""
from functools import lru_cache

from chalice import Blueprint
from pydantic import BaseModel

from chalicelib.core.endpoint import OPERATIONS, endpoint
from chalicelib.core.schemas import Out, Problem

meta = Blueprint(__name__)
TAG = "Meta"
REF_TEMPLATE = "#/components/schemas/{model}"


class HealthOut(Out):
    status: str


@endpoint(meta, "/api/v1/health", "GET", summary="Liveness", tag=TAG, response=HealthOut, public=True)
def health():
    return {"status": "ok"}


def _schema_ref(model: type[BaseModel], components: dict) -> dict:
    schema = model.model_json_schema(ref_template=REF_TEMPLATE)
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    components[model.__name__] = schema
    return {"$ref": REF_TEMPLATE.format(model=model.__name__)}


def _always_possible(op) -> set[int]:
    """Answers every route can give: bad input, for protected routes 401 (and 403), and for
    writes 422 (ADR 0007)."""
    statuses = {400, 500}
    if op.body is not None or op.request_media != "application/json":
        statuses |= {413, 415}
    if not op.public:
        statuses.add(401)
    if op.permission:
        statuses.add(403)
    if op.replayable:
        statuses.add(422)  # an Idempotency-Key reused with another body
    return statuses


def _parameters(op, components: dict) -> list[dict]:
    params = [{"name": part.strip("{}"), "in": "path", "required": True, "schema": {"type": "string"}}
              for part in op.path.split("/") if part.startswith("{")]
    if op.query is not None:
        schema = op.query.model_json_schema(ref_template=REF_TEMPLATE)
        components.update(schema.pop("$defs", {}))
        for name, prop in schema.get("properties", {}).items():
            params.append({"name": name, "in": "query", "required": name in schema.get("required", []),
                           "schema": prop})
    if op.replayable:
        params.append({"name": "Idempotency-Key", "in": "header", "required": False,
                       "schema": {"type": "string", "maxLength": 128}})
    return params


@lru_cache(maxsize=1)
def build_document() -> dict:
    components: dict = {}
    problem_ref = _schema_ref(Problem, components)
    paths: dict = {}
    for op in OPERATIONS:
        responses: dict = {}
        content: dict = {}
        if op.response is not None:
            content = {op.response_media: {"schema": _schema_ref(op.response, components)}}
        elif op.response_media != "application/json":
            content = {op.response_media: {"schema": {"type": "string"}}}
        content.update({media: {"schema": {"type": "string"}} for media in op.alternate_media})
        responses[str(op.status)] = {"description": "OK", "content": content} if content else {"description": "OK"}
        for status in sorted(set(op.errors) | _always_possible(op)):
            responses[str(status)] = {"description": "Problem",
                                      "content": {"application/problem+json": {"schema": problem_ref}}}
        operation = {"summary": op.summary, "tags": [op.tag], "operationId": f"{op.method.lower()}{op.path}",
                     "parameters": _parameters(op, components), "responses": responses}
        if op.body is not None:
            operation["requestBody"] = {"required": True, "content": {
                op.request_media: {"schema": _schema_ref(op.body, components)}}}
        elif op.request_media != "application/json":
            operation["requestBody"] = {"required": True, "content": {op.request_media: {"schema": {"type": "string"}}}}
        if op.public:
            operation["security"] = []
        if op.permission:
            operation["x-permission"] = op.permission
        paths.setdefault(op.path, {})[op.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Quay API", "version": "1.0.0",
                 "description": "Omnichannel sales and order management. Errors are RFC 9457 problem+json."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
        "security": [{"bearer": []}],
    }


@endpoint(meta, "/api/v1/openapi.json", "GET", summary="This document", tag=TAG, public=True)
def openapi_document():
    return build_document()
