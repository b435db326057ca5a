"""One settings object for every process, read from PIVOTAL_* environment variables.

Every setting is documented in `.env.example`; the defaults are the embedded ones
(SQLite file, local Ray, simulated carrier, local SMTP sink) so a fresh clone runs as is.
"""

from functools import lru_cache
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "dev-only-secret-change-me-0123456789abcdef"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PIVOTAL_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite+aiosqlite:///var/pivotal.db"
    secret_key: str = DEV_SECRET

    access_token_minutes: int = Field(15, ge=1)
    refresh_token_days: int = Field(14, ge=1)
    login_attempts_per_account: int = Field(5, ge=1)
    login_attempts_per_ip: int = Field(20, ge=1)
    login_window_seconds: int = Field(300, ge=1)

    max_body_bytes: int = Field(1_048_576, ge=1024)
    default_phone_region: str = "US"
    page_size_max: int = Field(500, ge=1)

    redis_url: str | None = None
    ray_address: str | None = None
    ray_namespace: str = "pivotal"

    dialer_enabled: bool = True
    # Custom Ray resources the dialer shard needs, to pin it to chosen nodes of a cluster.
    dialer_resources: dict[str, float] = Field(default_factory=dict)
    carrier: Literal["simulated"] = "simulated"
    carrier_options: dict[str, Any] = Field(default_factory=dict)
    caller_id: str = "+15005550006"

    host: str = "127.0.0.1"
    port: int = 8000

    @model_validator(mode="after")
    def _refuse_dev_secret_in_production(self) -> "Settings":
        if self.environment == "production" and self.secret_key == DEV_SECRET:
            raise ValueError("PIVOTAL_SECRET_KEY must be set to a real secret in production")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
