"""A scripted Claude: Messages API replies played back from a file, offline.

The real SDK and the real loop run against it, through an in-process transport,
so a labeled call can go through the whole agent loop without a network. A
script is JSON in the Messages API's own wire format:

    {"format": "calltriage-script/1",
     "replies": [
       {"content": [{"type": "tool_use", "name": "search_customers",
                     "input": {"domain": "acme.com"}}]},
       {"status": 529, "error": {"type": "overloaded_error", "message": "Overloaded"}},
       {"content": [{"type": "text", "text": "Done."}]}],
     "calls": {"<call id>": [...replies for that call only...]}}

Missing ids, `stop_reason` (`tool_use` when a tool is used, else `end_turn`) and
`usage` (about four characters a token) are filled in.
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from pathlib import Path
from typing import Any, Literal

import httpx2
from anthropic import AsyncAnthropic
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.settings import Settings
from agent.triagers.claude import ClaudeOptions, ClaudeTriager
from agent.triagers.wire_checks import message_blocks, request_problem

SCRIPTED_MODEL = "scripted"
SCRIPTED_BASE_URL = "http://scripted.calltriage.invalid"
CALL_ID = re.compile(r'<transcript call_id="([^"]+)">')


class ScriptError(ValueError):
    """A script file that cannot be played; the message names the file."""


class ScriptedReply(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: list[dict[str, Any]] = Field(default_factory=list)
    stop_reason: str | None = None
    usage: dict[str, int] = Field(default_factory=dict)
    status: int = 200
    error: dict[str, str] | None = None


class Script(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["calltriage-script/1"] = "calltriage-script/1"
    replies: list[ScriptedReply] = Field(default_factory=list)
    calls: dict[str, list[ScriptedReply]] = Field(default_factory=dict)


def load_script(path: Path) -> Script:
    try:
        return Script.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise ScriptError(f"{path}: cannot read script ({exc.strerror})") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "script"
        raise ScriptError(f"{path}: {where}: {first['msg']}") from exc


class ScriptPlayer:
    """Answers Messages API requests from a script and keeps every request body."""

    def __init__(self, script: Script | list[ScriptedReply | dict]) -> None:
        if not isinstance(script, Script):
            script = Script(replies=[ScriptedReply.model_validate(r) for r in script])
        self._shared = deque(script.replies)
        self._by_call = {key: deque(value) for key, value in script.calls.items()}
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    @property
    def replies_left(self) -> int:
        return len(self._shared) + sum(len(q) for q in self._by_call.values())

    def answer(self, body: dict[str, Any]) -> tuple[int, dict[str, str], dict]:
        """The status, headers and JSON body the API would send for `body`."""
        with self._lock:
            self.requests.append(body)
            number = len(self.requests)
            problem = request_problem(body)
            if problem is not None:
                return _error(400, "invalid_request_error", problem, number)
            queue = self._queue(body)
            if not queue:
                message = f"the script has no reply left for request {number}"
                return _error(400, "invalid_request_error", message, number)
            return _reply(queue.popleft(), body, number)

    def tool_results(self) -> list[dict[str, Any]]:
        """Every tool_result block sent to the model, in order."""
        return [
            block
            for body in self.requests
            for block in message_blocks(body["messages"][-1])
            if block.get("type") == "tool_result"
        ]

    def _queue(self, body: dict[str, Any]) -> deque[ScriptedReply]:
        first = " ".join(b.get("text", "") for b in message_blocks(body["messages"][0]))
        found = CALL_ID.search(first)
        if found and found.group(1) in self._by_call:
            return self._by_call[found.group(1)]
        return self._shared

    async def handle(self, request: httpx2.Request) -> httpx2.Response:
        status, headers, payload = self.answer(json.loads(request.content))
        return httpx2.Response(status, headers=headers, json=payload)


def scripted_triager(script: ScriptPlayer | Path, settings: Settings) -> ClaudeTriager:
    """The Claude triager with its API replaced by `script`."""
    player = (
        script
        if isinstance(script, ScriptPlayer)
        else ScriptPlayer(load_script(script))
    )

    def make_client() -> AsyncAnthropic:
        return AsyncAnthropic(
            api_key="scripted",
            base_url=SCRIPTED_BASE_URL,
            max_retries=settings.api_retries,
            http_client=httpx2.AsyncClient(
                transport=httpx2.MockTransport(player.handle)
            ),
        )

    return ClaudeTriager(
        make_client, ClaudeOptions.from_settings(settings, model=SCRIPTED_MODEL)
    )


def _reply(
    reply: ScriptedReply, body: dict[str, Any], number: int
) -> tuple[int, dict[str, str], dict]:
    if reply.status != 200:
        error = reply.error or {"type": "api_error", "message": "scripted failure"}
        return _error(reply.status, error["type"], error["message"], number)
    content = [_with_id(block, number, i) for i, block in enumerate(reply.content)]
    uses_tool = any(block["type"] == "tool_use" for block in content)
    usage = {
        "input_tokens": len(json.dumps(body)) // 4,
        "output_tokens": max(1, len(json.dumps(content)) // 4),
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
        **reply.usage,
    }
    message = {
        "id": f"msg_scripted_{number:04d}",
        "type": "message",
        "role": "assistant",
        "model": body.get("model", SCRIPTED_MODEL),
        "content": content,
        "stop_reason": reply.stop_reason or ("tool_use" if uses_tool else "end_turn"),
        "stop_sequence": None,
        "usage": usage,
    }
    return 200, {"request-id": f"req_scripted_{number:04d}"}, message


def _with_id(block: dict[str, Any], number: int, index: int) -> dict[str, Any]:
    if block.get("type") == "tool_use" and "id" not in block:
        return {"id": f"toolu_scripted_{number:04d}_{index}", **block}
    return block


def _error(
    status: int, error_type: str, message: str, number: int
) -> tuple[int, dict[str, str], dict]:
    request_id = f"req_scripted_{number:04d}"
    # A millisecond keeps the SDK's retries of a scripted failure instant.
    headers = {"request-id": request_id, "retry-after-ms": "1"}
    body = {
        "type": "error",
        "error": {"type": error_type, "message": message},
        "request_id": request_id,
    }
    return status, headers, body
