"""RFC 9457 problem+json: the one place where domain errors become HTTP statuses."""
import json
import re

from chalice import Response

from chalicelib.core import errors, i18n

PROBLEM_TYPE = "application/problem+json"

# Most specific first: the first matching class decides the status.
STATUS_BY_ERROR: list[tuple[type[errors.DomainError], int, str]] = [
    (errors.ThirdPartyUnavailable, 503, "Partner unavailable"),
    (errors.InvalidInput, 400, "Invalid request"),
    (errors.NotAuthenticated, 401, "Not authenticated"),
    (errors.NotPermitted, 403, "Not permitted"),
    (errors.NotFound, 404, "Not found"),
    (errors.OutOfStock, 409, "Not enough stock"),
    (errors.IllegalTransition, 409, "Not allowed in this status"),
    (errors.VersionMismatch, 409, "Changed by someone else"),
    (errors.ThirdPartyRefused, 409, "Refused by the partner"),
    (errors.Conflict, 409, "Conflict"),
    (errors.PayloadTooLarge, 413, "Request too large"),
    (errors.UnsupportedMediaType, 415, "Unsupported media type"),
    (errors.IdempotencyKeyReused, 422, "Idempotency key reused"),
    (errors.TooManyAttempts, 429, "Too many attempts"),
    (errors.Contention, 503, "Busy, try again"),
]


def _slug(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def problem(status: int, title: str, detail: str, type_: str = "about:blank", lang: str = i18n.DEFAULT,
            **extra) -> Response:
    body = {"type": type_, "title": i18n.title(title, lang), "status": status, "detail": i18n.detail(detail, lang),
            **extra}
    headers = {"Content-Type": PROBLEM_TYPE, "Content-Language": lang}
    if "retry_after" in extra:
        headers["Retry-After"] = str(extra["retry_after"])
    return Response(body=json.dumps(body, ensure_ascii=False), status_code=status, headers=headers)


def from_error(error: errors.DomainError, lang: str = i18n.DEFAULT) -> Response:
    for cls, status, title in STATUS_BY_ERROR:
        if isinstance(error, cls):
            extra = {"code": error.code, **error.extra}
            if error.errors:
                extra["errors"] = [{"field": e["field"], "message": i18n.field_message(e, lang),
                                    **({"code": e["code"]} if e.get("code") else {})} for e in error.errors]
            return problem(status, title, error.detail, f"/problems/{_slug(type(error).__name__)}", lang, **extra)
    raise TypeError(f"unmapped domain error {type(error).__name__}")


def internal_error(lang: str = i18n.DEFAULT) -> Response:
    return problem(500, "Internal error", "Something went wrong on our side. Please try again.", lang=lang,
                   code="internal_error")
