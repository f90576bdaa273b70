"""A fake Linear GraphQL endpoint on 127.0.0.1 that keeps state and misbehaves on cue.

Every request is parsed and validated by graphql-core against a subset of Linear's
schema (`linear_schema.graphql`), then executed against `LinearState`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLError,
    OperationDefinitionNode,
    build_schema,
    execute,
    parse,
    validate,
)

from tests.fakes.linear_resolvers import LinearRoot
from tests.fakes.linear_state import LinearState

SCHEMA = build_schema((Path(__file__).parent / "linear_schema.graphql").read_text())
API_KEY = "lin_api_fakefakefakefakefakefakefakefakefake"
# A held answer is let go by the next request; this only bounds a forgotten one.
HOLD_LIMIT_S = 30.0


@dataclass
class Reply:
    status: int
    payload: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    hold: threading.Event | None = None


@dataclass
class Seen:
    """One request as the fake received it."""

    authorization: str | None
    fields: list[str]
    variables: dict[str, Any]


class FakeLinear:
    """Answers like Linear; script faults with the `*_once` and `hold_*` methods."""

    def __init__(self, api_key: str = API_KEY, oauth_token: str | None = None) -> None:
        self.state = LinearState()
        self.seen: list[Seen] = []
        self._accepted = {api_key} | (
            {f"Bearer {oauth_token}"} if oauth_token else set()
        )
        self._lock = threading.Lock()
        self._rate_limits: list[Reply] = []
        self._failing_fields: dict[str, str] = {}
        self._holds: set[str] = set()
        self._held: list[threading.Event] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/graphql"

    @contextmanager
    def running(self) -> Iterator[FakeLinear]:
        thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )
        thread.start()
        try:
            yield self
        finally:
            self._release_held()
            self._server.shutdown()
            self._server.server_close()

    def calls(self, root_field: str) -> int:
        """How many requests asked for `root_field`."""
        return sum(root_field in seen.fields for seen in self.seen)

    def rate_limit_once(self, *, reset_at_ms: int, status: int = 400) -> None:
        """Refuse the next request as over the request budget until `reset_at_ms`."""
        error = {
            "message": "Rate limit exceeded",
            "extensions": {
                "type": "ratelimited",
                "code": "RATELIMITED",
                "statusCode": 429,
                "userError": True,
                "userPresentableMessage": "Too many requests, try again later.",
            },
        }
        headers = {
            "X-RateLimit-Requests-Limit": "2500",
            "X-RateLimit-Requests-Remaining": "0",
            "X-RateLimit-Requests-Reset": str(reset_at_ms),
        }
        self._rate_limits.append(Reply(status, {"errors": [error]}, headers))

    def fail_field_once(self, field_name: str, message: str) -> None:
        """In the next request `field_name` errors; the rest answers, with HTTP 200."""
        self._failing_fields[field_name] = message

    def hold_answer_after(self, root_field: str) -> None:
        """Do the next `root_field` request, then keep its answer until the next one."""
        self._holds.add(root_field)

    def answer(self, authorization: str | None, raw: bytes) -> Reply:
        with self._lock:
            self._release_held()
            request = json.loads(raw or b"{}")
            if authorization not in self._accepted:
                return Reply(401, {"errors": [_auth_error()]})
            try:
                document = parse(request.get("query") or "")
            except GraphQLError as exc:
                return Reply(400, {"errors": [exc.formatted]})

            variables = request.get("variables") or {}
            fields = _root_fields(document)
            self.seen.append(Seen(authorization, fields, variables))
            if self._rate_limits:
                return self._rate_limits.pop(0)
            reply = self._execute(document, variables)
            return self._maybe_hold(reply, fields)

    def _execute(self, document, variables: dict[str, Any]) -> Reply:
        errors = validate(SCHEMA, document)
        if errors:
            return Reply(400, {"errors": [e.formatted for e in errors]})
        failing, self._failing_fields = self._failing_fields, {}

        def middleware(resolve, source, info, **args):
            if info.field_name in failing:
                raise GraphQLError(failing[info.field_name])
            return resolve(source, info, **args)

        result = execute(
            SCHEMA,
            document,
            root_value=LinearRoot(self.state),
            variable_values=variables,
            middleware=[middleware],
        )
        return Reply(200, result.formatted)

    def _maybe_hold(self, reply: Reply, fields: list[str]) -> Reply:
        held = self._holds.intersection(fields)
        if held:
            self._holds -= held
            reply.hold = threading.Event()
            self._held.append(reply.hold)
        return reply

    def _release_held(self) -> None:
        for event in self._held:
            event.set()
        self._held.clear()


def _auth_error() -> dict[str, Any]:
    return {
        "message": "Authentication required, not authenticated",
        "extensions": {
            "type": "authentication error",
            "code": "AUTHENTICATION_ERROR",
            "statusCode": 401,
            "userError": True,
            "userPresentableMessage": (
                "You need to authenticate to access this operation."
            ),
        },
    }


def _root_fields(document) -> list[str]:
    return [
        selection.name.value
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
        for selection in definition.selection_set.selections
    ]


def _handler(fake: FakeLinear) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            reply = fake.answer(
                self.headers.get("Authorization"), self.rfile.read(length)
            )
            if reply.hold is not None:
                reply.hold.wait(HOLD_LIMIT_S)
            body = json.dumps(reply.payload).encode()
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting, which is what a hold is for

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
