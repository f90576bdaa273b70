"""The production triager: Claude reads a call and files issues through the tools.

One bounded loop per window of the transcript: ask the model, run the tools it
asks for in order, send back their results (refusals marked as errors), and
repeat until it ends its turn or a limit on turns, tokens or issues is reached.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import anthropic
from anthropic import AsyncAnthropic

from agent.pipeline import TriageRun
from agent.settings import Settings
from agent.triagers import pricing
from agent.triagers.api_errors import (
    TriagerConfigError,
    describe_api_error,
    stop_if_misconfigured,
)
from agent.triagers.conversation import Conversation, RunEndedEarly
from agent.triagers.prompt_views import prompt_version
from agent.triagers.transcript_view import (
    CHARS_PER_TOKEN,
    TurnView,
    Window,
    coverage,
    plan_windows,
    turn_views,
)
from tools.context import ToolContext
from tools.registry import ToolRegistry, ToolStop
from tools.trackers.base import TrackerAuthError, TrackerError
from tools.triage import registry as triage_registry

__all__ = ["ClaudeOptions", "ClaudeTriager", "TriagerConfigError"]

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.anthropic.com"

ClientFactory = Callable[[], AsyncAnthropic]


@dataclass(frozen=True)
class ClaudeOptions:
    """The model and the limits of one run; see the matching `Settings` fields."""

    model: str
    max_turns: int = 30
    max_tokens_per_call: int = 400_000
    max_reply_tokens: int = 8192
    context_share: float = 0.5
    context_tokens: int | None = None
    window_overlap: float = 0.1

    @classmethod
    def from_settings(
        cls, settings: Settings, model: str | None = None
    ) -> ClaudeOptions:
        return cls(
            model=model or settings.model,
            max_turns=settings.max_turns,
            max_tokens_per_call=settings.max_tokens_per_call,
            max_reply_tokens=settings.max_reply_tokens,
            context_share=settings.context_share,
            context_tokens=settings.context_tokens,
            window_overlap=settings.window_overlap,
        )

    @property
    def window_chars(self) -> int:
        """How much rendered transcript one conversation may hold."""
        tokens = self.context_tokens or pricing.context_tokens(self.model)
        return int(tokens * self.context_share * CHARS_PER_TOKEN)


class ClaudeTriager:
    """Claude through the `anthropic` SDK; a fresh client per call keeps each run's
    connections inside the event loop that uses them."""

    name = "claude"

    def __init__(
        self,
        make_client: ClientFactory,
        options: ClaudeOptions,
        registry: ToolRegistry = triage_registry,
    ) -> None:
        self.make_client = make_client
        self.options = options
        self.registry = registry

    @property
    def model(self) -> str:
        return self.options.model

    @property
    def prompt_version(self) -> str:
        return prompt_version()

    @classmethod
    def from_settings(cls, settings: Settings) -> ClaudeTriager:
        if settings.anthropic_api_key is None:
            raise TriagerConfigError("the Claude triager needs ANTHROPIC_API_KEY")
        api_key = settings.anthropic_api_key.get_secret_value()
        base_url = settings.anthropic_base_url or DEFAULT_BASE_URL

        def make_client() -> AsyncAnthropic:
            return AsyncAnthropic(
                api_key=api_key, base_url=base_url, max_retries=settings.api_retries
            )

        return cls(make_client, ClaudeOptions.from_settings(settings))

    async def triage(self, ctx: ToolContext) -> TriageRun:
        """Read the call window by window; a limit ends the run as `partial`."""
        run = TriageRun(self.name, model=self.model, prompt_version=self.prompt_version)
        turns = turn_views(ctx.call, ctx.workspace)
        windows = self._windows(ctx, turns)
        read: list[Window] = []
        async with self.make_client() as client:
            conversation = Conversation(client, ctx, self.options, self.registry)
            try:
                for window in windows:
                    read.append(window)
                    await conversation.read(window)
            except (RunEndedEarly, ToolStop) as exc:
                run.outcome, run.error = "partial", str(exc)
            except anthropic.APIError as exc:
                stop_if_misconfigured(exc, self.options.model)
                run.outcome, run.error = "failed", describe_api_error(exc)
            except TrackerAuthError:
                raise
            except TrackerError as exc:
                # Failing here rather than in the pipeline keeps the tokens spent.
                run.outcome, run.error = "failed", str(exc)
        self._account(run, conversation, coverage(read, turns))
        return run

    def _windows(self, ctx: ToolContext, turns: list[TurnView]) -> list[Window]:
        limit = self.options.window_chars
        windows = plan_windows(turns, limit, int(limit * self.options.window_overlap))
        if len(windows) > 1:
            logger.info(
                "call %s is long: reading it in %d windows",
                ctx.call.call_id,
                len(windows),
            )
        return windows

    def _account(
        self, run: TriageRun, conversation: Conversation, share_read: float
    ) -> None:
        usage = conversation.usage
        run.tokens_in = usage.total_input
        run.tokens_out = usage.output
        run.tokens_cached = usage.cache_read
        run.cost_usd = pricing.estimate_cost(self.options.model, usage)
        run.model_calls = conversation.model_calls
        run.coverage = share_read
