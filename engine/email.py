"""Email campaign rules as plain Python: templates and personalisation, the campaign plan
(steps, A/B/n variants, pacing), the pre-send guard, token buckets and signed tokens.

Nothing here touches the network or the database: the pacer (actors/pacer.py) and the API
call these functions with the facts they have read.
"""

import base64
import binascii
import hashlib
import hmac
import html
import json
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.header import Header
from email.utils import formataddr, formatdate
from enum import StrEnum
from typing import Any

from engine.calling_window import CallingWindow, is_callable, next_open
from engine.errors import DomainError, FieldError, ValidationFailed

# --- templates -----------------------------------------------------------------------------

# `{{contact.first_name}}`, `{{ account.name | our friends }}`, `{{contact.custom.key|-}}`.
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\.([a-z0-9_.]+)\s*(?:\|([^{}]*))?\}\}", re.IGNORECASE)
# Anything that still looks like a placeholder after rendering (malformed ones included).
LEFTOVER = re.compile(r"\{\{.*?\}\}", re.DOTALL)

CONTACT_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "full_name",
        "job_title",
        "email",
        "seniority_level",
        "department",
        "city",
        "state",
        "country",
    }
)
ACCOUNT_FIELDS = frozenset({"name", "domain", "industry", "hq_city", "hq_state", "hq_country"})
SENDER_FIELDS = frozenset({"from_name", "from_email", "postal_address"})
FIELDS = {"contact": CONTACT_FIELDS, "account": ACCOUNT_FIELDS, "sender": SENDER_FIELDS}


@dataclass(frozen=True)
class Content:
    subject: str
    html: str
    text: str


@dataclass(frozen=True)
class Footer:
    """What every marketing mail ends with: who sent it, from where, and the way out."""

    sender_name: str
    postal_address: str
    unsubscribe_url: str


def placeholders(source: str) -> list[tuple[str, str]]:
    return [(m.group(1).lower(), m.group(2).lower()) for m in PLACEHOLDER.finditer(source)]


def check_template(content: Content) -> None:
    """Refuses unknown placeholders and unbalanced braces, with the part that has them."""
    errors = []
    for part in ("subject", "html", "text"):
        source = getattr(content, part)
        for namespace, name in placeholders(source):
            if not _known(namespace, name):
                errors.append(FieldError(part, f"Unknown placeholder {{{{{namespace}.{name}}}}}."))
        rest = PLACEHOLDER.sub("", source)
        if "{{" in rest or "}}" in rest:
            errors.append(FieldError(part, "A placeholder is malformed: use {{contact.field}}."))
    if errors:
        raise ValidationFailed(errors)


def _known(namespace: str, name: str) -> bool:
    if namespace in ("contact", "account") and name.startswith("custom."):
        return bool(re.fullmatch(r"custom\.[a-z0-9_]+", name))
    return name in FIELDS.get(namespace, frozenset())


def render_text(source: str, values: Mapping[str, Any], *, escape: bool) -> str:
    """Fills the placeholders from `values` ({"contact.first_name": "Ann", ...}); a missing
    or empty value takes the placeholder's default (or ""). No placeholder survives."""

    def fill(match: re.Match[str]) -> str:
        key = f"{match.group(1).lower()}.{match.group(2).lower()}"
        value = values.get(key)
        text = str(value).strip() if value not in (None, "") else (match.group(3) or "").strip()
        return html.escape(text, quote=True) if escape else text

    rest = LEFTOVER.sub("", PLACEHOLDER.sub(fill, source))
    return rest.replace("{{", "").replace("}}", "")


def render(content: Content, values: Mapping[str, Any]) -> Content:
    subject = render_text(content.subject, values, escape=False)
    return Content(
        subject=" ".join(subject.split()),  # no CR/LF may reach a header
        html=render_text(content.html, values, escape=True),
        text=render_text(content.text, values, escape=False),
    )


def with_footer(content: Content, footer: Footer) -> Content:
    """Adds the sender's postal address and the unsubscribe link to both parts."""
    url = html.escape(footer.unsubscribe_url, quote=True)
    address = html.escape(footer.postal_address).replace("\n", "<br>")
    html_footer = (
        '<hr><p style="font-size:12px;color:#666">'
        f"{html.escape(footer.sender_name)}<br>{address}<br>"
        f'<a href="{url}">Unsubscribe</a></p>'
    )
    body = content.html
    closing = body.lower().rfind("</body>")
    body = body[:closing] + html_footer + body[closing:] if closing >= 0 else body + html_footer
    text_footer = (
        f"\n\n--\n{footer.sender_name}\n{footer.postal_address}\n"
        f"Unsubscribe: {footer.unsubscribe_url}\n"
    )
    return Content(content.subject, body, content.text + text_footer)


def contact_values(
    contact: Mapping[str, Any], account: Mapping[str, Any] | None, sender: Mapping[str, Any]
) -> dict[str, Any]:
    """The flat key → value map `render` reads, from plain dicts of the three records."""
    values: dict[str, Any] = {}
    for namespace, record in (("contact", contact), ("account", account or {})):
        for name in FIELDS[namespace]:
            values[f"{namespace}.{name}"] = record.get(name)
        for key, value in (record.get("custom_fields") or {}).items():
            values[f"{namespace}.custom.{key}".lower()] = value
    for name in SENDER_FIELDS:
        values[f"sender.{name}"] = sender.get(name)
    return values


LINK = re.compile(r'(<a\b[^>]*?\bhref=")(https?://[^"]+)(")', re.IGNORECASE)


def rewrite_links(body: str, wrap: Callable[[str], str], keep: Iterable[str] = ()) -> str:
    """Wraps every http(s) link of an HTML body for click tracking, except those in `keep`."""
    kept = set(keep)

    def sub(match: re.Match[str]) -> str:
        url = html.unescape(match.group(2))
        if url in kept:
            return match.group(0)
        return match.group(1) + html.escape(wrap(url), quote=True) + match.group(3)

    return LINK.sub(sub, body)


# --- the campaign plan ---------------------------------------------------------------------


class StopReason(StrEnum):
    REPLIED = "replied"
    UNSUBSCRIBED = "unsubscribed"
    BOUNCED = "bounced"
    COMPLAINED = "complained"


@dataclass(frozen=True)
class Variant:
    template_id: int
    weight: int  # percent of the step's contacts
    name: str


@dataclass(frozen=True)
class Step:
    number: int
    delay_days: float  # after the previous step was sent (step 1: after launch)
    variants: tuple[Variant, ...]


@dataclass(frozen=True)
class FrequencyCap:
    max_messages: int = 3
    period_days: int = 7


@dataclass(frozen=True)
class EmailPlan:
    """An email campaign's settings (`campaign.settings["email"]`), checked."""

    sender_profile_id: int | None
    steps: tuple[Step, ...]
    rate_per_minute: float = 600.0
    domain_limits: Mapping[str, float] = field(default_factory=dict)  # domain → per minute
    send_window: CallingWindow | None = None
    timezone: str = "UTC"  # the window's zone for contacts without one
    frequency_cap: FrequencyCap = field(default_factory=FrequencyCap)
    track_opens: bool = True
    track_clicks: bool = True
    winner_metric: str | None = None  # "opens" | "clicks": once decided, all go to the winner
    winner_after: int = 100  # messages per variant before a winner is picked

    def step(self, number: int) -> Step | None:
        return next((s for s in self.steps if s.number == number), None)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> "EmailPlan":
        errors: list[FieldError] = []
        raw = settings.get("email") or {}
        if not isinstance(raw, Mapping):
            raise ValidationFailed([FieldError("settings.email", "Must be an object.")])
        path = "settings.email"
        sender = raw.get("sender_profile_id")
        if sender is not None and (not isinstance(sender, int) or sender < 1):
            errors.append(FieldError(f"{path}.sender_profile_id", "Must be an id."))
        steps = _parse_steps(raw.get("steps") or [], f"{path}.steps", errors)
        rate = _number(raw.get("rate_per_minute", 600), f"{path}.rate_per_minute", errors)
        limits: dict[str, float] = {}
        for domain, limit in (raw.get("domain_limits") or {}).items():
            value = _number(limit, f"{path}.domain_limits.{domain}", errors)
            limits[str(domain).lower()] = value
        window = None
        if raw.get("send_window"):
            try:
                window = CallingWindow.from_settings(raw["send_window"])
            except ValidationFailed as exc:
                errors += [
                    FieldError(f"{path}.send_window.{e.field}", e.message) for e in exc.errors
                ]
        cap_raw = raw.get("frequency_cap") or {}
        cap = FrequencyCap(
            int(_number(cap_raw.get("max", 3), f"{path}.frequency_cap.max", errors)),
            int(_number(cap_raw.get("days", 7), f"{path}.frequency_cap.days", errors)),
        )
        winner = raw.get("winner") or {}
        metric = winner.get("metric")
        if metric not in (None, "opens", "clicks"):
            errors.append(FieldError(f"{path}.winner.metric", "Must be opens or clicks."))
        unknown = set(raw) - {
            "sender_profile_id",
            "steps",
            "rate_per_minute",
            "domain_limits",
            "send_window",
            "timezone",
            "frequency_cap",
            "track_opens",
            "track_clicks",
            "winner",
        }
        errors += [FieldError(f"{path}.{key}", "Unknown setting.") for key in sorted(unknown)]
        if errors:
            raise ValidationFailed(errors)
        return cls(
            sender_profile_id=sender,
            steps=tuple(steps),
            rate_per_minute=rate,
            domain_limits=limits,
            send_window=window,
            timezone=str(raw.get("timezone") or "UTC"),
            frequency_cap=cap,
            track_opens=bool(raw.get("track_opens", True)),
            track_clicks=bool(raw.get("track_clicks", True)),
            winner_metric=metric,
            winner_after=int(winner.get("after", 100)),
        )


def _number(value: Any, path: str, errors: list[FieldError]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        errors.append(FieldError(path, "Must be a positive number."))
        return 1.0
    return float(value)


def _parse_steps(raw: Any, path: str, errors: list[FieldError]) -> list[Step]:
    if not isinstance(raw, list) or len(raw) > 20:
        errors.append(FieldError(path, "Must be a list of at most 20 steps."))
        return []
    steps = []
    for n, item in enumerate(raw):
        here = f"{path}.{n}"
        if not isinstance(item, Mapping):
            errors.append(FieldError(here, "Must be an object."))
            continue
        delay = item.get("delay_days", 0 if n == 0 else 3)
        if isinstance(delay, bool) or not isinstance(delay, int | float) or delay < 0:
            errors.append(FieldError(f"{here}.delay_days", "Must be a number of days ≥ 0."))
            delay = 0
        variants = []
        raw_variants = item.get("variants") or []
        if not raw_variants and item.get("template_id"):
            raw_variants = [{"template_id": item["template_id"], "weight": 100}]
        for v, variant in enumerate(raw_variants):
            template_id = variant.get("template_id") if isinstance(variant, Mapping) else None
            weight = variant.get("weight", 100) if isinstance(variant, Mapping) else None
            if not isinstance(template_id, int) or template_id < 1:
                errors.append(FieldError(f"{here}.variants.{v}.template_id", "Must be an id."))
                continue
            if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 100:
                errors.append(FieldError(f"{here}.variants.{v}.weight", "A percent, 0 to 100."))
                continue
            variants.append(Variant(template_id, weight, chr(ord("A") + v)))
        if not variants:
            errors.append(FieldError(f"{here}.variants", "At least one template."))
        elif sum(v.weight for v in variants) != 100:
            errors.append(FieldError(f"{here}.variants", "The weights must add up to 100."))
        steps.append(Step(n + 1, float(delay), tuple(variants)))
    return steps


def choose_variant(
    variants: Sequence[Variant], *, campaign_id: int, step: int, contact_id: int
) -> Variant:
    """The same contact always gets the same variant: a hash of the key, cut by weight."""
    digest = hashlib.sha256(f"{campaign_id}:{step}:{contact_id}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") % 100
    edge = 0
    for variant in variants:
        edge += variant.weight
        if point < edge:
            return variant
    return variants[-1]


def pick_winner(results: Mapping[str, tuple[int, int]], *, after: int) -> str | None:
    """variant name → (sent, successes). The best rate wins once every variant has been
    sent `after` times; ties go to the first name."""
    if len(results) < 2 or any(sent < after for sent, _ in results.values()):
        return None
    return max(sorted(results), key=lambda name: results[name][1] / max(results[name][0], 1))


def next_step_due(
    plan: EmailPlan, *, sent_step: int, sent_at: datetime, stopped: StopReason | None
) -> tuple[int, datetime] | None:
    """The follow-up after `sent_step` and when it is due, unless the sequence stopped."""
    if stopped is not None:
        return None
    following = plan.step(sent_step + 1)
    if following is None:
        return None
    return following.number, sent_at + timedelta(days=following.delay_days)


def in_send_window(plan: EmailPlan, contact_timezone: str | None, at: datetime) -> bool:
    if plan.send_window is None:
        return True
    return is_callable(plan.send_window, [contact_timezone or plan.timezone], at)


def next_send_time(plan: EmailPlan, contact_timezone: str | None, at: datetime) -> datetime:
    """When the send window next opens for this contact (an hour on if it never does)."""
    if plan.send_window is None:
        return at
    opens = next_open(plan.send_window, [contact_timezone or plan.timezone], at)
    return opens or at + timedelta(hours=1)


# --- the pre-send guard --------------------------------------------------------------------


class Exclusion(StrEnum):
    MISSING_EMAIL = "missing_email"
    INVALID = "invalid"
    BOUNCED = "bounced"
    COMPLAINED = "complained"
    UNSUBSCRIBED = "unsubscribed"
    SUPPRESSED_EMAIL = "suppressed_email"
    SUPPRESSED_DOMAIN = "suppressed_domain"
    FREQUENCY_CAP = "frequency_cap"


@dataclass(frozen=True)
class Recipient:
    """What the guard needs to know about one contact, read at that moment."""

    contact_id: int
    email: str | None
    email_status: str = "active"
    verification_status: str = "unverified"
    suppressed_email: bool = False
    suppressed_domain: bool = False
    recent_messages: int = 0  # marketing mails in the cap's period, all campaigns


EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def exclusion(recipient: Recipient, cap: FrequencyCap) -> Exclusion | None:
    """Why this contact must not be mailed now, or None. Checked in this order."""
    if not recipient.email:
        return Exclusion.MISSING_EMAIL
    if not EMAIL_SHAPE.match(recipient.email) or recipient.verification_status == "invalid":
        return Exclusion.INVALID
    status = recipient.email_status
    if status == "bounced" or recipient.verification_status == "bounced":
        return Exclusion.BOUNCED
    if status == "complained":
        return Exclusion.COMPLAINED
    if status == "unsubscribed":
        return Exclusion.UNSUBSCRIBED
    if status == "invalid":
        return Exclusion.INVALID
    if recipient.suppressed_email:
        return Exclusion.SUPPRESSED_EMAIL
    if recipient.suppressed_domain:
        return Exclusion.SUPPRESSED_DOMAIN
    if recipient.recent_messages >= cap.max_messages:
        return Exclusion.FREQUENCY_CAP
    return None


def domain_parents(domain: str) -> list[str]:
    """`a.b.example.com` → itself, `b.example.com`, `example.com` (never a bare TLD)."""
    labels = domain.lower().split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


# --- pacing --------------------------------------------------------------------------------


class TokenBucket:
    """Sends at `rate_per_minute`, spaced evenly, with a burst of at most `burst` messages
    after an idle spell. `reserve` hands out send times, so waiting callers never drift."""

    def __init__(
        self,
        rate_per_minute: float,
        burst: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.clock = clock
        self.burst = burst
        self._next = clock()
        self.rate_per_minute = rate_per_minute

    @property
    def interval(self) -> float:
        return 60.0 / self.rate_per_minute

    def set_rate(self, rate_per_minute: float) -> None:
        if rate_per_minute <= 0:
            raise ValidationFailed([FieldError("rate_per_minute", "Must be positive.")])
        self.rate_per_minute = rate_per_minute
        self._next = min(self._next, self.clock() + self.interval)

    def reserve(self) -> float:
        """Takes the next slot; returns how long to wait before using it (0: now)."""
        now = self.clock()
        self._next = max(self._next, now - self.interval * (self.burst - 1))
        wait = self._next - now
        self._next += self.interval
        return max(wait, 0.0)

    def delay(self) -> float:
        """How long until a slot is free, without taking it."""
        now = self.clock()
        return max(max(self._next, now - self.interval * (self.burst - 1)) - now, 0.0)


class DomainLimits:
    """Per-recipient-domain rates (e.g. gmail.com 100/min) on top of the campaign's rate."""

    def __init__(
        self, limits: Mapping[str, float], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.clock = clock
        self.buckets = {d: TokenBucket(r, clock=clock) for d, r in limits.items()}

    def bucket_for(self, email: str) -> TokenBucket | None:
        domain = email.rsplit("@", 1)[-1].lower()
        for parent in domain_parents(domain):
            if parent in self.buckets:
                return self.buckets[parent]
        return None

    def delay(self, email: str) -> float:
        bucket = self.bucket_for(email)
        return bucket.delay() if bucket else 0.0

    def take(self, email: str) -> None:
        bucket = self.bucket_for(email)
        if bucket:
            bucket.reserve()


def retry_delay(attempt: int, base: float = 30.0, cap: float = 3600.0) -> float:
    """Seconds before retrying a transient (4xx) failure: doubling from `base`."""
    return float(min(base * 2 ** max(attempt - 1, 0), cap))


# --- signed tokens -------------------------------------------------------------------------


class InvalidToken(DomainError):
    def __init__(self) -> None:
        super().__init__(message="This link is not valid.", code="invalid_token", status=404)


def sign(secret: str, payload: Mapping[str, Any], *, key_use: str = "email-links") -> str:
    """A URL-safe token carrying `payload`, signed with HMAC-SHA256 under a key derived from
    `secret` for `key_use` (so a token made for one use never verifies for another)."""
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    return f"{body}.{_mac(secret, body, key_use)}"


def verify(
    secret: str, token: str, purpose: str, *, key_use: str = "email-links"
) -> dict[str, Any]:
    """The payload of a token we signed for `purpose` (its "p" key) and `key_use`;
    InvalidToken for any other token, a tampered one included."""
    body, _, mac = token.partition(".")
    if not body or not mac or not hmac.compare_digest(mac, _mac(secret, body, key_use)):
        raise InvalidToken
    try:
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError as exc:
        raise InvalidToken from exc
    if not isinstance(payload, dict) or payload.get("p") != purpose:
        raise InvalidToken
    return payload


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _mac(secret: str, body: str, key_use: str) -> str:
    key = hashlib.sha256(f"pivotal-{key_use}:".encode() + secret.encode()).digest()
    return _b64(hmac.new(key, body.encode(), hashlib.sha256).digest()[:20])


def message_id_header(secret: str, message_row: int, domain: str) -> str:
    """`<pv.ROW.MAC@domain>`: names our row, and a bounce or an ESP event quoting it can be
    checked (`message_row`)."""
    return f"<pv.{message_row}.{_message_mac(secret, message_row)}@{domain}>"


MESSAGE_ID = re.compile(r"<?pv\.(\d{1,18})\.([A-Za-z0-9_-]{12})@[^>\s]+>?")


def message_row(secret: str, value: str | None) -> int | None:
    """Our row in a Message-ID we set (with or without angle brackets), or None for any
    other or a forged one."""
    match = MESSAGE_ID.fullmatch(value.strip()) if value else None
    if match is None:
        return None
    row = int(match.group(1))
    return row if hmac.compare_digest(match.group(2), _message_mac(secret, row)) else None


def _message_mac(secret: str, message_row: int) -> str:
    return sign(secret, {"p": "mid", "m": message_row}).rsplit(".", 1)[1][:12]


# --- the message on the wire ---------------------------------------------------------------


@dataclass(frozen=True)
class Envelope:
    from_name: str
    from_email: str
    to: str
    message_id: str  # with its angle brackets
    unsubscribe_url: str  # the one-click (RFC 8058) HTTPS address
    unsubscribe_mailto: str
    reply_to: str | None = None
    campaign_ref: str = ""


def build_message(envelope: Envelope, content: Content, boundary: str) -> bytes:
    """A multipart/alternative message with the compliance headers (RFC 8058: the HTTPS
    List-Unsubscribe URI and List-Unsubscribe-Post). Built by hand: it is on the hot path,
    and the stdlib's email package costs several times as much per message."""
    subject = content.subject
    if not subject.isascii():
        subject = Header(subject, "utf-8").encode()
    headers = [
        f"From: {formataddr((envelope.from_name, envelope.from_email), 'utf-8')}",
        f"To: {envelope.to}",
        f"Subject: {subject}",
        f"Date: {formatdate(usegmt=True)}",
        f"Message-ID: {envelope.message_id}",
        "MIME-Version: 1.0",
        f"List-Unsubscribe: <{envelope.unsubscribe_url}>, <{envelope.unsubscribe_mailto}>",
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
        f"Feedback-ID: {envelope.campaign_ref}:pivotal",
    ]
    if envelope.reply_to:
        headers.append(f"Reply-To: {envelope.reply_to}")
    headers.append(f'Content-Type: multipart/alternative; boundary="{boundary}"')
    parts = []
    for kind, body in (("plain", content.text), ("html", content.html)):
        encoded = binascii.b2a_qp(body.encode(), header=False).decode("ascii")
        parts.append(
            f"--{boundary}\r\nContent-Type: text/{kind}; charset=utf-8\r\n"
            f"Content-Transfer-Encoding: quoted-printable\r\n\r\n{encoded}\r\n"
        )
    text = "\r\n".join(headers) + "\r\n\r\n" + "".join(parts) + f"--{boundary}--\r\n"
    return text.encode("ascii")
