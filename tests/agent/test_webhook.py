from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import jwt
import pytest
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette

from agent.gong import GongServerError
from agent.webhook import (
    MAX_BODY,
    Accept,
    WebhookAuth,
    WebhookConfigError,
    WebhookServer,
    WebhookStopped,
    load_public_key,
    webhook_app,
)
from tests.fakes.gong_calls import make_call

SECRET = "s3cret-token"
URL = "https://triage.example.com/gong/webhook"
CALL = make_call(0)
GONG_BODY = json.dumps({"callData": CALL.extensive(), "isTest": False}).encode()


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


GONG_KEY = rsa_key()


def shown_public_key(key: rsa.RSAPrivateKey) -> str:
    """The public key as Gong shows it: base64 DER, no PEM armour."""
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode()


def signed(body: bytes, key: rsa.RSAPrivateKey = GONG_KEY, **claims: Any) -> str:
    payload = {
        "webhook_url": URL,
        "body_sha256": hashlib.sha256(body).hexdigest(),
        "exp": int(time.time()) + 300,
        **claims,
    }
    return jwt.encode(payload, key, algorithm="RS256")


class Queue:
    """Stands in for fetching the call from Gong and queueing it."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.call_ids: list[str] = []
        self.fail = fail

    async def __call__(self, call_id: str) -> bool | None:
        if self.fail is not None:
            raise self.fail
        if call_id == "unknown":
            return None
        self.call_ids.append(call_id)
        return True


class Stream:
    """A request body sent in chunks, counting how many the server asked for."""

    def __init__(self, chunks: int, size: int = 64 * 1024) -> None:
        self.chunks = chunks
        self.size = size
        self.read = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.chunks):
            self.read += 1
            yield b" " * self.size


def post(
    auth: WebhookAuth,
    queue: Accept,
    *,
    body: bytes | Stream = GONG_BODY,
    headers: dict[str, str] | None = None,
    path: str = "/gong/webhook",
    method: str = "POST",
    **options: Any,
) -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=webhook_app(auth, queue, **options))
        async with httpx.AsyncClient(
            transport=transport, base_url="http://worker"
        ) as client:
            return await client.request(method, path, content=body, headers=headers)

    return asyncio.run(send())


SECRET_AUTH = WebhookAuth(secret=SECRET)
SIGNED_AUTH = WebhookAuth(
    public_key=load_public_key(shown_public_key(GONG_KEY)), url=URL
)


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        (f"/gong/webhook?key={SECRET}", {}),
        ("/gong/webhook", {"Authorization": f"Bearer {SECRET}"}),
        ("/gong/webhook", {"X-Calltriage-Secret": SECRET}),
    ],
    ids=["key in the url", "bearer header", "calltriage header"],
)
def test_a_gong_webhook_carrying_the_secret_queues_its_call(
    path: str, headers: dict[str, str]
) -> None:
    queue = Queue()

    response = post(SECRET_AUTH, queue, path=path, headers=headers)

    assert response.status_code == 202
    assert response.json() == {"call_id": CALL.call_id, "queued": True}
    assert queue.call_ids == [CALL.call_id]


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/gong/webhook", {}),
        ("/gong/webhook?key=guess", {}),
        ("/gong/webhook", {"Authorization": "Bearer guess"}),
        ("/gong/webhook", {"X-Calltriage-Secret": f"{SECRET}x"}),
    ],
    ids=["nothing", "wrong key", "wrong bearer", "wrong header"],
)
def test_a_request_without_the_right_secret_is_refused_with_401(
    path: str, headers: dict[str, str]
) -> None:
    queue = Queue()

    response = post(SECRET_AUTH, queue, path=path, headers=headers)

    assert response.status_code == 401
    assert queue.call_ids == []


def test_a_request_signed_by_gong_queues_its_call() -> None:
    queue = Queue()

    response = post(SIGNED_AUTH, queue, headers={"Authorization": signed(GONG_BODY)})

    assert response.status_code == 202
    assert queue.call_ids == [CALL.call_id]


@pytest.mark.parametrize(
    "token",
    [
        signed(GONG_BODY.replace(b"Check-in", b"Check-up")),
        signed(GONG_BODY, exp=int(time.time()) - 60),
        jwt.encode(
            {"webhook_url": URL, "body_sha256": hashlib.sha256(GONG_BODY).hexdigest()},
            GONG_KEY,
            algorithm="RS256",
        ),
        signed(GONG_BODY, key=rsa_key()),
        signed(GONG_BODY, webhook_url="https://elsewhere.example/gong/webhook"),
        jwt.encode({"body_sha256": hashlib.sha256(GONG_BODY).hexdigest()}, "k" * 32),
        "not-a-jwt",
    ],
    ids=[
        "body changed",
        "expired",
        "never expires",
        "another key",
        "another url",
        "not RS256",
        "garbage",
    ],
)
def test_a_signed_request_that_does_not_verify_is_refused_with_401(
    token: str,
) -> None:
    queue = Queue()

    response = post(SIGNED_AUTH, queue, headers={"Authorization": token})

    assert response.status_code == 401
    assert queue.call_ids == []


@pytest.mark.parametrize(
    "body",
    [b"{}", b"[1, 2]", b"not json", json.dumps({"callData": {"parties": []}}).encode()],
)
def test_a_body_without_a_call_id_is_a_bad_request(body: bytes) -> None:
    response = post(
        SECRET_AUTH, Queue(), body=body, headers={"X-Calltriage-Secret": SECRET}
    )

    assert response.status_code == 400


def test_a_bare_call_id_is_enough() -> None:
    queue = Queue()
    body = json.dumps({"callId": "42"}).encode()

    post(SECRET_AUTH, queue, body=body, headers={"X-Calltriage-Secret": SECRET})

    assert queue.call_ids == ["42"]


@pytest.mark.parametrize(
    "payload",
    [
        {"callId": ""},
        {"callId": 42},
        {"callId": True},
        {"callId": ["42"]},
        {"callId": "7" * 65},
        {"callId": "42/../43"},
        {"callId": "42\n43"},
        {"callData": {"metaData": {"id": 42}}, "callId": "43"},
    ],
    ids=[
        "empty",
        "a number",
        "a boolean",
        "a list",
        "65 digits",
        "a path",
        "two lines",
        "gong's id not a string",
    ],
)
def test_a_call_id_that_is_not_1_to_64_letters_or_digits_is_a_bad_request(
    payload: dict[str, Any],
) -> None:
    queue = Queue()
    body = json.dumps(payload).encode()

    response = post(
        SECRET_AUTH, queue, body=body, headers={"X-Calltriage-Secret": SECRET}
    )

    assert response.status_code == 400
    assert "\n" not in response.json()["error"]
    assert queue.call_ids == []


def test_a_call_id_of_64_letters_and_digits_is_accepted() -> None:
    queue = Queue()
    body = json.dumps({"callId": "aB3" * 21 + "x"}).encode()

    post(SECRET_AUTH, queue, body=body, headers={"X-Calltriage-Secret": SECRET})

    assert queue.call_ids == ["aB3" * 21 + "x"]


def test_a_call_the_ledger_has_settled_is_answered_200_without_asking_gong() -> None:
    queue = Queue()
    asked: list[str] = []

    def settled(call_id: str) -> bool:
        asked.append(call_id)
        return True

    response = post(
        SECRET_AUTH, queue, headers={"X-Calltriage-Secret": SECRET}, settled=settled
    )

    assert response.status_code == 200
    assert response.json() == {"status": "already known"}
    assert (asked, queue.call_ids) == ([CALL.call_id], [])


def test_a_call_the_ledger_has_not_settled_is_fetched() -> None:
    queue = Queue()

    response = post(
        SECRET_AUTH,
        queue,
        headers={"X-Calltriage-Secret": SECRET},
        settled=lambda call_id: False,
    )

    assert response.status_code == 202
    assert queue.call_ids == [CALL.call_id]


def test_a_call_gong_does_not_know_is_not_found() -> None:
    body = json.dumps({"callId": "unknown"}).encode()

    response = post(
        SECRET_AUTH, Queue(), body=body, headers={"X-Calltriage-Secret": SECRET}
    )

    assert response.status_code == 404


def test_gong_failing_to_answer_makes_a_bad_gateway() -> None:
    queue = Queue(fail=GongServerError(503, errors=["Service unavailable"]))

    response = post(SECRET_AUTH, queue, headers={"X-Calltriage-Secret": SECRET})

    assert response.status_code == 502


def test_gong_taking_too_long_makes_a_503_so_gong_retries() -> None:
    async def hangs(call_id: str) -> bool | None:
        await asyncio.Event().wait()
        return True

    response = post(
        SECRET_AUTH, hangs, headers={"X-Calltriage-Secret": SECRET}, fetch_timeout=0.05
    )

    assert response.status_code == 503


def test_only_post_is_allowed() -> None:
    response = post(
        SECRET_AUTH, Queue(), method="GET", headers={"X-Calltriage-Secret": SECRET}
    )

    assert response.status_code == 405


def test_the_webhook_needs_a_secret_or_gongs_public_key() -> None:
    with pytest.raises(WebhookConfigError, match="CALLTRIAGE_WEBHOOK_SECRET"):
        WebhookAuth()


def test_a_public_key_that_is_not_one_is_refused_in_one_sentence() -> None:
    with pytest.raises(WebhookConfigError) as raised:
        load_public_key("bm90IGEga2V5")

    assert str(raised.value) == (
        "CALLTRIAGE_GONG_WEBHOOK_PUBLIC_KEY is not a public key in PEM or base64"
    )


def test_a_pem_public_key_is_read_too() -> None:
    pem = GONG_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    auth = WebhookAuth(public_key=load_public_key(pem.decode()))

    assert auth.allows({"authorization": signed(GONG_BODY)}, {}, GONG_BODY)


def test_a_body_declared_over_the_cap_is_refused_with_413_before_it_is_read() -> None:
    body = Stream(chunks=1)
    headers = {"X-Calltriage-Secret": SECRET, "Content-Length": str(MAX_BODY + 1)}

    response = post(SECRET_AUTH, Queue(), body=body, headers=headers)

    assert response.status_code == 413
    assert body.read == 0


@pytest.mark.parametrize(
    ("auth", "headers"),
    [
        (SECRET_AUTH, {"X-Calltriage-Secret": SECRET}),
        (SIGNED_AUTH, {"Authorization": signed(b"")}),
    ],
    ids=["secret", "signed"],
)
def test_a_body_streaming_past_the_cap_is_refused_with_413_without_reading_on(
    auth: WebhookAuth, headers: dict[str, str]
) -> None:
    body = Stream(chunks=100)

    response = post(auth, Queue(), body=body, headers=headers)

    assert response.status_code == 413
    assert body.read == MAX_BODY // body.size + 1


def test_a_body_of_exactly_the_cap_is_read() -> None:
    call_id = json.dumps({"callId": "123"}).encode()
    body = call_id + b" " * (MAX_BODY - len(call_id))
    queue = Queue()

    response = post(
        SECRET_AUTH, queue, body=body, headers={"X-Calltriage-Secret": SECRET}
    )

    assert response.status_code == 202
    assert queue.call_ids == ["123"]


@pytest.mark.parametrize(
    ("auth", "headers"),
    [
        (SECRET_AUTH, {"X-Calltriage-Secret": "guess"}),
        (SECRET_AUTH, {"Authorization": "Bearer guess"}),
        (SIGNED_AUTH, {}),
        (SIGNED_AUTH, {"X-Calltriage-Secret": SECRET}),
    ],
    ids=["wrong secret", "wrong bearer", "no token", "secret gong does not use"],
)
def test_a_request_refused_without_needing_its_body_is_refused_before_reading_it(
    auth: WebhookAuth, headers: dict[str, str]
) -> None:
    body = Stream(chunks=100)

    response = post(auth, Queue(), body=body, headers=headers)

    assert response.status_code == 401
    assert body.read == 0


def run_until_it_ends(server: WebhookServer, sock: socket.socket) -> WebhookStopped:
    """What `run_until` raises when the server ends though nobody asked it to."""

    async def serve() -> WebhookStopped:
        stop = asyncio.Event()
        with pytest.raises(WebhookStopped) as raised:
            await asyncio.wait_for(server.run_until(stop, sock), 30)
        assert not stop.is_set()
        return raised.value

    return asyncio.run(serve())


def test_a_webhook_server_that_cannot_serve_its_socket_says_it_stopped() -> None:
    server = WebhookServer.for_app(webhook_app(SECRET_AUTH, Queue()))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as datagrams:
        stopped = run_until_it_ends(server, datagrams)

    assert isinstance(stopped.__cause__, ValueError)


def test_a_webhook_server_whose_startup_fails_says_it_stopped_instead_of_exiting() -> (
    None
):
    @asynccontextmanager
    async def failing(app: Starlette) -> AsyncIterator[None]:
        raise RuntimeError("startup failed")
        yield

    app = Starlette(lifespan=failing)
    server = WebhookServer(uvicorn.Config(app, log_config=None, lifespan="on"))
    with socket.create_server(("127.0.0.1", 0)) as listening:
        stopped = run_until_it_ends(server, listening)

    assert isinstance(stopped.__cause__, SystemExit)


def test_a_webhook_server_that_ends_by_itself_says_it_stopped() -> None:
    server = WebhookServer.for_app(webhook_app(SECRET_AUTH, Queue()))
    server.should_exit = True
    with socket.create_server(("127.0.0.1", 0)) as listening:
        run_until_it_ends(server, listening)
