"""The DSN / bounce parser and the VERP return path."""

from email import message_from_string

from engine.bounces import (
    COMPLAINT,
    HARD,
    SOFT,
    bounce_kind,
    bounced_rows,
    parse_bounce,
    verp_address,
    verp_row,
)
from engine.email import message_id_header
from tests.support.bounces import arf_complaint, exim_bounce, postfix_dsn

SECRET = "s" * 40
OURS = message_id_header(SECRET, 42, "pivotal.test")
ORIGINAL = message_from_string(
    f"From: Sales <sales@pivotal.test>\nTo: ann@example.net\nSubject: Hi\nMessage-ID: {OURS}\n\nx"
)


def test_an_rfc_3464_hard_bounce_names_recipient_status_and_our_message() -> None:
    report = parse_bounce(postfix_dsn(ORIGINAL, to="sales@pivotal.test"))
    assert report is not None and report.standard
    (recipient,) = report.recipients
    assert (recipient.email, recipient.action, recipient.status) == (
        "ann@example.net",
        "failed",
        "5.1.1",
    )
    assert recipient.kind == HARD and "User unknown" in (recipient.diagnostic or "")
    assert report.message_refs == (OURS,)
    assert report.report_id == "<20261129.ABCDEF@mx.example.net>"
    assert bounced_rows(SECRET, report) == [42]
    assert bounce_kind(report) == recipient


def test_a_delayed_4xx_report_is_soft_and_a_delivered_one_is_no_failure() -> None:
    delayed = parse_bounce(
        postfix_dsn(ORIGINAL, to="x@pivotal.test", status="4.2.2", action="delayed")
    )
    assert delayed is not None and delayed.recipients[0].kind == SOFT
    delivered = parse_bounce(postfix_dsn(ORIGINAL, to="x@y.z", status="2.0.0", action="delivered"))
    assert delivered is not None and bounce_kind(delivered) is None


def test_an_exim_bounce_without_a_report_is_read_from_its_headers_and_text() -> None:
    verp = verp_address(SECRET, 7, "bounces@pivotal.test")
    report = parse_bounce(exim_bounce(to=verp, failed="bob@example.org"))
    assert report is not None and not report.standard
    verdict = bounce_kind(report)
    assert verdict is not None and (verdict.email, verdict.kind) == ("bob@example.org", HARD)
    assert bounced_rows(SECRET, report) == [7]  # from the VERP address it came back to
    soft = parse_bounce(exim_bounce(to=verp, failed="bob@example.org", code="452"))
    assert soft is not None and soft.recipients[0].kind == SOFT


def test_ordinary_mail_is_not_a_bounce() -> None:
    assert parse_bounce(b"From: ann@example.net\r\nSubject: Re: Hi\r\n\r\nThanks!\r\n") is None


def test_verp_and_message_ids_are_checked_so_a_forged_bounce_names_nothing() -> None:
    address = verp_address(SECRET, 123, "bounces@pivotal.test")
    assert address.startswith("bounces+123-") and address.endswith("@pivotal.test")
    assert verp_row(SECRET, address) == 123
    assert verp_row(SECRET, address.upper()) == 123  # an MTA that uppercases local parts
    assert verp_row(SECRET, address.replace("+123-", "+124-")) is None
    assert verp_row("another-secret", address) is None
    forged = message_from_string(
        "From: s@pivotal.test\nTo: ann@example.net\n"
        f"Message-ID: {OURS.replace('pv.42.', 'pv.43.')}\n\nx"
    )
    report = parse_bounce(postfix_dsn(forged, to="sales@pivotal.test"))
    assert report is not None and bounced_rows(SECRET, report) == []


def test_an_arf_feedback_loop_report_is_a_complaint_tied_by_its_verp_return_path() -> None:
    verp = verp_address(SECRET, 42, "bounces@pivotal.test")
    report = parse_bounce(arf_complaint(ORIGINAL, mail_from=verp))
    assert report is not None and report.standard
    verdict = bounce_kind(report)
    assert verdict is not None and verdict.kind == COMPLAINT
    assert verdict.email == "ann@example.net"
    assert bounced_rows(SECRET, report) == [42]
    no_verp = parse_bounce(arf_complaint(ORIGINAL, mail_from="sales@pivotal.test"))
    assert no_verp is not None and bounced_rows(SECRET, no_verp) == [42]  # by Message-ID
    not_spam = parse_bounce(arf_complaint(ORIGINAL, mail_from=verp, feedback_type="not-spam"))
    assert not_spam is not None and bounce_kind(not_spam) is None
