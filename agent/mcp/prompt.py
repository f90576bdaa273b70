"""The triage prompt an MCP client's own model follows to act as the agent.

It is the agent loop's own system and call prompt, so a client's model gets the
same instructions, teams, guidance and transcript as the production agent.
"""

from __future__ import annotations

from agent.calls import Call
from agent.triagers.prompt_views import call_prompt, system_prompt
from agent.triagers.transcript_view import Window, turn_views
from agent.workspace import Workspace

MCP_NOTE = 'You reach the tools through MCP. Pass call_id "{call_id}" to every tool.'


def triage_prompt(call: Call, workspace: Workspace, max_issues: int) -> str:
    """Instructions, the workspace's teams and guidance, and the whole call."""
    turns = turn_views(call, workspace)
    window = Window(number=1, count=1, turns=turns, first_turn=0)
    return "\n\n".join(
        [
            system_prompt(workspace, max_issues),
            MCP_NOTE.format(call_id=call.call_id),
            call_prompt(call, workspace, window),
        ]
    )
