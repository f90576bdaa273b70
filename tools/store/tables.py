"""Every table of the local store."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class TeamRow(SQLModel, table=True):
    __tablename__ = "teams"

    key: str = Field(primary_key=True)
    name: str
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    position: int = 0


class CustomerRow(SQLModel, table=True):
    __tablename__ = "customers"

    id: str = Field(primary_key=True)
    name: str = Field(index=True)
    domains: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    external_ids: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    created_at: datetime = Field(default_factory=utcnow)


class CallRow(SQLModel, table=True):
    """The call ledger: each call once, with where it got to."""

    __tablename__ = "calls"

    call_id: str = Field(primary_key=True)
    source: str
    title: str | None = None
    url: str | None = None
    started: datetime | None = None
    duration_s: float | None = None
    status: str = Field(default="pending", index=True)
    skip_reason: str | None = None
    error: str | None = Field(default=None, sa_column=Column(Text))
    customer_id: str | None = None
    customer_created: bool = False
    attempts: int = 0
    claimed_by: str | None = None
    lease_until: datetime | None = None
    payload: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    seen_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class IssueRow(SQLModel, table=True):
    __tablename__ = "issues"
    __table_args__ = (UniqueConstraint("call_id", "dedup_key"),)

    id: str = Field(primary_key=True)
    number: int = Field(unique=True, index=True)
    call_id: str = Field(index=True)
    dedup_key: str
    team_key: str = Field(index=True)
    title: str
    summary: str = Field(sa_column=Column(Text, nullable=False))
    motivation: str = Field(default="", sa_column=Column(Text, nullable=False))
    kind: str = "feature_request"
    description: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="triage", index=True)
    duplicate_of: str | None = None
    customer_id: str | None = None
    recording_url: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ExcerptRow(SQLModel, table=True):
    __tablename__ = "excerpts"

    id: int | None = Field(default=None, primary_key=True)
    issue_id: str = Field(foreign_key="issues.id", index=True)
    position: int
    speaker: str
    affiliation: str
    start_ms: int
    end_ms: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    link: str | None = Field(default=None, sa_column=Column(Text))


class CustomerRequestRow(SQLModel, table=True):
    """A customer asking for an issue, in their words, with the moment they said it."""

    __tablename__ = "customer_requests"

    issue_id: str = Field(foreign_key="issues.id", primary_key=True)
    customer_id: str = Field(foreign_key="customers.id", primary_key=True)
    body: str = Field(sa_column=Column(Text, nullable=False))
    url: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow)


class RunRow(SQLModel, table=True):
    """One triager run over one call: what it used, what it did, how it ended."""

    __tablename__ = "runs"

    id: int | None = Field(default=None, primary_key=True)
    call_id: str = Field(index=True)
    triager: str
    model: str | None = None
    prompt_version: str | None = None
    started_at: datetime = Field(default_factory=utcnow)
    duration_s: float = 0.0
    outcome: str = "filed"
    error: str | None = Field(default=None, sa_column=Column(Text))
    tokens_in: int = 0
    tokens_out: int = 0
    tokens_cached: int = 0
    cost_usd: float = 0.0
    model_calls: int = 0
    issues_filed: int = 0
    coverage: float = 1.0
    tool_calls: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )


class StateRow(SQLModel, table=True):
    """Small named values: the workspace settings, the worker's watermark."""

    __tablename__ = "state"

    key: str = Field(primary_key=True)
    value: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    updated_at: datetime = Field(default_factory=utcnow)
