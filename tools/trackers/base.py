"""What every tracker offers the tools, and the records it hands back."""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, Field

IssueKind = Literal["feature_request", "bug", "pain_point"]
IssueStatus = Literal["triage", "accepted", "declined", "duplicate"]


class TeamRecord(BaseModel):
    key: str
    name: str
    description: str = ""


class CustomerRecord(BaseModel):
    id: str
    name: str
    domains: list[str] = Field(default_factory=list)
    external_ids: list[str] = Field(default_factory=list)


class ExcerptRecord(BaseModel):
    """A verbatim quote, already checked against the transcript."""

    speaker: str
    affiliation: str
    start_ms: int
    end_ms: int
    text: str
    link: str | None = None


class IssueDraft(BaseModel):
    """Everything needed to file one triage issue."""

    call_id: str
    dedup_key: str = Field(description="Stable per call and finding; a retry reuses it")
    team_key: str
    title: str
    summary: str
    motivation: str = ""
    kind: IssueKind = "feature_request"
    description: str = Field(description="Markdown rendered from the issue template")
    excerpts: list[ExcerptRecord]
    customer_id: str | None = None
    recording_url: str | None = None


class IssueRecord(IssueDraft):
    id: str
    status: IssueStatus = "triage"
    duplicate_of: str | None = None
    url: str | None = None
    created: bool = Field(
        default=True, description="False when an existing issue was reused"
    )


class TrackerError(Exception):
    """A tracker refused or failed an operation; the call's run fails."""


class TrackerAuthError(TrackerError):
    """The tracker rejects our credentials: nothing else can succeed either."""


class Tracker(Protocol):
    """The operations the tools need; each write is idempotent."""

    name: str

    async def list_teams(self) -> list[TeamRecord]: ...

    async def search_customers(
        self,
        query: str | None = None,
        domain: str | None = None,
        external_id: str | None = None,
    ) -> list[CustomerRecord]: ...

    async def get_customer(self, customer_id: str) -> CustomerRecord | None: ...

    async def create_customer(
        self, name: str, domains: list[str], external_ids: list[str]
    ) -> CustomerRecord: ...

    async def issues_for_call(self, call_id: str) -> list[IssueRecord]: ...

    async def create_issue(self, draft: IssueDraft) -> IssueRecord: ...

    async def add_customer_request(
        self, issue_id: str, customer_id: str, body: str, url: str | None
    ) -> None: ...

    async def aclose(self) -> None:
        """Release connections; the tracker is not used afterwards."""
