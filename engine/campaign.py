"""Rules for a call campaign's settings, checked before they are saved (and so before a
running dialer picks them up)."""

from collections.abc import Callable, Mapping
from typing import Any

from engine.calling_window import CallingWindow
from engine.contacts import to_e164
from engine.errors import FieldError, ValidationFailed
from engine.retry import RetryRules

_SECTIONS: dict[str, Callable[[Mapping[str, Any]], object]] = {
    "calling_window": CallingWindow.from_settings,
    "retry": RetryRules.from_settings,
}
MAX_WRAP_UP_SECONDS = 3600
MAX_PRIORITY = 100


def check_call_settings(settings: Mapping[str, Any]) -> None:
    """Raises ValidationFailed naming every bad field as `settings.<section>.<field>`."""
    errors: list[FieldError] = []
    for section, parse in _SECTIONS.items():
        if section not in settings:
            continue
        value = settings[section]
        if not isinstance(value, Mapping):
            errors.append(FieldError(f"settings.{section}", "Expected an object."))
            continue
        try:
            parse(value)
        except ValidationFailed as exc:
            errors += [FieldError(f"settings.{section}.{e.field}", e.message) for e in exc.errors]
    wrap_up = settings.get("wrap_up_seconds")
    if wrap_up is not None and (
        isinstance(wrap_up, bool)
        or not isinstance(wrap_up, int | float)
        or not 0 <= wrap_up <= MAX_WRAP_UP_SECONDS
    ):
        errors.append(
            FieldError("settings.wrap_up_seconds", f"Seconds from 0 to {MAX_WRAP_UP_SECONDS}.")
        )
    priority = settings.get("priority")
    if priority is not None and (
        isinstance(priority, bool)
        or not isinstance(priority, int)
        or not 0 <= priority <= MAX_PRIORITY
    ):
        errors.append(FieldError("settings.priority", f"A whole number from 0 to {MAX_PRIORITY}."))
    caller_id = settings.get("caller_id")
    if caller_id is not None and (
        not isinstance(caller_id, str) or to_e164(caller_id, "ZZ") != caller_id
    ):
        errors.append(
            FieldError("settings.caller_id", "A phone number in E.164 form (+14155550100).")
        )
    if errors:
        raise ValidationFailed(errors)
