"""A fake Gong API on 127.0.0.1 speaking the real paths, shapes and failure modes.

Use the `gong_server` fixture, fill `server.calls` (see `gong_calls`), point a
`GongClient` at `server.url` with `server.access_key` / `server.access_key_secret`,
and script failures with `fail_next` or `fail_on`.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.fakes.gong_calls import FakeCall

NO_CALLS_FOUND = "No calls found corresponding to the provided filters"


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class ScriptedFailure:
    status: int
    errors: list[Any]
    retry_after: float | None = None


@dataclass
class FakeGong:
    """The state behind the fake: calls served, scripted failures, requests seen."""

    calls: list[FakeCall] = field(default_factory=list)
    page_size: int = 100
    access_key: str = "fake-access-key"
    access_key_secret: str = "fake-access-key-secret"
    requests: list[RecordedRequest] = field(default_factory=list)
    _failures: dict[int, ScriptedFailure] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _http: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._http is not None, "the fake Gong server is not running"
        host, port = self._http.server_address[:2]
        return f"http://{host}:{port}"

    def fail_on(
        self,
        request_number: int,
        status: int,
        *,
        errors: list[Any] | None = None,
        retry_after: float | None = None,
    ) -> None:
        """Answer the `request_number`th request (counting from 1) with an error."""
        default = [f"Scripted failure {status}"]
        failure = ScriptedFailure(status, errors or default, retry_after)
        self._failures[request_number] = failure

    def fail_next(self, status: int, *, times: int = 1, **kwargs: Any) -> None:
        """Answer the next `times` requests with an error."""
        for offset in range(1, times + 1):
            self.fail_on(len(self.requests) + offset, status, **kwargs)

    def paths(self) -> list[str]:
        return [request.path for request in self.requests]

    def start(self) -> None:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._http.daemon_threads = True
        # A short poll keeps `stop` quick: shutdown waits for the loop's next poll.
        serve = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        serve.start()

    def stop(self) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None

    def answer(self, request: RecordedRequest) -> tuple[int, dict[str, str], dict]:
        """Status, headers and JSON body for one request."""
        with self._lock:
            self.requests.append(request)
            number = len(self.requests)
        request_id = f"fake{number:015d}"

        failure = self._failures.get(number)
        if failure is not None:
            headers = {}
            if failure.retry_after is not None:
                headers["Retry-After"] = f"{failure.retry_after:g}"
            return failure.status, headers, _error(request_id, failure.errors)
        if not self._authorized(request.headers.get("authorization", "")):
            return 401, {}, _error(request_id, ["Unauthorized"])

        route = _ROUTES.get((request.method, request.path))
        if route is None:
            return 404, {}, _error(request_id, [f"Unknown path {request.path}"])
        return route(self, request.body or {}, request_id)

    def _authorized(self, authorization: str) -> bool:
        pair = f"{self.access_key}:{self.access_key_secret}".encode()
        return authorization == "Basic " + base64.b64encode(pair).decode()

    def _extensive(self, body: dict, request_id: str) -> tuple[int, dict, dict]:
        found = [call.extensive() for call in self._matching(body.get("filter", {}))]
        return self._page(found, "calls", body.get("cursor"), request_id)

    def _transcripts(self, body: dict, request_id: str) -> tuple[int, dict, dict]:
        matching = self._matching(body.get("filter", {}))
        found = [
            {"callId": call.call_id, "transcript": call.transcript()}
            for call in matching
            if call.has_transcript
        ]
        return self._page(found, "callTranscripts", body.get("cursor"), request_id)

    def _matching(self, where: dict[str, Any]) -> list[FakeCall]:
        """Calls passing the filter: started in [from, to), among callIds if given."""
        calls = sorted(self.calls, key=lambda call: call.started)
        if "fromDateTime" in where:
            after = datetime.fromisoformat(where["fromDateTime"])
            calls = [call for call in calls if call.started >= after]
        if "toDateTime" in where:
            before = datetime.fromisoformat(where["toDateTime"])
            calls = [call for call in calls if call.started < before]
        if "callIds" in where:
            calls = [call for call in calls if call.call_id in where["callIds"]]
        return calls

    def _page(
        self, found: list[dict], key: str, cursor: str | None, request_id: str
    ) -> tuple[int, dict, dict]:
        if not found:
            return 404, {}, _error(request_id, [NO_CALLS_FOUND])
        try:
            offset = int(base64.urlsafe_b64decode(cursor)) if cursor else 0
        except ValueError:
            return 400, {}, _error(request_id, [f"Invalid cursor {cursor!r}"])
        page = found[offset : offset + self.page_size]
        records: dict[str, Any] = {
            "totalRecords": len(found),
            "currentPageSize": len(page),
            "currentPageNumber": offset // self.page_size,
        }
        if offset + self.page_size < len(found):
            next_offset = str(offset + self.page_size).encode()
            records["cursor"] = base64.urlsafe_b64encode(next_offset).decode()
        return 200, {}, {"requestId": request_id, "records": records, key: page}


_ROUTES = {
    ("POST", "/v2/calls/extensive"): FakeGong._extensive,
    ("POST", "/v2/calls/transcript"): FakeGong._transcripts,
}


def _error(request_id: str, errors: list[Any]) -> dict[str, Any]:
    return {"requestId": request_id, "errors": errors}


class _Handler(BaseHTTPRequestHandler):
    fake: FakeGong

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        request = RecordedRequest(
            method=self.command,
            path=self.path.split("?", 1)[0],
            headers={name.lower(): value for name, value in self.headers.items()},
            body=json.loads(raw) if raw else None,
        )
        status, headers, body = self.fake.answer(request)

        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are kept in `FakeGong.requests`, not printed."""


@pytest.fixture
def gong_server() -> Iterator[FakeGong]:
    """A running fake Gong with no calls; stopped after the test."""
    server = FakeGong()
    server.start()
    try:
        yield server
    finally:
        server.stop()
