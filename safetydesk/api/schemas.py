"""Schemas every part of the API shares: the error envelope and references to people."""

from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field


class ErrorDetail(Schema):
    code: str = Field(description="Stable, machine-readable; branch on this.", examples=["stale_case"])
    message: str = Field(description="A sentence for people; wording may change.")
    details: dict[str, Any] = Field(description="Extra facts about the refusal, per code.")


class ErrorOut(Schema):
    error: ErrorDetail


class UserRef(Schema):
    id: int
    username: str


class InputSchema(Schema):
    """Base of request bodies: unknown fields are refused, so a typo is not silently ignored."""

    model_config = ConfigDict(extra="forbid")


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error responses an operation can give, for its `response=` mapping (and OpenAPI).

    401 and 403 are always possible: every operation needs a token from a permitted role.
    """
    return dict.fromkeys(sorted({401, 403, *statuses}), ErrorOut)
