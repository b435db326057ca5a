"""Custom fields: values checked against their definitions before they are stored."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from engine.errors import FieldError, ValidationFailed

FIELD_TYPES = ("text", "number", "boolean", "date", "select", "multi_select")


@dataclass(frozen=True)
class FieldSpec:
    key: str
    field_type: str
    options: tuple[str, ...] = ()
    required: bool = False


def validate(specs: list[FieldSpec], values: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """Typed, cleaned values; unknown keys and wrong types are field errors.

    `partial` skips the required check for keys the caller did not send (PATCH).
    """
    by_key = {spec.key: spec for spec in specs}
    errors = [
        FieldError(f"custom_fields.{key}", "Unknown custom field.")
        for key in values
        if key not in by_key
    ]
    cleaned: dict[str, Any] = {}
    for spec in specs:
        name = f"custom_fields.{spec.key}"
        if values.get(spec.key) is None:
            if spec.required and not (partial and spec.key not in values):
                errors.append(FieldError(name, "This field is required."))
            continue
        try:
            cleaned[spec.key] = _coerce(spec, values[spec.key])
        except ValueError as exc:
            errors.append(FieldError(name, str(exc)))
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def _coerce(spec: FieldSpec, value: Any) -> Any:
    match spec.field_type:
        case "text":
            if not isinstance(value, str):
                raise ValueError("Expected text.")
            return value
        case "number":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError("Expected a number.")
            return value
        case "boolean":
            if not isinstance(value, bool):
                raise ValueError("Expected true or false.")
            return value
        case "date":
            return date.fromisoformat(str(value)).isoformat()
        case "select":
            if value not in spec.options:
                raise ValueError(f"Expected one of {', '.join(spec.options)}.")
            return value
        case "multi_select":
            if not isinstance(value, list) or any(v not in spec.options for v in value):
                raise ValueError(f"Expected a list of {', '.join(spec.options)}.")
            return value
    raise ValueError(f"Unknown field type {spec.field_type!r}.")
