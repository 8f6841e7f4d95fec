"""Errors that actions raise when they refuse a change. Each has a stable machine code."""

from safetydesk.lib.errors import Refusal


class CaseError(Refusal):
    """A refused change. Nothing was written. `code` is stable and appears in the API."""

    code = "case_error"


class UnknownTransition(CaseError):
    code = "unknown_transition"


class TransitionNotAvailable(CaseError):
    code = "transition_not_available"
    http_status = 409


class GuardFailed(CaseError):
    code = "guard_failed"
    http_status = 409


class RoleNotPermitted(CaseError):
    code = "role_not_permitted"
    http_status = 403


class StaleCase(CaseError):
    code = "stale_case"
    http_status = 409


class InvalidData(CaseError):
    code = "invalid_data"
    http_status = 422
