"""The body of a triage issue, rendered from its template."""

from __future__ import annotations

from pydantic import BaseModel

from prompts import render
from tools.trackers.base import ExcerptRecord

TEMPLATE = "issue_description.md.j2"


class IssueDescription(BaseModel):
    """Everything the issue description template may use."""

    summary: str
    motivation: str = ""
    excerpts: list[ExcerptRecord]
    call_title: str
    call_started: str | None = None
    customer_name: str | None = None
    recording_url: str | None = None


def render_description(context: IssueDescription) -> str:
    # A shallow dict keeps the excerpts as records for the template.
    return render(TEMPLATE, **dict(context))
