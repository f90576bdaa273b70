"""calltriage as an MCP server: the triage tools, the ledger, the Triage queue,
call transcripts and issues as resources, and the triage prompt."""

from agent.mcp.prompt import triage_prompt
from agent.mcp.server import build_server
from agent.mcp.service import TriageService
from agent.mcp.transport import http_app, serve_http, serve_stdio

__all__ = [
    "TriageService",
    "build_server",
    "http_app",
    "serve_http",
    "serve_stdio",
    "triage_prompt",
]
