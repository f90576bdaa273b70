"""`calltriage mcp`: serve calltriage to MCP clients over stdio or streamable HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from agent.cli.common import fail, main, open_runtime, with_settings, workspace_option
from agent.cli.process import announce_triager
from agent.runtime import Runtime
from agent.settings import Settings

if TYPE_CHECKING:
    from mcp.server.lowlevel import Server

# The MCP SDK and the server are imported inside the command: loading them would
# double every other command's start-up time.


@main.command("mcp")
@workspace_option
@click.option(
    "--http",
    "port",
    type=click.IntRange(0, 65535),
    help="Serve streamable HTTP on this port (path /mcp) instead of stdio; "
    "0 picks a free port.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind with --http; any but loopback needs a token.",
)
@click.option(
    "--token",
    help="Bearer token every HTTP request must carry [env CALLTRIAGE_MCP_TOKEN].",
)
@click.option(
    "--files",
    type=click.Path(path_type=Path),
    help="Folder whose call files triage_call may read [env CALLTRIAGE_MCP_FILES; "
    "default over stdio the working folder, over HTTP none].",
)
@click.option(
    "--tracker",
    type=click.Choice(["local", "linear"]),
    help="Where issues are filed [env CALLTRIAGE_TRACKER; default local].",
)
@click.option("--model", help="Claude model id, or 'offline' [env CALLTRIAGE_MODEL].")
@with_settings
def mcp(
    settings: Settings,
    workspace_path: Path | None,
    port: int | None,
    host: str,
    token: str | None,
    files: Path | None,
    tracker: str | None,
    model: str | None,
) -> None:
    """Serve the triage tools, the call ledger and the Triage queue to MCP clients."""
    from agent.mcp.server import build_server
    from agent.mcp.service import TriageService
    from agent.mcp.transport import serve_stdio

    updates = {k: v for k, v in {"tracker": tracker, "model": model}.items() if v}
    settings = settings.model_copy(update=updates)
    if token is None and settings.mcp_token is not None:
        token = settings.mcp_token.get_secret_value()

    files = files or settings.mcp_files
    if files is not None and not files.is_dir():
        fail(f"{files} is not a folder; --files names the folder call files come from")

    runtime = open_runtime(settings, workspace_path)
    announce_triager(runtime)
    folder = call_files_folder(files, over_http=port is not None)
    server = build_server(TriageService(runtime, files=folder))
    try:
        if port is None:
            asyncio.run(_closing(runtime, serve_stdio(server)))
        else:
            _serve_http(runtime, server, host, port, token)
    except KeyboardInterrupt:
        pass


async def _closing(runtime: Runtime, serving: Awaitable[None]) -> None:
    """Serve, then release the runtime's connections on the same event loop."""
    try:
        await serving
    finally:
        await runtime.aclose()


def call_files_folder(files: Path | None, over_http: bool) -> Path | None:
    """The folder clients may name call files in; None when they may name none.

    Over stdio the client is usually the person who started the server, in the
    folder they work in; a server started at the filesystem root (as some desktop
    apps start theirs) would open every file, so it reads none.
    """
    if files is not None or over_http:
        return files
    working = Path.cwd().resolve()
    return None if working == Path(working.anchor) else working


def _serve_http(
    runtime: Runtime, server: Server[Any], host: str, port: int, token: str | None
) -> None:
    from agent.mcp.transport import endpoint_url, http_app, listen, serve_http

    try:
        app = http_app(server, host, token)
        sock = listen(host, port)
    except OSError as exc:
        fail(f"cannot listen on {host} port {port}: {exc.strerror or exc}")
    click.echo(f"calltriage: serving MCP at {endpoint_url(sock)}", err=True)
    asyncio.run(_closing(runtime, serve_http(app, sock)))
