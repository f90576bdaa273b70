"""The triage prompt an MCP client's own model follows to act as the agent."""

from __future__ import annotations

from agent.calls import Call, Party
from agent.mcp.transcript import render_transcript
from agent.workspace import Workspace
from tools.grounding import clock

INSTRUCTIONS = """\
You triage one recorded customer call. Find the actionable product feedback the \
customer gives (feature requests, bugs, pain points) and file each finding once \
as a triage issue with the calltriage tools. Pass call_id "{call_id}" to every tool.

1. Identify the customer: search_customers by the company's domain, CRM id or \
name; create_customer only when the search finds nothing.
2. For each finding, pick the team with find_team, then call create_triage_issue \
with a short imperative title, a one or two sentence summary, the customer's \
motivation in their terms, and one to three excerpts.
3. Every excerpt quotes the speaker's words exactly as transcribed, names the \
speaker as the transcript does, and gives start_ms, the [mm:ss] of the sentence \
in milliseconds. At least one excerpt must come from someone outside the company.
4. File nothing for small talk, questions about pricing or sales steps, or \
anything the company's own people say without the customer asking for it. When \
a tool refuses an argument, correct it as its message says.
"""


def triage_prompt(call: Call, workspace: Workspace) -> str:
    """Instructions, the workspace's teams and guidance, and the call itself."""
    sections = [
        INSTRUCTIONS.format(call_id=call.call_id).strip(),
        _teams(workspace),
        _call_header(call),
        render_transcript(call),
    ]
    return "\n\n".join(section for section in sections if section)


def _teams(workspace: Workspace) -> str:
    if not workspace.teams:
        return ""
    lines = ["Teams (key: what they own):"]
    lines += [f"- {t.key}: {t.name}. {t.description}".rstrip() for t in workspace.teams]
    if workspace.guidance.strip():
        lines += ["", "Routing guidance from the admins:", workspace.guidance.strip()]
    return "\n".join(lines)


def _call_header(call: Call) -> str:
    lines = [f"Call {call.call_id}: {call.title or 'untitled'}"]
    if call.started:
        lines.append(f"Started: {call.started.isoformat()}")
    lines.append(f"Duration: {clock(int(call.effective_duration_s * 1000))}")
    lines.append("Participants:")
    lines += [_party_line(party) for party in call.parties]
    for account in call.accounts:
        lines.append(f"CRM account: {account.name or '?'} ({account.external_id})")
    return "\n".join(lines)


def _party_line(party: Party) -> str:
    details = [f"{party.display_name} ({party.affiliation.value})"]
    details += [detail for detail in (party.title, party.email) if detail]
    return "- " + ", ".join(details)
