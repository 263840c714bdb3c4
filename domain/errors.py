"""Errors raised by use cases. Each carries a message code (an i18n key) and its parameters.

The edges translate them: Slack into an ephemeral message or inline modal errors, the API into
problem+json with the matching HTTP status.
"""

from __future__ import annotations

from collections.abc import Mapping

Params = Mapping[str, object]


class DomainError(Exception):
    code = "errors.generic"

    def __init__(self, code: str | None = None, **params: object) -> None:
        self.code = code or type(self).code
        self.params: dict[str, object] = dict(params)
        super().__init__(f"{self.code} {self.params}" if self.params else self.code)


class NotFound(DomainError):
    code = "errors.not_found"


class PermissionDenied(DomainError):
    code = "errors.permission_denied"


class Conflict(DomainError):
    """The action is valid in general but not in the subject's current state (stale card, done)."""

    code = "errors.conflict"


class InvalidTransition(Conflict):
    code = "errors.invalid_transition"


class ValidationFailed(DomainError):
    """Bad input; `fields` maps an input name to (message code, params) for inline errors."""

    code = "errors.validation"

    def __init__(self, fields: Mapping[str, tuple[str, Params]], code: str | None = None) -> None:
        self.fields: dict[str, tuple[str, Params]] = dict(fields)
        super().__init__(code, fields=sorted(self.fields))

    @classmethod
    def single(cls, field: str, code: str, **params: object) -> ValidationFailed:
        return cls({field: (code, params)})


class FieldErrors:
    """Collects every bad field of a form so the user sees all problems at once."""

    def __init__(self) -> None:
        self._fields: dict[str, tuple[str, Params]] = {}

    def add(self, field: str, code: str, **params: object) -> None:
        self._fields.setdefault(field, (code, params))

    def __bool__(self) -> bool:
        return bool(self._fields)

    def raise_if_any(self) -> None:
        if self._fields:
            raise ValidationFailed(self._fields)
