"""Serving the MCP server over stdio, or over streamable HTTP behind a bearer token."""

from __future__ import annotations

import hmac
import ipaddress
import json
import socket
from typing import Any

import uvicorn
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
from starlette.types import ASGIApp, Receive, Scope, Send

from agent.errors import ConfigError

MCP_PATH = "/mcp"


async def serve_stdio(server: Server[Any]) -> None:
    """Serve one client on this process's stdin and stdout until it disconnects."""
    async with stdio_server() as (read_stream, write_stream):
        await server.run(
            read_stream, write_stream, server.create_initialization_options()
        )


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on `host`:`port`; port 0 picks a free one."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    return socket.create_server((host, port), family=family)


def endpoint_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}{MCP_PATH}"


async def serve_http(app: ASGIApp, sock: socket.socket) -> None:
    """Serve `app` on the listening `sock` until the process is interrupted."""
    config = uvicorn.Config(app, log_level="warning")
    await uvicorn.Server(config).serve(sockets=[sock])


def http_app(server: Server[Any], host: str, token: str | None) -> ASGIApp:
    """The streamable HTTP app; behind a bearer token whenever one is given."""
    if not token and not is_loopback(host):
        raise ConfigError(
            f"serving MCP on {host} lets other machines in; give a token with "
            "--token or CALLTRIAGE_MCP_TOKEN, or bind to 127.0.0.1"
        )
    app = server.streamable_http_app(streamable_http_path=MCP_PATH, host=host)
    return BearerTokenGuard(app, token) if token else app


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class BearerTokenGuard:
    """Lets through only HTTP requests that carry `Authorization: Bearer <token>`."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self._authorized(scope):
            await _refuse(send)
            return
        await self.app(scope, receive, send)

    def _authorized(self, scope: Scope) -> bool:
        given = dict(scope["headers"]).get(b"authorization", b"")
        scheme, _, credentials = given.partition(b" ")
        return scheme.lower() == b"bearer" and hmac.compare_digest(
            credentials.strip(), self.token
        )


async def _refuse(send: Send) -> None:
    body = json.dumps(
        {
            "error": "invalid_token",
            "error_description": "send Authorization: Bearer <token>",
        }
    ).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"www-authenticate", b'Bearer error="invalid_token"'),
    ]
    await send({"type": "http.response.start", "status": 401, "headers": headers})
    await send({"type": "http.response.body", "body": body})
