"""Webhook signing and retry schedule; automation rule matching and checking."""

import pytest

from engine import automation, hooks
from engine.errors import ValidationFailed
from engine.qa import QaStatus


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


def test_conditions_are_checked_against_the_triggers_fields() -> None:
    notify = [{"type": "notify", "user_id": 1, "message": "m"}]
    automation.check(
        "qa.decided",
        [
            {"field": "from_status", "op": "eq", "value": "under_review"},
            {"field": "ai_score", "op": "gt", "value": 70},
            {"field": "approved_at", "op": "lt", "value": "2026-01-31"},
            {"field": "agent_id", "op": "eq", "value": 4},
            {"field": "qa_status", "op": "changed"},
        ],
        notify,
    )
    bad = [
        ({"field": "email", "op": "eq", "value": "x"}, "field"),  # not a lead field
        ({"field": "ai_score", "op": "contains", "value": "7"}, "op"),  # text op on a number
        ({"field": "approved_at", "op": "eq", "value": "2026-01-31"}, "op"),
        ({"field": "ai_score", "op": "gt", "value": "70"}, "value"),
        ({"field": "qa_status", "op": "eq", "value": "lost"}, "value"),
        ({"field": "qa_status", "op": "in", "value": ["approved", "lost"]}, "value"),
        ({"field": "qa_status", "op": "in", "value": []}, "value"),
        ({"field": "approved_at", "op": "gt", "value": "31/01/2026"}, "value"),
        ({"field": "agent_id", "op": "eq", "value": True}, "value"),
    ]
    for condition, part in bad:
        with pytest.raises(ValidationFailed) as refused:
            automation.check("qa.decided", [condition], notify)
        assert [e.field for e in refused.value.errors] == [f"conditions.0.{part}"], condition


def test_the_catalogue_is_what_check_accepts() -> None:
    triggers = {t["trigger"]: t for t in automation.catalogue()["triggers"]}
    assert set(triggers) == {t.value for t in automation.Trigger}
    lead = triggers["qa.decided"]
    assert [a["type"] for a in lead["actions"]] == ["notify", "webhook"]  # a lead has no owner
    fields = {f["name"]: f for f in lead["fields"]}
    assert fields["qa_status"]["choices"] == [s.value for s in QaStatus]
    assert [o["label"] for o in fields["approved_at"]["operators"]] == [
        "is after",
        "is before",
        "changed",
    ]
    contact = {a["type"]: a for a in triggers["contact.updated"]["actions"]}
    assert contact["update_field"]["params"][0]["choices"] == [
        "department",
        "job_title",
        "seniority_level",
    ]
    # every operator offered for every field passes the check with a value of its type
    sample = {"text": "x", "number": 1, "date": "2026-01-01", "boolean": True, "user": 1}
    for trigger in triggers.values():
        for f in trigger["fields"]:
            value = f["choices"][0] if f["choices"] else sample[f["type"]]
            for o in f["operators"]:
                given = [value] if o["op"] in ("in", "not_in") else value
                condition = {"field": f["name"], "op": o["op"], "value": given}
                automation.check(
                    trigger["trigger"], [condition], [{"type": "webhook", "subscription_id": 1}]
                )


def test_an_any_group_holds_when_one_of_its_conditions_does() -> None:
    notify = {"type": "notify", "user_id": 1, "message": "m"}
    senior = {"field": "seniority_level", "op": "eq", "value": "c"}
    cto = {"field": "job_title", "op": "contains", "value": "cto"}
    rule = automation.Rule(1, "contact.updated", [cto, {"any": [senior, cto]}], [notify])
    loose = automation.Rule(2, "contact.updated", [{"any": [senior, cto]}], [notify])
    assert [p.rule_id for p in automation.plan([rule, loose], _event(job_title="CTO"))] == [1, 2]
    assert [p.rule_id for p in automation.plan([rule, loose], _event(seniority_level="c"))] == [2]
    assert automation.plan([rule, loose], _event(job_title="Intern")) == []
    automation.check("contact.updated", [{"any": [senior, cto]}], [notify])
    for group, path in (
        ({"any": []}, "conditions.0.any"),
        ({"any": [senior], "field": "x"}, "conditions.0.any"),
        (
            {"any": [senior, {"field": "ai_score", "op": "gt", "value": 1}]},
            "conditions.0.any.1.field",
        ),
        ({"any": [{"any": [senior]}]}, "conditions.0.any.0.field"),  # one level only
        ({"any": [senior, "cto"]}, "conditions.0.any.1"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            automation.check("contact.updated", [group], [notify])
        assert [e.field for e in refused.value.errors] == [path], group


def test_an_ipv6_host_is_judged_by_its_address() -> None:
    assert hooks.address_problem("2606:4700::1", ["2606:4700::1"]) is None
    assert "::1" in (hooks.address_problem("::1", ["::1"]) or "")
    assert (
        hooks.target_problem("http://[2606:4700::1]:8080/x", ["2606:4700::1"], allow_private=False)
        is None
    )
