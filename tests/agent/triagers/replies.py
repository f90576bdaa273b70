"""Builders for scripted Messages API replies, in the API's wire format."""

from __future__ import annotations

from typing import Any


def tool_use(name: str, **arguments: Any) -> dict[str, Any]:
    return {"type": "tool_use", "name": name, "input": arguments}


def text(words: str) -> dict[str, Any]:
    return {"type": "text", "text": words}


def reply(*blocks: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"content": list(blocks), **fields}


def done(words: str = "Done.") -> dict[str, Any]:
    return reply(text(words))


def overloaded() -> dict[str, Any]:
    return {
        "status": 529,
        "error": {"type": "overloaded_error", "message": "Overloaded"},
    }


def file_issue(
    title: str,
    excerpts: list[tuple[str, int, str]],
    *,
    team: str = "DASH",
    kind: str = "bug",
    customer_id: str | None = "cus_acme",
) -> dict[str, Any]:
    """A create_triage_issue call quoting (speaker, start_ms, text) excerpts."""
    return tool_use(
        "create_triage_issue",
        title=title,
        summary=f"{title}, as the customer describes it.",
        motivation="It blocks their weekly report.",
        kind=kind,
        team=team,
        excerpts=[
            {"speaker": speaker, "start_ms": start_ms, "text": words}
            for speaker, start_ms, words in excerpts
        ],
        customer_id=customer_id,
    )
