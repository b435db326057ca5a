"""Dispositions, what each one does to the lead and the number, and qualification answers."""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, assert_never

from engine.errors import FieldError, ValidationFailed
from engine.retry import Outcome


class DispositionRule(StrEnum):
    DNC = "dnc"
    NOT_INTERESTED = "not_interested"
    CALLBACK = "callback"
    QUALIFIED = "qualified"
    RETRY = "retry"
    CLOSE = "close"
    WRONG_NUMBER = "wrong_number"


@dataclass(frozen=True)
class DispositionEffect:
    suppress_number: bool = False
    close_lead: bool = False
    create_qa_lead: bool = False
    schedule_callback_at: datetime | None = None
    retry_outcome: Outcome | None = None


@dataclass(frozen=True)
class Disposition:
    code: str
    label: str
    rule: DispositionRule
    shortcut: str | None = None  # the key the agent presses in the console
    retry_outcome: Outcome | None = None  # which retry delay a RETRY disposition uses

    def effect(
        self,
        *,
        now: datetime,
        callback_at: datetime | None = None,
        questions: Sequence[Mapping[str, Any]] = (),
        answers: Mapping[str, Any] | None = None,
    ) -> DispositionEffect:
        return outcome_of(
            self.rule,
            now=now,
            callback_at=callback_at,
            retry_outcome=self.retry_outcome,
            questions=questions,
            answers=answers,
        )


DEFAULT_DISPOSITIONS: tuple[Disposition, ...] = (
    Disposition("qualified", "Qualified", DispositionRule.QUALIFIED, "1"),
    Disposition("callback", "Callback", DispositionRule.CALLBACK, "2"),
    Disposition("not_interested", "Not interested", DispositionRule.NOT_INTERESTED, "3"),
    Disposition("no_answer", "No answer", DispositionRule.RETRY, "4", Outcome.NO_ANSWER),
    Disposition("voicemail", "Voicemail", DispositionRule.RETRY, "5", Outcome.MACHINE),
    Disposition("busy", "Busy", DispositionRule.RETRY, "6", Outcome.BUSY),
    Disposition("wrong_number", "Wrong number", DispositionRule.WRONG_NUMBER, "7"),
    Disposition("dnc", "Do not call", DispositionRule.DNC, "8"),
)

# Callbacks with a time go through CALLBACK; a RETRY only picks one of these delays.
_RETRY_OUTCOMES = frozenset({Outcome.BUSY, Outcome.NO_ANSWER, Outcome.MACHINE, Outcome.FAILED})


def outcome_of(
    rule: DispositionRule,
    *,
    now: datetime,
    callback_at: datetime | None = None,
    retry_outcome: Outcome | None = None,
    questions: Sequence[Mapping[str, Any]] = (),
    answers: Mapping[str, Any] | None = None,
) -> DispositionEffect:
    """What a disposition does. Raises ValidationFailed when what it needs is missing:
    a callback time, a retry outcome, or (for qualified) valid qualification answers."""
    match rule:
        case DispositionRule.DNC:
            return DispositionEffect(suppress_number=True, close_lead=True)
        case DispositionRule.QUALIFIED:
            errors = check_answers(questions, answers or {})
            if errors:
                raise ValidationFailed(errors, "The qualification form is not complete.")
            return DispositionEffect(close_lead=True, create_qa_lead=True)
        case DispositionRule.NOT_INTERESTED | DispositionRule.CLOSE:
            return DispositionEffect(close_lead=True)
        case DispositionRule.WRONG_NUMBER:
            # Not suppressed: the number may be someone's, just not this contact's.
            return DispositionEffect(close_lead=True)
        case DispositionRule.CALLBACK:
            return DispositionEffect(schedule_callback_at=_callback_time(callback_at, now))
        case DispositionRule.RETRY:
            if retry_outcome not in _RETRY_OUTCOMES:
                choices = ", ".join(sorted(_RETRY_OUTCOMES))
                message = f"A retry needs one of these outcomes: {choices}."
                raise ValidationFailed([FieldError("retry_outcome", message)])
            return DispositionEffect(retry_outcome=retry_outcome)
        case _:
            assert_never(rule)


def _callback_time(callback_at: datetime | None, now: datetime) -> datetime:
    if callback_at is None or callback_at.tzinfo is None:
        message = "A callback needs a date and time with its time zone."
        raise ValidationFailed([FieldError("callback_at", message)])
    if callback_at <= now:
        raise ValidationFailed([FieldError("callback_at", "The callback must be in the future.")])
    return callback_at


# --- qualification answers ------------------------------------------------------------------

CHOICE_TYPES = frozenset({"dropdown", "radio"})
ANSWER_TYPES = CHOICE_TYPES | {"checkbox", "text", "number", "date"}


def check_answers(
    questions: Sequence[Mapping[str, Any]], answers: Mapping[str, Any]
) -> list[FieldError]:
    """Errors in a qualification form, one per bad answer; an empty list means it is fine.

    A question is {"key", "required", "answer_type", "options"}. A checkbox with options is a
    multiple choice (a list); without options it is a single tick box (a bool).
    """
    errors = []
    for question in questions:
        key = question["key"]
        message = _check_answer(question, answers.get(key))
        if message:
            errors.append(FieldError(f"answers.{key}", message))
    known = {question["key"] for question in questions}
    errors += [
        FieldError(f"answers.{key}", "No such question.") for key in sorted(set(answers) - known)
    ]
    return errors


def _check_answer(question: Mapping[str, Any], answer: Any) -> str | None:
    answer_type = question.get("answer_type")
    if answer_type not in ANSWER_TYPES:
        return f"The question has an unknown answer type {answer_type!r}."
    if _is_empty(answer):
        return "This answer is required." if question.get("required") else None
    options = [_option_value(option) for option in question.get("options") or []]
    if answer_type in CHOICE_TYPES:
        return None if answer in options else "Choose one of the options."
    if answer_type == "checkbox":
        return _check_checkbox(answer, options, bool(question.get("required")))
    if answer_type == "number":
        return None if _is_number(answer) else "Enter a number."
    if answer_type == "date":
        return None if _is_date(answer) else "Enter a date as YYYY-MM-DD."
    return None if isinstance(answer, str) else "Enter text."


def _check_checkbox(answer: Any, options: list[Any], required: bool) -> str | None:
    if not options:
        if not isinstance(answer, bool):
            return "Tick the box or leave it empty."
        return "This box must be ticked." if required and not answer else None
    if not isinstance(answer, list) or any(choice not in options for choice in answer):
        return "Choose from the options."
    return None


def _is_empty(answer: Any) -> bool:
    return answer is None or answer == [] or (isinstance(answer, str) and not answer.strip())


def _option_value(option: Any) -> Any:
    return option.get("value") if isinstance(option, Mapping) else option


def _is_number(answer: Any) -> bool:
    if isinstance(answer, bool):
        return False
    if isinstance(answer, int | float):
        return math.isfinite(answer)
    try:
        return isinstance(answer, str) and math.isfinite(float(answer))
    except ValueError:
        return False


def _is_date(answer: Any) -> bool:
    if isinstance(answer, date):
        return True
    try:
        date.fromisoformat(answer)
    except (TypeError, ValueError):
        return False
    return True
