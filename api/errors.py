"""The one place where failures become RFC 9457 `application/problem+json` responses.

Domain errors keep their meaning (NotFound 404, PermissionDenied 403, Conflict and
InvalidTransition 409, ValidationFailed 422); Litestar's own request validation becomes 422
naming the fields; HTTP-level refusals raised by the API machinery (auth, scopes, limits,
idempotency) are `ApiProblem`s. Unexpected errors are logged with a reference and answered
with that reference only: never a stack trace.

Every problem has `type` (a stable URN clients can match on), `title` (the HTTP phrase),
`status`, `detail` (English text from the i18n catalogue), `instance` (the request path) and
`code` (the message code); 422s add `errors: [{"field", "code", "message"}]`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.exceptions.responses import create_exception_response
from litestar.types import ExceptionHandlersMap, Scope

from bot.i18n import Translator
from domain.errors import (
    Conflict,
    DomainError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)

log = logging.getLogger("platops.api")
PROBLEM_JSON = "application/problem+json"
API_PREFIX = "/api/v1"
_en = Translator("en")

# Domain error class -> (HTTP status, problem type slug); most specific first.
_DOMAIN_STATUS: tuple[tuple[type[DomainError], int, str], ...] = (
    (NotFound, 404, "not-found"),
    (PermissionDenied, 403, "permission-denied"),
    (InvalidTransition, 409, "invalid-transition"),
    (Conflict, 409, "conflict"),
    (ValidationFailed, 422, "validation"),
)
# HTTP-level statuses the API machinery and Litestar raise -> problem type slug.
_HTTP_TYPES = {
    400: "bad-request",
    401: "unauthorized",
    403: "insufficient-scope",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation",
    429: "rate-limited",
}


class ApiProblem(HTTPException):
    """A refusal by the API machinery itself, described by an i18n message code."""

    def __init__(
        self,
        status: int,
        code: str,
        *,
        problem: str | None = None,
        headers: Mapping[str, str] | None = None,
        errors: list[dict[str, str]] | None = None,
        **params: object,
    ) -> None:
        self.code = code
        self.problem = problem or _HTTP_TYPES.get(status, "error")
        self.errors = errors
        super().__init__(
            detail=_en(code, **params), status_code=status, headers=dict(headers or {})
        )


def problem_type(slug: str) -> str:
    return f"urn:platops:problem:{slug}"


def problem_response(
    request: Request[Any, Any, Any],
    status: int,
    slug: str,
    detail: str,
    *,
    code: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, object] | None = None,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": problem_type(slug),
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if code:
        body["code"] = code
    if errors is not None:
        body["errors"] = errors
    body.update(extra or {})
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=dict(headers or {}))


def field_errors(error: ValidationFailed) -> list[dict[str, str]]:
    return [
        {"field": name, "code": code, "message": _en(code, field=name, **params)}
        for name, (code, params) in error.fields.items()
    ]


def _domain_error(request: Request[Any, Any, Any], error: DomainError) -> Response[Any]:
    status, slug = next(
        ((s, t) for cls, s, t in _DOMAIN_STATUS if isinstance(error, cls)), (400, "bad-request")
    )
    if isinstance(error, ValidationFailed):
        errors = field_errors(error)
        detail = " ".join(item["message"] for item in errors)
        return problem_response(request, 422, slug, detail, code=error.code, errors=errors)
    return problem_response(request, status, slug, _en(error.code, **error.params), code=error.code)


def _request_validation(
    request: Request[Any, Any, Any], error: ValidationException
) -> Response[Any]:
    """Litestar could not parse or type-check the request: name each failing field."""
    errors = []
    for item in error.extra if isinstance(error.extra, list) else []:
        if not isinstance(item, dict):
            continue
        field = str(item.get("key") or item.get("source") or "body")
        message = str(item.get("message") or error.detail)
        errors.append(
            {
                "field": field,
                "code": "api.errors.invalid_field",
                "message": _en("api.errors.invalid_field", field=field, message=message),
            }
        )
    if not errors:
        # e.g. a body that is not JSON at all: there is no field to name but the body itself.
        errors.append(
            {
                "field": "body",
                "code": "api.errors.invalid_body",
                "message": _en("api.errors.invalid_body", message=error.detail),
            }
        )
    detail = " ".join(item["message"] for item in errors)
    return problem_response(request, 422, "validation", detail, errors=errors)


def _http_error(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    if isinstance(error, ApiProblem):
        return problem_response(
            request,
            error.status_code,
            error.problem,
            error.detail,
            code=error.code,
            errors=error.errors,
            headers=error.headers,
        )
    status = error.status_code
    if status >= 500:
        return _unexpected(request, error)
    if status == 400:
        # Litestar's own 400s mean the request could not be parsed (e.g. malformed JSON):
        # invalid input, which this API answers with 422 like every other validation failure.
        return _request_validation(request, ValidationException(detail=error.detail))
    detail = {
        404: _en("api.errors.no_route", method=request.method, path=request.url.path),
        405: _en("api.errors.method", method=request.method, path=request.url.path),
        413: _en("api.errors.too_large", limit=body_limit(request.scope)),
    }.get(status, error.detail)
    return problem_response(
        request, status, _HTTP_TYPES.get(status, "error"), detail, headers=error.headers
    )


def _unexpected(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    ref = uuid.uuid4().hex[:8]
    log.error(
        "unexpected API error (ref %s) on %s %s",
        ref,
        request.method,
        request.url.path,
        exc_info=error,
    )
    return problem_response(
        request,
        500,
        "internal",
        _en("errors.unexpected", ref=ref),
        code="errors.unexpected",
        extra={"reference": ref},
    )


def body_limit(scope: Scope) -> int | None:
    """The request body limit in bytes of the matched route (1 MiB app-wide)."""
    resolve = getattr(scope.get("route_handler"), "resolve_request_max_body_size", None)
    limit = resolve() if resolve is not None else None
    if not isinstance(limit, int):
        limit = getattr(scope.get("litestar_app"), "request_max_body_size", None)
    return limit if isinstance(limit, int) else None


def exception_handlers() -> ExceptionHandlersMap:
    """For the /api/v1 router: every failure inside a matched API route."""
    return {
        DomainError: _domain_error,
        ValidationException: _request_validation,
        HTTPException: _http_error,
        Exception: _unexpected,
    }


def _app_level_http_error(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    # Unknown paths and wrong methods are decided before any router: answer problem+json under
    # /api/v1 only, and exactly as Litestar would everywhere else (Slack, health, sandbox).
    if request.url.path.startswith(API_PREFIX):
        return _http_error(request, error)
    return create_exception_response(request, error)


def app_exception_handlers() -> ExceptionHandlersMap:
    """For the whole application: 404/405 under /api/v1 as problem+json."""
    return {HTTPException: _app_level_http_error}
