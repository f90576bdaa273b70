"""What a tool can reach while it runs: the call, the tracker, the workspace."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from agent.calls import Call
from agent.workspace import Workspace
from tools.trackers.base import CustomerRecord, IssueRecord, Tracker


@dataclass
class ToolCallRecord:
    name: str
    arguments: dict[str, Any]
    result: str
    is_error: bool
    at: float


@dataclass
class ToolContext:
    """Runtime state handed to every tool; never part of a tool's schema."""

    call: Call
    tracker: Tracker
    workspace: Workspace
    max_issues: int = 12
    issues: list[IssueRecord] = field(default_factory=list)
    customer: CustomerRecord | None = None
    customer_created: bool = False
    tool_calls: list[ToolCallRecord] = field(default_factory=list)

    @classmethod
    async def resume(
        cls,
        call: Call,
        tracker: Tracker,
        workspace: Workspace,
        max_issues: int,
        customer_id: str | None = None,
    ) -> ToolContext:
        """A context that knows what earlier runs filed for this call.

        A retried run then sees its issues (the limit counts them, a prompt can
        list them) and the customer it already linked.
        """
        ctx = cls(call, tracker, workspace, max_issues=max_issues)
        ctx.issues = await tracker.issues_for_call(call.call_id)
        if customer_id:
            ctx.customer = await tracker.get_customer(customer_id)
        return ctx

    def record_tool_call(
        self, name: str, arguments: dict[str, Any], result: str, is_error: bool
    ) -> None:
        self.tool_calls.append(
            ToolCallRecord(name, arguments, result, is_error, time.time())
        )

    @property
    def new_issues(self) -> list[IssueRecord]:
        return [issue for issue in self.issues if issue.created]
