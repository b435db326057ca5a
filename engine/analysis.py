"""Lead analysis: the result every analyst returns, the rule-based scorer (the embedded
default), and the check that an AI's answer has that shape before anything trusts it.

The rule-based scorer is transparent: every point it gives is a `Reason` naming the
criterion (a qualification question of the campaign, or the disposition) and why. Required
questions weigh two points, optional ones one; the answers are worth 70 of the 100 points
and a qualifying disposition the other 30.

A question with options may name some of them as qualifying (`qualifying_options`); a number
question may name the smallest qualifying number (`qualifying_min`). Such a question earns
its weight only for a qualifying answer; any other answer earns 0 and says which answers
would have qualified. A multiple-choice answer qualifies when any option chosen qualifies.
A required question answered with a non-qualifying answer disqualifies the lead: the
summary says so and the score is capped at DISQUALIFIED_CAP (40), whatever else the lead
earned. Questions without a qualifying rule are judged on completeness only (answered, and
with one of the options if it has options).
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, cast

from engine.errors import DomainError, FieldError

Sentiment = Literal["positive", "neutral", "negative"]
SENTIMENTS: tuple[Sentiment, ...] = ("positive", "neutral", "negative")
ANSWERS_POINTS = 70
DISPOSITION_POINTS = 30
QUALIFYING_DISPOSITIONS = frozenset({"qualified"})
NEGATIVE_DISPOSITIONS = frozenset({"not_interested", "dnc", "wrong_number"})
MAX_TEXT = 4000
DISQUALIFIED_CAP = 40


class MalformedAnswer(DomainError):
    """An AI answer that is not the result JSON; the message says what is wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message, code="malformed_ai_answer", status=502)


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    required: bool = False
    answer_type: str = "text"
    options: tuple[str, ...] = ()
    qualifying_options: tuple[str, ...] = ()
    qualifying_min: float | None = None


def check_minimum(answer_type: str, minimum: float | None) -> str | None:
    """Why a qualifying minimum does not fit the question, or None if it does."""
    if minimum is not None and answer_type != "number":
        return "Only a number question has a qualifying minimum."
    return None


def check_qualifying(options: Sequence[str], qualifying: Sequence[str]) -> str | None:
    """Why `qualifying` is not a valid choice of qualifying options, or None if it is."""
    if qualifying and not options:
        return "Only a question with options has qualifying options."
    unknown = [q for q in qualifying if q not in options]
    if unknown:
        return f"{', '.join(map(repr, unknown))} is not one of the options."
    if len(set(qualifying)) != len(qualifying):
        return "An option is named twice."
    return None


def qualifying_errors(
    path: str,
    answer_type: str,
    options: Sequence[str],
    qualifying_options: Sequence[str],
    qualifying_min: float | None,
) -> list[FieldError]:
    """What is wrong with one question's qualifying rule (`path`: the question's field
    path, e.g. `questions.2`), for every editor of questions."""
    found = (
        ("qualifying_options", check_qualifying(options, qualifying_options)),
        ("qualifying_min", check_minimum(answer_type, qualifying_min)),
    )
    return [FieldError(f"{path}.{name}", message) for name, message in found if message]


@dataclass(frozen=True)
class LeadFacts:
    """Everything an analyst may look at: the answers, the campaign's questions, the call."""

    answers: Mapping[str, Any]
    questions: Sequence[Question] = ()
    disposition: str | None = None
    transcript: str | None = None


@dataclass(frozen=True)
class Reason:
    criterion: str
    points: float
    max_points: float
    note: str


@dataclass(frozen=True)
class AnalysisResult:
    score: int
    reasons: list[Reason] = field(default_factory=list)
    summary: str = ""
    sentiment: Sentiment = "neutral"

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


# --- the rule-based scorer -------------------------------------------------------------------


def _answered(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str | list | dict | tuple):
        return len(value) > 0
    return True


def _quoted(values: Sequence[Any]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _given(value: Any) -> list[str]:
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def _number_or_none(value: Any) -> float | None:
    try:
        return None if isinstance(value, bool) else float(value)
    except (TypeError, ValueError):
        return None


def _qualifies(question: Question, value: Any) -> bool | None:
    """Whether an answer qualifies; None when the question has no qualifying rule."""
    if question.qualifying_options:
        return bool(set(_given(value)) & set(question.qualifying_options))
    if question.qualifying_min is not None:
        number = _number_or_none(value)
        return number is not None and number >= question.qualifying_min
    return None


def _qualifying_text(question: Question) -> str:
    if question.qualifying_options:
        return _quoted(question.qualifying_options)
    return f"at least {question.qualifying_min:g}"


def _fails_qualifying(question: Question, value: Any) -> bool:
    """Answered, but not with a qualifying answer (for a question with a qualifying rule)."""
    return _answered(value) and _qualifies(question, value) is False


def _judge(question: Question, answers: Mapping[str, Any]) -> tuple[float, str]:
    """The share of the question's weight earned (0, 0.5 or 1) and why."""
    value = answers.get(question.key)
    if not _answered(value):
        return 0.0, "not answered" + (" (required)" if question.required else "")
    given = _given(value)
    if _fails_qualifying(question, value):
        qualifying = _qualifying_text(question)
        return 0.0, f"answered {_quoted(given)}: does not qualify (qualifying: {qualifying})"
    if _qualifies(question, value):
        return 1.0, f"answered {_quoted(given)}: qualifies"
    unknown = [v for v in given if question.options and v not in question.options]
    if unknown:
        return 0.5, f"answered, but {', '.join(unknown)} is not one of the options"
    return 1.0, f"answered: {value}"


def score_by_rules(facts: LeadFacts) -> AnalysisResult:
    """Score a lead from its qualification answers and disposition, explaining each point."""
    reasons: list[Reason] = []
    weights = [2.0 if q.required else 1.0 for q in facts.questions]
    total = sum(weights)
    earned = 0.0
    for question, weight in zip(facts.questions, weights, strict=True):
        share, note = _judge(question, facts.answers)
        max_points = ANSWERS_POINTS * weight / total
        earned += share * max_points
        reasons.append(
            Reason(question.key, round(share * max_points, 1), round(max_points, 1), note)
        )
    if not facts.questions:
        earned = ANSWERS_POINTS
        reasons.append(
            Reason("answers", ANSWERS_POINTS, ANSWERS_POINTS, "the campaign asks no questions")
        )
    disposition = facts.disposition or "qualified"
    qualifying = disposition in QUALIFYING_DISPOSITIONS
    points = DISPOSITION_POINTS if qualifying else 0
    note = f"disposition {disposition!r}" + (" qualifies" if qualifying else " does not qualify")
    reasons.append(Reason("disposition", points, DISPOSITION_POINTS, note))
    disqualified = [
        q.key
        for q in facts.questions
        if q.required and _fails_qualifying(q, facts.answers.get(q.key))
    ]
    score = max(0, min(DISQUALIFIED_CAP if disqualified else 100, round(earned + points)))
    answered = sum(1 for q in facts.questions if _answered(facts.answers.get(q.key)))
    summary = (
        f"Rule-based score {score}/100: {answered} of {len(facts.questions)} questions "
        f"answered; disposition {disposition!r}."
    )
    if disqualified:
        summary += (
            f" Disqualified: required {', '.join(disqualified)} not answered with a "
            f"qualifying answer (score capped at {DISQUALIFIED_CAP})."
        )
    if disposition in NEGATIVE_DISPOSITIONS:
        sentiment: Sentiment = "negative"
    elif qualifying:
        sentiment = "positive"
    else:
        sentiment = "neutral"
    return AnalysisResult(score, reasons, summary, sentiment)


# --- the AI's answer -------------------------------------------------------------------------

REASON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "criterion": {"type": "string"},
        "points": {"type": "number"},
        "max_points": {"type": "number"},
        "note": {"type": "string"},
    },
    "required": ["criterion", "points", "max_points", "note"],
    "additionalProperties": False,
}
RESULT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "score": {"type": "integer", "minimum": 0, "maximum": 100},
        "reasons": {"type": "array", "items": REASON_SCHEMA},
        "summary": {"type": "string"},
        "sentiment": {"type": "string", "enum": list(SENTIMENTS)},
    },
    "required": ["score", "reasons", "summary", "sentiment"],
    "additionalProperties": False,
}


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_reason(i: int, raw: Any) -> Reason:
    where = f"reasons[{i}]"
    if not isinstance(raw, dict):
        raise MalformedAnswer(f"{where} must be an object.")
    missing = [k for k in REASON_SCHEMA["required"] if k not in raw]
    if missing:
        raise MalformedAnswer(f"{where} lacks {', '.join(missing)}.")
    extra = sorted(set(raw) - set(REASON_SCHEMA["properties"]))
    if extra:
        raise MalformedAnswer(f"{where} has unknown fields {', '.join(extra)}.")
    for key in ("criterion", "note"):
        if not isinstance(raw[key], str):
            raise MalformedAnswer(f"{where}.{key} must be a string.")
    for key in ("points", "max_points"):
        if not _number(raw[key]):
            raise MalformedAnswer(f"{where}.{key} must be a number.")
    return Reason(raw["criterion"][:200], raw["points"], raw["max_points"], raw["note"][:MAX_TEXT])


def parse_ai_answer(text: str | None) -> AnalysisResult:
    """The result in an AI's answer, checked against RESULT_SCHEMA; else MalformedAnswer."""
    if not text:
        raise MalformedAnswer("The AI answered nothing.")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedAnswer(f"The AI's answer is not JSON ({exc.msg}).") from None
    if not isinstance(raw, dict):
        raise MalformedAnswer("The AI's answer must be a JSON object.")
    missing = [k for k in RESULT_SCHEMA["required"] if k not in raw]
    if missing:
        raise MalformedAnswer(f"The AI's answer lacks {', '.join(missing)}.")
    extra = sorted(set(raw) - set(RESULT_SCHEMA["properties"]))
    if extra:
        raise MalformedAnswer(f"The AI's answer has unknown fields {', '.join(extra)}.")
    score = raw["score"]
    if not _number(score) or score != int(score) or not 0 <= score <= 100:
        raise MalformedAnswer("score must be a whole number from 0 to 100.")
    if not isinstance(raw["reasons"], list):
        raise MalformedAnswer("reasons must be a list.")
    if not isinstance(raw["summary"], str):
        raise MalformedAnswer("summary must be a string.")
    if raw["sentiment"] not in SENTIMENTS:
        raise MalformedAnswer(f"sentiment must be one of {', '.join(SENTIMENTS)}.")
    reasons = [_check_reason(i, r) for i, r in enumerate(raw["reasons"])]
    sentiment = cast(Sentiment, raw["sentiment"])
    return AnalysisResult(int(score), reasons, raw["summary"][:MAX_TEXT], sentiment)


def prompt(facts: LeadFacts) -> list[dict[str, str]]:
    """The chat messages asking an AI for the result, one reason per campaign criterion."""
    criteria = [
        {
            "key": q.key,
            "label": q.label,
            "required": q.required,
            "options": list(q.options),
            "qualifying_options": list(q.qualifying_options),
            "qualifying_min": q.qualifying_min,
        }
        for q in facts.questions
    ]
    system = (
        "You are a B2B lead quality analyst. Score how well this call qualifies the lead "
        "from 0 to 100, give one reason per campaign criterion (criterion = its key) plus "
        "one for the disposition, summarise the call in two sentences and judge the "
        "prospect's sentiment. A criterion with qualifying_options qualifies only when the "
        "answer is one of them (a multiple choice: when any chosen option is), one with "
        "qualifying_min only when the number answered is at least that; any other "
        "answer earns it no points, and a required criterion answered that way "
        f"disqualifies the lead: say so in the summary and score it at most "
        f"{DISQUALIFIED_CAP}. Answer only with JSON matching the given schema."
    )
    user = json.dumps(
        {
            "criteria": criteria,
            "answers": dict(facts.answers),
            "disposition": facts.disposition,
            "transcript": (facts.transcript or "")[:20000] or None,
        },
        default=str,
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]
