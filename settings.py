"""The one place configuration is read: environment variables and an optional `.env` file."""

import json
import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRETS_FILE = "secrets.json"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    app_host: str = "127.0.0.1"
    app_port: int = Field(default=8000, ge=1, le=65535)
    web_concurrency: int = Field(default=1, ge=1)
    storage_backend: Literal["local", "aws"] = "local"
    data_dir: Path = Path("./data")

    aws_region: str = "us-east-1"
    aws_endpoint_url: str | None = None
    aws_endpoint_url_dynamodb: str | None = Field(
        default=None,
        validation_alias=AliasChoices("AWS_ENDPOINT_URL_DYNAMODB", "DYNAMODB_ENDPOINT"),
    )
    aws_endpoint_url_s3: str | None = None
    aws_endpoint_url_ses: str | None = None
    aws_endpoint_url_sns: str | None = None
    dynamodb_billing_mode: Literal["PAY_PER_REQUEST", "PROVISIONED"] = "PAY_PER_REQUEST"

    users_table: str = "users"
    revoked_tokens_table: str = "revoked_tokens"
    applications_table: str = "applications"
    api_keys_table: str = "api_keys"
    usage_table: str = "EnergyUsage"
    uploads_table: str = "uploads"
    alerts_table: str = "alerts"
    purges_table: str = "purges"
    meters_table: str = "meters"
    idempotency_keys_table: str = "idempotency_keys"
    recent_files_table: str = "recent_files"
    request_counts_table: str = "request_counts"
    audit_table: str = "audit"
    leases_table: str = "leases"
    s3_bucket: str = "wattkey-uploads"

    alert_from_email: str | None = None
    allowed_origins: str = ""

    jwt_secret: SecretStr | None = None
    api_key_pepper: SecretStr | None = None
    jwt_expire_minutes: int = Field(default=60, ge=1)
    key_cache_seconds: float = Field(default=5.0, ge=0, le=30)

    max_upload_bytes: int = Field(default=512 * 1024 * 1024, ge=1)
    inline_ingest_bytes: int = Field(default=4 * 1024 * 1024, ge=0)
    request_body_timeout_seconds: float = Field(default=30.0, gt=0)
    duplicate_window_hours: float = Field(default=24.0, ge=0)
    # An instance holds each upload it reads for this long, renewing it while it works; every
    # UPLOAD_SWEEP_SECONDS each instance takes over unfinished uploads whose lease ran out.
    upload_lease_seconds: int = Field(default=45, ge=2, le=3600)
    upload_sweep_seconds: float = Field(default=15.0, gt=0, le=3600)
    # Unset: uploads' raw files and records are kept forever; readings always are.
    retention_days: int | None = Field(default=None, ge=1)

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # auto: readable lines on a terminal, JSON when the log goes to a file or a pipe.
    log_format: Literal["json", "simple", "auto"] = "auto"

    @cached_property
    def cors_origins(self) -> list[str]:
        return [origin.strip() for origin in self.allowed_origins.split(",") if origin.strip()]

    def endpoint_for(self, service: Literal["dynamodb", "s3", "ses", "sns"]) -> str | None:
        specific: str | None = getattr(self, f"aws_endpoint_url_{service}")
        return specific or self.aws_endpoint_url

    def signing_secrets(self) -> tuple[str, str]:
        """JWT secret and API-key pepper; on the local backend generated once, kept in DATA_DIR."""
        if self.jwt_secret and self.api_key_pepper:
            return self.jwt_secret.get_secret_value(), self.api_key_pepper.get_secret_value()
        if self.storage_backend == "aws":
            raise ValueError("JWT_SECRET and API_KEY_PEPPER must be set on the aws backend.")
        kept = _kept_secrets(self.data_dir / SECRETS_FILE)
        jwt_secret = self.jwt_secret.get_secret_value() if self.jwt_secret else kept["jwt_secret"]
        pepper = (
            self.api_key_pepper.get_secret_value()
            if self.api_key_pepper
            else kept["api_key_pepper"]
        )
        return jwt_secret, pepper


def _kept_secrets(path: Path) -> dict[str, str]:
    """Read the kept secrets, or create them; `os.link` makes concurrent first starts agree."""
    if path.exists():
        kept: dict[str, str] = json.loads(path.read_text())
        return kept
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = {"jwt_secret": secrets.token_urlsafe(48), "api_key_pepper": secrets.token_urlsafe(48)}
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(fresh, handle)
    try:
        os.link(temporary, path)
    except FileExistsError:
        return _kept_secrets(path)
    finally:
        temporary.unlink()
    return fresh
