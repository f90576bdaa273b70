"""`calltriage worker`: find new calls, triage the eligible ones, keep going."""

from __future__ import annotations

import asyncio
import logging
import re
import signal
import socket
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import httpx

from agent.claims import Claims, worker_id
from agent.cli.common import (
    fail,
    main,
    open_runtime,
    require_teams,
    with_settings,
    workspace_option,
)
from agent.cli.process import announce_triager
from agent.gong import GongClient
from agent.runtime import Runtime
from agent.settings import Settings
from agent.sources import FolderSource, GongSource, Source
from agent.webhook import (
    WEBHOOK_PATH,
    WebhookAuth,
    WebhookConfigError,
    WebhookServer,
    WebhookStopped,
    listen,
    load_public_key,
    webhook_app,
)
from agent.worker import Tally, Worker

logger = logging.getLogger(__name__)

GONG_DEFAULT_URL = "https://api.gong.io"
FAILED_EXIT = 1
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass
class WorkerOptions:
    once: bool
    interval: float
    since: datetime | None
    overlap: timedelta
    concurrency: int
    lease: float
    grace: float
    watch_dir: Path | None
    webhook: tuple[WebhookAuth, socket.socket] | None


@main.command()
@click.option("--once", is_flag=True, help="Poll once, triage what is queued, exit.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0, min_open=True),
    default=300,
    show_default=True,
    help="Seconds between polls.",
)
@click.option(
    "--since",
    "since_text",
    help="Where the first poll starts: an ISO time, or a span back from now such as "
    "24h or 7d [default: where the last poll ended, else 24h ago].",
)
@click.option(
    "--overlap",
    "overlap_text",
    default="6h",
    show_default=True,
    help="How far each poll reaches back before the last one, for calls Gong lists "
    "late.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=4,
    show_default=True,
    help="Calls triaged at once.",
)
@click.option(
    "--lease",
    type=click.FloatRange(min=1),
    default=300,
    show_default=True,
    help="Seconds a claim on a call lasts unless renewed; a stopped worker's calls "
    "return to the queue after this.",
)
@click.option(
    "--grace",
    type=click.FloatRange(min=0),
    default=30,
    show_default=True,
    help="Seconds to let calls in hand finish after SIGTERM before giving them back.",
)
@click.option(
    "--webhook",
    "webhook_port",
    type=click.IntRange(0, 65535),
    help="Also accept Gong automation-rule webhooks on this port, at /gong/webhook.",
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address of the webhook."
)
@click.option(
    "--watch",
    "watch_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Triage call files appearing in this folder instead of polling Gong.",
)
@workspace_option
@with_settings
def worker(
    settings: Settings,
    once: bool,
    interval: float,
    since_text: str | None,
    overlap_text: str,
    concurrency: int,
    lease: float,
    grace: float,
    webhook_port: int | None,
    host: str,
    watch_dir: Path | None,
    workspace_path: Path | None,
) -> None:
    """Find new Gong calls (or files), triage the eligible ones, survive restarts."""
    if once and webhook_port is not None:
        raise click.UsageError("--once and --webhook cannot be used together")
    if not settings.gong_configured:
        _require_gong(watch_dir, webhook_port)
    webhook = None if webhook_port is None else _webhook(settings, host, webhook_port)
    options = WorkerOptions(
        once=once,
        interval=interval,
        since=parse_since(since_text) if since_text else None,
        overlap=parse_span(overlap_text, "--overlap"),
        concurrency=concurrency,
        lease=lease,
        grace=grace,
        watch_dir=watch_dir,
        webhook=webhook,
    )

    _log_each_call()
    runtime = open_runtime(settings, workspace_path)
    require_teams(runtime)
    announce_triager(runtime)
    try:
        tally = asyncio.run(_run(runtime, options))
    except WebhookStopped as exc:
        fail(str(exc), FAILED_EXIT)
    click.echo(str(tally))
    failed = options.once and (tally.failed or tally.poll_errors)
    sys.exit(FAILED_EXIT if failed else 0)


def _require_gong(watch_dir: Path | None, webhook_port: int | None) -> None:
    """Without Gong credentials only a folder can be watched."""
    credentials = "GONG_ACCESS_KEY and GONG_ACCESS_KEY_SECRET (or GONG_BEARER_TOKEN)"
    if webhook_port is not None:
        fail(f"the webhook fetches each call from Gong: set {credentials}")
    if watch_dir is None:
        fail(
            f"the worker needs Gong credentials: set {credentials}, or use --watch DIR"
        )


async def _run(runtime: Runtime, options: WorkerOptions) -> Tally:
    async with httpx.AsyncClient(timeout=60) as http:
        gong = _gong_source(runtime, options, http)
        sources: list[Source] = []
        if options.watch_dir is not None:
            folder = FolderSource(options.watch_dir, runtime.store, runtime.workspace)
            sources.append(folder)
        elif gong is not None:
            sources.append(gong)

        claims = Claims(
            runtime.store, worker_id(), lease=timedelta(seconds=options.lease)
        )
        worker = Worker(
            claims,
            runtime.pipeline(),
            sources,
            concurrency=options.concurrency,
            interval=options.interval,
            grace=options.grace,
        )
        _stop_on_signals(worker)
        if options.once:
            return await worker.run_once()

        logger.info("worker %s started", claims.worker_id)
        if options.webhook is None or gong is None:
            return await worker.run_forever()
        return await run_with_webhook(worker, gong, *options.webhook)


def _gong_source(
    runtime: Runtime, options: WorkerOptions, http: httpx.AsyncClient
) -> GongSource | None:
    settings = runtime.settings
    if not settings.gong_configured:
        return None
    key, secret, bearer = (
        settings.gong_access_key,
        settings.gong_access_key_secret,
        settings.gong_bearer_token,
    )
    client = GongClient(
        http,
        settings.gong_base_url or GONG_DEFAULT_URL,
        access_key=key.get_secret_value() if key else None,
        access_key_secret=secret.get_secret_value() if secret else None,
        bearer_token=bearer.get_secret_value() if bearer else None,
    )
    return GongSource(
        client,
        runtime.store,
        runtime.workspace,
        since=options.since,
        overlap=options.overlap,
    )


async def run_with_webhook(
    worker: Worker, gong: GongSource, auth: WebhookAuth, sock: socket.socket
) -> Tally:
    """Work and take webhooks until stopped; the webhook dying stops the worker."""
    serving = asyncio.create_task(_serve_webhook(worker, gong, auth, sock))
    try:
        tally = await worker.run_forever()
    finally:
        worker.stop.set()
        await serving
    return tally


async def _serve_webhook(
    worker: Worker, gong: GongSource, auth: WebhookAuth, sock: socket.socket
) -> None:
    async def accept(call_id: str) -> bool | None:
        call = await gong.fetch(call_id)
        return None if call is None else worker.queue(call)

    def settled(call_id: str) -> bool:
        return call_id in worker.claims.settled([call_id])

    host, port = sock.getsockname()[:2]
    logger.info("accepting Gong webhooks at http://%s:%s%s", host, port, WEBHOOK_PATH)
    server = WebhookServer.for_app(webhook_app(auth, accept, settled=settled))
    try:
        await server.run_until(worker.stop, sock)
    except WebhookStopped as exc:
        logger.error("%s; stopping the worker", exc)
        worker.request_stop()
        raise


def _webhook(
    settings: Settings, host: str, port: int
) -> tuple[WebhookAuth, socket.socket]:
    secret = settings.webhook_secret
    try:
        key = settings.gong_webhook_public_key
        auth = WebhookAuth(
            secret=secret.get_secret_value() if secret else None,
            public_key=load_public_key(key) if key else None,
            url=settings.webhook_url,
        )
    except WebhookConfigError as exc:
        fail(str(exc))
    try:
        return auth, listen(host, port)
    except OSError as exc:
        fail(f"cannot accept webhooks on {host}:{port}: {exc.strerror}")


def _log_each_call() -> None:
    """A service logs what it does; request-level chatter stays out of it."""
    root = logging.getLogger()
    root.setLevel(min(root.level, logging.INFO))
    for chatty in ("httpx", "alembic"):
        logging.getLogger(chatty).setLevel(logging.WARNING)


def _stop_on_signals(worker: Worker) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, _stop, worker, signum)


def _stop(worker: Worker, signum: int) -> None:
    name = signal.Signals(signum).name
    if worker.stop.is_set():
        logger.warning("%s again: giving back the calls in hand now", name)
    else:
        logger.info("%s: finishing the calls in hand, taking no more", name)
    worker.request_stop()


def parse_since(text: str) -> datetime:
    """An ISO time (UTC unless it says otherwise) or a span back from now."""
    if _DURATION.match(text.strip().lower()):
        span = parse_span(text, "--since")
        try:
            return datetime.now(UTC) - span
        except OverflowError:
            problem = f"{text!r} reaches back before the year 1"
            raise click.BadParameter(problem, param_hint="--since") from None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        problem = f"{text!r} is neither an ISO time nor a span such as 24h"
        raise click.BadParameter(problem, param_hint="--since") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_span(text: str, option: str) -> timedelta:
    """`90s`, `30m`, `6h` or `7d` as a timedelta."""
    match = _DURATION.match(text.strip().lower())
    if match is None:
        raise click.BadParameter(
            f"{text!r} is not a span such as 30m, 6h or 7d", param_hint=option
        )
    try:
        return timedelta(seconds=float(match[1]) * _UNIT_SECONDS[match[2]])
    except OverflowError:
        problem = f"{text!r} is too long a span"
        raise click.BadParameter(problem, param_hint=option) from None
