"""Calls and issues as plain JSON-ready dicts: the shapes every interface prints."""

from __future__ import annotations

from typing import Any

from agent.ledger import LedgerEntry
from agent.pipeline import CallResult
from tools.trackers.base import IssueRecord


def issue_json(issue: IssueRecord) -> dict[str, Any]:
    return {
        "id": issue.id,
        "team": issue.team_key,
        "title": issue.title,
        "kind": issue.kind,
        "summary": issue.summary,
        "motivation": issue.motivation,
        "description": issue.description,
        "url": issue.url,
        "excerpts": [
            {
                "speaker": e.speaker,
                "affiliation": e.affiliation,
                "start_ms": e.start_ms,
                "end_ms": e.end_ms,
                "text": e.text,
                "link": e.link,
            }
            for e in issue.excerpts
        ],
    }


def call_json(result: CallResult) -> dict[str, Any]:
    call = result.call
    customer = None
    if result.customer is not None:
        customer = {
            "id": result.customer.id,
            "name": result.customer.name,
            "created": result.customer_created,
        }
    return {
        "call_id": call.call_id,
        "source": call.source,
        "title": call.title,
        "status": result.status,
        "eligible": result.skip_reason is None,
        "skip_reason": result.skip_reason,
        "customer": customer,
        "new_issues": len(result.new_issues),
        "issues": [issue_json(issue) for issue in result.issues],
        "outcome": result.run.outcome if result.run else None,
        "error": result.error,
    }


def queued_issue_json(
    issue: IssueRecord, customer: str | None = None
) -> dict[str, Any]:
    """An issue as the Triage queue shows it: with its call, status and customer."""
    return issue_json(issue) | {
        "call_id": issue.call_id,
        "status": issue.status,
        "duplicate_of": issue.duplicate_of,
        "customer": customer,
    }


def ledger_json(entry: LedgerEntry) -> dict[str, Any]:
    """A call in the ledger: where it came from and what became of it."""
    row = entry.row
    return {
        "call_id": row.call_id,
        "source": row.source,
        "title": row.title,
        "started": row.started.isoformat() if row.started else None,
        "duration_s": row.duration_s,
        "status": row.status,
        "skip_reason": row.skip_reason,
        "issues": entry.issues,
        "error": row.error,
    }
