"""When to call a lead again after each call outcome, and when to give up on it."""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from engine.errors import FieldError, ValidationFailed

MAX_DELAY_MINUTES = 30 * 24 * 60
MAX_ATTEMPTS_LIMIT = 100


class Outcome(StrEnum):
    BUSY = "busy"
    NO_ANSWER = "no_answer"
    MACHINE = "machine"  # answering machine / voicemail
    FAILED = "failed"  # the carrier could not place the call
    CALLBACK = "callback"  # the callee asked to be called back, no time given


@dataclass(frozen=True)
class RetryRules:
    """Delays in minutes per outcome, and the most dial attempts a lead gets."""

    busy: int = 10
    no_answer: int = 60
    machine: int = 240
    failed: int = 30
    callback: int = 24 * 60
    max_attempts: int = 3

    def __post_init__(self) -> None:
        errors = _check(self)
        if errors:
            raise ValidationFailed(errors)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> "RetryRules":
        """From campaign settings: any of the field names above; the rest take defaults."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(settings) - known)
        if unknown:
            raise ValidationFailed([FieldError(key, "Unknown retry setting.") for key in unknown])
        return cls(**settings)

    def next_attempt(self, outcome: Outcome, attempts_made: int, now: datetime) -> datetime | None:
        """When to dial again; None when the lead has no attempts left and is closed.

        A callback the callee asked for is kept even when the attempts are used up.
        """
        if outcome is not Outcome.CALLBACK and attempts_made >= self.max_attempts:
            return None
        minutes: int = getattr(self, Outcome(outcome).value)
        return now + timedelta(minutes=minutes)


def _check(rules: RetryRules) -> list[FieldError]:
    errors = []
    for outcome in Outcome:
        value = getattr(rules, outcome.value)
        if not _is_int(value) or not 0 <= value <= MAX_DELAY_MINUTES:
            message = f"A delay in whole minutes from 0 to {MAX_DELAY_MINUTES} (30 days)."
            errors.append(FieldError(outcome.value, message))
    if not _is_int(rules.max_attempts) or not 1 <= rules.max_attempts <= MAX_ATTEMPTS_LIMIT:
        message = f"A whole number of attempts from 1 to {MAX_ATTEMPTS_LIMIT}."
        errors.append(FieldError("max_attempts", message))
    return errors


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
