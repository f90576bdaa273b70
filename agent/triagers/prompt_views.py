"""The typed contexts the Claude triager's prompt templates are rendered from."""

from __future__ import annotations

import re

from pydantic import BaseModel

from agent.calls import Call
from agent.triagers.transcript_view import (
    TurnView,
    Window,
    affiliation_label,
    data_text,
)
from agent.workspace import Team, Workspace
from prompts import render, template_version
from tools.grounding import clock
from tools.trackers.base import CustomerRecord, IssueRecord

SYSTEM_TEMPLATE = "system.md.j2"
CALL_TEMPLATE = "call.md.j2"
TEMPLATES = (SYSTEM_TEMPLATE, "guidance.md.j2", CALL_TEMPLATE, "transcript.md.j2")


class SystemView(BaseModel):
    teams: list[Team]
    default_team: str | None
    guidance: str
    mentions: list[Team]
    max_issues: int


class PartyView(BaseModel):
    name: str
    title: str | None
    affiliation: str
    domain: str | None


class AccountView(BaseModel):
    name: str | None
    external_id: str
    website: str | None


class FiledView(BaseModel):
    title: str
    team: str
    moments: list[str]


class WindowView(BaseModel):
    number: int
    count: int
    start: str
    end: str


class CallView(BaseModel):
    call_id: str
    title: str
    date: str | None
    duration: str | None
    accounts: list[AccountView]
    parties: list[PartyView]
    customer: CustomerRecord | None
    filed: list[FiledView]
    window: WindowView
    turns: list[TurnView]


def prompt_version() -> str:
    return template_version(*TEMPLATES)


def system_prompt(workspace: Workspace, max_issues: int) -> str:
    view = SystemView(
        teams=workspace.teams,
        default_team=workspace.default_team,
        guidance=workspace.guidance.strip(),
        mentions=mentioned_teams(workspace),
        max_issues=max_issues,
    )
    return render(SYSTEM_TEMPLATE, **dict(view))


def mentioned_teams(workspace: Workspace) -> list[Team]:
    """Teams the guidance names by key, by name or as an @mention."""
    guidance = workspace.guidance
    found = []
    for team in workspace.teams:
        by_key = re.search(rf"(?<![\w@])@?{re.escape(team.key)}\b", guidance)
        by_name = re.search(rf"\b{re.escape(team.name)}\b", guidance, re.IGNORECASE)
        if by_key or by_name:
            found.append(team)
    return found


def call_prompt(
    call: Call,
    workspace: Workspace,
    window: Window,
    customer: CustomerRecord | None = None,
    filed: list[IssueRecord] | None = None,
) -> str:
    view = CallView(
        call_id=call.call_id,
        title=data_text(call.title or call.call_id),
        date=call.started.date().isoformat() if call.started else None,
        duration=clock(int(call.duration_s * 1000)) if call.duration_s else None,
        accounts=[_account(account) for account in call.accounts],
        parties=[_party(call, party, workspace) for party in call.parties],
        customer=customer,
        filed=[_filed(issue) for issue in filed or []],
        window=_window(window),
        turns=window.turns,
    )
    return render(CALL_TEMPLATE, **dict(view))


def _account(account) -> AccountView:
    return AccountView(
        name=data_text(account.name) if account.name else None,
        external_id=account.external_id,
        website=account.website,
    )


def _party(call: Call, party, workspace: Workspace) -> PartyView:
    return PartyView(
        name=data_text(party.display_name),
        title=data_text(party.title) if party.title else None,
        affiliation=affiliation_label(party, workspace),
        domain=party.email_domain,
    )


def _filed(issue: IssueRecord) -> FiledView:
    moments = sorted({e.start_ms for e in issue.excerpts})
    return FiledView(
        title=issue.title,
        team=issue.team_key,
        moments=[f"[{clock(ms)}]" for ms in moments],
    )


def _window(window: Window) -> WindowView:
    last = window.turns[-1].sentences[-1]
    return WindowView(
        number=window.number,
        count=window.count,
        start=clock(window.start_ms),
        end=clock(last.start_ms),
    )
