from __future__ import annotations

import asyncio
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

import click
import httpx
import pytest
from sqlmodel import select

from agent.cli.worker import parse_since, parse_span, run_with_webhook
from agent.sources import WATERMARK_KEY, GongSource
from agent.webhook import WebhookAuth, WebhookStopped
from tests.agent.worker_kit import (
    WORKSPACE,
    issue_count,
    ledger,
    make_worker,
    open_store,
    runs_per_call,
)
from tests.fakes.gong_calls import make_call, mixed_calls
from tests.fakes.gong_server import FakeGong, RecordedRequest
from tools.store.db import Store
from tools.store.state import read_state
from tools.store.tables import IssueRow

CALLTRIAGE = str(Path(sys.executable).parent / "calltriage")
SINCE = "2025-03-01T00:00:00Z"
SKIP_REASONS = {2: "internal", 3: "private", 4: "too_short", 5: "no_transcript"}


@pytest.fixture
def workspace_file(tmp_path: Path) -> Path:
    path = tmp_path / "workspace.json"
    path.write_text(WORKSPACE.model_dump_json(), encoding="utf-8")
    return path


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'worker.db'}"


def gong_env(gong: FakeGong, database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "GONG_BASE_URL": gong.url,
        "GONG_ACCESS_KEY": gong.access_key,
        "GONG_ACCESS_KEY_SECRET": gong.access_key_secret,
        "CALLTRIAGE_DATABASE_URL": database_url,
        **extra,
    }


def calltriage(
    *args: str | Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    command = [CALLTRIAGE, *map(str, args)]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_worker_once_files_issues_for_exactly_the_eligible_calls_then_nothing_new(
    gong_server: FakeGong, database_url: str, workspace_file: Path
) -> None:
    gong_server.calls = mixed_calls(30)
    env = gong_env(gong_server, database_url)
    once = ("worker", "--once", "--since", SINCE, "--workspace", workspace_file)

    first = calltriage(*once, env=env)

    assert first.returncode == 0, first.stderr
    assert first.stdout == "queued 30 new call(s); triaged 10, skipped 20, failed 0\n"
    store = Store.open(database_url)
    rows = ledger(store)
    eligible = {c.call_id for n, c in enumerate(gong_server.calls) if n % 6 < 2}
    with store.session() as session:
        filed_for = set(session.exec(select(IssueRow.call_id)).all())
    assert filed_for == eligible
    for n, fake in enumerate(gong_server.calls):
        row = rows[fake.call_id]
        assert (row.status, row.skip_reason) == (
            ("triaged", None) if n % 6 < 2 else ("skipped", SKIP_REASONS[n % 6])
        )

    issues, runs = issue_count(store), runs_per_call(store)
    requests_before = len(gong_server.requests)
    second = calltriage(*once, env=env)

    assert second.returncode == 0, second.stderr
    assert second.stdout == "queued 0 new call(s); triaged 0, skipped 0, failed 0\n"
    assert (issue_count(store), runs_per_call(store)) == (issues, runs)
    # Only the calls still waiting for a transcript are asked for one again.
    asked = [
        call_id
        for request in gong_server.requests[requests_before:]
        if request.path == "/v2/calls/transcript"
        for call_id in request.body["filter"]["callIds"]
    ]
    waiting = [c.call_id for n, c in enumerate(gong_server.calls) if n % 6 == 5]
    assert asked == waiting


def test_the_worker_without_gong_credentials_says_so_and_exits_2(
    database_url: str,
) -> None:
    env = {**os.environ, "CALLTRIAGE_DATABASE_URL": database_url}

    result = calltriage("worker", "--once", env=env)

    assert result.returncode == 2
    assert result.stderr == (
        "calltriage: the worker needs Gong credentials: set GONG_ACCESS_KEY and "
        "GONG_ACCESS_KEY_SECRET (or GONG_BEARER_TOKEN), or use --watch DIR\n"
    )


def test_the_worker_without_teams_says_so_and_exits_2(
    gong_server: FakeGong, database_url: str
) -> None:
    result = calltriage("worker", "--once", env=gong_env(gong_server, database_url))

    assert result.returncode == 2
    assert result.stderr.endswith(
        "calltriage: no teams are configured; give --workspace a JSON or TOML file "
        "that lists them\n"
    )
    assert gong_server.requests == []


def test_a_webhook_without_gong_credentials_says_it_needs_them(
    tmp_path: Path, database_url: str
) -> None:
    env = {
        **os.environ,
        "CALLTRIAGE_DATABASE_URL": database_url,
        "CALLTRIAGE_WEBHOOK_SECRET": "s3cret",
    }

    result = calltriage("worker", "--webhook", "0", "--watch", tmp_path, env=env)

    assert result.returncode == 2
    assert result.stderr == (
        "calltriage: the webhook fetches each call from Gong: set GONG_ACCESS_KEY "
        "and GONG_ACCESS_KEY_SECRET (or GONG_BEARER_TOKEN)\n"
    )


def test_a_webhook_without_a_secret_or_key_is_refused_before_it_listens(
    gong_server: FakeGong, database_url: str
) -> None:
    result = calltriage(
        "worker", "--webhook", "0", env=gong_env(gong_server, database_url)
    )

    assert result.returncode == 2
    assert result.stderr == (
        "calltriage: the webhook needs CALLTRIAGE_WEBHOOK_SECRET or "
        "CALLTRIAGE_GONG_WEBHOOK_PUBLIC_KEY to authenticate requests\n"
    )


def test_the_worker_once_exits_1_when_gong_cannot_be_polled(
    gong_server: FakeGong, database_url: str, workspace_file: Path
) -> None:
    gong_server.access_key_secret = "rotated"
    env = gong_env(gong_server, database_url, GONG_ACCESS_KEY_SECRET="stale")

    result = calltriage("worker", "--once", "--workspace", workspace_file, env=env)

    assert result.returncode == 1
    assert "polling gong failed: Gong answered 401: Unauthorized" in result.stderr


class Lines:
    """A process's stderr, line by line, waited on without sleeping."""

    def __init__(self, stream: IO[str]) -> None:
        self.seen: list[str] = []
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line)

    def wait_for(self, text: str, timeout: float = 60) -> str:
        try:
            while True:
                line = self._lines.get(timeout=timeout)
                self.seen.append(line)
                if text in line:
                    return line
        except queue.Empty:
            raise AssertionError(f"no line with {text!r} in {self.seen}") from None


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[str]]]:
    """Processes a test starts, killed if the test leaves them running."""
    processes: list[subprocess.Popen[str]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()


def start(
    started: list[subprocess.Popen[str]], *args: str | Path, env: dict[str, str]
) -> tuple[subprocess.Popen[str], Lines]:
    process = subprocess.Popen(
        [CALLTRIAGE, *map(str, args)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    started.append(process)
    return process, Lines(process.stderr)


def hold_the_next_poll(
    gong: FakeGong, after: int
) -> tuple[threading.Event, threading.Event]:
    """Hold the Gong listing request number `after + 1` until released."""
    arrived, release = threading.Event(), threading.Event()
    answer = gong.answer
    listings = 0

    def held_answer(request: RecordedRequest) -> tuple[int, dict, dict]:
        nonlocal listings
        if request.path == "/v2/calls/extensive":
            listings += 1
            if listings == after + 1:
                arrived.set()
                release.wait(60)
        return answer(request)

    gong.answer = held_answer
    return arrived, release


def test_sigterm_during_a_poll_stops_the_worker_with_exit_0_and_a_sound_ledger(
    gong_server: FakeGong,
    database_url: str,
    workspace_file: Path,
    started: list[subprocess.Popen[str]],
) -> None:
    gong_server.calls = mixed_calls(30)
    gong_server.page_size = 10
    arrived, release = hold_the_next_poll(gong_server, after=3)
    env = gong_env(gong_server, database_url)

    try:
        worker, _ = start(
            started,
            "worker",
            *("--interval", "0.2", "--since", SINCE, "--workspace", workspace_file),
            env=env,
        )
        assert arrived.wait(60), "the worker never polled a second time"
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(60) == 0
    finally:
        release.set()

    store = Store.open(database_url)
    rows = ledger(store).values()
    assert len(rows) == 30
    assert {row.status for row in rows} == {"triaged", "skipped"}
    assert not any(row.claimed_by or row.lease_until for row in rows)
    assert set(runs_per_call(store).values()) == {1}
    polled_to = datetime.fromisoformat(read_state(store, WATERMARK_KEY)["polled_to"])
    assert polled_to < datetime.now(UTC)


def test_sigterm_while_resting_exits_0(
    gong_server: FakeGong,
    database_url: str,
    workspace_file: Path,
    started: list[subprocess.Popen[str]],
) -> None:
    env = gong_env(gong_server, database_url)
    worker, stderr = start(started, "worker", "--workspace", workspace_file, env=env)
    stderr.wait_for("polled Gong from")

    worker.send_signal(signal.SIGINT)

    assert worker.wait(60) == 0
    assert worker.stdout.read() == (
        "queued 0 new call(s); triaged 0, skipped 0, failed 0\n"
    )


def _webhook_worker(
    gong_server: FakeGong,
    database_url: str,
    workspace_file: Path,
    started: list[subprocess.Popen[str]],
):
    """A worker taking webhooks with the secret "s3cret", and the URL it serves."""
    env = gong_env(gong_server, database_url, CALLTRIAGE_WEBHOOK_SECRET="s3cret")
    worker, stderr = start(
        started,
        *("worker", "--webhook", "0", "--workspace", workspace_file),
        env=env,
    )
    announced = stderr.wait_for("accepting Gong webhooks at")
    return worker, stderr, announced.split("accepting Gong webhooks at ")[1].strip()


def test_the_worker_triages_a_call_posted_by_an_authenticated_webhook(
    gong_server: FakeGong,
    database_url: str,
    workspace_file: Path,
    started: list[subprocess.Popen[str]],
) -> None:
    call = make_call(0)
    gong_server.calls = [call]
    worker, stderr, url = _webhook_worker(
        gong_server, database_url, workspace_file, started
    )
    body = {"callData": call.extensive(), "isTest": False}

    refused = httpx.post(url, json=body)
    accepted = httpx.post(url, params={"key": "s3cret"}, json=body)
    stderr.wait_for(f"triaged call {call.call_id}")
    worker.send_signal(signal.SIGTERM)

    assert (refused.status_code, accepted.status_code) == (401, 202)
    assert worker.wait(60) == 0
    store = Store.open(database_url)
    assert ledger(store)[call.call_id].status == "triaged"
    assert issue_count(store) == 1


def test_a_webhook_for_a_call_already_triaged_does_not_ask_gong_again(
    gong_server: FakeGong,
    database_url: str,
    workspace_file: Path,
    started: list[subprocess.Popen[str]],
) -> None:
    call = make_call(0)
    gong_server.calls = [call]
    worker, stderr, url = _webhook_worker(
        gong_server, database_url, workspace_file, started
    )
    body = {"callData": call.extensive(), "isTest": False}
    httpx.post(url, params={"key": "s3cret"}, json=body)
    stderr.wait_for(f"triaged call {call.call_id}")
    asked_before = len(gong_server.requests)

    again = httpx.post(url, params={"key": "s3cret"}, json=body)
    worker.send_signal(signal.SIGTERM)

    assert (again.status_code, again.json()) == (200, {"status": "already known"})
    assert worker.wait(60) == 0
    assert len(gong_server.requests) == asked_before


def test_the_worker_stops_and_says_so_when_its_webhook_server_dies(
    gong_server: FakeGong, tmp_path: Path
) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")

    async def serve_on_a_datagram_socket() -> None:
        async with httpx.AsyncClient() as http:
            worker = make_worker(store, gong_server, http)
            gong = worker.sources[0]
            assert isinstance(gong, GongSource)
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as datagrams:
                serving = run_with_webhook(
                    worker, gong, WebhookAuth(secret="s3cret"), datagrams
                )
                with pytest.raises(WebhookStopped):
                    await asyncio.wait_for(serving, 30)
            assert worker.stop.is_set()

    asyncio.run(serve_on_a_datagram_socket())


def test_the_worker_refuses_a_webhook_port_already_in_use(
    gong_server: FakeGong, database_url: str
) -> None:
    env = gong_env(gong_server, database_url, CALLTRIAGE_WEBHOOK_SECRET="s3cret")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = calltriage("worker", "--webhook", str(port), env=env)

    assert result.returncode == 2
    assert result.stderr == (
        f"calltriage: cannot accept webhooks on 127.0.0.1:{port}: "
        "Address already in use\n"
    )


def test_worker_watch_once_triages_the_call_files_in_a_folder(
    tmp_path: Path, database_url: str, workspace_file: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    bundle = inbox / "acme.json"
    fake = make_call(0)
    bundle.write_text(
        json.dumps({"call": fake.extensive(), "transcript": fake.transcript()})
    )
    (inbox / "broken.vtt").write_text("WEBVTT\n\n00:01.000 --> 00:00.500\nHi\n")
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).timestamp()
    for path in inbox.iterdir():
        os.utime(path, (an_hour_ago, an_hour_ago))
    env = {**os.environ, "CALLTRIAGE_DATABASE_URL": database_url}

    result = calltriage(
        "worker", "--once", "--watch", inbox, "--workspace", workspace_file, env=env
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == "queued 1 new call(s); triaged 1, skipped 0, failed 0\n"
    assert "broken.vtt" in result.stderr
    assert ledger(Store.open(database_url))[fake.call_id].status == "triaged"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-01T00:00:00Z", datetime(2025, 3, 1, tzinfo=UTC)),
        ("2025-03-01T02:00:00+02:00", datetime(2025, 3, 1, tzinfo=UTC)),
        ("2025-03-01", datetime(2025, 3, 1, tzinfo=UTC)),
    ],
)
def test_since_takes_an_iso_time_in_utc_unless_it_says_otherwise(
    text: str, expected: datetime
) -> None:
    assert parse_since(text) == expected


def test_since_takes_a_span_back_from_now() -> None:
    before = datetime.now(UTC)
    since = parse_since("24h")
    after = datetime.now(UTC)

    assert before - timedelta(hours=24) <= since <= after - timedelta(hours=24)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("90s", timedelta(seconds=90)),
        ("30m", timedelta(minutes=30)),
        ("7d", timedelta(days=7)),
    ],
)
def test_spans_are_written_with_a_unit(text: str, span: timedelta) -> None:
    assert parse_span(text, "--overlap") == span


@pytest.mark.parametrize("text", ["yesterday", "24", "5 weeks"])
def test_a_since_that_is_neither_a_time_nor_a_span_is_a_usage_error(text: str) -> None:
    with pytest.raises(click.BadParameter):
        parse_since(text)


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (
            ("--since", "1000000d"),
            "Invalid value for --since: '1000000d' reaches back before the year 1",
        ),
        (
            ("--overlap", "99999999999d"),
            "Invalid value for --overlap: '99999999999d' is too long a span",
        ),
        (("--interval", "0"), "Invalid value for '--interval'"),
    ],
    ids=["since before year 1", "overlap too long", "interval zero"],
)
def test_a_worker_option_out_of_range_is_one_sentence_and_exit_2(
    args: tuple[str, ...], problem: str, gong_server: FakeGong, database_url: str
) -> None:
    env = gong_env(gong_server, database_url)

    result = calltriage("worker", "--once", *args, env=env)

    assert result.returncode == 2
    assert problem in result.stderr
    assert "Traceback" not in result.stderr
    assert gong_server.requests == []
