"""The tools an MCP client sees: the five triage tools, and the ones around them.

The triage tools keep the registry's schema and descriptions and gain a
`call_id` that picks the call they act on. The others take pydantic argument
models, so every schema is derived, none written by hand.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.mcp.service import TriageService
from tools.registry import Tool, ToolOutcome, ToolRefusal, as_text, describe_invalid
from tools.triage import registry

Runner = Callable[[TriageService, dict[str, Any]], Awaitable[ToolOutcome]]

CALL_ID_NOTE = (
    "\n\nActs on the call named by call_id, as list_calls or triage_call give it."
)


@dataclass(frozen=True)
class McpTool:
    name: str
    description: str
    input_schema: dict[str, Any]
    run: Runner


class Arguments(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CallSelector(Arguments):
    call_id: Annotated[
        str, Field(min_length=1, description="The call's id in the calltriage ledger")
    ]


class ListCallsArguments(Arguments):
    status: Annotated[
        Literal["pending", "triaged", "skipped", "failed"] | None,
        Field(description="Only calls with this status"),
    ] = None
    limit: Annotated[
        int, Field(ge=1, le=500, description="At most this many, the latest seen")
    ] = 50


class GetTranscriptArguments(CallSelector):
    cursor: Annotated[
        str | None,
        Field(description="next_cursor from the previous page; leave out to start"),
    ] = None
    limit: Annotated[
        int,
        Field(ge=1000, le=100_000, description="Most characters of transcript"),
    ] = 20_000


class TriageCallArguments(Arguments):
    call_id: Annotated[
        str | None, Field(description="A call already in the ledger")
    ] = None
    path: Annotated[
        str | None,
        Field(
            description="A call file (Gong JSON, WebVTT, SRT or text) inside the "
            "folder the server reads call files from; a relative path is taken "
            "inside it"
        ),
    ] = None
    again: Annotated[
        bool, Field(description="Triage again a call that was already triaged")
    ] = False


class ListTriageIssuesArguments(Arguments):
    status: Annotated[
        Literal["triage", "accepted", "declined", "duplicate", "all"],
        Field(description="Only issues with this status"),
    ] = "triage"
    call_id: Annotated[str | None, Field(description="Only issues of this call")] = None
    limit: Annotated[int, Field(ge=1, le=500, description="At most this many")] = 50


class UpdateTriageIssueArguments(Arguments):
    issue_id: Annotated[str, Field(description="The issue's id, or its number")]
    action: Annotated[
        Literal["accept", "decline", "duplicate", "move"],
        Field(description="What to do with the issue"),
    ]
    duplicate_of: Annotated[
        str | None, Field(description="For duplicate: the issue this one repeats")
    ] = None
    team: Annotated[
        str | None, Field(description="For move: the key of the new team")
    ] = None


async def list_calls(
    service: TriageService, args: ListCallsArguments
) -> list[dict[str, Any]]:
    """The calls calltriage has seen, with their status (pending, triaged, skipped,
    failed), why a skipped call was skipped, and how many issues each has."""
    return service.calls(args.status, args.limit)


async def get_transcript(
    service: TriageService, args: GetTranscriptArguments
) -> dict[str, Any]:
    """One page of a call's transcript: each turn's speaker and affiliation, then
    its sentences with [mm:ss] stamps. Pass next_cursor back for the next page."""
    return service.transcript(args.call_id, args.cursor, args.limit)


async def triage_call(
    service: TriageService, args: TriageCallArguments
) -> list[dict[str, Any]]:
    """Run calltriage's configured triager on a call, given by call_id or by the
    path of a call file, and return what it filed: one result per call. A file's
    calls join the ledger, so the other tools can then act on them by call_id.
    Paths are read only from the server's files folder (--files, or over stdio
    the folder it started in); a server without one takes call ids only."""
    return await service.triage(args.call_id, args.path, args.again)


async def list_triage_issues(
    service: TriageService, args: ListTriageIssuesArguments
) -> list[dict[str, Any]]:
    """Issues in the local Triage queue, oldest first, with their excerpts. The
    whole description is in the issue's resource, at its uri."""
    return service.issues(args.status, args.call_id, args.limit)


async def update_triage_issue(
    service: TriageService, args: UpdateTriageIssueArguments
) -> dict[str, Any]:
    """Accept an issue into its team's backlog, decline it, mark it a duplicate of
    another issue, or move it to another team."""
    return service.update_issue(
        args.issue_id, args.action, args.duplicate_of, args.team
    )


def mcp_tools() -> list[McpTool]:
    """The five triage tools in registry order, then the rest."""
    tools = [_acting_on_a_call(tool) for tool in registry]
    tools += [
        _service_tool(function, arguments)
        for function, arguments in (
            (list_calls, ListCallsArguments),
            (get_transcript, GetTranscriptArguments),
            (triage_call, TriageCallArguments),
            (list_triage_issues, ListTriageIssuesArguments),
            (update_triage_issue, UpdateTriageIssueArguments),
        )
    ]
    return tools


def _acting_on_a_call(tool: Tool) -> McpTool:
    async def run(service: TriageService, arguments: dict[str, Any]) -> ToolOutcome:
        arguments = dict(arguments)
        selected = (
            {"call_id": arguments.pop("call_id")} if "call_id" in arguments else {}
        )
        try:
            call_id = CallSelector.model_validate(selected).call_id
        except ValidationError as exc:
            return ToolOutcome(describe_invalid(tool.name, exc), is_error=True)
        return await service.act_on_call(tool.name, call_id, arguments)

    return McpTool(
        tool.name,
        tool.description + CALL_ID_NOTE,
        _with_call_id(tool.input_schema),
        run,
    )


def _with_call_id(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with CallSelector's call_id as its first, required property."""
    selector = CallSelector.model_json_schema()
    combined = copy.deepcopy(schema)
    combined["properties"] = selector["properties"] | combined.get("properties", {})
    combined["required"] = selector["required"] + combined.get("required", [])
    return combined


def _service_tool(
    function: Callable[[TriageService, Any], Awaitable[Any]],
    arguments: type[Arguments],
) -> McpTool:
    name = function.__name__

    async def run(service: TriageService, raw: dict[str, Any]) -> ToolOutcome:
        try:
            parsed = arguments.model_validate(raw)
        except ValidationError as exc:
            return ToolOutcome(describe_invalid(name, exc), is_error=True)
        try:
            value = await function(service, parsed)
        except ToolRefusal as exc:
            return ToolOutcome(str(exc), is_error=True)
        return ToolOutcome(as_text(value), value=value)

    schema = arguments.model_json_schema()
    schema.pop("title", None)
    description = inspect.cleandoc(function.__doc__ or "")
    return McpTool(name, description, schema, run)
