"""Email rules: personalisation, plan, variants, sequences, the guard, pacing, tokens."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from engine.email import (
    Content,
    DomainLimits,
    EmailPlan,
    Exclusion,
    Footer,
    FrequencyCap,
    InvalidToken,
    Recipient,
    StopReason,
    TokenBucket,
    check_template,
    choose_variant,
    contact_values,
    exclusion,
    in_send_window,
    next_step_due,
    pick_winner,
    render,
    retry_delay,
    rewrite_links,
    sign,
    verify,
    with_footer,
)
from engine.errors import ValidationFailed

VALUES = contact_values(
    {"first_name": "Ann", "last_name": "<Lee>", "custom_fields": {"Tier": "gold"}},
    {"name": "Acme & Sons"},
    {"from_name": "Pivotal", "postal_address": "1 Main St"},
)


def test_placeholders_fill_escape_in_html_and_take_defaults() -> None:
    content = Content(
        subject="Hi {{contact.first_name}}\r\nBcc: x@y.z",
        html="<p>{{ contact.last_name }} at {{account.name}}, {{contact.job_title|leader}}</p>",
        text="{{contact.last_name}} / {{account.name}} / {{contact.city}}"
        " / {{contact.custom.tier}}",
    )
    out = render(content, VALUES)
    assert out.subject == "Hi Ann Bcc: x@y.z"  # no line break can reach a header
    assert out.html == "<p>&lt;Lee&gt; at Acme &amp; Sons, leader</p>"
    assert out.text == "<Lee> / Acme & Sons /  / gold"


def test_no_raw_placeholder_survives_rendering() -> None:
    content = Content("{{contact.nope}} {{broken", "{{ weird }} ok", "{{sender.from_name}}")
    out = render(content, VALUES)
    assert "{{" not in out.subject + out.html + out.text
    assert out.html == " ok"
    assert out.text == "Pivotal"


def test_templates_with_unknown_or_malformed_placeholders_are_refused() -> None:
    check_template(Content("{{contact.first_name|x}}", "{{account.custom.size}}", "plain"))
    with pytest.raises(ValidationFailed) as info:
        check_template(Content("{{contact.password}}", "{{contact.first_name", "ok"))
    assert [e.field for e in info.value.errors] == ["subject", "html"]


def test_the_footer_carries_the_postal_address_and_unsubscribe_link() -> None:
    footer = Footer("Pivotal <Sales>", "1 Main St\nSpringfield", "https://x.test/u/abc?a=1&b=2")
    out = with_footer(Content("s", "<html><body><p>Hi</p></body></html>", "Hi"), footer)
    assert out.html.endswith("</body></html>")
    assert "1 Main St<br>Springfield" in out.html
    assert 'href="https://x.test/u/abc?a=1&amp;b=2"' in out.html
    assert "Pivotal &lt;Sales&gt;" in out.html
    assert out.text.endswith("Unsubscribe: https://x.test/u/abc?a=1&b=2\n")


def test_links_are_wrapped_except_the_kept_ones() -> None:
    body = '<a href="https://a.test/x?y=1&amp;z=2">a</a> <a href="https://keep.test">k</a>'
    out = rewrite_links(body, lambda url: f"https://t.test/c/{url}", ["https://keep.test"])
    assert 'href="https://t.test/c/https://a.test/x?y=1&amp;z=2"' in out
    assert 'href="https://keep.test"' in out


PLAN = {
    "email": {
        "sender_profile_id": 1,
        "rate_per_minute": 120,
        "domain_limits": {"Gmail.com": 10},
        "steps": [
            {"variants": [{"template_id": 1, "weight": 70}, {"template_id": 2, "weight": 30}]},
            {"template_id": 3, "delay_days": 2},
        ],
        "send_window": {"start": "09:00", "end": "17:00", "days": [0, 1, 2, 3, 4]},
        "timezone": "Europe/Paris",
    }
}


def test_the_plan_is_read_from_campaign_settings() -> None:
    plan = EmailPlan.from_settings(PLAN)
    assert plan.rate_per_minute == 120
    assert plan.domain_limits == {"gmail.com": 10}
    assert [s.delay_days for s in plan.steps] == [0, 2]
    assert [v.name for v in plan.steps[0].variants] == ["A", "B"]
    assert plan.steps[1].variants[0].template_id == 3


def test_a_bad_plan_names_every_wrong_field() -> None:
    bad = {
        "email": {
            "rate_per_minute": 0,
            "steps": [{"variants": [{"template_id": 1, "weight": 60}]}, {"delay_days": -1}],
            "colour": "red",
        }
    }
    with pytest.raises(ValidationFailed) as info:
        EmailPlan.from_settings(bad)
    fields = {e.field for e in info.value.errors}
    assert fields == {
        "settings.email.rate_per_minute",
        "settings.email.steps.0.variants",
        "settings.email.steps.1.delay_days",
        "settings.email.steps.1.variants",
        "settings.email.colour",
    }


def test_variants_are_stable_per_contact_and_follow_the_split() -> None:
    variants = EmailPlan.from_settings(PLAN).steps[0].variants
    picks = [
        choose_variant(variants, campaign_id=5, step=1, contact_id=c).name for c in range(4000)
    ]
    again = [
        choose_variant(variants, campaign_id=5, step=1, contact_id=c).name for c in range(4000)
    ]
    assert picks == again
    share = Counter(picks)["A"] / len(picks)
    assert 0.66 < share < 0.74


def test_a_winner_is_picked_only_when_every_variant_has_enough_sends() -> None:
    assert pick_winner({"A": (50, 10), "B": (100, 30)}, after=100) is None
    assert pick_winner({"A": (100, 10), "B": (100, 30)}, after=100) == "B"
    assert pick_winner({"A": (100, 10)}, after=100) is None


def test_follow_ups_come_after_their_delay_unless_the_sequence_stopped() -> None:
    plan = EmailPlan.from_settings(PLAN)
    sent = datetime(2026, 1, 5, 10, tzinfo=UTC)
    assert next_step_due(plan, sent_step=1, sent_at=sent, stopped=None) == (
        2,
        sent + timedelta(days=2),
    )
    for reason in StopReason:
        assert next_step_due(plan, sent_step=1, sent_at=sent, stopped=reason) is None
    assert next_step_due(plan, sent_step=2, sent_at=sent, stopped=None) is None


def test_the_send_window_is_in_the_contacts_zone() -> None:
    plan = EmailPlan.from_settings(PLAN)
    monday_8_utc = datetime(2026, 1, 5, 8, tzinfo=UTC)  # 09:00 in Paris, 03:00 in New York
    assert in_send_window(plan, None, monday_8_utc)
    assert not in_send_window(plan, "America/New_York", monday_8_utc)
    assert not in_send_window(plan, None, monday_8_utc + timedelta(days=5))  # Saturday


@pytest.mark.parametrize(
    ("recipient", "reason"),
    [
        (Recipient(1, None), Exclusion.MISSING_EMAIL),
        (Recipient(1, "not-an-email"), Exclusion.INVALID),
        (Recipient(1, "a@b.co", verification_status="invalid"), Exclusion.INVALID),
        (Recipient(1, "a@b.co", email_status="bounced"), Exclusion.BOUNCED),
        (Recipient(1, "a@b.co", verification_status="bounced"), Exclusion.BOUNCED),
        (Recipient(1, "a@b.co", email_status="complained"), Exclusion.COMPLAINED),
        (Recipient(1, "a@b.co", email_status="unsubscribed"), Exclusion.UNSUBSCRIBED),
        (Recipient(1, "a@b.co", suppressed_email=True), Exclusion.SUPPRESSED_EMAIL),
        (Recipient(1, "a@b.co", suppressed_domain=True), Exclusion.SUPPRESSED_DOMAIN),
        (Recipient(1, "a@b.co", recent_messages=3), Exclusion.FREQUENCY_CAP),
        (Recipient(1, "a@b.co", recent_messages=2), None),
    ],
)
def test_the_guard_names_why_a_contact_is_excluded(
    recipient: Recipient, reason: Exclusion | None
) -> None:
    assert exclusion(recipient, FrequencyCap(3, 7)) == reason


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_token_bucket_spaces_sends_and_its_rate_changes_live() -> None:
    clock = FakeClock()
    bucket = TokenBucket(60, clock=clock)
    assert [bucket.reserve() for _ in range(3)] == [0.0, 1.0, 2.0]
    clock.now += 3
    assert bucket.reserve() == 0.0
    bucket.set_rate(600)
    assert bucket.reserve() == pytest.approx(0.1)
    with pytest.raises(ValidationFailed):
        bucket.set_rate(0)


def test_an_idle_bucket_allows_only_its_burst() -> None:
    clock = FakeClock()
    bucket = TokenBucket(60, burst=3, clock=clock)
    clock.now += 100
    assert [bucket.reserve() for _ in range(4)] == [0.0, 0.0, 0.0, 1.0]


def test_domain_limits_cover_subdomains_and_leave_others_free() -> None:
    clock = FakeClock()
    limits = DomainLimits({"gmail.com": 6}, clock=clock)
    limits.take("a@mail.gmail.com")
    assert limits.delay("b@gmail.com") == pytest.approx(10.0)
    assert limits.delay("c@other.com") == 0.0


def test_retries_back_off() -> None:
    assert [retry_delay(n, base=1) for n in (1, 2, 3)] == [1, 2, 4]
    assert retry_delay(30) == 3600


def test_signed_tokens_refuse_tampering_and_the_wrong_purpose() -> None:
    token = sign("s" * 40, {"p": "u", "m": 7, "e": "a@b.co"})
    assert verify("s" * 40, token, "u")["m"] == 7
    body, mac = token.split(".")
    forged = sign("other-secret", {"p": "u", "m": 8, "e": "a@b.co"}).split(".")[0] + "." + mac
    for bad in (forged, body + "." + mac[:-2] + "xx", "garbage", body, token + "x"):
        with pytest.raises(InvalidToken):
            verify("s" * 40, bad, "u")
    with pytest.raises(InvalidToken):
        verify("s" * 40, token, "c")
    with pytest.raises(InvalidToken):
        verify("t" * 40, token, "u")
