"""Call transcripts and triage issues, addressed by URI."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import mcp_types as types
from mcp.shared.uri_template import UriTemplate

from tools.registry import ToolRefusal

if TYPE_CHECKING:
    from agent.mcp.service import TriageService

TRANSCRIPT = UriTemplate.parse("calltriage://calls/{call_id}/transcript")
ISSUE = UriTemplate.parse("calltriage://issues/{issue_id}")
PAGE_SIZE = 100

TEMPLATES = [
    types.ResourceTemplate(
        name="call_transcript",
        title="Call transcript",
        uri_template=TRANSCRIPT.template,
        description="A call's whole transcript: each turn's speaker and affiliation, "
        "then its sentences with [mm:ss] stamps.",
        mime_type="text/plain",
    ),
    types.ResourceTemplate(
        name="triage_issue",
        title="Triage issue",
        uri_template=ISSUE.template,
        description="A triage issue with its description, excerpts and status.",
        mime_type="application/json",
    ),
]


def transcript_uri(call_id: str) -> str:
    return TRANSCRIPT.expand({"call_id": call_id})


def issue_uri(issue_id: str) -> str:
    return ISSUE.expand({"issue_id": issue_id})


def list_resources(
    service: TriageService, cursor: str | None
) -> types.ListResourcesResult:
    """Every known call's transcript, then every issue, a page at a time."""
    resources = [_transcript_resource(entry) for entry in service.calls(limit=None)]
    try:
        issues = service.issues(status="all", limit=None)
    except ToolRefusal:
        issues = []
    resources += [_issue_resource(issue) for issue in issues]

    start = int(cursor) if cursor and cursor.isdigit() else 0
    end = start + PAGE_SIZE
    next_cursor = str(end) if end < len(resources) else None
    return types.ListResourcesResult(
        resources=resources[start:end], next_cursor=next_cursor
    )


def read_resource(service: TriageService, uri: str) -> types.ReadResourceResult:
    """The resource at `uri`; a ToolRefusal when there is none."""
    if (found := TRANSCRIPT.match(uri)) is not None:
        text = service.full_transcript(str(found["call_id"]))
        mime_type = "text/plain"
    elif (found := ISSUE.match(uri)) is not None:
        text = json.dumps(service.issue(str(found["issue_id"])), ensure_ascii=False)
        mime_type = "application/json"
    else:
        raise ToolRefusal(
            f"{uri} is not a calltriage resource; use {TRANSCRIPT} or {ISSUE}"
        )
    contents = types.TextResourceContents(uri=uri, mime_type=mime_type, text=text)
    return types.ReadResourceResult(contents=[contents])


def _transcript_resource(entry: dict) -> types.Resource:
    return types.Resource(
        uri=transcript_uri(entry["call_id"]),
        name=f"transcript {entry['call_id']}",
        title=entry["title"],
        description=f"Transcript of a call ({entry['status']})",
        mime_type="text/plain",
    )


def _issue_resource(issue: dict) -> types.Resource:
    return types.Resource(
        uri=issue["uri"],
        name=issue["id"],
        title=issue["title"],
        description=f"Triage issue for team {issue['team']} ({issue['status']})",
        mime_type="application/json",
    )
