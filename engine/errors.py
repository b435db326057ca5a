"""Domain errors: raised by engine/ and store/, rendered once by api/ into the error shape."""

from dataclasses import dataclass, field


@dataclass
class FieldError:
    field: str
    message: str


@dataclass
class DomainError(Exception):
    message: str
    code: str = "domain_error"
    status: int = 400
    errors: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message


class ValidationFailed(DomainError):
    def __init__(
        self, errors: list[FieldError], message: str = "The request is not valid."
    ) -> None:
        super().__init__(message=message, code="validation_error", status=422, errors=errors)


class NotFound(DomainError):
    def __init__(self, what: str) -> None:
        super().__init__(message=f"{what} not found.", code="not_found", status=404)


class Conflict(DomainError):
    def __init__(self, message: str, field_name: str | None = None) -> None:
        errors = [FieldError(field_name, message)] if field_name else []
        super().__init__(message=message, code="conflict", status=409, errors=errors)


class IllegalTransition(DomainError):
    def __init__(self, what: str, current: str, wanted: str) -> None:
        super().__init__(
            message=f"{what} cannot go from {current!r} to {wanted!r}.",
            code="illegal_transition",
            status=409,
        )
