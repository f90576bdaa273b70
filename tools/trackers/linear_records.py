"""How calltriage's records map onto Linear's entities, in both directions."""

from __future__ import annotations

import json
import uuid
from typing import Any

from tools.domains import domain_of, is_public_email_domain
from tools.trackers.base import CustomerRecord, IssueDraft, IssueRecord, IssueStatus

Node = dict[str, Any]

ID_NAMESPACE = uuid.UUID("5b0c6f0e-8f2e-4b8e-9d8a-3c1f2a7e9b41")
METADATA_SOURCE = "calltriage"
# What a draft holds beyond the issue's own title, description and team.
DRAFT_IN_METADATA = {
    "call_id",
    "dedup_key",
    "summary",
    "motivation",
    "kind",
    "excerpts",
    "customer_id",
    "recording_url",
}


def stable_id(*parts: str) -> str:
    """A UUID fixed by `parts`, so a retried write names what it already made.

    Derived with uuid5, then stamped as version 4: Linear's inputs take v4 ids.
    """
    derived = uuid.uuid5(ID_NAMESPACE, "\x1f".join(parts))
    return str(uuid.UUID(bytes=derived.bytes, version=4))


def call_subtitle(call_id: str) -> str:
    """The attachment subtitle that marks an issue as filed from `call_id`."""
    return f"Call {call_id}"


def recording_attachment(issue_id: str, draft: IssueDraft) -> Node | None:
    """The attachment linking the recording at the first quote, when there is one.

    Its metadata carries the draft, so the issue's record can be rebuilt later.
    """
    first = draft.excerpts[0] if draft.excerpts else None
    url = (first.link if first else None) or draft.recording_url
    if url is None:
        return None
    metadata = {
        "source": METADATA_SOURCE,
        "callId": draft.call_id,
        "draft": draft.model_dump_json(include=DRAFT_IN_METADATA),
    }
    return {
        "issueId": issue_id,
        "url": url,
        "title": f"Call recording at {_clock(first.start_ms)}"
        if first
        else "Call recording",
        "subtitle": call_subtitle(draft.call_id),
        "metadata": metadata,
    }


def filed_from(metadata: Node | None, call_id: str) -> bool:
    """Whether an attachment's metadata says calltriage filed it from `call_id`."""
    metadata = metadata or {}
    return (
        metadata.get("source") == METADATA_SOURCE and metadata.get("callId") == call_id
    )


def issue_record(issue: Node, metadata: Node, status: IssueStatus) -> IssueRecord:
    """An issue's record, rebuilt from the issue and its recording attachment."""
    return IssueRecord(
        **json.loads(metadata["draft"]),
        team_key=issue["team"]["key"],
        title=issue["title"],
        description=issue.get("description") or "",
        id=issue["id"],
        url=issue["url"],
        status=status,
        created=False,
    )


def customer_record(node: Node) -> CustomerRecord:
    return CustomerRecord(
        id=node["id"],
        name=node["name"],
        domains=node.get("domains") or [],
        external_ids=node.get("externalIds") or [],
    )


def customer_filter(
    query: str | None, domain: str | None, external_id: str | None
) -> Node | None:
    """A `CustomerFilter` that every given criterion must pass."""
    conditions: list[Node] = []
    if query:
        conditions.append({"name": {"containsIgnoreCase": query}})
    if domain:
        conditions.append({"domains": {"some": {"eqIgnoreCase": domain.lower()}}})
    if external_id:
        conditions.append({"externalIds": {"some": {"eq": external_id}}})
    if len(conditions) > 1:
        return {"and": conditions}
    return conditions[0] if conditions else None


def company_domains(domains: list[str]) -> list[str]:
    """Domains that can identify a company; mailbox providers never do."""
    cleaned = (domain_of(d) for d in domains)
    return [d for d in dict.fromkeys(cleaned) if d and not is_public_email_domain(d)]


def _clock(ms: int) -> str:
    minutes, seconds = divmod(ms // 1000, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"
