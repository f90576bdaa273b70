"""What a failed API request means for the run, said in one sentence."""

from __future__ import annotations

import anthropic
import httpx2
import pytest

from agent.triagers.api_errors import (
    TriagerConfigError,
    describe_api_error,
    stop_if_misconfigured,
)

pytestmark = pytest.mark.anyio

BASE_URL = "http://127.0.0.1:9"


async def failure(handler) -> anthropic.APIError:
    """The error the SDK raises when its transport answers with `handler`."""
    client = anthropic.AsyncAnthropic(
        api_key="sk-ant-test",
        base_url=BASE_URL,
        max_retries=0,
        http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(handler)),
    )
    async with client:
        with pytest.raises(anthropic.APIError) as raised:
            await client.messages.create(
                model="claude-sonnet-4-5",
                max_tokens=10,
                messages=[{"role": "user", "content": "hello"}],
            )
    return raised.value


def answer(status: int, error_type: str, message: str):
    def handler(request: httpx2.Request) -> httpx2.Response:
        body = {"type": "error", "error": {"type": error_type, "message": message}}
        return httpx2.Response(status, json=body, headers={"request-id": "req_1"})

    return handler


def refuse_connection(request: httpx2.Request) -> httpx2.Response:
    raise httpx2.ConnectError("connection refused", request=request)


async def test_an_unknown_model_stops_everything_naming_the_setting():
    exc = await failure(answer(404, "not_found_error", "model: claude-nope"))

    with pytest.raises(TriagerConfigError) as raised:
        stop_if_misconfigured(exc, "claude-nope")

    assert str(raised.value) == (
        f"the Claude API at {BASE_URL} does not know the model 'claude-nope' "
        "(404 not_found_error); check CALLTRIAGE_MODEL and ANTHROPIC_BASE_URL"
    )


async def test_a_forbidden_key_stops_everything_too():
    exc = await failure(answer(403, "permission_error", "not allowed"))

    with pytest.raises(TriagerConfigError, match="rejected the API key"):
        stop_if_misconfigured(exc, "claude-sonnet-4-5")


async def test_a_rate_limit_fails_only_the_call_with_its_request_id():
    exc = await failure(answer(429, "rate_limit_error", "slow down"))

    stop_if_misconfigured(exc, "claude-sonnet-4-5")
    assert describe_api_error(exc) == (
        "the Claude API answered 429 rate_limit_error: slow down (request id req_1)"
    )


async def test_an_unreachable_api_is_named_by_its_address():
    exc = await failure(refuse_connection)

    assert describe_api_error(exc) == f"cannot connect to the Claude API at {BASE_URL}"
