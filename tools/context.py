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

    def record_tool_call(
        self, name: str, arguments: dict[str, Any], result: str, is_error: bool
    ) -> None:
        self.tool_calls.append(
            ToolCallRecord(name, arguments, result, is_error, time.time())
        )

    @property
    def new_issues(self) -> list[IssueRecord]:
        return [issue for issue in self.issues if issue.created]
