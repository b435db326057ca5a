"""The reply parser: which inbound mails answer our messages, and which are autoresponders."""

from email import message_from_string

import pytest

from engine.email import message_id_header
from engine.replies import AUTO_REPLY, REPLY, parse_reply, replied_row
from tests.support.bounces import reply_to

SECRET = "s" * 40
OURS = message_id_header(SECRET, 42, "pivotal.test")
EARLIER = message_id_header(SECRET, 7, "pivotal.test")
ORIGINAL = message_from_string(
    f"From: Sales <sales@pivotal.test>\nTo: ann@example.net\nReply-To: replies@pivotal.test\n"
    f"Subject: Hi\nMessage-ID: {OURS}\n\nx"
)


def test_a_reply_names_our_message_by_in_reply_to_and_counts_once_by_its_id() -> None:
    raw = reply_to(ORIGINAL, Message_ID="<r1@mail.example.net>")
    reply = parse_reply(raw)
    assert reply is not None and reply.kind == REPLY
    assert (reply.inbound_id, reply.sender, reply.subject) == (
        "<r1@mail.example.net>",
        "ann@example.net",
        "Re: Hi",
    )
    assert replied_row(SECRET, reply) == 42
    anonymous, again = parse_reply(reply_to(ORIGINAL)), parse_reply(reply_to(ORIGINAL))
    assert anonymous is not None and again is not None  # no Message-ID: a digest of the mail
    assert anonymous.inbound_id.startswith("sha256:")
    assert anonymous.inbound_id == again.inbound_id


def test_references_alone_name_the_latest_of_our_messages_in_the_thread() -> None:
    raw = (
        "From: ann@example.net\r\nSubject: Re: Hi\r\n"
        f"References: <other@elsewhere.example> {EARLIER}\r\n {OURS} <x@y.example>\r\n\r\nok\r\n"
    ).encode()
    reply = parse_reply(raw)
    assert reply is not None and reply.refs == (OURS, EARLIER)
    assert replied_row(SECRET, reply) == 42


def test_forged_or_foreign_message_ids_name_nothing() -> None:
    forged = OURS.replace("pv.42.", "pv.43.")
    reply = parse_reply(reply_to(message_from_string(f"To: a@b.example\nMessage-ID: {forged}\n")))
    assert reply is not None and replied_row(SECRET, reply) is None
    other_secret = message_id_header("x" * 40, 42, "pivotal.test")
    reply = parse_reply(reply_to(message_from_string(f"Message-ID: {other_secret}\n")))
    assert reply is not None and replied_row(SECRET, reply) is None
    assert parse_reply(b"From: a@b.example\r\nIn-Reply-To: <abc@gmail.com>\r\n\r\nhi\r\n") is None
    assert parse_reply(b"From: a@b.example\r\nSubject: Hello\r\n\r\nhi\r\n") is None


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"Auto_Submitted": "auto-generated"},
        {"X_Autoreply": "yes"},
        {"X_Autorespond": "Out of office"},
        {"Precedence": "auto_reply"},
        {"Precedence": "bulk"},
        {"Precedence": "junk"},
        {"Subject": "Automatic reply: Hi"},
        {"Subject": "Out of Office: Hi"},
    ],
)
def test_autoresponders_are_auto_replies_not_replies(headers: dict[str, str]) -> None:
    raw = reply_to(ORIGINAL, **{k: v for k, v in headers.items() if k != "Subject"})
    if "Subject" in headers:  # the autoresponder's own subject, and no other sign
        raw = raw.replace(b"Subject: Re: Hi", f"Subject: {headers['Subject']}".encode())
    reply = parse_reply(raw)
    assert reply is not None and reply.kind == AUTO_REPLY
    assert replied_row(SECRET, reply) == 42


def test_a_person_s_reply_with_auto_submitted_no_is_a_reply() -> None:
    reply = parse_reply(reply_to(ORIGINAL, Auto_Submitted="no", Precedence="first-class"))
    assert reply is not None and reply.kind == REPLY
