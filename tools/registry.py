"""One registry of typed tools, shared by the agent loop, the offline triager and MCP.

A tool is an async function whose first parameter is the `ToolContext`; the rest
are annotated parameters. Their annotations and the docstring become the schema,
and pydantic validates every call against it.
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, create_model

from tools.context import ToolContext
from tools.trackers.base import TrackerError

logger = logging.getLogger(__name__)

ToolFunction = Callable[..., Awaitable[Any]]


class ToolRefusal(Exception):
    """A correctable failure: the message goes back to the model, the run goes on."""


class ToolStop(Exception):
    """A failure that ends the run (a limit reached, a tracker that refuses us)."""


@dataclass(frozen=True)
class ToolOutcome:
    """What a tool call produced, as text for the model, and whether it failed."""

    content: str
    is_error: bool = False
    value: Any = None


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    function: ToolFunction
    arguments: type[BaseModel]

    @property
    def input_schema(self) -> dict[str, Any]:
        schema = self.arguments.model_json_schema()
        schema.pop("title", None)
        return schema

    async def run(self, ctx: ToolContext, arguments: dict[str, Any]) -> ToolOutcome:
        try:
            parsed = self.arguments.model_validate(arguments)
        except ValidationError as exc:
            return ToolOutcome(describe_invalid(self.name, exc), is_error=True)
        try:
            value = await self.function(ctx, **dict(parsed))
        except ToolRefusal as exc:
            return ToolOutcome(str(exc), is_error=True)
        return ToolOutcome(as_text(value), value=value)


class ToolRegistry:
    def __init__(self) -> None:
        self._tools: dict[str, Tool] = {}

    def tool(self, function: ToolFunction) -> ToolFunction:
        """Register `function` as a tool; used as a decorator."""
        self._tools[function.__name__] = _build_tool(function)
        return function

    def __iter__(self):
        return iter(self._tools.values())

    def __contains__(self, name: str) -> bool:
        return name in self._tools

    def get(self, name: str) -> Tool | None:
        return self._tools.get(name)

    async def call(
        self, name: str, arguments: dict[str, Any], ctx: ToolContext
    ) -> ToolOutcome:
        """Run one tool call and record it on the context."""
        tool = self._tools.get(name)
        if tool is None:
            known = ", ".join(sorted(self._tools))
            outcome = ToolOutcome(
                f"there is no tool {name!r}; use one of: {known}", True
            )
        else:
            try:
                outcome = await tool.run(ctx, arguments)
            except (ToolStop, TrackerError) as exc:
                # The call that ended the run belongs in the run's record too.
                ctx.record_tool_call(name, arguments, str(exc), is_error=True)
                raise
            except Exception as exc:  # a tool's own fault goes back as its result
                logger.exception("tool %s failed", name)
                content = f"{name} failed unexpectedly: {type(exc).__name__}: {exc}"
                outcome = ToolOutcome(content, is_error=True)
        ctx.record_tool_call(name, arguments, outcome.content, outcome.is_error)
        return outcome


def _build_tool(function: ToolFunction) -> Tool:
    signature = inspect.signature(function)
    hints = get_type_hints(function, include_extras=True)
    fields: dict[str, Any] = {}
    for name, parameter in list(signature.parameters.items())[1:]:
        default = (
            ... if parameter.default is inspect.Parameter.empty else parameter.default
        )
        fields[name] = (hints[name], default)
    arguments = create_model(
        f"{function.__name__}_arguments",
        __config__=ConfigDict(extra="forbid"),
        **fields,
    )
    description = inspect.cleandoc(function.__doc__ or "").strip()
    return Tool(function.__name__, description, function, arguments)


def describe_invalid(name: str, exc: ValidationError) -> str:
    """A validation failure as one correctable message naming each bad argument."""
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "arguments"
        problems.append(f"{where}: {error['msg']}")
    return f"invalid arguments for {name}: " + "; ".join(problems)


def as_text(value: Any) -> str:
    """A tool's return value as text for the model: a string as is, else JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(TypeAdapter(Any).dump_python(value, mode="json"), indent=None)
