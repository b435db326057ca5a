"""The rule-based scorer and the check of an AI's answer."""

import json
from typing import Any

import pytest

from engine.analysis import (
    DISQUALIFIED_CAP,
    RESULT_SCHEMA,
    LeadFacts,
    MalformedAnswer,
    Question,
    check_minimum,
    check_qualifying,
    parse_ai_answer,
    prompt,
    score_by_rules,
)

QUESTIONS = (
    Question("budget", "Budget?", required=True, answer_type="number"),
    Question("timeline", "When?", options=("q1", "q2", "later")),
    Question("seats", "How many seats?"),
)
GOOD: dict[str, Any] = {
    "score": 70,
    "reasons": [{"criterion": "budget", "points": 40, "max_points": 50, "note": "stated"}],
    "summary": "Fine.",
    "sentiment": "neutral",
}


def test_a_fully_answered_qualified_lead_scores_100_with_a_reason_per_criterion() -> None:
    facts = LeadFacts({"budget": 5000, "timeline": "q1", "seats": 20}, QUESTIONS, "qualified")
    result = score_by_rules(facts)
    assert result.score == 100
    assert [r.criterion for r in result.reasons] == ["budget", "timeline", "seats", "disposition"]
    assert sum(r.max_points for r in result.reasons) == pytest.approx(100, abs=0.2)
    assert result.sentiment == "positive"
    assert "3 of 3 questions" in result.summary


def test_each_missing_or_wrong_answer_costs_its_weight_and_says_why() -> None:
    facts = LeadFacts({"timeline": "next decade", "seats": ""}, QUESTIONS, "qualified")
    result = score_by_rules(facts)
    by = {r.criterion: r for r in result.reasons}
    # budget weighs 2 of 4 answer weights (35 points), timeline and seats 17.5 each
    assert by["budget"].points == 0 and "required" in by["budget"].note
    assert by["timeline"].points == pytest.approx(8.8, abs=0.1)
    assert "not one of the options" in by["timeline"].note
    assert by["seats"].points == 0
    assert result.score == round(8.75 + 30)


def test_a_non_qualifying_disposition_gets_no_disposition_points() -> None:
    facts = LeadFacts({"budget": 1, "timeline": "q2", "seats": 3}, QUESTIONS, "not_interested")
    result = score_by_rules(facts)
    assert result.score == 70
    assert result.sentiment == "negative"
    assert result.reasons[-1].points == 0


def test_a_campaign_without_questions_scores_on_the_disposition() -> None:
    result = score_by_rules(LeadFacts({}, (), "qualified"))
    assert result.score == 100
    assert result.reasons[0].note == "the campaign asks no questions"


def test_a_valid_ai_answer_is_parsed() -> None:
    result = parse_ai_answer(json.dumps(GOOD))
    assert result.score == 70
    assert result.reasons[0].criterion == "budget"
    assert result.as_json()["sentiment"] == "neutral"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (None, "answered nothing"),
        ("not json", "not JSON"),
        ("[1, 2]", "JSON object"),
        (json.dumps({**GOOD, "score": 101}), "0 to 100"),
        (json.dumps({**GOOD, "score": 50.5}), "whole number"),
        (json.dumps({**GOOD, "score": True}), "whole number"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "summary"}), "lacks summary"),
        (json.dumps({**GOOD, "extra": 1}), "unknown fields extra"),
        (json.dumps({**GOOD, "sentiment": "ecstatic"}), "sentiment must be"),
        (json.dumps({**GOOD, "reasons": "all good"}), "reasons must be a list"),
        (json.dumps({**GOOD, "reasons": [{"criterion": "x"}]}), "reasons[0] lacks"),
        (
            json.dumps({**GOOD, "reasons": [{**GOOD["reasons"][0], "points": "many"}]}),
            "reasons[0].points must be a number",
        ),
    ],
)
def test_a_malformed_ai_answer_is_refused_with_a_clear_error(
    answer: str | None, message: str
) -> None:
    with pytest.raises(MalformedAnswer) as caught:
        parse_ai_answer(answer)
    assert message in caught.value.message


def test_the_schema_is_strict_and_the_prompt_names_every_criterion() -> None:
    assert RESULT_SCHEMA["additionalProperties"] is False
    assert set(RESULT_SCHEMA["required"]) == set(RESULT_SCHEMA["properties"])
    messages = prompt(LeadFacts({"budget": 5}, QUESTIONS, "qualified", "hello"))
    payload = json.loads(messages[1]["content"])
    assert [c["key"] for c in payload["criteria"]] == ["budget", "timeline", "seats"]
    assert payload["transcript"] == "hello"
    assert "JSON" in messages[0]["content"]


# --- qualifying options ----------------------------------------------------------------------

BUDGET = Question(
    "budget",
    "Budget?",
    required=True,
    answer_type="radio",
    options=("budget approved", "budget planned", "no budget"),
    qualifying_options=("budget approved", "budget planned"),
)
STACK = Question(
    "stack",
    "Which clouds?",
    answer_type="checkbox",
    options=("aws", "azure", "on-premise"),
    qualifying_options=("aws", "azure"),
)
SIZE = Question("size", "Size?", answer_type="radio", options=("small", "large"))
QUALIFYING = (BUDGET, STACK, SIZE)  # weights 2, 1, 1: 35, 17.5 and 17.5 points


def _by(answers: dict[str, Any]) -> tuple[int, dict[str, Any], str]:
    result = score_by_rules(LeadFacts(answers, QUALIFYING, "qualified"))
    return result.score, {r.criterion: r for r in result.reasons}, result.summary


def test_a_qualifying_answer_earns_the_full_weight() -> None:
    score, by, summary = _by({"budget": "budget planned", "stack": ["aws"], "size": "small"})
    assert score == 100
    assert by["budget"].points == 35 and by["budget"].note == "answered 'budget planned': qualifies"
    assert "Disqualified" not in summary


def test_a_non_qualifying_answer_earns_nothing_and_names_the_qualifying_ones() -> None:
    score, by, summary = _by({"budget": "budget approved", "stack": ["on-premise"]})
    assert by["stack"].points == 0 and by["stack"].max_points == 17.5
    assert (
        by["stack"].note == "answered 'on-premise': does not qualify (qualifying: 'aws', 'azure')"
    )
    assert score == 35 + 30
    assert "Disqualified" not in summary  # stack is optional


def test_a_multiple_choice_qualifies_when_any_chosen_option_does() -> None:
    _, by, _ = _by({"budget": "budget approved", "stack": ["on-premise", "azure"]})
    assert by["stack"].points == 17.5
    assert by["stack"].note == "answered 'on-premise', 'azure': qualifies"


def test_a_required_non_qualifying_answer_disqualifies_and_caps_the_score() -> None:
    score, by, summary = _by({"budget": "no budget", "stack": ["aws"], "size": "large"})
    assert by["budget"].points == 0
    assert by["budget"].note == (
        "answered 'no budget': does not qualify (qualifying: 'budget approved', 'budget planned')"
    )
    assert score == DISQUALIFIED_CAP  # 17.5 + 17.5 + 30 = 65 without the cap
    assert "Disqualified: required budget" in summary
    assert f"capped at {DISQUALIFIED_CAP}" in summary


def test_an_answer_outside_the_options_does_not_qualify_either() -> None:
    score, by, summary = _by({"budget": "maybe", "stack": ["aws"], "size": "large"})
    assert by["budget"].points == 0 and "does not qualify" in by["budget"].note
    assert score == DISQUALIFIED_CAP and "Disqualified" in summary


def test_an_unanswered_required_qualifying_question_is_missing_not_disqualifying() -> None:
    score, by, summary = _by({"stack": ["aws"], "size": "large"})
    assert by["budget"].note == "not answered (required)"
    assert score == round(17.5 + 17.5 + 30)
    assert "Disqualified" not in summary


def test_questions_without_qualifying_options_keep_the_completeness_rule() -> None:
    _, by, _ = _by({"budget": "budget approved", "size": "large"})
    assert by["size"].points == 17.5 and by["size"].note == "answered: large"


SEATS = Question("seats", "Seats?", required=True, answer_type="number", qualifying_min=10)


@pytest.mark.parametrize(
    ("answer", "points", "note"),
    [
        (10, 70, "answered '10': qualifies"),
        ("12.5", 70, "answered '12.5': qualifies"),
        (9, 0, "answered '9': does not qualify (qualifying: at least 10)"),
        ("lots", 0, "answered 'lots': does not qualify (qualifying: at least 10)"),
    ],
)
def test_a_number_question_qualifies_from_its_minimum(answer: Any, points: int, note: str) -> None:
    result = score_by_rules(LeadFacts({"seats": answer}, (SEATS,), "qualified"))
    assert (result.reasons[0].points, result.reasons[0].note) == (points, note)
    assert result.score == (100 if points else 30)
    assert ("Disqualified: required seats" in result.summary) == (not points)


def test_the_prompt_tells_the_model_which_answers_qualify() -> None:
    messages = prompt(LeadFacts({"budget": "no budget"}, (*QUALIFYING, SEATS), "qualified"))
    criteria = {c["key"]: c for c in json.loads(messages[1]["content"])["criteria"]}
    assert criteria["budget"]["qualifying_options"] == ["budget approved", "budget planned"]
    assert criteria["size"]["qualifying_options"] == []
    assert criteria["seats"]["qualifying_min"] == 10 and criteria["size"]["qualifying_min"] is None
    assert "qualifying_min" in messages[0]["content"]
    assert "qualifying_options" in messages[0]["content"]
    assert f"at most {DISQUALIFIED_CAP}" in messages[0]["content"]


@pytest.mark.parametrize(
    ("options", "qualifying", "message"),
    [
        (("a", "b"), ("a",), None),
        (("a", "b"), (), None),
        ((), (), None),
        (("a", "b"), ("c",), "'c' is not one of the options."),
        ((), ("a",), "Only a question with options has qualifying options."),
        (("a", "b"), ("a", "a"), "An option is named twice."),
    ],
)
def test_qualifying_options_must_be_some_of_the_options(
    options: tuple[str, ...], qualifying: tuple[str, ...], message: str | None
) -> None:
    assert check_qualifying(options, qualifying) == message


def test_only_a_number_question_has_a_qualifying_minimum() -> None:
    assert check_minimum("number", 10) is None
    assert check_minimum("text", None) is None
    assert check_minimum("radio", 1) == "Only a number question has a qualifying minimum."
