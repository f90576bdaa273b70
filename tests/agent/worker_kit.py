"""What the worker tests build on: a workspace, a settable clock, stores, workers."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import func
from sqlmodel import select

from agent.claims import Claims
from agent.gong import GongClient
from agent.pipeline import Pipeline, Triager, TriageRun
from agent.runtime import remember_workspace
from agent.sources import GongSource
from agent.triagers.offline import OfflineTriager
from agent.worker import Worker
from agent.workspace import Team, Workspace
from tests.fakes.gong_calls import VENDOR_DOMAIN
from tests.fakes.gong_server import FakeGong
from tools.context import ToolContext
from tools.store.db import Store
from tools.store.tables import CallRow, IssueRow, RunRow
from tools.trackers.local import LocalTracker

WORKSPACE = Workspace(
    teams=[
        Team(
            key="RPT", name="Reporting", description="Reports, dashboards, CSV export"
        ),
        Team(key="ID", name="Identity", description="Login, single sign-on, Okta"),
    ],
    internal_domains=[VENDOR_DOMAIN],
)
LONG_AGO = datetime(2025, 1, 1, tzinfo=UTC)


class Clock:
    """A wall clock that moves only when told to."""

    def __init__(self, now: datetime = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **span: float) -> None:
        self.now += timedelta(**span)


class Sleeps:
    """Stands in for asyncio.sleep in the Gong client and remembers each wait."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


def open_store(url: str) -> Store:
    store = Store.open(url)
    remember_workspace(store, WORKSPACE)
    return store


def make_worker(
    store: Store,
    gong: FakeGong,
    http: httpx.AsyncClient,
    *,
    clock: Clock | None = None,
    name: str = "worker-a",
    triager: Triager | None = None,
    since: datetime | None = LONG_AGO,
    overlap: timedelta = timedelta(hours=6),
    concurrency: int = 4,
    sleeps: Sleeps | None = None,
) -> Worker:
    """A worker polling the fake Gong into `store`, triaging offline by default."""
    clock = clock or Clock()
    client = GongClient(
        http,
        gong.url,
        access_key=gong.access_key,
        access_key_secret=gong.access_key_secret,
        sleep=sleeps or Sleeps(),
    )
    source = GongSource(
        client, store, WORKSPACE, since=since, overlap=overlap, clock=clock
    )
    pipeline = Pipeline(
        store, LocalTracker(store), WORKSPACE, triager or OfflineTriager()
    )
    claims = Claims(store, name, clock=clock)
    return Worker(claims, pipeline, [source], concurrency=concurrency, grace=5)


class GatedTriager:
    """Signals that a triage started, then waits for the gate to open."""

    name = "offline"

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.gate = asyncio.Event()

    async def triage(self, ctx: ToolContext) -> TriageRun:
        self.started.set()
        await self.gate.wait()
        return await OfflineTriager().triage(ctx)


class FailingTriager:
    name = "failing"

    async def triage(self, ctx: ToolContext) -> TriageRun:
        raise RuntimeError("the model is unavailable")


class MeetingTriager:
    """Holds its first call until every worker sharing `barrier` holds one too."""

    name = "offline"

    def __init__(self, barrier: threading.Barrier) -> None:
        self.barrier = barrier
        self.met = False

    async def triage(self, ctx: ToolContext) -> TriageRun:
        if not self.met:
            self.met = True
            await asyncio.to_thread(self.barrier.wait, 30)
        return await OfflineTriager().triage(ctx)


def ledger(store: Store) -> dict[str, CallRow]:
    with store.session() as session:
        return {row.call_id: row for row in session.exec(select(CallRow)).all()}


def runs_per_call(store: Store) -> Counter[str]:
    with store.session() as session:
        return Counter(session.exec(select(RunRow.call_id)).all())


def issue_count(store: Store) -> int:
    with store.session() as session:
        return session.exec(select(func.count()).select_from(IssueRow)).one()
