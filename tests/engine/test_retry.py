from datetime import UTC, datetime, timedelta

import pytest

from engine.errors import DomainError
from engine.retry import Outcome, RetryRules

NOW = datetime(2025, 6, 2, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("outcome", "minutes"),
    [
        (Outcome.BUSY, 10),
        (Outcome.NO_ANSWER, 60),
        (Outcome.MACHINE, 240),
        (Outcome.FAILED, 30),
        (Outcome.CALLBACK, 1440),
    ],
)
def test_default_delays(outcome: Outcome, minutes: int) -> None:
    assert RetryRules().next_attempt(outcome, 1, NOW) == NOW + timedelta(minutes=minutes)


def test_no_attempts_left_closes_the_lead() -> None:
    rules = RetryRules()
    assert rules.next_attempt(Outcome.BUSY, 2, NOW) is not None
    assert rules.next_attempt(Outcome.BUSY, 3, NOW) is None
    assert rules.next_attempt(Outcome.NO_ANSWER, 4, NOW) is None


def test_callback_is_kept_when_attempts_are_used_up() -> None:
    assert RetryRules().next_attempt(Outcome.CALLBACK, 3, NOW) == NOW + timedelta(days=1)


def test_from_settings_overrides_some_and_defaults_the_rest() -> None:
    rules = RetryRules.from_settings({"busy": 5, "max_attempts": 6})
    assert rules == RetryRules(busy=5, max_attempts=6)
    assert rules.next_attempt(Outcome.BUSY, 5, NOW) == NOW + timedelta(minutes=5)
    assert RetryRules.from_settings({}) == RetryRules()


@pytest.mark.parametrize(
    ("settings", "fields"),
    [
        ({"busy": -1}, {"busy"}),
        ({"machine": "soon"}, {"machine"}),
        ({"no_answer": 1.5, "failed": True}, {"no_answer", "failed"}),
        ({"callback": 60 * 24 * 31}, {"callback"}),
        ({"max_attempts": 0}, {"max_attempts"}),
        ({"max_attempts": 101}, {"max_attempts"}),
        ({"voicemail": 10}, {"voicemail"}),
    ],
)
def test_bad_settings_are_refused(settings: dict[str, object], fields: set[str]) -> None:
    with pytest.raises(DomainError) as caught:
        RetryRules.from_settings(settings)
    assert caught.value.code == "validation_error"
    assert caught.value.status == 422
    assert {e.field for e in caught.value.errors} == fields
