"""Errors that actions raise when they refuse a change. Each has a stable machine code."""

from typing import Any


class CaseError(Exception):
    """A refused change. Nothing was written. `code` is stable and appears in the API."""

    code = "case_error"
    http_status = 400

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


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
