"""The tools that route and file issues; the customer tools are in tools.customers.

Importing this module registers all five tools, in the order models see them.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from agent.calls import Affiliation
from tools.catalog import registry
from tools.context import ToolContext
from tools.customers import linked_customer
from tools.description import IssueDescription, render_description
from tools.grounding import GroundingError, locate
from tools.links import moment_link
from tools.registry import ToolRefusal, ToolStop
from tools.routing import rank_teams
from tools.trackers.base import (
    CustomerRecord,
    ExcerptRecord,
    IssueDraft,
    IssueRecord,
)

MAX_EXCERPTS = 6


class ExcerptInput(BaseModel):
    speaker: Annotated[
        str, Field(description="Speaker name exactly as in the transcript")
    ]
    start_ms: Annotated[
        int, Field(ge=0, description="Start of the sentence holding the quote, in ms")
    ]
    text: Annotated[
        str, Field(min_length=1, description="The speaker's words, quoted verbatim")
    ]


class TeamMatch(BaseModel):
    key: str
    name: str
    description: str
    score: float
    reasons: list[str]


class TeamSearch(BaseModel):
    default_team: str | None
    matches: list[TeamMatch]


class FiledIssue(BaseModel):
    issue_id: str
    team: str
    title: str
    url: str | None
    created: bool
    note: str


@registry.tool
async def find_team(
    ctx: ToolContext,
    about: Annotated[
        str, Field(min_length=3, description="What the issue is about, in a few words")
    ],
) -> TeamSearch:
    """Rank the workspace's teams for an issue, using team descriptions and the
    admins' routing guidance. The guidance wins over surface words."""
    ranked = rank_teams(about, ctx.workspace)
    matches = [
        TeamMatch(
            key=s.team.key,
            name=s.team.name,
            description=s.team.description,
            score=round(s.score, 2),
            reasons=list(s.reasons),
        )
        for s in ranked
    ]
    return TeamSearch(default_team=ctx.workspace.default_team, matches=matches)


@registry.tool
async def link_timestamp(
    ctx: ToolContext,
    start_ms: Annotated[int, Field(ge=0, description="Moment to open, in ms")],
    end_ms: Annotated[int | None, Field(ge=0, description="End of the moment")] = None,
) -> str:
    """A link that opens this call's recording at a moment."""
    if not ctx.call.url:
        raise ToolRefusal("this call has no recording URL to link to")
    return moment_link(ctx.call.url, start_ms, end_ms)


@registry.tool
async def create_triage_issue(
    ctx: ToolContext,
    title: Annotated[
        str, Field(min_length=8, max_length=120, description="Short imperative title")
    ],
    summary: Annotated[
        str, Field(min_length=10, description="One or two sentences: what is needed")
    ],
    motivation: Annotated[
        str, Field(description="Why the customer needs it, in their terms")
    ],
    kind: Annotated[
        Literal["feature_request", "bug", "pain_point"], Field(description="Kind")
    ],
    team: Annotated[str, Field(description="Team key from find_team")],
    excerpts: Annotated[
        list[ExcerptInput],
        Field(
            min_length=1,
            max_length=MAX_EXCERPTS,
            description="Verbatim quotes from the customer",
        ),
    ],
    customer_id: Annotated[
        str | None, Field(description="The customer's id, from search or create")
    ] = None,
) -> FiledIssue:
    """File one actionable finding as a triage issue.

    Every excerpt must be the named speaker's exact words at the given time, and at
    least one must come from someone outside the company. Filing the same finding
    again returns the issue already filed.
    """
    team_key = _team_key(ctx, team)
    grounded = [_ground(ctx, excerpt) for excerpt in excerpts]
    if all(e.affiliation == Affiliation.INTERNAL for e in grounded):
        raise ToolRefusal(
            "every excerpt is from an internal speaker; quote the customer's own words"
        )
    customer = await linked_customer(ctx, customer_id)
    issue = await _already_filed(ctx, grounded)
    if issue is None:
        if len(ctx.issues) >= ctx.max_issues:
            raise ToolStop(
                f"the limit of {ctx.max_issues} issues for one call is reached"
            )
        draft = IssueDraft(
            call_id=ctx.call.call_id,
            dedup_key=_dedup_key(grounded),
            team_key=team_key,
            title=title.strip(),
            summary=summary.strip(),
            motivation=motivation.strip(),
            kind=kind,
            description=describe(ctx, summary, motivation, grounded, customer),
            excerpts=grounded,
            customer_id=customer.id if customer else None,
            recording_url=ctx.call.url,
        )
        issue = await ctx.tracker.create_issue(draft)
        ctx.issues.append(issue)
    if customer:
        # Also on a retry: a crash may have come between the issue and the request.
        quote = "\n".join(f"> {e.text} ({e.speaker})" for e in grounded)
        await ctx.tracker.add_customer_request(
            issue.id, customer.id, quote, grounded[0].link
        )
    note = (
        "filed"
        if issue.created
        else "this finding was already filed; quote other words for a new one"
    )
    return FiledIssue(
        issue_id=issue.id,
        team=issue.team_key,
        title=issue.title,
        url=issue.url,
        created=issue.created,
        note=note,
    )


def describe(
    ctx: ToolContext,
    summary: str,
    motivation: str,
    excerpts: list[ExcerptRecord],
    customer: CustomerRecord | None,
) -> str:
    """The issue body, rendered from its template."""
    call = ctx.call
    context = IssueDescription(
        summary=summary.strip(),
        motivation=motivation.strip(),
        excerpts=excerpts,
        call_title=call.title or call.call_id,
        call_started=call.started.date().isoformat() if call.started else None,
        customer_name=customer.name if customer else None,
        recording_url=call.url,
    )
    return render_description(context)


def _team_key(ctx: ToolContext, team: str) -> str:
    for known in ctx.workspace.teams:
        if team.strip().lower() in {known.key.lower(), known.name.lower()}:
            return known.key
    keys = ", ".join(t.key for t in ctx.workspace.teams)
    raise ToolRefusal(f"there is no team {team!r}; use one of: {keys}")


def _ground(ctx: ToolContext, excerpt: ExcerptInput) -> ExcerptRecord:
    try:
        found = locate(ctx.call, excerpt.text, excerpt.speaker, excerpt.start_ms)
    except GroundingError as exc:
        raise ToolRefusal(str(exc)) from exc
    party = ctx.call.party(found.speaker_id)
    link = (
        moment_link(ctx.call.url, found.start_ms, found.end_ms)
        if ctx.call.url
        else None
    )
    return ExcerptRecord(
        speaker=party.display_name,
        affiliation=party.affiliation.value,
        start_ms=found.start_ms,
        end_ms=found.end_ms,
        text=found.text,
        link=link,
    )


async def _already_filed(
    ctx: ToolContext, grounded: list[ExcerptRecord]
) -> IssueRecord | None:
    """An issue of this call that quotes the same sentences, if one exists."""
    for issue in await ctx.tracker.issues_for_call(ctx.call.call_id):
        if _overlaps(issue.excerpts, grounded):
            known = issue.model_copy(update={"created": False})
            if all(filed.id != issue.id for filed in ctx.issues):
                ctx.issues.append(known)
            return known
    return None


def _overlaps(filed: list[ExcerptRecord], new: list[ExcerptRecord]) -> bool:
    return any(
        a.speaker == b.speaker and a.start_ms < b.end_ms and b.start_ms < a.end_ms
        for a in filed
        for b in new
    )


def _dedup_key(grounded: list[ExcerptRecord]) -> str:
    anchor = min(grounded, key=lambda e: e.start_ms)
    return hashlib.sha1(f"{anchor.speaker}|{anchor.start_ms}".encode()).hexdigest()[:16]
