"""The request rules of the Messages API that a fake of it must enforce too.

A scripted model that accepted any request would let a broken loop pass its
tests; these are the rules the real API answers with a 400 when broken.
"""

from __future__ import annotations

from typing import Any

MAX_CACHE_MARKS = 4


def request_problem(body: dict[str, Any]) -> str | None:
    """What the API would reject in `body`, or None when it would accept it."""
    if not isinstance(body.get("model"), str) or not body["model"]:
        return "model: field required"
    if not isinstance(body.get("max_tokens"), int) or body["max_tokens"] < 1:
        return "max_tokens: must be a positive integer"
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "messages: at least one message is required"
    if messages[0].get("role") != "user":
        return "messages.0.role: the first message must be from the user"
    return _tool_pairing_problem(messages) or _cache_problem(body)


def _tool_pairing_problem(messages: list[dict[str, Any]]) -> str | None:
    """Every tool_use is answered first thing in the next user message, and only
    tool_use ids of the message before are answered."""
    asked: list[str] = []
    for index, message in enumerate(messages):
        blocks = message_blocks(message)
        answered = [
            b.get("tool_use_id") for b in blocks if b.get("type") == "tool_result"
        ]
        if message.get("role") == "user":
            leading = blocks[: len(answered)]
            if any(block.get("type") != "tool_result" for block in leading):
                return f"messages.{index}: tool_result blocks must come first"
            if sorted(answered) != sorted(asked) and (asked or answered):
                return (
                    f"messages.{index}: tool_use ids {asked} need exactly one "
                    f"tool_result each, got {answered}"
                )
            asked = []
        else:
            asked = [b["id"] for b in blocks if b.get("type") == "tool_use"]
    return None


def _cache_problem(body: dict[str, Any]) -> str | None:
    blocks = [*body.get("tools", []), *_system_blocks(body)]
    for message in body["messages"]:
        blocks.extend(message_blocks(message))
    marks = sum(1 for block in blocks if block.get("cache_control"))
    if marks > MAX_CACHE_MARKS:
        return f"at most {MAX_CACHE_MARKS} blocks may carry cache_control, got {marks}"
    return None


def _system_blocks(body: dict[str, Any]) -> list[dict[str, Any]]:
    system = body.get("system", [])
    return [] if isinstance(system, str) else list(system)


def message_blocks(message: dict[str, Any]) -> list[dict[str, Any]]:
    content = message.get("content", [])
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return list(content)
