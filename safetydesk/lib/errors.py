"""The base of every refusal an action or the API raises: a stable code, an HTTP status, a
sentence for people and machine-readable details. Nothing was written when one is raised."""

from typing import Any


class Refusal(Exception):
    code = "refused"
    http_status = 400

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}
