"""Schemas shared by every controller: problems (for the docs), actors, subjects."""

from __future__ import annotations

from litestar.openapi.datastructures import ResponseSpec
from pydantic import BaseModel, Field


class ProblemFieldError(BaseModel):
    field: str = Field(description="The request field (or header) that is wrong.")
    code: str = Field(description="Stable message code.")
    message: str | None = None


class Problem(BaseModel):
    """RFC 9457 problem details (`application/problem+json`)."""

    type: str = Field(examples=["urn:platops:problem:validation"])
    title: str = Field(examples=["Unprocessable Content"])
    status: int = Field(examples=[422])
    detail: str
    instance: str = Field(description="The request path.")
    code: str | None = Field(default=None, description="Stable message code of the detail.")
    errors: list[ProblemFieldError] | None = Field(
        default=None, description="422 only: every failing field."
    )


class SubjectOut(BaseModel):
    type: str
    id: int | None = None
    key: str | None = None


class ActorOut(BaseModel):
    kind: str = Field(description="user, integration or system")
    id: str = Field(description="Slack user id, or `integration:<key name>` / `system:<job>`.")


_DESCRIPTIONS = {
    401: "No API key, or an unknown, revoked or expired one.",
    403: "The key lacks the scope (or the acting person the role) this needs.",
    404: "Not found.",
    409: "Conflicts with the current state, or a request with this Idempotency-Key still runs.",
    413: "The request body is larger than 1 MiB.",
    422: "Invalid input, a bad cursor, or an Idempotency-Key reused with a different request.",
    429: "Rate limit of the key exceeded; see Retry-After.",
}


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the problem responses a route may give (401 and 429 always)."""
    wanted = sorted({401, 429, *statuses})
    return {
        status: ResponseSpec(
            data_container=Problem,
            description=_DESCRIPTIONS.get(status, "Problem"),
            media_type="application/problem+json",
        )
        for status in wanted
    }
