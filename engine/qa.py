"""Lead QA: the review state machine and the per-campaign checklist that gates approval.

The allowed edges (everything else is an IllegalTransition):

    new ──────────► under_review ──► approved ──► published
                        ▲    │
                        │    └────► rejected ──► returned
                        └──────────────────────────┘   (reworked, reviewed again)

Approving needs a complete checklist; rejecting and returning need a reason (the agent
reworking the lead must know why). Approved and published leads are the deliverable ones:
published only means the lead went out to the client.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from engine.errors import DomainError, FieldError, IllegalTransition, ValidationFailed


class QaStatus(StrEnum):
    NEW = "new"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNED = "returned"
    PUBLISHED = "published"


_Q = QaStatus
TRANSITIONS: dict[QaStatus, frozenset[QaStatus]] = {
    _Q.NEW: frozenset({_Q.UNDER_REVIEW}),
    _Q.UNDER_REVIEW: frozenset({_Q.APPROVED, _Q.REJECTED}),
    _Q.APPROVED: frozenset({_Q.PUBLISHED}),
    _Q.REJECTED: frozenset({_Q.RETURNED}),
    _Q.RETURNED: frozenset({_Q.UNDER_REVIEW}),
    _Q.PUBLISHED: frozenset(),
}
# The statuses a client may count and download.
DELIVERABLE = frozenset({_Q.APPROVED, _Q.PUBLISHED})
NEEDS_REASON = frozenset({_Q.REJECTED, _Q.RETURNED})


# --- the checklist ---------------------------------------------------------------------------

# Items the reviewer ticks; the others are worked out from the lead itself.
ICP_MATCH = "icp_match"
CONSENT_CAPTURED = "consent_captured"
REQUIRED_FIELDS = "required_fields"
RECORDING_PRESENT = "recording_present"
_BUILT_IN = (REQUIRED_FIELDS, ICP_MATCH, CONSENT_CAPTURED, RECORDING_PRESENT)


@dataclass(frozen=True)
class CustomItem:
    key: str
    label: str


@dataclass(frozen=True)
class ChecklistSpec:
    """What a campaign asks of a lead before it may be approved.

    Read from the campaign's `settings["qa_checklist"]`; a campaign without one asks for
    the ICP match and the consent to be confirmed, and for the required answers.
    """

    required_fields: tuple[str, ...] = ()
    icp_match: bool = True
    consent_captured: bool = True
    recording_present: bool = False
    custom_items: tuple[CustomItem, ...] = ()

    @classmethod
    def from_settings(cls, raw: Any, required_answers: Sequence[str] = ()) -> "ChecklistSpec":
        """The campaign's checklist; `required_answers` (its required questions) always count."""
        if raw is None:
            raw = {}
        if not isinstance(raw, Mapping):
            raise _bad_config("qa_checklist", "The checklist must be an object.")
        fields = _strings(raw.get("required_fields", []), "required_fields")
        items = tuple(_custom_item(i, n) for n, i in enumerate(raw.get("custom_items", [])))
        keys = [item.key for item in items]
        if len(set(keys)) != len(keys) or set(keys) & set(_BUILT_IN):
            raise _bad_config("custom_items", "Custom item keys must be unique and new.")
        return cls(
            required_fields=tuple(dict.fromkeys([*required_answers, *fields])),
            icp_match=_flag(raw, ICP_MATCH, default=True),
            consent_captured=_flag(raw, CONSENT_CAPTURED, default=True),
            recording_present=_flag(raw, RECORDING_PRESENT, default=False),
            custom_items=items,
        )

    def tickable(self) -> dict[str, str]:
        """The items a reviewer confirms by hand: key → label."""
        ticks = {}
        if self.icp_match:
            ticks[ICP_MATCH] = "The contact matches the ideal customer profile"
        if self.consent_captured:
            ticks[CONSENT_CAPTURED] = "Consent was captured on the call"
        return ticks | {item.key: item.label for item in self.custom_items}


@dataclass(frozen=True)
class LeadFacts:
    """What the checklist reads from the lead rather than from the reviewer."""

    answers: Mapping[str, Any]
    has_recording: bool


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    automatic: bool
    done: bool
    problem: str | None = None


def evaluate(
    spec: ChecklistSpec, ticks: Mapping[str, Any], facts: LeadFacts
) -> list[ChecklistItem]:
    """Every item of the checklist with whether it is done, in a stable order."""
    items = []
    if spec.required_fields:
        missing = [f for f in spec.required_fields if _is_empty(facts.answers.get(f))]
        problem = f"Missing answers: {', '.join(missing)}." if missing else None
        items.append(
            ChecklistItem(REQUIRED_FIELDS, "Required fields answered", True, not missing, problem)
        )
    if spec.recording_present:
        problem = None if facts.has_recording else "The call has no recording."
        items.append(
            ChecklistItem(
                RECORDING_PRESENT, "Recording present", True, facts.has_recording, problem
            )
        )
    for key, label in spec.tickable().items():
        done = ticks.get(key) is True
        items.append(ChecklistItem(key, label, False, done, None if done else "Not confirmed."))
    return items


def merge_ticks(
    spec: ChecklistSpec, current: Mapping[str, Any], given: Mapping[str, bool]
) -> dict[str, bool]:
    """The reviewer's ticks after this change; only tickable items may be set."""
    allowed = spec.tickable()
    unknown = [key for key in given if key not in allowed]
    if unknown:
        raise ValidationFailed(
            [FieldError(f"checklist.{key}", "Not an item you can tick.") for key in unknown]
        )
    return {key: current[key] for key in allowed if key in current} | dict(given)


# --- decisions -------------------------------------------------------------------------------


def check_transition(current: str, wanted: str, what: str = "The lead") -> QaStatus:
    """The wanted status if the edge exists; IllegalTransition otherwise."""
    try:
        target = QaStatus(wanted)
    except ValueError as exc:
        raise ValidationFailed([FieldError("to", f"{wanted!r} is not a QA status.")]) from exc
    if target not in TRANSITIONS[QaStatus(current)]:
        raise IllegalTransition(what, str(current), target.value)
    return target


def decide(
    current: str,
    wanted: str,
    *,
    spec: ChecklistSpec,
    ticks: Mapping[str, Any],
    facts: LeadFacts,
    reason: str | None,
    what: str = "The lead",
) -> QaStatus:
    """The status a QA decision leads to, or the error that refuses it."""
    target = check_transition(current, wanted, what)
    if target in NEEDS_REASON and not (reason or "").strip():
        raise ValidationFailed([FieldError("reason", f"Say why the lead is {target.value}.")])
    if target is QaStatus.APPROVED:
        open_items = [item for item in evaluate(spec, ticks, facts) if not item.done]
        if open_items:
            raise ValidationFailed(
                [FieldError(f"checklist.{i.key}", i.problem or "Not done.") for i in open_items],
                "The checklist is not complete.",
            )
    return target


def describe(error: DomainError) -> str:
    """One line for a bulk report: the message and any field problems."""
    details = " ".join(f"{e.field}: {e.message}" for e in error.errors)
    return f"{error.message} {details}".strip()


# --- helpers ---------------------------------------------------------------------------------


def _bad_config(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([FieldError(f"settings.qa_checklist.{field}", message)])


def _strings(value: Any, field: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _bad_config(field, "Give a list of field keys.")
    return value


def _flag(raw: Mapping[str, Any], key: str, *, default: bool) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise _bad_config(key, "Use true or false.")
    return value


def _custom_item(raw: Any, position: int) -> CustomItem:
    if isinstance(raw, str) and raw:
        return CustomItem(raw, raw)
    if isinstance(raw, Mapping) and isinstance(raw.get("key"), str) and raw["key"]:
        label = raw.get("label")
        return CustomItem(raw["key"], label if isinstance(label, str) and label else raw["key"])
    raise _bad_config(f"custom_items.{position}", "An item is a key or {key, label}.")


def _is_empty(answer: Any) -> bool:
    return answer is None or answer == [] or (isinstance(answer, str) and not answer.strip())
