"""Webhook signing and retry schedule; automation rule matching and checking."""

import pytest

from engine import automation, hooks
from engine.errors import ValidationFailed


def test_signature_verifies_and_rejects_tampering_and_old_timestamps() -> None:
    body = b'{"event":"order.submitted"}'
    header = hooks.signature_header("sec", 1_000, body)
    assert header.startswith("t=1000,v1=")
    assert hooks.verify("sec", header, body, now=1_010)
    assert not hooks.verify("sec", header, body + b" ", now=1_010)
    assert not hooks.verify("other", header, body, now=1_010)
    assert not hooks.verify("sec", header, body, now=1_000 + 301)
    assert not hooks.verify("sec", "garbage", body, now=1_000)


def test_retry_schedule() -> None:
    assert hooks.after_attempt(1, 204, max_attempts=3, base=30) == ("delivered", None)
    assert hooks.after_attempt(1, 500, max_attempts=3, base=30) == ("pending", 30)
    assert hooks.after_attempt(2, None, max_attempts=3, base=30) == ("pending", 60)
    assert hooks.after_attempt(3, 302, max_attempts=3, base=30) == ("failed", None)
    assert hooks.backoff_seconds(20, base=30) == 3600


def _event(**facts: object) -> automation.Event:
    return automation.Event(automation.Trigger.CONTACT_UPDATED, 1, facts, frozenset({"job_title"}))


def test_rules_match_on_all_conditions_in_rule_order() -> None:
    notify = {"type": "notify", "user_id": 1, "message": "m"}
    rules = [
        automation.Rule(2, "contact.updated", [{"field": "job_title", "op": "changed"}], [notify]),
        automation.Rule(
            1,
            "contact.updated",
            [{"field": "seniority_level", "op": "in", "value": ["c"]}],
            [notify],
        ),
        automation.Rule(3, "account.updated", [], [notify]),
        automation.Rule(
            4, "contact.updated", [{"field": "staff", "op": "gt", "value": 5}], [notify]
        ),
        automation.Rule(
            5,
            "contact.updated",
            [{"field": "job_title", "op": "contains", "value": "CTO"}],
            [notify],
        ),
    ]
    planned = automation.plan(rules, _event(job_title="Group cto", seniority_level="c", staff="x"))
    assert [p.rule_id for p in planned] == [1, 2, 5]  # rule 4 compares text with a number
    assert automation.plan(rules, _event(job_title=None, seniority_level="m")) == [
        automation.Planned(2, notify)
    ]


def test_rule_checks() -> None:
    automation.check(
        "order.status_changed", [], [{"type": "update_field", "field": "notes", "value": "x"}]
    )
    with pytest.raises(ValidationFailed) as bad:
        automation.check(
            "order.status_changed",
            [{"field": "status", "op": "in", "value": "submitted"}],
            [
                {"type": "assign", "user_id": 1},
                {"type": "update_field", "field": "notes", "value": 5},
            ],
        )
    assert [e.field for e in bad.value.errors] == [
        "conditions.0.value",
        "actions.0.type",
        "actions.1.value",
    ]


@pytest.mark.parametrize(
    ("url", "addresses"),
    [
        ("http://localhost/x", ["127.0.0.1", "::1"]),
        ("http://10.0.0.5/x", ["10.0.0.5"]),
        ("http://meta/x", ["169.254.169.254"]),
        ("http://v6/x", ["fe80::1%eth0"]),
        ("http://m/x", ["224.0.0.1"]),
        ("http://0.0.0.0/x", ["0.0.0.0"]),
        ("http://mapped/x", ["::ffff:192.168.1.1"]),
        ("http://mixed/x", ["93.184.215.14", "192.168.1.1"]),  # one internal answer is enough
        ("ftp://example.com/x", ["93.184.215.14"]),
        ("http:///x", []),
    ],
)
def test_internal_targets_are_refused(url: str, addresses: list[str]) -> None:
    assert hooks.target_problem(url, addresses, allow_private=False)


def test_public_targets_and_allowed_private_ones_pass() -> None:
    assert (
        hooks.target_problem("https://h.example/x", ["93.184.215.14"], allow_private=False) is None
    )
    assert hooks.target_problem("https://h/x", ["2606:4700::1"], allow_private=False) is None
    assert hooks.target_problem("http://127.0.0.1:9/x", ["127.0.0.1"], allow_private=True) is None
    assert hooks.target_problem("gopher://127.0.0.1/", [], allow_private=True)
