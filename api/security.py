"""Access tokens (JWT, HS256) and the login rate limiter."""

import time
from collections import defaultdict, deque
from datetime import UTC, datetime, timedelta

import jwt

from config.settings import Settings

ALGORITHM = "HS256"


def create_access_token(settings: Settings, *, user_id: int, role: str) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "role": role,
        "iat": now,
        "exp": now + timedelta(minutes=settings.access_token_minutes),
        "typ": "access",
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def read_access_token(settings: Settings, token: str) -> int | None:
    try:
        claims = jwt.decode(token, settings.secret_key, algorithms=[ALGORITHM])
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != "access":
        return None
    return int(claims["sub"])


class SlidingWindowLimiter:
    """In-process sliding window: at most `limit` hits per key within `window` seconds.

    Per API process; with several processes the effective limit is multiplied by their
    number (a Redis-backed limiter is the follow-up once REDIS_URL carries shared state).
    """

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._hits: dict[str, deque[float]] = defaultdict(deque)

    def retry_after(self, key: str) -> float:
        """Seconds until `key` may try again; 0 when it may now."""
        hits = self._prune(key, time.monotonic())
        if len(hits) < self.limit:
            return 0.0
        return hits[0] + self.window - time.monotonic()

    def hit(self, key: str) -> None:
        now = time.monotonic()
        self._prune(key, now).append(now)

    def reset(self, key: str) -> None:
        self._hits.pop(key, None)

    def _prune(self, key: str, now: float) -> deque[float]:
        hits = self._hits[key]
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits
