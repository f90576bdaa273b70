import httpx
import pytest

from tests.fakes.linear_server import API_KEY, FakeLinear
from tools.trackers import linear_documents as docs
from tools.trackers.linear_client import (
    LinearClient,
    LinearConnectionError,
    LinearError,
    LinearNotFound,
    LinearServerError,
    retry_after,
)
from tools.trackers.linear_records import stable_id

pytestmark = pytest.mark.anyio

TEAMS = "query { teams { nodes { key } } }"


class Naps:
    def __init__(self) -> None:
        self.taken: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.taken.append(seconds)


@pytest.mark.parametrize(
    ("credential", "sent"),
    [(API_KEY, API_KEY), ("oauth-token", "Bearer oauth-token")],
)
async def test_a_personal_key_is_sent_as_it_is_and_an_oauth_token_as_bearer(
    credential, sent
):
    with FakeLinear(oauth_token="oauth-token").running() as fake:
        async with httpx.AsyncClient() as http:
            client = LinearClient(http, api_key=credential, api_url=fake.url)
            assert await client.execute(TEAMS) == {"teams": {"nodes": []}}

    assert [seen.authorization for seen in fake.seen] == [sent]


async def test_an_entity_linear_does_not_have_is_not_found(fake_linear):
    async with httpx.AsyncClient() as http:
        client = LinearClient(http, api_key=API_KEY, api_url=fake_linear.url)
        with pytest.raises(LinearNotFound, match="Could not find referenced Issue"):
            await client.execute(docs.ISSUE, {"id": stable_id("missing")})


async def test_a_misnamed_field_is_refused_without_retrying(fake_linear):
    naps = Naps()
    async with httpx.AsyncClient() as http:
        client = LinearClient(
            http, api_key=API_KEY, api_url=fake_linear.url, sleep=naps
        )
        with pytest.raises(LinearError) as caught:
            await client.execute("query { teams { nodes { triage } } }")

    assert type(caught.value) is LinearError
    assert caught.value.status == 400
    assert naps.taken == []


async def test_a_failing_server_is_tried_a_bounded_number_of_times():
    attempts = []

    def bad_gateway(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        return httpx.Response(502, text="<html>bad gateway</html>")

    naps = Naps()
    transport = httpx.MockTransport(bad_gateway)
    async with httpx.AsyncClient(transport=transport) as http:
        client = LinearClient(http, api_key=API_KEY, max_attempts=3, sleep=naps)
        with pytest.raises(LinearServerError, match="HTTP 502"):
            await client.execute(TEAMS)

    assert len(attempts) == 3
    assert len(naps.taken) == 2 and all(0 < s <= 8.5 for s in naps.taken)


async def test_an_unreachable_linear_is_a_connection_error_after_retries():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    naps = Naps()
    transport = httpx.MockTransport(refuse)
    async with httpx.AsyncClient(transport=transport) as http:
        client = LinearClient(http, api_key=API_KEY, max_attempts=2, sleep=naps)
        with pytest.raises(LinearConnectionError, match="Cannot reach Linear"):
            await client.execute(TEAMS)

    assert len(naps.taken) == 1


def test_the_wait_is_until_the_exhausted_budget_refills():
    now = 1_760_000_000.0
    headers = httpx.Headers(
        {
            "X-RateLimit-Requests-Remaining": "40",
            "X-RateLimit-Requests-Reset": str(int(now * 1000) + 60_000),
            "X-RateLimit-Complexity-Remaining": "0",
            "X-RateLimit-Complexity-Reset": str(int(now * 1000) + 2_000),
        }
    )

    assert retry_after(headers, now) == 2.0


def test_a_retry_after_header_wins_over_the_budget_headers():
    headers = httpx.Headers(
        {"Retry-After": "7", "X-RateLimit-Requests-Reset": "99999999999999"}
    )

    assert retry_after(headers, 0.0) == 7.0
