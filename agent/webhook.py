"""The webhook Gong automation rules post calls to: `POST /gong/webhook`.

Gong authenticates a rule's requests one of two ways: a secret key inside the
destination URL, or a JWT in the Authorization header, signed with RS256 by a key
whose public half Gong shows, with claims holding the SHA-256 of the body
(`body_sha256`) and the destination URL (`webhook_url`). Both are accepted, and so
is the secret in an `Authorization: Bearer` or `X-Calltriage-Secret` header for
senders that can set headers. Anything else is refused with 401.

The body is Gong's `{"callData": {"metaData": {"id": …}, …}, "isTest": …}`; a bare
`{"callId": …}` is accepted too. The call itself is fetched from the Gong API.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import socket
from asyncio import FIRST_COMPLETED
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from agent.gong import GongError

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/gong/webhook"
SECRET_HEADER = "x-calltriage-secret"
SECRET_QUERY = "key"
MAX_BODY = 1024 * 1024
FETCH_TIMEOUT = 20.0
_CALL_ID = re.compile(r"[A-Za-z0-9]{1,64}")

Accept = Callable[[str], Awaitable[bool | None]]
Settled = Callable[[str], bool]


class WebhookConfigError(ValueError):
    """Webhook settings that cannot work; the message is one sentence."""


@dataclass(frozen=True)
class WebhookAuth:
    """What a request must carry: the shared secret, or a JWT signed by Gong."""

    secret: str | None = None
    public_key: PublicKeyTypes | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if not self.secret and self.public_key is None:
            raise WebhookConfigError(
                "the webhook needs CALLTRIAGE_WEBHOOK_SECRET or "
                "CALLTRIAGE_GONG_WEBHOOK_PUBLIC_KEY to authenticate requests"
            )

    def allows(
        self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes
    ) -> bool:
        return self.allows_unread(headers, query) or self.signed_by_gong(headers, body)

    def allows_unread(
        self, headers: Mapping[str, str], query: Mapping[str, str]
    ) -> bool:
        """Whether the request carries the secret, which needs no look at the body."""
        offered = [headers.get(SECRET_HEADER), query.get(SECRET_QUERY), _token(headers)]
        return bool(self.secret) and any(_same(o, self.secret) for o in offered)

    def may_be_signed(self, headers: Mapping[str, str]) -> bool:
        """Whether the body is worth reading to check a JWT from Gong."""
        return self.public_key is not None and bool(_token(headers))

    def signed_by_gong(self, headers: Mapping[str, str], body: bytes) -> bool:
        if self.public_key is None:
            return False
        try:
            claims = jwt.decode(
                _token(headers),
                self.public_key,
                algorithms=["RS256"],
                options={"require": ["exp"]},
            )
        except jwt.InvalidTokenError:
            return False
        digest = hashlib.sha256(body).hexdigest()
        if not _same(str(claims.get("body_sha256", "")).lower(), digest):
            return False
        return self.url is None or claims.get("webhook_url") == self.url


def load_public_key(text: str) -> PublicKeyTypes:
    """Gong's public key, as PEM or as the bare base64 Gong displays."""
    pem = text.strip()
    if "BEGIN" not in pem:
        pem = f"-----BEGIN PUBLIC KEY-----\n{pem}\n-----END PUBLIC KEY-----"
    try:
        return load_pem_public_key(pem.encode())
    except ValueError as exc:
        raise WebhookConfigError(
            "CALLTRIAGE_GONG_WEBHOOK_PUBLIC_KEY is not a public key in PEM or base64"
        ) from exc


def webhook_app(
    auth: WebhookAuth,
    accept: Accept,
    *,
    settled: Settled | None = None,
    max_body: int = MAX_BODY,
    fetch_timeout: float = FETCH_TIMEOUT,
) -> Starlette:
    """The ASGI app; `accept(call_id)` queues a call, or is None for an unknown one.

    `settled(call_id)` says the ledger is done with a call, which Gong is then not
    asked for again. A fetch over `fetch_timeout` seconds is answered 503, which
    Gong retries, rather than holding its request open.
    """

    async def receive(request: Request) -> JSONResponse:
        headers, query = request.headers, request.query_params
        if auth.allows_unread(headers, query):
            return await answer(await read_body(request, max_body))
        if not auth.may_be_signed(headers):
            return _refuse(request)
        body = await read_body(request, max_body)
        if not auth.signed_by_gong(headers, body):
            return _refuse(request)
        return await answer(body)

    async def answer(body: bytes) -> JSONResponse:
        call_id = call_id_of(body)
        if settled is not None and settled(call_id):
            return JSONResponse({"status": "already known"})
        try:
            async with asyncio.timeout(fetch_timeout):
                queued = await accept(call_id)
        except TimeoutError:
            logger.warning("webhook call %s: Gong did not answer in time", call_id)
            return JSONResponse({"error": "Gong is slow to answer"}, status_code=503)
        except GongError as exc:
            logger.warning("webhook call %s could not be fetched: %s", call_id, exc)
            return JSONResponse({"error": "Gong could not be read"}, status_code=502)
        if queued is None:
            return JSONResponse({"error": "Gong has no such call"}, status_code=404)
        logger.info("webhook: call %s %s", call_id, "queued" if queued else "known")
        return JSONResponse({"call_id": call_id, "queued": queued}, status_code=202)

    routes = [Route(WEBHOOK_PATH, receive, methods=["POST"])]
    return Starlette(routes=routes, exception_handlers=_HANDLERS)


class BodyTooLarge(Exception):
    """A request body over the cap, declared or sent."""


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused by its declared length or once it passes `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise BodyTooLarge
    return bytes(body)


def call_id_of(body: bytes) -> str:
    """The call id in a webhook body, wherever Gong or a person put it."""
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise BadCallId("the body is not a JSON object")
    candidates = [
        _meta_id(payload.get("callData")),
        _meta_id(payload),
        payload.get("callId"),
    ]
    found = next((c for c in candidates if c is not None), None)
    if found is None:
        raise BadCallId("no call id in the body")
    if not isinstance(found, str) or not _CALL_ID.fullmatch(found):
        raise BadCallId("the call id is not 1 to 64 letters or digits")
    return found


class BadCallId(ValueError):
    """A body without a usable call id; the message is one sentence."""


def listen(host: str, port: int) -> socket.socket:
    """A bound listening socket; OSError says why not."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    return sock


class WebhookServer(uvicorn.Server):
    """uvicorn, leaving signals to the worker, which decides when to stop."""

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    @classmethod
    def for_app(cls, app: Starlette) -> WebhookServer:
        config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="off")
        return cls(config)

    async def run_until(self, stop: asyncio.Event, sock: socket.socket) -> None:
        """Serve until `stop` is set; WebhookStopped if the server ends before it."""
        serving = asyncio.create_task(self._serve_on(sock))
        stopping = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({serving, stopping}, return_when=FIRST_COMPLETED)
        finally:
            stopping.cancel()
        if serving.done():
            failure = serving.exception()
            if isinstance(failure, WebhookStopped):
                raise failure
            reason = failure or "it ended by itself"
            raise WebhookStopped(f"the webhook server stopped: {reason}") from failure
        self.should_exit = True
        await serving

    async def _serve_on(self, sock: socket.socket) -> None:
        try:
            await self.serve(sockets=[sock])
        except SystemExit as exc:  # uvicorn ends the process when startup fails
            message = "the webhook server could not start"
            raise WebhookStopped(message) from exc


class WebhookStopped(RuntimeError):
    """The webhook server ended while the worker still wanted it."""


def _meta_id(data: Any) -> Any:
    if isinstance(data, dict) and isinstance(data.get("metaData"), dict):
        return data["metaData"].get("id")
    return None


def _token(headers: Mapping[str, str]) -> str:
    return headers.get("authorization", "").removeprefix("Bearer ").strip()


def _refuse(request: Request) -> JSONResponse:
    logger.warning("refused a webhook request from %s", _client(request))
    return JSONResponse({"error": "unauthorized"}, status_code=401)


async def _too_large(request: Request, exc: Exception) -> JSONResponse:
    logger.warning("refused a webhook body over the cap from %s", _client(request))
    return JSONResponse({"error": "the body is too large"}, status_code=413)


async def _bad_call_id(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"error": str(exc)}, status_code=400)


_HANDLERS = {BodyTooLarge: _too_large, BadCallId: _bad_call_id}


def _same(offered: str | None, expected: str) -> bool:
    return bool(offered) and hmac.compare_digest(offered.encode(), expected.encode())


def _client(request: Request) -> str:
    return request.client.host if request.client else "an unknown client"
