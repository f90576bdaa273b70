"""All configuration, read once at the entry point and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "claude-sonnet-4-5"


class Settings(BaseSettings):
    """`CALLTRIAGE_*` variables, plus the vendors' own names for their keys."""

    # An empty variable counts as unset, as shells and .env files often leave them.
    model_config = SettingsConfigDict(
        env_prefix="CALLTRIAGE_", extra="ignore", env_ignore_empty=True
    )

    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default a SQLite file in data_dir"
    )
    data_dir: Path = Field(default=Path(".calltriage"))
    workspace: Path | None = None
    tracker: Literal["local", "linear"] = "local"

    model: str = DEFAULT_MODEL
    anthropic_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("ANTHROPIC_API_KEY")
    )
    anthropic_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("ANTHROPIC_BASE_URL")
    )
    max_turns: int = Field(default=30, ge=1, description="Model calls per call triaged")
    max_tokens_per_call: int = Field(
        default=400_000, ge=1, description="Input plus output tokens per call triaged"
    )
    max_issues_per_call: int = Field(default=12, ge=1)
    max_reply_tokens: int = Field(
        default=8192,
        ge=256,
        description="The most output tokens one model reply may use",
    )
    api_retries: int = Field(
        default=2, ge=0, description="Retries of a rate-limited or failed API request"
    )
    context_share: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="Share of the model's context a transcript may fill before it "
        "is read in windows",
    )
    context_tokens: int | None = Field(
        default=None, gt=0, description="The model's context size; default by model"
    )
    window_overlap: float = Field(
        default=0.1, ge=0, lt=1, description="Share of a window repeated in the next"
    )

    linear_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("LINEAR_API_KEY")
    )
    linear_api_url: str = Field(
        default="https://api.linear.app/graphql",
        validation_alias=AliasChoices("LINEAR_API_URL"),
    )

    mcp_token: SecretStr | None = Field(
        default=None, description="Bearer token every MCP request over HTTP must carry"
    )
    mcp_files: Path | None = Field(
        default=None,
        description="The folder MCP clients may name call files in; default over "
        "stdio the working folder, over HTTP none",
    )

    gong_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("GONG_BASE_URL")
    )
    gong_access_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("GONG_ACCESS_KEY")
    )
    gong_access_key_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("GONG_ACCESS_KEY_SECRET")
    )
    gong_bearer_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("GONG_BEARER_TOKEN")
    )

    webhook_secret: SecretStr | None = Field(
        default=None, description="Shared secret a webhook request must carry"
    )
    gong_webhook_public_key: str | None = Field(
        default=None, description="Gong's public key for signed JWT webhook headers"
    )
    webhook_url: str | None = Field(
        default=None, description="The webhook's public URL, checked against the JWT"
    )

    @property
    def gong_configured(self) -> bool:
        """Gong credentials are set: an access key and its secret, or a token."""
        key_pair = (self.gong_access_key, self.gong_access_key_secret)
        return None not in key_pair or self.gong_bearer_token is not None

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'calltriage.db'}"

    @property
    def uses_model(self) -> bool:
        """A Claude model runs only with a key and a model other than `offline`."""
        return self.anthropic_api_key is not None and self.model != "offline"
