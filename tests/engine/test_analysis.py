"""The rule-based scorer and the check of an AI's answer."""

import json
from typing import Any

import pytest

from engine.analysis import (
    RESULT_SCHEMA,
    LeadFacts,
    MalformedAnswer,
    Question,
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
