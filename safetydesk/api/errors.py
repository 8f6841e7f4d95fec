"""One error format for the whole API.

Every refusal, whatever raised it, answers

    {"error": {"code": "<stable_code>", "message": "<a sentence for people>", "details": {...}}}

`code` is stable and what clients branch on; `message` may change wording. The handlers here
are registered on the NinjaAPI in safetydesk/api/urls.py.
"""

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.parser import Parser
from ninja.types import DictStrAny

from safetydesk.cases.errors import CaseError
from safetydesk.lib.errors import Refusal

logger = logging.getLogger("safetydesk.api")

E = TypeVar("E", bound=Exception)


class ApiError(Refusal):
    """A refusal decided by the API layer itself (authentication, request format, replays)."""

    code = "api_error"


class Unauthenticated(ApiError):
    code = "unauthenticated"
    http_status = 401


class RoleNotPermitted(ApiError):
    # The same code as cases.errors.RoleNotPermitted: clients need not care which layer refused.
    code = "role_not_permitted"
    http_status = 403


class ReauthenticationRequired(ApiError):
    code = "reauthentication_required"
    http_status = 403


class IdempotencyKeyReused(ApiError):
    code = "idempotency_key_reused"
    http_status = 422


class MalformedJSON(ValueError):
    """The request body is not JSON at all (as opposed to JSON of the wrong shape)."""


class JSONParser(Parser):
    """Ninja's parser, but with a failure we can tell apart from other 400s.

    Ninja wraps any parser exception in HttpError(400) and keeps it as `__cause__`; the
    handler below looks for this class there to answer `malformed_json`.
    """

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        try:
            return super().parse_body(request)
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
            raise MalformedJSON(str(exc)) from exc


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


# Ninja raises HttpError for a few framework-level refusals; these are their stable codes.
HTTP_ERROR_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    429: "throttled",
}


def register_error_handlers(api: NinjaAPI) -> None:
    def respond(
        request: HttpRequest, status: int, code: str, message: str, details: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = api.create_response(request, error_body(code, message, details), status=status)
        if status == 401:
            # RFC 6750 §3: tell the client which scheme to use.
            response["WWW-Authenticate"] = 'Bearer realm="safetydesk"'
        return response

    def on_case_error(request: HttpRequest, exc: CaseError) -> HttpResponse:
        return respond(request, exc.http_status, exc.code, exc.message, exc.details)

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc.http_status, exc.code, exc.message, exc.details)

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        # Deliberately the same words whatever was missing: a case that exists but may not be
        # seen must be indistinguishable from one that does not (ARCHITECTURE §7).
        return respond(request, 404, "not_found", "Nothing was found at this address.")

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return respond(
            request, 422, "invalid_request", "The request has missing or invalid fields.",
            {"fields": [field_error(error) for error in exc.errors]},
        )

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, MalformedJSON):
            return respond(
                request, 400, "malformed_json", "The request body is not valid JSON.",
                {"reason": str(exc.__cause__)},
            )
        if isinstance(exc, AuthenticationError):
            return respond(request, 401, "unauthenticated", "Send a valid API token.")
        details: dict[str, Any] = {}
        if isinstance(exc, Throttled) and exc.wait is not None:
            details["retry_after_seconds"] = exc.wait
        code = HTTP_ERROR_CODES.get(exc.status_code, "http_error")
        return respond(request, exc.status_code, code, exc.message, details)

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled error in %s %s", request.method, request.path, exc_info=exc)
        return respond(request, 500, "internal_error", "Something went wrong on our side.")

    def handle(exc_class: type[E], handler: Callable[[HttpRequest, E], HttpResponse]) -> None:
        # Ninja's annotation says a handler may be given the exception class; it never is.
        api.add_exception_handler(exc_class, handler)  # type: ignore[arg-type]

    handle(CaseError, on_case_error)
    handle(ApiError, on_api_error)
    handle(Http404, on_not_found)
    handle(ValidationError, on_validation_error)
    handle(HttpError, on_http_error)
    handle(Exception, on_unexpected)


def field_error(error: dict[str, Any]) -> dict[str, Any]:
    """One pydantic error as clients see it: where, which field, what is wrong."""
    loc = [str(part) for part in error.get("loc", ())]
    source = loc[0] if loc else ""
    # Ninja puts the view's parameter name after "body" ("body", "payload", "title"); clients
    # know fields, not our parameter names, so it is dropped. "" means the body as a whole.
    path = loc[2:] if source == "body" else loc[1:]
    return {
        "location": source,
        "field": ".".join(path),
        "message": str(error.get("msg", "")),
        "type": str(error.get("type", "")),
    }
