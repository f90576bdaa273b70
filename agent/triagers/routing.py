"""Which team a finding goes to: the workspace's ranking over the customer's
words, helped by what the vendor's side said in reply ("I'll get that to our
mobile folks")."""

from __future__ import annotations

from agent.triagers.findings import Finding
from agent.workspace import Workspace
from tools.routing import rank_teams


def choose_team(finding: Finding, workspace: Workspace) -> str:
    text = " ".join(s.text for s in finding.context + finding.sentences)
    replies = " ".join(s.text for s in finding.replies)
    ranked = rank_teams(f"{text} {replies}", workspace)
    if ranked and ranked[0].score > 0:
        return ranked[0].team.key
    return workspace.default_team or ""
