"""The MCP server: calltriage's tools, resources and triage prompt over the protocol."""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.shared.exceptions import MCPError

from agent.mcp import resources
from agent.mcp.prompt import triage_prompt
from agent.mcp.service import TriageService
from agent.mcp.tools import mcp_tools
from tools.registry import ToolOutcome, ToolRefusal

logger = logging.getLogger(__name__)

Context = ServerRequestContext[Any]

INSTRUCTIONS = """\
calltriage files the actionable product feedback in recorded customer calls as \
triage issues. Use triage_call to run calltriage's own triager on a call, or get \
the triage_call prompt and act as the triager yourself with the five triage tools \
(each takes the call's call_id). list_calls shows the call ledger; \
list_triage_issues and update_triage_issue review what was filed."""

TRIAGE_PROMPT = types.Prompt(
    name="triage_call",
    title="Triage a call",
    description="Instructions, the workspace's teams and the call's transcript, for "
    "a model that files the call's feedback with the calltriage tools.",
    arguments=[
        types.PromptArgument(
            name="call_id", description="The call's id in the ledger", required=True
        )
    ],
)


class Handlers:
    """Answers to each MCP request, all served by one TriageService."""

    def __init__(self, service: TriageService) -> None:
        self.service = service
        self.tools = {tool.name: tool for tool in mcp_tools()}

    async def list_tools(
        self, ctx: Context, params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        listed = [
            types.Tool(
                name=tool.name,
                description=tool.description,
                input_schema=tool.input_schema,
            )
            for tool in self.tools.values()
        ]
        return types.ListToolsResult(tools=listed)

    async def call_tool(
        self, ctx: Context, params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        tool = self.tools.get(params.name)
        if tool is None:
            known = ", ".join(self.tools)
            raise MCPError(
                types.INVALID_PARAMS,
                f"there is no tool {params.name!r}; use one of: {known}",
            )
        try:
            outcome = await tool.run(self.service, params.arguments or {})
        except Exception:  # the top of a tool call: the client hears of any failure
            logger.exception("tool %s failed", params.name)
            outcome = ToolOutcome(
                f"{params.name} failed unexpectedly; the server's log has the details",
                is_error=True,
            )
        if outcome.is_error:
            logger.debug("tool %s refused: %s", params.name, outcome.content)
        return types.CallToolResult(
            content=[types.TextContent(text=outcome.content)],
            is_error=outcome.is_error,
        )

    async def list_resources(
        self, ctx: Context, params: types.PaginatedRequestParams | None
    ) -> types.ListResourcesResult:
        cursor = params.cursor if params else None
        return resources.list_resources(self.service, cursor)

    async def list_resource_templates(
        self, ctx: Context, params: types.PaginatedRequestParams | None
    ) -> types.ListResourceTemplatesResult:
        return types.ListResourceTemplatesResult(resource_templates=resources.TEMPLATES)

    async def read_resource(
        self, ctx: Context, params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        try:
            return resources.read_resource(self.service, params.uri)
        except ToolRefusal as exc:
            raise MCPError(types.INVALID_PARAMS, str(exc), {"uri": params.uri}) from exc

    async def list_prompts(
        self, ctx: Context, params: types.PaginatedRequestParams | None
    ) -> types.ListPromptsResult:
        return types.ListPromptsResult(prompts=[TRIAGE_PROMPT])

    async def get_prompt(
        self, ctx: Context, params: types.GetPromptRequestParams
    ) -> types.GetPromptResult:
        if params.name != TRIAGE_PROMPT.name:
            raise MCPError(
                types.INVALID_PARAMS,
                f"there is no prompt {params.name!r}; use {TRIAGE_PROMPT.name}",
            )
        call_id = (params.arguments or {}).get("call_id")
        if not call_id:
            raise MCPError(
                types.INVALID_PARAMS, "the triage_call prompt needs a call_id"
            )
        try:
            call = self.service.call(call_id)
        except ToolRefusal as exc:
            raise MCPError(types.INVALID_PARAMS, str(exc)) from exc
        if not call.sentences:
            raise MCPError(
                types.INVALID_PARAMS, f"call {call_id!r} has no transcript to triage"
            )
        runtime = self.service.runtime
        text = triage_prompt(
            call, runtime.workspace, runtime.settings.max_issues_per_call
        )
        message = types.PromptMessage(role="user", content=types.TextContent(text=text))
        return types.GetPromptResult(
            description=f"Triage call {call.call_id}", messages=[message]
        )


def build_server(service: TriageService) -> Server[Any]:
    """A low-level MCP server, so each tool's schema comes from calltriage itself."""
    handlers = Handlers(service)
    return Server(
        "calltriage",
        version=_version(),
        title="calltriage",
        instructions=INSTRUCTIONS,
        on_list_tools=handlers.list_tools,
        on_call_tool=handlers.call_tool,
        on_list_resources=handlers.list_resources,
        on_list_resource_templates=handlers.list_resource_templates,
        on_read_resource=handlers.read_resource,
        on_list_prompts=handlers.list_prompts,
        on_get_prompt=handlers.get_prompt,
    )


def _version() -> str:
    try:
        return version("calltriage")
    except PackageNotFoundError:
        return "0"
