from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from agent.gong import (
    DAY_S,
    GongAuthError,
    GongClient,
    GongConnectionError,
    GongError,
    GongNotFound,
    GongRateLimited,
    GongServerError,
    to_bundle,
)
from tests.fakes.gong_calls import FIRST_STARTED, make_call
from tests.fakes.gong_server import FakeGong

pytestmark = pytest.mark.anyio

MARCH = (FIRST_STARTED, FIRST_STARTED + timedelta(days=30))


class FakeTime:
    """A clock that only moves when the client sleeps, recording every wait."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@asynccontextmanager
async def client_for(
    server: FakeGong, fake_time: FakeTime, **options: Any
) -> AsyncIterator[GongClient]:
    credentials = {
        "access_key": server.access_key,
        "access_key_secret": server.access_key_secret,
    }
    async with httpx.AsyncClient() as http:
        yield GongClient(
            http,
            server.url,
            **{**credentials, **options},
            clock=fake_time.clock,
            sleep=fake_time.sleep,
        )


def mock_client(handler: Any, fake_time: FakeTime, **options: Any) -> GongClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    options.setdefault("bearer_token", "token")
    return GongClient(
        http,
        "https://us-12345.api.gong.io",
        clock=fake_time.clock,
        sleep=fake_time.sleep,
        **options,
    )


# Listing calls


async def test_list_calls_follows_the_cursor_through_three_pages(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    gong_server.calls = [make_call(n) for n in range(7)]
    gong_server.page_size = 3

    async with client_for(gong_server, fake_time) as gong:
        calls = await gong.list_calls(*MARCH)

    assert [call["metaData"]["id"] for call in calls] == [
        call.call_id for call in gong_server.calls
    ]
    cursors = [request.body.get("cursor") for request in gong_server.requests]
    assert cursors[0] is None
    assert cursors[1] and cursors[2] and cursors[1] != cursors[2]


async def test_list_calls_asks_for_the_window_in_utc_with_parties_and_context(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    gong_server.calls = [make_call(0)]
    paris = datetime(2025, 3, 3, 17, 0, tzinfo=ZoneInfo("Europe/Paris"))

    async with client_for(gong_server, fake_time) as gong:
        await gong.list_calls(paris, paris + timedelta(hours=1))

    request = gong_server.requests[0]
    assert (request.method, request.path) == ("POST", "/v2/calls/extensive")
    assert request.body == {
        "filter": {
            "fromDateTime": "2025-03-03T16:00:00Z",
            "toDateTime": "2025-03-03T17:00:00Z",
        },
        "contentSelector": {"context": "Extended", "exposedFields": {"parties": True}},
    }


async def test_an_empty_window_is_no_calls_rather_than_an_error(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    async with client_for(gong_server, fake_time) as gong:
        calls = await gong.list_calls(*MARCH)

    assert calls == []
    assert gong_server.paths() == ["/v2/calls/extensive"]


async def test_a_404_about_something_else_raises_gong_not_found(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    gong_server.fail_next(404, errors=["Workspace not found"])

    async with client_for(gong_server, fake_time) as gong:
        with pytest.raises(GongNotFound) as raised:
            await gong.list_calls(*MARCH)

    assert raised.value.errors == ["Workspace not found"]


async def test_list_calls_refuses_a_naive_datetime(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    async with client_for(gong_server, fake_time) as gong:
        with pytest.raises(ValueError, match="timezone-aware"):
            await gong.list_calls(datetime(2025, 3, 1), datetime(2025, 3, 2))


async def test_get_call_returns_the_extensive_record_of_that_call(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    gong_server.calls = [make_call(n) for n in range(3)]
    wanted = gong_server.calls[1]

    async with client_for(gong_server, fake_time) as gong:
        call = await gong.get_call(wanted.call_id)

    assert call == wanted.extensive()
    assert gong_server.requests[0].body["filter"] == {"callIds": [wanted.call_id]}


async def test_get_call_of_an_unknown_id_raises_gong_not_found(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    async with client_for(gong_server, fake_time) as gong:
        with pytest.raises(GongNotFound, match="42"):
            await gong.get_call("42")


# Transcripts


async def test_transcripts_of_250_calls_are_fetched_in_three_batches(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    gong_server.calls = [make_call(n) for n in range(250)]
    call_ids = [call.call_id for call in gong_server.calls]

    async with client_for(gong_server, fake_time) as gong:
        transcripts = await gong.get_transcripts(call_ids)

    batches = [request.body["filter"]["callIds"] for request in gong_server.requests]
    assert [len(batch) for batch in batches] == [100, 100, 50]
    assert sum(batches, []) == call_ids
    assert set(transcripts) == set(call_ids)
    assert transcripts[call_ids[7]] == gong_server.calls[7].transcript()


async def test_transcript_pages_within_one_batch_are_followed(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    gong_server.calls = [make_call(n) for n in range(5)]
    gong_server.page_size = 2
    call_ids = [call.call_id for call in gong_server.calls]

    async with client_for(gong_server, fake_time) as gong:
        transcripts = await gong.get_transcripts(call_ids)

    assert list(transcripts) == call_ids
    assert gong_server.paths() == ["/v2/calls/transcript"] * 3
    assert all(r.body["filter"]["callIds"] == call_ids for r in gong_server.requests)


async def test_a_call_without_a_transcript_is_left_out(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    gong_server.calls = [make_call(0), make_call(1, has_transcript=False)]

    async with client_for(gong_server, fake_time) as gong:
        transcripts = await gong.get_transcripts([c.call_id for c in gong_server.calls])

    assert list(transcripts) == [gong_server.calls[0].call_id]


async def test_no_transcripts_at_all_is_an_empty_result(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    async with client_for(gong_server, fake_time) as gong:
        assert await gong.get_transcripts(["123"]) == {}


def test_a_bundle_holds_the_call_and_its_transcript() -> None:
    call = make_call(0)

    bundle = to_bundle(call.extensive(), call.transcript())

    assert bundle == {"call": call.extensive(), "transcript": call.transcript()}


# Retries


async def test_a_429_waits_as_long_as_retry_after_says_then_succeeds(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    gong_server.calls = [make_call(0)]
    gong_server.fail_next(429, retry_after=7)

    async with client_for(gong_server, fake_time) as gong:
        calls = await gong.list_calls(*MARCH)

    assert len(calls) == 1
    assert fake_time.waits == [7]
    assert len(gong_server.requests) == 2


async def test_a_retry_after_beyond_the_limit_is_raised_without_waiting(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    gong_server.fail_next(429, retry_after=3600, errors=["Daily limit reached"])

    async with client_for(gong_server, fake_time, max_retry_after=300) as gong:
        with pytest.raises(GongRateLimited) as raised:
            await gong.list_calls(*MARCH)

    assert raised.value.retry_after == 3600
    assert fake_time.waits == []


async def test_a_500_is_retried_after_a_short_backoff(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    gong_server.calls = [make_call(0)]
    gong_server.fail_next(500)

    async with client_for(gong_server, fake_time) as gong:
        calls = await gong.list_calls(*MARCH)

    assert len(calls) == 1
    [wait] = fake_time.waits
    assert 1 <= wait <= 2


async def test_exhausted_retries_raise_gong_server_error_with_status_and_request_id(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    gong_server.fail_next(503, times=3, errors=["Service unavailable"])

    async with client_for(gong_server, fake_time, max_retries=2) as gong:
        with pytest.raises(GongServerError) as raised:
            await gong.list_calls(*MARCH)

    assert raised.value.status == 503
    assert raised.value.request_id == "fake000000000000003"
    assert raised.value.errors == ["Service unavailable"]
    assert len(gong_server.requests) == 3
    first, second = fake_time.waits
    assert 1 <= first <= 2 and 2 <= second <= 3


async def test_backoff_between_retries_is_capped_at_a_minute(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    gong_server.fail_next(500, times=9)

    async with client_for(gong_server, fake_time, max_retries=8) as gong:
        with pytest.raises(GongServerError):
            await gong.list_calls(*MARCH)

    assert len(fake_time.waits) == 8
    assert fake_time.waits[-2:] == [60, 60]


async def test_an_unreachable_gong_is_retried_then_raises_gong_connection_error(
    fake_time: FakeTime,
) -> None:
    attempts: list[httpx.Request] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        raise httpx.ConnectError("connection refused", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as http:
        gong = GongClient(
            http,
            "http://127.0.0.1:9",
            bearer_token="token",
            max_retries=2,
            clock=fake_time.clock,
            sleep=fake_time.sleep,
        )
        with pytest.raises(GongConnectionError) as raised:
            await gong.list_calls(*MARCH)

    assert raised.value.status is None
    assert isinstance(raised.value.__cause__, httpx.ConnectError)
    assert len(fake_time.waits) == 2
    assert len(attempts) == 3


async def test_a_dropped_connection_is_retried_then_succeeds(
    fake_time: FakeTime,
) -> None:
    attempts: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        if len(attempts) == 1:
            raise httpx.ReadError("connection reset", request=request)
        return httpx.Response(200, json={"requestId": "r2", "calls": [{"id": 1}]})

    calls = await mock_client(handler, fake_time).list_calls(*MARCH)

    assert calls == [{"id": 1}]
    assert len(attempts) == 2


# Errors


async def test_wrong_credentials_raise_gong_auth_error_without_retrying(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    async with client_for(gong_server, fake_time, access_key_secret="wrong") as gong:
        with pytest.raises(GongAuthError) as raised:
            await gong.list_calls(*MARCH)

    assert raised.value.status == 401
    assert len(gong_server.requests) == 1


async def test_a_missing_scope_raises_gong_auth_error(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    gong_server.fail_next(403, errors=["Missing scope api:calls:read:transcript"])

    async with client_for(gong_server, fake_time) as gong:
        with pytest.raises(GongAuthError, match="api:calls:read:transcript"):
            await gong.get_transcripts(["1"])


@pytest.mark.parametrize(
    "errors",
    [["Invalid filter: toDateTime"], [{"message": "Invalid filter: toDateTime"}]],
    ids=["strings", "objects"],
)
async def test_error_messages_are_read_from_strings_and_from_message_objects(
    gong_server: FakeGong, fake_time: FakeTime, errors: list[Any]
) -> None:
    gong_server.fail_next(400, errors=errors)

    async with client_for(gong_server, fake_time) as gong:
        with pytest.raises(GongError) as raised:
            await gong.list_calls(*MARCH)

    assert type(raised.value) is GongError
    assert raised.value.errors == ["Invalid filter: toDateTime"]
    assert raised.value.request_id == "fake000000000000001"
    assert '"errors"' in raised.value.body


async def test_an_error_page_that_is_not_json_keeps_its_text(
    fake_time: FakeTime,
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text="<html>Bad gateway</html>")

    gong = mock_client(handler, fake_time, max_retries=0)
    with pytest.raises(GongServerError) as raised:
        await gong.list_calls(*MARCH)

    assert raised.value.status == 502
    assert raised.value.request_id is None
    assert raised.value.errors == ["<html>Bad gateway</html>"]


# Authentication


async def test_a_bearer_token_is_sent_as_bearer_authorization(
    fake_time: FakeTime,
) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return httpx.Response(200, json={"requestId": "r1", "calls": []})

    await mock_client(handler, fake_time, bearer_token="oauth-token").list_calls(*MARCH)

    assert seen == ["Bearer oauth-token"]


def test_a_client_without_credentials_is_refused() -> None:
    with pytest.raises(ValueError, match="access key and secret, or a bearer token"):
        GongClient(httpx.AsyncClient(), "https://us-1.api.gong.io", access_key="k")


# Pacing


async def test_ten_quick_requests_are_spaced_a_third_of_a_second_apart(
    gong_server: FakeGong, fake_time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    gong_server.calls = [make_call(n) for n in range(10)]
    gong_server.page_size = 1

    with caplog.at_level(logging.INFO, logger="agent.gong"):
        async with client_for(gong_server, fake_time) as gong:
            await gong.list_calls(*MARCH)

    assert len(gong_server.requests) == 10
    assert fake_time.waits == pytest.approx([1 / 3] * 9)
    pacing_lines = [r for r in caplog.records if "Pacing" in r.getMessage()]
    assert len(pacing_lines) == 9


async def test_requests_already_spaced_out_are_not_delayed(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    gong_server.calls = [make_call(0)]

    async with client_for(gong_server, fake_time) as gong:
        await gong.list_calls(*MARCH)
        fake_time.now += 1
        await gong.list_calls(*MARCH)

    assert fake_time.waits == []


async def test_the_daily_budget_makes_the_next_request_wait_for_tomorrow(
    gong_server: FakeGong, fake_time: FakeTime
) -> None:
    gong_server.calls = [make_call(n) for n in range(4)]
    gong_server.page_size = 1

    async with client_for(gong_server, fake_time, per_day=3) as gong:
        await gong.list_calls(*MARCH)

    assert fake_time.waits == pytest.approx([1 / 3, 1 / 3, DAY_S - 2 / 3])
