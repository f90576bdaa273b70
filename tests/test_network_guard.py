from __future__ import annotations

import httpx
import httpx2
import pytest

from agent.gong import GongClient
from tests.conftest import RealNetworkBlocked

# An address in TEST-NET-3, reserved for documentation: it routes nowhere.
REMOTE = "http://203.0.113.7/v2/calls"


@pytest.mark.parametrize("module", [httpx, httpx2], ids=["httpx", "httpx2"])
def test_a_request_to_a_remote_host_fails_loudly(module) -> None:
    with module.Client(timeout=1) as client, pytest.raises(RealNetworkBlocked):
        client.get(REMOTE)


@pytest.mark.parametrize("module", [httpx, httpx2], ids=["httpx", "httpx2"])
@pytest.mark.anyio
async def test_an_async_request_to_a_remote_host_fails_loudly(module) -> None:
    async with module.AsyncClient(timeout=1) as client:
        with pytest.raises(RealNetworkBlocked, match="203.0.113.7"):
            await client.get(REMOTE)


@pytest.mark.anyio
async def test_a_gong_client_pointed_at_gong_itself_is_stopped_at_once() -> None:
    async with httpx.AsyncClient(timeout=1) as http:
        gong = GongClient(http, "https://us-12345.api.gong.io", bearer_token="t")
        with pytest.raises(RealNetworkBlocked, match="us-12345.api.gong.io"):
            await gong.get_transcripts(["1"])
