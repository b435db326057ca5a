"""Normalisation rules for contact data: phones to E.164, emails, domains."""

from enum import StrEnum

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from engine.errors import FieldError, ValidationFailed


class PhoneStatus(StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    MISSING = "missing"


class EmailVerification(StrEnum):
    UNVERIFIED = "unverified"
    VALID = "valid"
    INVALID = "invalid"
    RISKY = "risky"
    BOUNCED = "bounced"


def to_e164(raw: str, default_region: str) -> str | None:
    """The number in E.164 form, or None when it is not a valid number."""
    try:
        number = phonenumbers.parse(raw, default_region.upper())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def require_e164(raw: str, default_region: str, field: str) -> str:
    e164 = to_e164(raw, default_region)
    if e164 is None:
        raise ValidationFailed([FieldError(field, f"{raw!r} is not a valid phone number.")])
    return e164


def normalize_email(raw: str, field: str = "email") -> str:
    """Lower-cased, syntax-checked address (no DNS lookup: imports do that, cached)."""
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationFailed([FieldError(field, str(exc))]) from exc
    return result.normalized.lower()


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[1].lower()


def normalize_domain(raw: str) -> str:
    """`https://WWW.Example.com/path` → `example.com`; IDNs to punycode."""
    host = raw.strip().lower()
    if "://" in host:
        host = host.split("://", 1)[1]
    host = host.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].split(":", 1)[0]
    host = host.strip(".")
    if host.startswith("www."):
        host = host[4:]
    if not host or "." not in host or " " in host:
        raise ValidationFailed([FieldError("domain", f"{raw!r} is not a domain.")])
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValidationFailed([FieldError("domain", f"{raw!r} is not a domain.")]) from exc
