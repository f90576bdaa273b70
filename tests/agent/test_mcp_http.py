from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import httpx2
import pytest
from anyio.abc import Process
from anyio.streams.buffered import BufferedByteReceiveStream
from click.testing import CliRunner
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.server.lowlevel import Server
from starlette.types import ASGIApp

from agent.cli import main
from agent.mcp.server import build_server
from agent.mcp.service import TriageService
from agent.mcp.transport import (
    BearerTokenGuard,
    endpoint_url,
    http_app,
    is_loopback,
    listen,
    serve_http,
)
from agent.runtime import ConfigError
from tests.agent.mcp_calls import make_runtime

TOKEN = "s3cret-token"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
}
MCP_HEADERS = {"accept": "application/json, text/event-stream"}


@pytest.fixture
def server(tmp_path: Path) -> Server[Any]:
    return build_server(TriageService(make_runtime(tmp_path / "store.db")))


@asynccontextmanager
async def serving(app: ASGIApp) -> AsyncIterator[str]:
    """`app` on a free port of 127.0.0.1; yields the MCP endpoint's URL."""
    # The socket listens before the server starts, so no request comes too early.
    sock = listen("127.0.0.1", 0)
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(serve_http, app, sock)
        try:
            yield endpoint_url(sock)
        finally:
            tasks.cancel_scope.cancel()


async def initialize(url: str, token: str | None = None) -> httpx.Response:
    """One raw MCP initialize request, carrying `token` when one is given."""
    headers = MCP_HEADERS | ({"authorization": f"Bearer {token}"} if token else {})
    async with httpx.AsyncClient() as http:
        return await http.post(url, json=INITIALIZE, headers=headers)


@pytest.mark.anyio
async def test_a_request_without_the_token_is_refused(server: Server[Any]) -> None:
    async with serving(http_app(server, "127.0.0.1", TOKEN)) as url:
        response = await initialize(url)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["error"] == "invalid_token"


@pytest.mark.anyio
async def test_a_request_with_another_token_is_refused(server: Server[Any]) -> None:
    async with serving(http_app(server, "127.0.0.1", TOKEN)) as url:
        response = await initialize(url, "not-the-token")
    assert response.status_code == 401


@pytest.mark.anyio
async def test_a_client_with_the_token_lists_the_tools(server: Server[Any]) -> None:
    async with serving(http_app(server, "127.0.0.1", TOKEN)) as url:
        names = await tool_names(url, TOKEN)
    assert "triage_call" in names


@pytest.mark.anyio
async def test_on_loopback_without_a_token_local_requests_are_served(
    server: Server[Any],
) -> None:
    async with serving(http_app(server, "127.0.0.1", None)) as url:
        response = await initialize(url)
    assert response.status_code == 200


@pytest.mark.anyio
async def test_the_command_serves_http_to_clients_with_the_token(
    tmp_path: Path,
) -> None:
    console_script = Path(sys.executable).with_name("calltriage")
    if not console_script.exists():
        pytest.skip(
            f"the calltriage console script is not installed at {console_script}"
        )
    env = os.environ | {
        "CALLTRIAGE_DATABASE_URL": f"sqlite:///{tmp_path / 'http.db'}",
        "CALLTRIAGE_MCP_TOKEN": TOKEN,
    }
    command = [str(console_script), "mcp", "--http", "0"]
    process = await anyio.open_process(command, env=env, stderr=subprocess.PIPE)
    async with process:
        try:
            url = await announced_url(process)
            refused = await initialize(url)
            names = await tool_names(url, TOKEN)
        finally:
            process.terminate()
    assert refused.status_code == 401
    assert "list_triage_issues" in names


async def tool_names(url: str, token: str) -> list[str]:
    headers = {"authorization": f"Bearer {token}"}
    async with httpx2.AsyncClient(headers=headers) as http:
        transport = streamable_http_client(url, http_client=http)
        async with Client(transport) as client:
            return [tool.name for tool in (await client.list_tools()).tools]


async def announced_url(process: Process) -> str:
    """The endpoint the command names on stderr once it listens."""
    assert process.stderr is not None
    lines = BufferedByteReceiveStream(process.stderr)
    # A guard against a server that never starts, not a timing assertion.
    with anyio.fail_after(60):
        while True:
            line = (await lines.receive_until(b"\n", 10_000)).decode()
            if "serving MCP at " in line:
                return line.split("serving MCP at ", 1)[1].strip()


def test_binding_beyond_loopback_needs_a_token(server: Server[Any]) -> None:
    for no_token in (None, ""):
        with pytest.raises(ConfigError, match="serving MCP on 0.0.0.0 lets other"):
            http_app(server, "0.0.0.0", no_token)
    assert isinstance(http_app(server, "0.0.0.0", TOKEN), BearerTokenGuard)


def test_the_command_refuses_a_public_host_without_a_token() -> None:
    result = CliRunner().invoke(main, ["mcp", "--http", "8765", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "give a token with --token or CALLTRIAGE_MCP_TOKEN" in result.output


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.20", False),
        ("calltriage.example", False),
    ],
)
def test_only_loopback_addresses_count_as_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
