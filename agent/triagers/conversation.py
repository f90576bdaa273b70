"""One run's exchange with Claude: the requests, the replies, the tool calls.

The system prompt and the tool definitions are the same for every call of a
workspace, and the call's transcript is the same for every turn of a window, so
all three carry prompt-cache marks, as does the newest turn of the conversation.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from anthropic import AsyncAnthropic
from anthropic.types import ContentBlock, Message, ToolUseBlock

from agent.triagers.pricing import TokenUsage
from agent.triagers.prompt_views import call_prompt, system_prompt
from agent.triagers.transcript_view import Window
from tools.context import ToolContext
from tools.registry import ToolOutcome, ToolRegistry

if TYPE_CHECKING:
    from agent.triagers.claude import ClaudeOptions

logger = logging.getLogger(__name__)

CACHE_MARK = {"type": "ephemeral"}
MAX_CUT_OFF_REPLIES = 2
CUT_OFF_NOTICE = (
    "Your reply was cut off at the output limit, so none of its tool calls was run. "
    "Send them again, fewer or shorter at a time."
)
CUT_OFF_TEXT_NOTICE = (
    "Your reply was cut off at the output limit. Keep your text short and go on "
    "with the tool calls."
)


class RunEndedEarly(Exception):
    """A limit on turns, tokens or cut-off replies was reached, or the model
    stopped on its own account; the run ends as `partial`."""


class Conversation:
    def __init__(
        self,
        client: AsyncAnthropic,
        ctx: ToolContext,
        options: ClaudeOptions,
        registry: ToolRegistry,
    ) -> None:
        self.client = client
        self.ctx = ctx
        self.options = options
        self.registry = registry
        self.usage = TokenUsage()
        self.model_calls = 0
        self.system = [
            {
                "type": "text",
                "text": system_prompt(ctx.workspace, ctx.max_issues),
                "cache_control": CACHE_MARK,
            }
        ]
        self.tools = tool_definitions(registry)

    async def read(self, window: Window) -> None:
        """Talk the model through one window until it ends its turn."""
        prompt = call_prompt(
            self.ctx.call,
            self.ctx.workspace,
            window,
            self.ctx.customer,
            self.ctx.issues,
        )
        messages: list[dict[str, Any]] = [_user(_text(prompt, cached=True))]
        cut_offs = 0
        while True:
            reply = await self._ask(messages)
            messages.append({"role": "assistant", "content": _params(reply.content)})
            if reply.stop_reason == "max_tokens":
                cut_offs = self._allow_cut_off(cut_offs)
                messages.append(_user(*_cut_off_answers(reply)))
                continue
            cut_offs = 0
            answers = await self._answer(reply)
            if answers is None:
                logger.debug("window %d/%d read", window.number, window.count)
                return
            if answers:
                messages.append(_user(*answers))

    async def _answer(self, reply: Message) -> list[dict[str, Any]] | None:
        """The results of the tools `reply` asks for; None when the model is done."""
        if reply.stop_reason == "pause_turn":
            return []
        if reply.stop_reason in {"refusal", "model_context_window_exceeded"}:
            raise RunEndedEarly(f"the model stopped: {reply.stop_reason}")
        uses = [block for block in reply.content if block.type == "tool_use"]
        if not uses:
            return None
        return [await self._run_tool(use) for use in uses]

    async def _ask(self, messages: list[dict[str, Any]]) -> Message:
        self._check_limits()
        remaining = self.options.max_tokens_per_call - self.usage.total
        reply = await self.client.messages.create(
            model=self.options.model,
            max_tokens=max(1, min(self.options.max_reply_tokens, remaining)),
            system=self.system,
            tools=self.tools,
            messages=_with_newest_cached(messages),
        )
        self.model_calls += 1
        usage = reply.usage
        self.usage.add(
            usage.input_tokens,
            usage.output_tokens,
            usage.cache_creation_input_tokens,
            usage.cache_read_input_tokens,
        )
        return reply

    def _check_limits(self) -> None:
        if self.model_calls >= self.options.max_turns:
            raise RunEndedEarly(
                f"stopped at the limit of {self.options.max_turns} model turns per call"
            )
        if self.usage.total >= self.options.max_tokens_per_call:
            raise RunEndedEarly(
                f"stopped after {self.usage.total} tokens, over the limit of "
                f"{self.options.max_tokens_per_call} per call"
            )

    def _allow_cut_off(self, cut_offs: int) -> int:
        if cut_offs + 1 > MAX_CUT_OFF_REPLIES:
            raise RunEndedEarly(
                f"stopped after {cut_offs + 1} replies in a row were cut off at "
                f"{self.options.max_reply_tokens} output tokens"
            )
        return cut_offs + 1

    async def _run_tool(self, use: ToolUseBlock) -> dict[str, Any]:
        """Run one requested tool; its refusal goes back to the model as an error."""
        if not isinstance(use.input, dict):
            content = f"the input of {use.name} must be a JSON object of arguments"
            self.ctx.record_tool_call(use.name, {"input": use.input}, content, True)
            return _tool_result(use.id, ToolOutcome(content, is_error=True))
        outcome = await self.registry.call(use.name, use.input, self.ctx)
        logger.debug("tool %s -> %s", use.name, outcome.content)
        return _tool_result(use.id, outcome)


def tool_definitions(registry: ToolRegistry) -> list[dict[str, Any]]:
    """Every tool in the registry, the last one closing the cached prefix."""
    tools: list[dict[str, Any]] = [
        {
            "name": tool.name,
            "description": tool.description,
            "input_schema": tool.input_schema,
        }
        for tool in registry
    ]
    if tools:
        tools[-1]["cache_control"] = CACHE_MARK
    return tools


def _user(*blocks: dict[str, Any]) -> dict[str, Any]:
    return {"role": "user", "content": list(blocks)}


def _text(text: str, *, cached: bool = False) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "text", "text": text}
    if cached:
        block["cache_control"] = CACHE_MARK
    return block


def _tool_result(tool_use_id: str, outcome: ToolOutcome) -> dict[str, Any]:
    return {
        "type": "tool_result",
        "tool_use_id": tool_use_id,
        "content": outcome.content,
        "is_error": outcome.is_error,
    }


def _params(content: list[ContentBlock]) -> list[dict[str, Any]]:
    """The reply's blocks as they are sent back in the next request."""
    params = []
    for block in content:
        if block.type == "text":
            params.append({"type": "text", "text": block.text})
        elif block.type == "tool_use":
            params.append(
                {
                    "type": "tool_use",
                    "id": block.id,
                    "name": block.name,
                    "input": block.input,
                }
            )
        else:
            params.append(block.model_dump(mode="json", exclude_none=True))
    return params


def _cut_off_answers(reply: Message) -> list[dict[str, Any]]:
    """Every tool use of a cut-off reply must be answered; none of them is run."""
    answers = [
        _tool_result(block.id, ToolOutcome(CUT_OFF_NOTICE, is_error=True))
        for block in reply.content
        if block.type == "tool_use"
    ]
    return answers or [_text(CUT_OFF_TEXT_NOTICE)]


def _with_newest_cached(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`messages` with a cache mark on the last block of the newest user turn."""
    newest = max(i for i, message in enumerate(messages) if message["role"] == "user")
    blocks = [dict(block) for block in messages[newest]["content"]]
    blocks[-1]["cache_control"] = CACHE_MARK
    marked = {**messages[newest], "content": blocks}
    return [*messages[:newest], marked, *messages[newest + 1 :]]
