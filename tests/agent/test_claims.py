from __future__ import annotations

import os
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import text

from agent.calls import Call, Sentence
from agent.claims import Claims, worker_id
from tests.agent.worker_kit import Clock, ledger, open_store
from tools.store.db import Store

LEASE = timedelta(minutes=5)


def a_call(n: int) -> Call:
    return Call(
        call_id=f"call-{n:03d}",
        source=f"gong:call-{n:03d}",
        title=f"Call {n}",
        sentences=[Sentence(speaker_id="1", start_ms=0, end_ms=900, text="Hello.")],
    )


def queued(store: Store, count: int) -> list[str]:
    claims = Claims(store, "enqueuer")
    for n in range(count):
        claims.enqueue(a_call(n))
    return [a_call(n).call_id for n in range(count)]


@pytest.fixture
def store(database_url: str) -> Store:
    return open_store(database_url)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_a_new_call_is_queued_as_pending(store: Store) -> None:
    assert Claims(store, "w").enqueue(a_call(1)) is True

    row = ledger(store)["call-001"]
    assert (row.status, row.claimed_by, row.payload["title"]) == (
        "pending",
        None,
        "Call 1",
    )


def test_queueing_a_finished_call_again_leaves_it_finished(store: Store) -> None:
    claims = Claims(store, "w")
    claims.enqueue(a_call(1))
    claims.claim(1)
    claims.finish("call-001", "triaged")

    assert claims.enqueue(a_call(1)) is False
    assert ledger(store)["call-001"].status == "triaged"


def test_a_claim_takes_pending_calls_oldest_first_up_to_the_limit(
    store: Store, clock: Clock
) -> None:
    ids = queued(store, 5)

    claimed = Claims(store, "w", clock=clock).claim(3)

    assert [call.call_id for call in claimed] == ids[:3]
    rows = ledger(store)
    assert {rows[i].status for i in ids[:3]} == {"processing"}
    assert {rows[i].claimed_by for i in ids[:3]} == {"w"}
    assert rows[ids[0]].lease_until == clock.now + LEASE
    assert rows[ids[3]].status == "pending"


def test_a_claimed_call_is_not_claimed_again_until_its_lease_runs_out(
    store: Store, clock: Clock
) -> None:
    queued(store, 1)
    Claims(store, "dead", clock=clock).claim(1)
    survivor = Claims(store, "alive", clock=clock)

    clock.advance(minutes=4, seconds=59)
    assert survivor.claim(1) == []

    clock.advance(seconds=1)
    assert [call.call_id for call in survivor.claim(1)] == ["call-000"]
    row = ledger(store)["call-000"]
    assert (row.claimed_by, row.attempts) == ("alive", 1)


def test_a_call_abandoned_on_every_attempt_is_marked_failed_with_the_reason(
    store: Store, clock: Clock
) -> None:
    queued(store, 1)
    for attempt in range(3):
        assert len(Claims(store, f"dead-{attempt}", clock=clock).claim(1)) == 1
        clock.advance(minutes=6)

    assert Claims(store, "alive", clock=clock).claim(1) == []
    row = ledger(store)["call-000"]
    assert (row.status, row.attempts) == ("failed", 3)
    assert row.error == "abandoned by dead-2 with its lease expired"


def test_a_released_call_is_pending_again_without_using_an_attempt(
    store: Store, clock: Clock
) -> None:
    queued(store, 1)
    claims = Claims(store, "w", clock=clock)
    claims.claim(1)

    claims.release("call-000")

    row = ledger(store)["call-000"]
    assert (row.status, row.claimed_by, row.attempts) == ("pending", None, 0)
    assert len(claims.claim(1)) == 1


def test_another_worker_cannot_release_or_renew_a_claim(
    store: Store, clock: Clock
) -> None:
    queued(store, 1)
    Claims(store, "owner", clock=clock).claim(1)
    other = Claims(store, "other", clock=clock)

    other.release("call-000")
    clock.advance(minutes=3)
    assert other.renew(["call-000"]) == set()

    row = ledger(store)["call-000"]
    assert (row.status, row.claimed_by) == ("processing", "owner")
    assert row.lease_until == clock.now - timedelta(minutes=3) + LEASE


def test_renewing_keeps_a_lease_alive_past_its_first_expiry(
    store: Store, clock: Clock
) -> None:
    queued(store, 1)
    owner = Claims(store, "owner", clock=clock)
    owner.claim(1)

    clock.advance(minutes=4)
    assert owner.renew(["call-000"]) == {"call-000"}
    clock.advance(minutes=4)

    assert Claims(store, "other", clock=clock).claim(1) == []


def test_a_failure_is_retried_after_a_delay_then_marked_failed_after_the_last_try(
    store: Store, clock: Clock
) -> None:
    queued(store, 1)
    claims = Claims(store, "w", clock=clock)

    for attempt in (1, 2):
        assert len(claims.claim(1)) == 1
        assert claims.fail("call-000", "the model is unavailable") == "pending"
        assert claims.claim(1) == []
        clock.advance(minutes=attempt)

    assert len(claims.claim(1)) == 1
    assert claims.fail("call-000", "the model is unavailable") == "failed"
    row = ledger(store)["call-000"]
    assert (row.status, row.attempts, row.claimed_by) == ("failed", 3, None)
    assert row.error == "the model is unavailable"


def test_a_call_already_settled_cannot_be_failed_afterwards(
    store: Store, clock: Clock
) -> None:
    queued(store, 1)
    claims = Claims(store, "w", clock=clock)
    claims.claim(1)
    assert claims.finish("call-000", "triaged") == "triaged"

    assert claims.fail("call-000", "tracker down") is None
    row = ledger(store)["call-000"]
    assert (row.status, row.attempts, row.error) == ("triaged", 1, None)


def test_workers_claiming_at_the_same_time_never_share_a_call(
    database_url: str,
) -> None:
    ids = queued(open_store(database_url), 60)
    # One engine each, as separate processes would have; opened here because
    # migrations are not thread-safe.
    stores = {name: Store.open(database_url) for name in "abcd"}
    start = threading.Barrier(len(stores))

    def claim_all(name: str) -> list[str]:
        claims = Claims(stores[name], name)
        start.wait(30)
        taken: list[str] = []
        while batch := claims.claim(3):
            taken.extend(call.call_id for call in batch)
        return taken

    with ThreadPoolExecutor(4) as pool:
        shares = list(pool.map(claim_all, stores))

    everything = [call_id for share in shares for call_id in share]
    assert sorted(everything) == ids


def test_on_postgres_a_row_locked_elsewhere_is_skipped_rather_than_waited_for(
    postgres_url: str,
) -> None:
    store = open_store(postgres_url)
    queued(store, 2)
    other = Store.open(postgres_url)

    with other.engine.connect() as locking:
        locking.execute(
            text("SELECT call_id FROM calls WHERE call_id = 'call-000' FOR UPDATE")
        )
        claimed = Claims(store, "w").claim(2)
        locking.rollback()

    assert [call.call_id for call in claimed] == ["call-001"]


def test_a_worker_whose_lease_ran_out_cannot_fail_the_call_another_has_taken(
    store: Store, clock: Clock
) -> None:
    queued(store, 1)
    slow = Claims(store, "slow", clock=clock)
    slow.claim(1)
    clock.advance(minutes=6)
    Claims(store, "fast", clock=clock).claim(1)

    assert slow.fail("call-000", "timed out") is None
    assert slow.finish("call-000", "triaged") is None
    row = ledger(store)["call-000"]
    assert (row.status, row.claimed_by, row.attempts, row.error) == (
        "processing",
        "fast",
        1,
        None,
    )


def test_a_call_skipped_for_want_of_a_transcript_is_queued_again_when_one_comes(
    store: Store,
) -> None:
    claims = Claims(store, "w")
    silent = a_call(1).model_copy(update={"sentences": []})
    claims.enqueue(silent)
    claims.claim(1)
    claims.finish("call-001", "skipped", skip_reason="no_transcript")
    assert claims.settled(["call-001"]) == set()

    assert claims.enqueue(silent) is False
    assert claims.enqueue(a_call(1)) is True
    assert claims.enqueue(a_call(1)) is False

    row = ledger(store)["call-001"]
    assert (row.status, row.skip_reason) == ("pending", None)
    assert row.payload["sentences"][0]["text"] == "Hello."
    assert claims.settled(["call-001"]) == {"call-001"}


def test_a_call_held_by_a_live_claim_cannot_be_held_by_another_until_it_expires(
    store: Store, clock: Clock
) -> None:
    queued(store, 1)
    Claims(store, "worker", clock=clock).claim(1)
    one_off = Claims(store, "one-off", clock=clock)

    assert one_off.hold(a_call(0)) is False
    clock.advance(minutes=6)
    assert one_off.hold(a_call(0)) is True

    row = ledger(store)["call-000"]
    assert (row.status, row.claimed_by, row.attempts) == ("processing", "one-off", 1)


def test_each_worker_id_names_the_host_and_process_and_is_never_repeated() -> None:
    first, second = worker_id(), worker_id()

    assert first != second
    assert first.startswith(f"{socket.gethostname()}:{os.getpid()}:")
