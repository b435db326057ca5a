"""Password hashing, opaque secrets (refresh tokens, API keys) and secrets kept encrypted at
rest (relay passwords): pure functions, no I/O."""

import base64
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_hasher = PasswordHasher()
# A real hash verified on unknown logins, so a miss costs as much time as a hit.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """At-rest form of a high-entropy secret (not for passwords)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _fernet(secret_key: str) -> Fernet:
    """A Fernet key derived from the app's secret (HKDF-SHA256, its own `info`, so it is
    never the key that signs tokens)."""
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"pivotal smtp passwords v1"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret_key: str, plaintext: str) -> str:
    """A secret we must give back later (an SMTP relay password), encrypted for storage."""
    return _fernet(secret_key).encrypt(plaintext.encode()).decode()


def unseal(secret_key: str, sealed: str) -> str:
    """The plaintext of `seal`; ValueError if it was sealed under another key or altered."""
    try:
        return _fernet(secret_key).decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise ValueError("not sealed with this key") from None
