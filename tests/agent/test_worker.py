from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.exc import OperationalError

from agent.calls import Call
from agent.claims import Claims
from agent.ledger import Ledger
from agent.pipeline import Triager
from agent.sources import WATERMARK_KEY, gong_call
from agent.triagers.offline import OfflineTriager
from agent.worker import Tally
from tests.agent.worker_kit import (
    WORKSPACE,
    Clock,
    FailingTriager,
    GatedTriager,
    MeetingTriager,
    Sleeps,
    issue_count,
    ledger,
    make_worker,
    open_store,
    runs_per_call,
)
from tests.fakes.gong_calls import FakeCall, make_call, mixed_calls
from tests.fakes.gong_server import FakeGong
from tools.context import ToolContext
from tools.store.db import Store
from tools.store.state import read_state
from tools.store.tables import CallRow
from tools.trackers.base import TrackerAuthError
from tools.trackers.local import LocalTracker

ELIGIBLE_IN_MIXED = {0, 1}  # mixed_calls cycles eligible, eligible, then four skips


def run(test: Callable[[httpx.AsyncClient], Coroutine[Any, Any, Any]]) -> Any:
    """Run an async test body with a fresh HTTP client."""

    async def body() -> Any:
        async with httpx.AsyncClient() as http:
            return await test(http)

    return asyncio.run(body())


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(f"sqlite:///{tmp_path / 'store.db'}")


def request_bodies(gong: FakeGong, path: str) -> list[dict]:
    return [r.body for r in gong.requests if r.path == path]


def test_three_pages_of_calls_are_all_queued_and_triaged_or_skipped_with_reasons(
    store: Store, gong_server: FakeGong
) -> None:
    gong_server.calls = mixed_calls(30)
    gong_server.page_size = 10

    tally = run(lambda http: make_worker(store, gong_server, http).run_once())

    listings = request_bodies(gong_server, "/v2/calls/extensive")
    assert [bool(body.get("cursor")) for body in listings] == [False, True, True]
    rows = ledger(store)
    assert len(rows) == 30
    for n, fake in enumerate(gong_server.calls):
        expected = "triaged" if n % 6 in ELIGIBLE_IN_MIXED else "skipped"
        assert rows[fake.call_id].status == expected
    reasons = {row.skip_reason for row in rows.values()}
    assert reasons == {None, "internal", "private", "too_short", "no_transcript"}
    assert (tally.queued, tally.triaged, tally.skipped, tally.failed) == (30, 10, 20, 0)


def test_transcripts_of_more_than_a_hundred_calls_are_fetched_a_hundred_at_a_time(
    store: Store, gong_server: FakeGong
) -> None:
    gong_server.calls = [make_call(n) for n in range(105)]

    tally = run(lambda http: make_worker(store, gong_server, http).run_once())

    batches = request_bodies(gong_server, "/v2/calls/transcript")
    assert [len(body["filter"]["callIds"]) for body in batches] == [100, 5]
    assert tally.triaged == 105
    assert set(runs_per_call(store).values()) == {1}


def test_the_first_poll_starts_at_since_and_later_ones_at_the_watermark_less_overlap(
    store: Store, gong_server: FakeGong
) -> None:
    clock = Clock()
    since = clock.now - timedelta(days=3)

    async def two_polls(http: httpx.AsyncClient) -> None:
        worker = make_worker(store, gong_server, http, clock=clock, since=since)
        await worker.run_once()
        clock.advance(minutes=5)
        await worker.run_once()

    run(two_polls)

    windows = [
        body["filter"] for body in request_bodies(gong_server, "/v2/calls/extensive")
    ]
    assert [datetime.fromisoformat(w["fromDateTime"]) for w in windows] == [
        since,
        clock.now - timedelta(minutes=5) - timedelta(hours=6),
    ]
    assert datetime.fromisoformat(windows[1]["toDateTime"]) == clock.now
    assert read_state(store, WATERMARK_KEY) == {"polled_to": clock.now.isoformat()}


def test_without_since_or_a_watermark_the_first_poll_reaches_back_a_day(
    store: Store, gong_server: FakeGong
) -> None:
    clock = Clock()

    run(
        lambda http: make_worker(
            store, gong_server, http, clock=clock, since=None
        ).run_once()
    )

    window = request_bodies(gong_server, "/v2/calls/extensive")[0]["filter"]
    assert datetime.fromisoformat(window["fromDateTime"]) == clock.now - timedelta(
        days=1
    )


def test_a_call_gong_lists_late_is_found_in_the_overlap_and_nothing_is_triaged_twice(
    store: Store, gong_server: FakeGong
) -> None:
    clock = Clock()
    gong_server.calls = [
        make_call(n, started=clock.now - timedelta(hours=5 - n)) for n in range(3)
    ]
    late = make_call(3, started=clock.now - timedelta(hours=1))

    async def polls(http: httpx.AsyncClient) -> tuple[Tally, Tally]:
        worker = make_worker(store, gong_server, http, clock=clock, since=None)
        await worker.run_once()
        first = Tally(**vars(worker.tally))
        gong_server.calls.append(late)
        clock.advance(minutes=5)
        return first, await worker.run_once()

    first, total = run(polls)

    assert (first.queued, total.queued) == (3, 4)
    fetched = [
        b["filter"]["callIds"]
        for b in request_bodies(gong_server, "/v2/calls/transcript")
    ]
    assert fetched == [[c.call_id for c in gong_server.calls[:3]], [late.call_id]]
    assert runs_per_call(store) == {c.call_id: 1 for c in gong_server.calls}


def test_a_call_whose_transcript_comes_late_is_triaged_at_a_later_poll(
    store: Store, gong_server: FakeGong
) -> None:
    clock = Clock()
    started = clock.now - timedelta(hours=1)
    gong_server.calls = [make_call(0, started=started, has_transcript=False)]

    async def polls(http: httpx.AsyncClient) -> list[str]:
        worker = make_worker(store, gong_server, http, clock=clock, since=None)
        await worker.run_once()
        statuses = [ledger(store)[gong_server.calls[0].call_id].status]
        clock.advance(minutes=5)
        await worker.run_once()
        gong_server.calls = [make_call(0, started=started)]
        clock.advance(minutes=5)
        await worker.run_once()
        return [*statuses, ledger(store)[gong_server.calls[0].call_id].status]

    assert run(polls) == ["skipped", "triaged"]
    batches = request_bodies(gong_server, "/v2/calls/transcript")
    assert len(batches) == 3
    assert runs_per_call(store) == {gong_server.calls[0].call_id: 1}


def test_rate_limits_and_server_errors_from_gong_are_waited_out(
    store: Store, gong_server: FakeGong
) -> None:
    gong_server.calls = mixed_calls(12)
    gong_server.page_size = 5
    gong_server.fail_on(1, 429, retry_after=7)
    gong_server.fail_on(3, 500)
    sleeps = Sleeps()

    tally = run(
        lambda http: make_worker(store, gong_server, http, sleeps=sleeps).run_once()
    )

    assert 7 in sleeps.seconds
    assert (tally.queued, tally.poll_errors) == (12, 0)
    assert {row.status for row in ledger(store).values()} == {"triaged", "skipped"}


def test_a_poll_gong_keeps_failing_is_reported_and_leaves_the_watermark_alone(
    store: Store, gong_server: FakeGong
) -> None:
    gong_server.calls = mixed_calls(6)
    gong_server.fail_next(500, times=6)

    tally = run(lambda http: make_worker(store, gong_server, http).run_once())

    assert (tally.poll_errors, tally.queued) == (1, 0)
    assert read_state(store, WATERMARK_KEY) == {}


def test_a_restart_after_a_crash_finishes_abandoned_calls_without_duplicates(
    tmp_path: Path, store: Store, gong_server: FakeGong
) -> None:
    gong_server.calls = mixed_calls(12)
    clock = Clock()
    reference = open_store(f"sqlite:///{tmp_path / 'reference.db'}")
    run(lambda http: make_worker(reference, gong_server, http).run_once())

    async def crash_then_restart(http: httpx.AsyncClient) -> None:
        crashed = make_worker(store, gong_server, http, clock=clock, name="crashed")
        await crashed.sources[0].poll(crashed.claims)
        in_hand = crashed.claims.claim(4)
        await _file_without_finishing(store, in_hand[0])

        clock.advance(minutes=2)
        early = make_worker(store, gong_server, http, clock=clock, name="early")
        await early.run_once()
        still_claimed = {c for c, row in ledger(store).items() if row.claimed_by}
        assert still_claimed == {call.call_id for call in in_hand}

        clock.advance(minutes=4)
        await make_worker(store, gong_server, http, clock=clock, name="late").run_once()

    run(crash_then_restart)

    rows = ledger(store)
    assert {row.status for row in rows.values()} == {"triaged", "skipped"}
    assert runs_per_call(store) == runs_per_call(reference)
    assert set(runs_per_call(store).values()) == {1}
    assert issue_count(store) == issue_count(reference)


async def _file_without_finishing(store: Store, call: Call) -> None:
    """What a worker killed mid-triage leaves: issues filed, the ledger not told."""
    ctx = ToolContext(call, LocalTracker(store), WORKSPACE)
    await OfflineTriager().triage(ctx)
    assert ctx.new_issues


def test_a_call_whose_triage_keeps_failing_is_retried_then_marked_failed(
    store: Store, gong_server: FakeGong
) -> None:
    gong_server.calls = [make_call(0)]
    clock = Clock()

    async def three_rounds(http: httpx.AsyncClient) -> list[tuple[str, int]]:
        worker = make_worker(
            store, gong_server, http, clock=clock, triager=FailingTriager()
        )
        seen = []
        for _ in range(3):
            await worker.run_once()
            row = ledger(store)[gong_server.calls[0].call_id]
            seen.append((row.status, row.attempts))
            clock.advance(minutes=10)
        return seen

    assert run(three_rounds) == [("pending", 1), ("pending", 2), ("failed", 3)]
    row = ledger(store)[gong_server.calls[0].call_id]
    assert row.error == "unexpected error: RuntimeError: the model is unavailable"


def test_stopping_lets_the_call_in_hand_finish_and_claims_no_more(
    store: Store, gong_server: FakeGong
) -> None:
    gong_server.calls = [make_call(n) for n in range(5)]

    async def stop_mid_call(http: httpx.AsyncClient) -> None:
        triager = GatedTriager()
        worker = make_worker(store, gong_server, http, triager=triager, concurrency=1)
        running = asyncio.create_task(worker.run_forever())
        await triager.started.wait()
        worker.request_stop()
        triager.gate.set()
        await asyncio.wait_for(running, 30)

    run(stop_mid_call)

    statuses = [ledger(store)[c.call_id].status for c in gong_server.calls]
    assert statuses == ["triaged", "pending", "pending", "pending", "pending"]
    assert not any(row.claimed_by for row in ledger(store).values())


def test_stopping_twice_gives_back_the_call_in_hand_unfinished(
    store: Store, gong_server: FakeGong
) -> None:
    gong_server.calls = [make_call(0)]

    async def stop_twice(http: httpx.AsyncClient) -> None:
        triager = GatedTriager()
        worker = make_worker(store, gong_server, http, triager=triager)
        running = asyncio.create_task(worker.run_forever())
        await triager.started.wait()
        worker.request_stop()
        worker.request_stop()
        await asyncio.wait_for(running, 30)

    run(stop_twice)

    row = ledger(store)[gong_server.calls[0].call_id]
    assert (row.status, row.claimed_by, row.attempts) == ("pending", None, 0)
    assert runs_per_call(store) == {}


def test_a_call_queued_while_the_worker_rests_is_triaged_without_waiting_for_a_poll(
    store: Store, gong_server: FakeGong
) -> None:
    async def queue_while_resting(http: httpx.AsyncClient) -> None:
        worker = make_worker(store, gong_server, http)
        worker.interval = 3600
        claims = worker.claims = ClaimsThatTell(store, "w")
        running = asyncio.create_task(worker.run_forever())
        # Once a claim comes back empty, the worker rests until the next poll.
        await asyncio.wait_for(claims.found_nothing.wait(), 30)
        claims.found_nothing.clear()

        worker.queue(_call_from(make_call(7)))
        await asyncio.wait_for(claims.found_nothing.wait(), 30)
        worker.request_stop()
        await asyncio.wait_for(running, 30)

    run(queue_while_resting)

    assert ledger(store)[make_call(7).call_id].status == "triaged"


class ClaimsThatTell(Claims):
    """Claims that say when a claim found nothing to do."""

    def __init__(self, store: Store, worker_id: str) -> None:
        super().__init__(store, worker_id)
        self.found_nothing = asyncio.Event()

    def claim(self, limit: int) -> list[Call]:
        claimed = super().claim(limit)
        if not claimed:
            self.found_nothing.set()
        return claimed


def _call_from(fake: FakeCall) -> Call:
    return gong_call(fake.extensive(), fake.transcript(), WORKSPACE)


def test_two_workers_on_one_postgres_database_share_fifty_calls_each_done_once(
    postgres_url: str, gong_server: FakeGong
) -> None:
    gong_server.calls = [make_call(n) for n in range(50)]
    stores = {name: open_store(postgres_url) for name in ("a", "b")}
    both_busy = threading.Barrier(2)

    def work(name: str) -> Tally:
        triager: Triager = MeetingTriager(both_busy)
        return run(
            lambda http: make_worker(
                stores[name], gong_server, http, name=name, triager=triager
            ).run_once()
        )

    with ThreadPoolExecutor(2) as pool:
        tallies = list(pool.map(work, stores))

    store = stores["a"]
    assert runs_per_call(store) == {c.call_id: 1 for c in gong_server.calls}
    assert {row.status for row in ledger(store).values()} == {"triaged"}
    assert sum(t.triaged for t in tallies) == 50
    assert all(t.triaged >= 1 for t in tallies)
    assert len(Ledger(store).all()) == 50


class RefusingTracker(LocalTracker):
    async def search_customers(self, *args: Any, **kwargs: Any) -> list:
        raise TrackerAuthError("Linear refused the API key (401)")


def test_a_tracker_refusing_its_credentials_stops_the_worker_and_fails_no_call(
    store: Store, gong_server: FakeGong
) -> None:
    gong_server.calls = [make_call(n) for n in range(3)]

    async def refused(http: httpx.AsyncClient) -> None:
        worker = make_worker(store, gong_server, http)
        worker.pipeline.tracker = RefusingTracker(store)
        await worker.run_forever()

    with pytest.raises(TrackerAuthError, match="refused the API key"):
        run(refused)

    rows = ledger(store).values()
    assert {(row.status, row.claimed_by, row.attempts) for row in rows} == {
        ("pending", None, 0)
    }


SHORT_LEASE = timedelta(milliseconds=30)


def test_a_call_whose_claim_another_worker_took_is_stopped_and_not_finished(
    store: Store, gong_server: FakeGong
) -> None:
    gong_server.calls = [make_call(0)]
    call_id = gong_server.calls[0].call_id

    async def taken_over(http: httpx.AsyncClient) -> Tally:
        triager = GatedTriager()
        worker = make_worker(store, gong_server, http, triager=triager)
        worker.claims.lease = SHORT_LEASE
        running = asyncio.create_task(worker.run_once())
        await asyncio.wait_for(triager.started.wait(), 30)
        _steal(store, call_id, "thief")
        return await asyncio.wait_for(running, 30)

    tally = run(taken_over)

    row = ledger(store)[call_id]
    assert (row.status, row.claimed_by, row.attempts) == ("processing", "thief", 0)
    assert (tally.triaged, tally.failed, runs_per_call(store)) == (0, 0, {})


def _steal(store: Store, call_id: str, thief: str) -> None:
    with store.session() as session:
        row = session.get(CallRow, call_id)
        row.claimed_by = thief
        session.add(row)


class ClaimsThatFailToRenewOnce(Claims):
    """Claims whose first renewal meets a locked database."""

    def __init__(self, store: Store, worker_id: str) -> None:
        super().__init__(store, worker_id, lease=SHORT_LEASE)
        self.renewals = 0
        self.renewed_after_failing = asyncio.Event()

    def renew(self, call_ids: Sequence[str]) -> set[str]:
        self.renewals += 1
        if self.renewals == 1:
            raise OperationalError("UPDATE calls", {}, Exception("database is locked"))
        self.renewed_after_failing.set()
        return super().renew(call_ids)


def test_a_renewal_that_fails_is_logged_and_renewing_goes_on(
    store: Store, gong_server: FakeGong, caplog: pytest.LogCaptureFixture
) -> None:
    gong_server.calls = [make_call(0)]

    async def renew_through_a_lock(http: httpx.AsyncClient) -> Tally:
        triager = GatedTriager()
        worker = make_worker(store, gong_server, http, triager=triager)
        claims = worker.claims = ClaimsThatFailToRenewOnce(store, "w")
        running = asyncio.create_task(worker.run_once())
        await asyncio.wait_for(claims.renewed_after_failing.wait(), 30)
        triager.gate.set()
        return await asyncio.wait_for(running, 30)

    tally = run(renew_through_a_lock)

    assert tally.triaged == 1
    assert "could not renew the claims in hand" in caplog.text
    assert ledger(store)[gong_server.calls[0].call_id].status == "triaged"


def test_a_stored_call_that_no_longer_reads_is_failed_and_the_others_go_on(
    store: Store, gong_server: FakeGong
) -> None:
    gong_server.calls = [make_call(n) for n in range(3)]
    broken = gong_server.calls[1].call_id

    async def poll_break_drain(http: httpx.AsyncClient) -> Tally:
        worker = make_worker(store, gong_server, http)
        await worker.sources[0].poll(worker.claims)
        _break_payload(store, broken)
        await worker._drain()
        return worker.tally

    tally = run(poll_break_drain)

    rows = ledger(store)
    assert [rows[c.call_id].status for c in gong_server.calls] == [
        "triaged",
        "failed",
        "triaged",
    ]
    assert rows[broken].error.startswith("the stored call no longer reads as a call")
    assert tally.triaged == 2


def _break_payload(store: Store, call_id: str) -> None:
    with store.session() as session:
        row = session.get(CallRow, call_id)
        row.payload = {"call_id": call_id}
        session.add(row)


class ClaimsOnALockedDatabase(Claims):
    """Claims whose first claim meets a locked database."""

    def __init__(self, store: Store, worker_id: str) -> None:
        super().__init__(store, worker_id)
        self.claims = 0

    def claim(self, limit: int) -> list[Call]:
        self.claims += 1
        if self.claims == 1:
            raise OperationalError("UPDATE calls", {}, Exception("database is locked"))
        return super().claim(limit)


def test_a_claim_the_database_refuses_is_tried_again_next_round(
    store: Store, gong_server: FakeGong
) -> None:
    gong_server.calls = [make_call(0)]

    async def two_rounds(http: httpx.AsyncClient) -> Tally:
        worker = make_worker(store, gong_server, http)
        worker.claims = ClaimsOnALockedDatabase(store, "w")
        first = Tally(**vars(await worker.run_once()))
        assert (first.queued, first.triaged) == (1, 0)
        return await worker.run_once()

    assert run(two_rounds).triaged == 1
