from typing import Any

import pytest

from engine.errors import IllegalTransition, ValidationFailed
from engine.qa import (
    DELIVERABLE,
    TRANSITIONS,
    ChecklistSpec,
    CustomItem,
    LeadFacts,
    QaStatus,
    check_transition,
    decide,
    describe,
    evaluate,
    merge_ticks,
)

SPEC = ChecklistSpec.from_settings(
    {
        "required_fields": ["budget"],
        "recording_present": True,
        "custom_items": ["title_verified", {"key": "timeline", "label": "Timeline < 6 months"}],
    },
    required_answers=["role"],
)
FACTS = LeadFacts(answers={"budget": 5000, "role": "CTO"}, has_recording=True)
ALL_TICKED = {"icp_match": True, "consent_captured": True, "title_verified": True, "timeline": True}

ALLOWED = {
    ("new", "under_review"),
    ("under_review", "approved"),
    ("under_review", "rejected"),
    ("approved", "published"),
    ("rejected", "returned"),
    ("returned", "under_review"),
}


@pytest.mark.parametrize("current", list(QaStatus))
@pytest.mark.parametrize("wanted", list(QaStatus))
def test_only_the_documented_edges_exist(current: QaStatus, wanted: QaStatus) -> None:
    if (current.value, wanted.value) in ALLOWED:
        assert check_transition(current, wanted) is wanted
    else:
        with pytest.raises(IllegalTransition) as caught:
            check_transition(current, wanted)
        assert caught.value.status == 409
        assert repr(current.value) in caught.value.message


def test_every_status_has_an_entry_and_published_is_final() -> None:
    assert set(TRANSITIONS) == set(QaStatus)
    assert TRANSITIONS[QaStatus.PUBLISHED] == frozenset()
    assert frozenset({QaStatus.APPROVED, QaStatus.PUBLISHED}) == DELIVERABLE


def test_an_unknown_status_is_a_field_error() -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_transition("new", "accepted")
    assert caught.value.errors[0].field == "to"


def test_approval_needs_every_item_and_names_the_missing_ones() -> None:
    bare = LeadFacts(answers={"budget": " "}, has_recording=False)
    with pytest.raises(ValidationFailed) as caught:
        decide("under_review", "approved", spec=SPEC, ticks={}, facts=bare, reason=None)
    errors = {e.field: e.message for e in caught.value.errors}
    assert set(errors) == {
        "checklist.required_fields",
        "checklist.recording_present",
        "checklist.icp_match",
        "checklist.consent_captured",
        "checklist.title_verified",
        "checklist.timeline",
    }
    assert errors["checklist.required_fields"] == "Missing answers: role, budget."
    assert caught.value.message == "The checklist is not complete."


def test_a_complete_checklist_approves() -> None:
    status = decide(
        "under_review", "approved", spec=SPEC, ticks=ALL_TICKED, facts=FACTS, reason=None
    )
    assert status is QaStatus.APPROVED
    assert all(item.done for item in evaluate(SPEC, ALL_TICKED, FACTS))


def test_a_false_tick_is_not_done() -> None:
    ticks = ALL_TICKED | {"icp_match": False}
    with pytest.raises(ValidationFailed) as caught:
        decide("under_review", "approved", spec=SPEC, ticks=ticks, facts=FACTS, reason=None)
    assert [e.field for e in caught.value.errors] == ["checklist.icp_match"]


@pytest.mark.parametrize(
    ("current", "wanted"), [("under_review", "rejected"), ("rejected", "returned")]
)
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_reject_and_return_need_a_reason(current: str, wanted: str, reason: str | None) -> None:
    with pytest.raises(ValidationFailed) as caught:
        decide(current, wanted, spec=SPEC, ticks={}, facts=FACTS, reason=reason)
    assert caught.value.errors[0].field == "reason"
    assert decide(current, wanted, spec=SPEC, ticks={}, facts=FACTS, reason="no budget")


def test_the_default_checklist_asks_for_icp_and_consent_only() -> None:
    spec = ChecklistSpec.from_settings(None)
    assert spec == ChecklistSpec()
    keys = [item.key for item in evaluate(spec, {}, LeadFacts({}, False))]
    assert keys == ["icp_match", "consent_captured"]


def test_required_answers_merge_with_configured_fields_without_duplicates() -> None:
    spec = ChecklistSpec.from_settings({"required_fields": ["a", "b"]}, required_answers=["b"])
    assert spec.required_fields == ("b", "a")


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ([], "settings.qa_checklist.qa_checklist"),
        ({"required_fields": "budget"}, "settings.qa_checklist.required_fields"),
        ({"icp_match": "yes"}, "settings.qa_checklist.icp_match"),
        ({"custom_items": [{"label": "no key"}]}, "settings.qa_checklist.custom_items.0"),
        ({"custom_items": ["x", "x"]}, "settings.qa_checklist.custom_items"),
        ({"custom_items": ["icp_match"]}, "settings.qa_checklist.custom_items"),
    ],
)
def test_a_broken_checklist_config_is_refused(raw: Any, field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        ChecklistSpec.from_settings(raw)
    assert caught.value.errors[0].field == field


def test_ticks_merge_and_unknown_items_are_refused() -> None:
    merged = merge_ticks(SPEC, {"icp_match": True, "gone": True}, {"timeline": True})
    assert merged == {"icp_match": True, "timeline": True}
    for key in ("recording_present", "required_fields", "nonsense"):
        with pytest.raises(ValidationFailed) as caught:
            merge_ticks(SPEC, {}, {key: True})
        assert caught.value.errors[0].field == f"checklist.{key}"


def test_custom_items_keep_their_labels() -> None:
    assert SPEC.custom_items == (
        CustomItem("title_verified", "title_verified"),
        CustomItem("timeline", "Timeline < 6 months"),
    )
    assert SPEC.tickable()["timeline"] == "Timeline < 6 months"


def test_describe_joins_message_and_fields() -> None:
    with pytest.raises(ValidationFailed) as caught:
        decide("under_review", "approved", spec=ChecklistSpec(), ticks={}, facts=FACTS, reason="")
    assert describe(caught.value) == (
        "The checklist is not complete. checklist.icp_match: Not confirmed. "
        "checklist.consent_captured: Not confirmed."
    )
    with pytest.raises(IllegalTransition) as illegal:
        check_transition("new", "approved")
    assert describe(illegal.value) == "The lead cannot go from 'new' to 'approved'."
