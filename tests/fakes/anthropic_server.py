"""A fake Messages API on 127.0.0.1 playing scripted replies in the wire format.

`POST /v1/messages` answers from a `ScriptPlayer`: content blocks, stop_reason,
usage with cache fields, and error bodies such as a 529 `overloaded_error`. It
checks the API key (`x-api-key` or a bearer token) and the version header, and
keeps every request, so a test (or a `calltriage` subprocess pointed at it
through ANTHROPIC_BASE_URL) sees exactly what the SDK sent.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from agent.triagers.scripted import Script, ScriptedReply, ScriptPlayer

API_KEY = "sk-ant-fake-key"
MESSAGES_PATH = "/v1/messages"


class FakeAnthropic:
    def __init__(
        self, script: Script | list[ScriptedReply | dict], api_key: str = API_KEY
    ) -> None:
        self.player = ScriptPlayer(script)
        self.api_key = api_key
        self.headers: list[dict[str, str]] = []
        self._http: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._http is not None, "the fake Messages API is not running"
        host, port = self._http.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[dict[str, Any]]:
        return self.player.requests

    @contextmanager
    def running(self) -> Iterator[FakeAnthropic]:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._http.daemon_threads = True
        thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        thread.start()
        try:
            yield self
        finally:
            self._http.shutdown()
            self._http.server_close()
            self._http = None

    def answer(
        self, path: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, dict[str, str], dict]:
        self.headers.append(headers)
        if path != MESSAGES_PATH:
            return _error(404, "not_found_error", f"no route {path}")
        if presented_key(headers) != self.api_key:
            return _error(401, "authentication_error", "invalid x-api-key")
        if "anthropic-version" not in headers:
            return _error(400, "invalid_request_error", "anthropic-version required")
        try:
            body = json.loads(raw)
        except ValueError:
            return _error(400, "invalid_request_error", "the body is not JSON")
        return self.player.answer(body)


def presented_key(headers: dict[str, str]) -> str | None:
    """The API key, sent as `x-api-key` or, by newer SDKs, as a bearer token."""
    bearer = headers.get("authorization", "").removeprefix("Bearer ")
    return headers.get("x-api-key") or bearer or None


def _error(status: int, error_type: str, message: str) -> tuple[int, dict, dict]:
    body = {"type": "error", "error": {"type": error_type, "message": message}}
    return status, {"request-id": "req_fake_unrouted"}, body


class _Handler(BaseHTTPRequestHandler):
    fake: FakeAnthropic

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        headers = {name.lower(): value for name, value in self.headers.items()}
        status, reply_headers, body = self.fake.answer(
            self.path.split("?", 1)[0], headers, raw
        )

        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply_headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are kept on the fake, not printed."""
