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
    # Contact import uploads (POST /api/v1/imports) only: files are larger than API bodies.
    max_import_bytes: int = Field(104_857_600, ge=1024)
    default_phone_region: str = "US"
    page_size_max: int = Field(500, ge=1)

    redis_url: str | None = None
    ray_address: str | None = None
    ray_namespace: str = "pivotal"

    dialer_enabled: bool = True
    # Custom Ray resources the dialer shard needs, to pin it to chosen nodes of a cluster.
    dialer_resources: dict[str, float] = Field(default_factory=dict)
    carrier: Literal["simulated", "telnyx"] = "simulated"
    carrier_options: dict[str, Any] = Field(default_factory=dict)
    caller_id: str = "+15005550006"

    # Telnyx Call Control (carrier "telnyx"); see docs/telephony.md.
    telnyx_api_key: str | None = None
    telnyx_connection_id: str | None = None  # the Call Control application's id
    telnyx_caller_ids: list[str] = Field(default_factory=list)  # E.164 numbers we own
    telnyx_webhook_base_url: str | None = None  # public base URL Telnyx posts webhooks to
    telnyx_public_key: str | None = None  # base64 Ed25519 key that signs Telnyx webhooks
    telnyx_webhook_tolerance_seconds: int = Field(300, ge=1, le=3600)
    telnyx_base_url: str | None = None  # API base; unset: https://api.telnyx.com/v2

    host: str = "127.0.0.1"
    port: int = 8000

    # Email: links in mails point here; the relay used by sender profiles without their own.
    public_base_url: str = "http://127.0.0.1:8000"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(8025, ge=1, le=65535)
    smtp_connections: int = Field(10, ge=1, le=100)
    unsubscribe_mailbox: str | None = None  # mailto: target; unset: unsubscribe@<sender domain>

    # ESP event webhooks (docs/email.md). SES via SNS: the topic ARNs we accept (required:
    # any AWS account can sign SNS messages); extra host[:port] allowed for SigningCertURL
    # and SubscribeURL besides sns.<region>.amazonaws.com (a local emulator), and a CA file
    # to trust for them (unset: the system's). SendGrid: the Signed Event Webhook's base64
    # DER public key. Mailgun: the webhook signing key. Signed timestamps older than the
    # tolerance are refused (SendGrid, Mailgun; SNS messages: an hour).
    ses_topic_arns: list[str] = Field(default_factory=list)
    sns_extra_cert_hosts: list[str] = Field(default_factory=list)
    sns_ca_file: str | None = None
    sendgrid_webhook_public_key: str | None = None
    mailgun_webhook_signing_key: str | None = None
    esp_webhook_tolerance_seconds: int = Field(300, ge=1, le=3600)
    # Bounce mail (docs/email.md): with an address, each message's return path is
    # bounces+ROW-MAC@… (VERP) on it; a Maildir folder the pacers read bounces from.
    bounce_address: str | None = None
    bounce_maildir: str | None = None
    # Replies (docs/email.md): the Maildir folder the reply-to address's MTA delivers to,
    # when it is not the bounce one; read by the pacers like the bounce Maildir.
    reply_maildir: str | None = None
    # The embedded SMTP sink (docs/email.md): an aiosmtpd server the app starts (once per
    # machine: an API process finding the port taken only lists) that keeps every mail it
    # receives in a Maildir folder, listed at /api/v1/email/sink/messages.
    smtp_sink_enabled: bool = True
    smtp_sink_host: str = "127.0.0.1"
    smtp_sink_port: int = Field(8025, ge=1, le=65535)
    smtp_sink_maildir: str = "var/mail"

    # Transcription of call recordings and AI analysis of leads; see docs/api.md.
    transcription: Literal["off", "assemblyai"] = "off"
    assemblyai_api_key: str | None = None
    assemblyai_base_url: str | None = None  # unset: https://api.assemblyai.com
    assemblyai_poll_seconds: float = Field(3.0, gt=0)
    transcription_timeout_seconds: float = Field(600.0, gt=0)
    # The background transcription worker: how often it looks for queued transcripts, and how
    # many it runs at once (per API process).
    transcription_poll_seconds: float = Field(2.0, gt=0)
    transcription_concurrency: int = Field(2, ge=1, le=50)
    analysis: Literal["rules", "openai"] = "rules"
    openai_api_key: str | None = None
    openai_base_url: str | None = None  # any OpenAI-compatible API; unset: api.openai.com
    openai_model: str = "gpt-4o-mini"
    analysis_timeout_seconds: float = Field(60.0, gt=0)

    # Agent audio over WebRTC (a media bridge process beside the dialer); ICE servers as the
    # browser's RTCIceServer dicts, e.g. a TURN server: [{"urls": "turn:host:3478",
    # "username": "u", "credential": "p"}]. Empty: host candidates only (loopback, LAN).
    media_enabled: bool = True
    ice_servers: list[dict[str, Any]] = Field(default_factory=list)
    # Telnyx streams call audio to the bridge over a WebSocket: where the bridge listens,
    # and the public wss:// URL of that listener as Telnyx reaches it (unset: no streams).
    media_stream_host: str = "0.0.0.0"
    media_stream_port: int = Field(8765, ge=0, le=65535)
    media_stream_public_url: str | None = None

    # Files (recordings, order assets): a local folder, or an S3-compatible bucket.
    storage: Literal["local", "s3"] = "local"
    storage_path: str = "var/files"
    s3_bucket: str | None = None
    s3_prefix: str = ""
    s3_endpoint_url: str | None = None  # unset: AWS; set for MinIO, R2, tests
    s3_region: str | None = None
    s3_access_key_id: str | None = None  # unset: boto3's usual credential chain
    s3_secret_access_key: str | None = None

    # Imports: MX lookup of email domains during validation (off by default: the embedded
    # setup must work offline; each import may turn it on or off), the DNS servers asked
    # (empty: the system's resolv.conf), their port, the time one lookup may take, how many
    # run at once; and after how long without a heartbeat a running import is resumed.
    import_mx_lookup: bool = False
    import_dns_nameservers: list[str] = Field(default_factory=list)
    import_dns_port: int = Field(53, ge=1, le=65535)
    import_dns_timeout_seconds: float = Field(3.0, gt=0)
    import_dns_concurrency: int = Field(20, ge=1, le=500)
    import_stale_seconds: float = Field(60.0, gt=0)
    # Client order assets (uploaded to the storage above): the largest file accepted.
    order_asset_max_bytes: int = Field(20_971_520, ge=1024)

    # Outgoing webhooks: a worker in each API process sends due deliveries, retrying
    # failures after webhook_backoff_seconds · 2^(attempt-1), up to webhook_max_attempts.
    webhook_worker_enabled: bool = True
    webhook_poll_seconds: float = Field(1.0, gt=0)
    webhook_timeout_seconds: float = Field(10.0, gt=0)
    webhook_max_attempts: int = Field(8, ge=1, le=30)
    webhook_backoff_seconds: float = Field(30.0, gt=0)
    # Subscription URLs on loopback, private, link-local, multicast or unspecified addresses
    # are refused (at save and at every delivery) unless this is set: e.g. a test receiver.
    webhook_allow_private: bool = False

    @model_validator(mode="after")
    def _s3_needs_a_bucket(self) -> "Settings":
        if self.storage == "s3" and not self.s3_bucket:
            raise ValueError("storage s3 needs PIVOTAL_S3_BUCKET")
        return self

    @model_validator(mode="after")
    def _refuse_dev_secret_in_production(self) -> "Settings":
        if self.environment == "production" and self.secret_key == DEV_SECRET:
            raise ValueError("PIVOTAL_SECRET_KEY must be set to a real secret in production")
        return self

    @model_validator(mode="after")
    def _telnyx_needs_its_account(self) -> "Settings":
        if self.carrier == "telnyx":
            needed = ("api_key", "connection_id", "webhook_base_url", "public_key")
            missing = [n for n in needed if not getattr(self, f"telnyx_{n}")]
            if missing:
                names = ", ".join(f"PIVOTAL_TELNYX_{n.upper()}" for n in missing)
                raise ValueError(f"the telnyx carrier needs {names}")
        return self

    @model_validator(mode="after")
    def _assemblyai_needs_its_key(self) -> "Settings":
        if self.transcription == "assemblyai" and not self.assemblyai_api_key:
            raise ValueError("transcription by assemblyai needs PIVOTAL_ASSEMBLYAI_API_KEY")
        return self

    def telnyx_options(self) -> dict[str, Any]:
        """The Telnyx carrier's options from the telnyx_* settings; `carrier_options`
        (PIVOTAL_CARRIER_OPTIONS) may add or override any of them."""
        options: dict[str, Any] = {
            "api_key": self.telnyx_api_key,
            "connection_id": self.telnyx_connection_id,
            "caller_ids": list(self.telnyx_caller_ids),
            "webhook_base_url": self.telnyx_webhook_base_url,
            "base_url": self.telnyx_base_url,
        }
        if self.media_enabled and self.media_stream_public_url:
            options["media_stream_url"] = self.media_stream_public_url
            options["media_stream_secret"] = self.secret_key
        return {k: v for k, v in options.items() if v} | self.carrier_options


@lru_cache
def get_settings() -> Settings:
    return Settings()
