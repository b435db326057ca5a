"""Bounce mails as MTAs write them: an RFC 3464 report (Postfix's shape) and an Exim-style
non-standard one, about a message whose headers they quote."""

from email.message import Message


def postfix_dsn(
    original: Message,
    *,
    to: str,
    status: str = "5.1.1",
    action: str = "failed",
    diagnostic: str = "smtp; 550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown",
) -> bytes:
    """A multipart/report delivery-status notification sent to `to` (the return path),
    returning the original's headers as text/rfc822-headers."""
    rcpt = str(original["To"])
    headers = "".join(f"{k}: {v}\r\n" for k, v in original.items())
    boundary = "8A1B2C3D4E.1700000000/mx.example.net"
    return (
        "Return-Path: <>\r\n"
        f"Delivered-To: {to}\r\n"
        "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\r\n"
        f"To: {to}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <20261129.ABCDEF@mx.example.net>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/report; report-type=delivery-status;\r\n"
        f'\tboundary="{boundary}"\r\n'
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Description: Notification\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "\r\n"
        "I'm sorry to have to inform you that your message could not\r\n"
        "be delivered to one or more recipients.\r\n"
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Description: Delivery report\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns; mx.example.net\r\n"
        "Arrival-Date: Sun, 29 Nov 2026 05:00:00 +0000 (UTC)\r\n"
        "\r\n"
        f"Final-Recipient: rfc822; {rcpt}\r\n"
        f"Original-Recipient: rfc822;{rcpt}\r\n"
        f"Action: {action}\r\n"
        f"Status: {status}\r\n"
        f"Diagnostic-Code: {diagnostic.format(rcpt=rcpt)}\r\n"
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Description: Undelivered Message Headers\r\n"
        "Content-Type: text/rfc822-headers\r\n"
        "\r\n"
        f"{headers}"
        f"\r\n--{boundary}--\r\n"
    ).encode()


def exim_bounce(*, to: str, failed: str, code: str = "550") -> bytes:
    """Exim's plain-text bounce: X-Failed-Recipients and the SMTP answer, no report."""
    return (
        "Return-Path: <>\r\n"
        f"Delivered-To: {to}\r\n"
        "From: Mail Delivery System <Mailer-Daemon@mail.example.org>\r\n"
        f"To: {to}\r\n"
        "Subject: Mail delivery failed: returning message to sender\r\n"
        f"X-Failed-Recipients: {failed}\r\n"
        "Message-Id: <E1abc-0001@mail.example.org>\r\n"
        "\r\n"
        "This message was created automatically by mail delivery software.\r\n"
        "\r\n"
        "A message that you sent could not be delivered to one or more of its\r\n"
        "recipients. This is a permanent error. The following address(es) failed:\r\n"
        "\r\n"
        f"  {failed}\r\n"
        f"    host mx.example.org [192.0.2.1]\r\n"
        f"    SMTP error from remote mail server after RCPT TO:<{failed}>:\r\n"
        f"    {code} No such mailbox\r\n"
    ).encode()


def arf_complaint(original: Message, *, mail_from: str, feedback_type: str = "abuse") -> bytes:
    """A feedback-loop report (RFC 5965 ARF) as a mailbox provider sends it to the address
    registered for its feedback loop: the complaint and the original message's headers."""
    rcpt = str(original["To"])
    headers = "".join(f"{k}: {v}\r\n" for k, v in original.items())
    boundary = "----=_ARF_1700000000"
    return (
        "From: Feedback Loop <fbl@feedback.example.net>\r\n"
        "To: fbl@pivotal.test\r\n"
        "Subject: FW: complaint about a message from pivotal.test\r\n"
        "Message-ID: <arf-0001@feedback.example.net>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/report; report-type=feedback-report;\r\n"
        f'\tboundary="{boundary}"\r\n'
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "\r\n"
        "This is an email abuse report for an email message received from IP 192.0.2.7.\r\n"
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Type: message/feedback-report\r\n"
        "\r\n"
        f"Feedback-Type: {feedback_type}\r\n"
        "User-Agent: ExampleFBL/1.0\r\n"
        "Version: 1\r\n"
        f"Original-Mail-From: <{mail_from}>\r\n"
        f"Original-Rcpt-To: <{rcpt}>\r\n"
        "Arrival-Date: Sun, 29 Nov 2026 06:00:00 +0000\r\n"
        "Source-IP: 192.0.2.7\r\n"
        "\r\n"
        f"--{boundary}\r\n"
        "Content-Type: text/rfc822-headers\r\n"
        "\r\n"
        f"{headers}"
        f"\r\n--{boundary}--\r\n"
    ).encode()


def reply_to(original: Message, *, body: str = "Thanks, let's talk.", **headers: str) -> bytes:
    """A reply to `original` as a mail client writes it (In-Reply-To and References), with
    any extra headers (an autoresponder's, a Message-ID)."""
    extra = "".join(f"{k.replace('_', '-')}: {v}\r\n" for k, v in headers.items())
    return (
        f"From: {original['To']}\r\n"
        f"To: {original['Reply-To'] or original['From']}\r\n"
        f"Subject: Re: {original['Subject']}\r\n"
        f"In-Reply-To: {original['Message-ID']}\r\n"
        f"References: {original['Message-ID']}\r\n"
        f"{extra}"
        "\r\n"
        f"{body}\r\n"
    ).encode()
