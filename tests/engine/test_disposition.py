from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from engine.disposition import (
    DEFAULT_DISPOSITIONS,
    DispositionEffect,
    DispositionRule,
    check_answers,
    outcome_of,
)
from engine.errors import ValidationFailed
from engine.retry import Outcome

NOW = datetime(2025, 6, 2, 15, 0, tzinfo=UTC)
QUESTIONS: list[dict[str, Any]] = [
    {"key": "budget", "required": True, "answer_type": "number", "options": []},
    {"key": "role", "required": True, "answer_type": "dropdown", "options": ["CTO", "CFO"]},
    {
        "key": "size",
        "required": False,
        "answer_type": "radio",
        "options": [{"value": "small", "label": "1-50"}, {"value": "large", "label": "50+"}],
    },
    {"key": "tools", "required": True, "answer_type": "checkbox", "options": ["crm", "erp"]},
    {"key": "consent", "required": True, "answer_type": "checkbox", "options": []},
    {"key": "start", "required": False, "answer_type": "date", "options": []},
    {"key": "notes", "required": False, "answer_type": "text", "options": []},
]
GOOD = {"budget": "25000", "role": "CTO", "tools": ["crm"], "consent": True, "start": "2025-09-01"}


def test_dnc_suppresses_and_closes() -> None:
    effect = outcome_of(DispositionRule.DNC, now=NOW)
    assert effect == DispositionEffect(suppress_number=True, close_lead=True)


@pytest.mark.parametrize(
    "rule", [DispositionRule.NOT_INTERESTED, DispositionRule.CLOSE, DispositionRule.WRONG_NUMBER]
)
def test_closing_rules_do_not_suppress(rule: DispositionRule) -> None:
    assert outcome_of(rule, now=NOW) == DispositionEffect(close_lead=True)


def test_qualified_creates_a_qa_lead_when_answers_are_complete() -> None:
    effect = outcome_of(DispositionRule.QUALIFIED, now=NOW, questions=QUESTIONS, answers=GOOD)
    assert effect == DispositionEffect(close_lead=True, create_qa_lead=True)


def test_qualified_refuses_missing_required_answers() -> None:
    with pytest.raises(ValidationFailed) as caught:
        outcome_of(DispositionRule.QUALIFIED, now=NOW, questions=QUESTIONS, answers={})
    fields = {e.field for e in caught.value.errors}
    assert fields == {"answers.budget", "answers.role", "answers.tools", "answers.consent"}


def test_callback_needs_a_future_aware_time() -> None:
    later = NOW + timedelta(hours=3)
    effect = outcome_of(DispositionRule.CALLBACK, now=NOW, callback_at=later)
    assert effect == DispositionEffect(schedule_callback_at=later)
    for bad in (None, NOW - timedelta(minutes=1), datetime(2025, 6, 3, 9)):
        with pytest.raises(ValidationFailed):
            outcome_of(DispositionRule.CALLBACK, now=NOW, callback_at=bad)


def test_retry_needs_a_retry_outcome() -> None:
    effect = outcome_of(DispositionRule.RETRY, now=NOW, retry_outcome=Outcome.BUSY)
    assert effect == DispositionEffect(retry_outcome=Outcome.BUSY)
    for bad in (None, Outcome.CALLBACK):
        with pytest.raises(ValidationFailed):
            outcome_of(DispositionRule.RETRY, now=NOW, retry_outcome=bad)


def test_rule_given_as_a_plain_string() -> None:
    assert outcome_of(DispositionRule("dnc"), now=NOW).suppress_number


def test_default_dispositions() -> None:
    by_code = {d.code: d for d in DEFAULT_DISPOSITIONS}
    shortcuts = {d.code: d.shortcut for d in DEFAULT_DISPOSITIONS}
    assert shortcuts == {
        "qualified": "1",
        "callback": "2",
        "not_interested": "3",
        "no_answer": "4",
        "voicemail": "5",
        "busy": "6",
        "wrong_number": "7",
        "dnc": "8",
    }
    assert by_code["voicemail"].effect(now=NOW).retry_outcome is Outcome.MACHINE
    assert by_code["no_answer"].effect(now=NOW).retry_outcome is Outcome.NO_ANSWER
    assert by_code["busy"].effect(now=NOW).retry_outcome is Outcome.BUSY
    assert by_code["dnc"].effect(now=NOW).suppress_number
    qualified = by_code["qualified"].effect(now=NOW, questions=QUESTIONS, answers=GOOD)
    assert qualified.create_qa_lead


def test_check_answers_accepts_a_good_form() -> None:
    assert check_answers(QUESTIONS, GOOD) == []
    assert check_answers(QUESTIONS, {**GOOD, "size": "large", "budget": 12.5, "notes": "x"}) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"budget": "lots"}, "answers.budget"),
        ({"budget": True}, "answers.budget"),
        ({"budget": "nan"}, "answers.budget"),
        ({"role": "CEO"}, "answers.role"),
        ({"role": "  "}, "answers.role"),
        ({"size": "medium"}, "answers.size"),
        ({"tools": ["crm", "sap"]}, "answers.tools"),
        ({"tools": "crm"}, "answers.tools"),
        ({"tools": []}, "answers.tools"),
        ({"consent": False}, "answers.consent"),
        ({"consent": "yes"}, "answers.consent"),
        ({"start": "next week"}, "answers.start"),
        ({"notes": 5}, "answers.notes"),
        ({"shoe_size": 42}, "answers.shoe_size"),
    ],
)
def test_check_answers_errors(change: dict[str, Any], field: str) -> None:
    errors = check_answers(QUESTIONS, {**GOOD, **change})
    assert [e.field for e in errors] == [field]
    assert errors[0].message


def test_check_answers_reports_unknown_answer_types() -> None:
    errors = check_answers([{"key": "x", "required": False, "answer_type": "colour"}], {})
    assert [e.field for e in errors] == ["answers.x"]
