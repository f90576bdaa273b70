"""Claims on calls in the ledger, so that each call is worked on by one worker at once.

A claimed call has status `processing`, the claimant in `claimed_by` and a lease in
`lease_until`. A worker that dies leaves its claims behind; when their leases run
out another worker takes them over, and that counts as a failed attempt. On
PostgreSQL, candidates are locked with `FOR UPDATE SKIP LOCKED`, so workers never
wait on each other's rows; SQLite has no row locks, so each claim there is a
conditional UPDATE that only one worker can win.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, and_, not_, or_, update
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from agent.calls import Call
from agent.eligibility import SkipReason
from agent.ledger import Ledger
from tools.store.db import Store
from tools.store.tables import CallRow, utcnow

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]

PENDING, PROCESSING, FAILED = "pending", "processing", "failed"
_LOOKUP_CHUNK = 500


def worker_id() -> str:
    """Names this process in the claims it holds.

    Containers restart with the same host name and pid, so a random suffix
    keeps a restarted worker from passing for its predecessor.
    """
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Claims:
    """One worker's view of the queue of calls in the ledger."""

    def __init__(
        self,
        store: Store,
        worker_id: str,
        *,
        lease: timedelta = timedelta(minutes=5),
        max_attempts: int = 3,
        retry_delay: timedelta = timedelta(minutes=1),
        clock: Clock = utcnow,
    ) -> None:
        self.store = store
        self.worker_id = worker_id
        self.lease = lease
        self.max_attempts = max_attempts
        self.retry_delay = retry_delay
        self.clock = clock

    def enqueue(self, call: Call) -> bool:
        """Put `call` in the ledger as pending; False when the ledger already has it.

        A call skipped for want of a transcript is queued again once it has one.
        """
        ledger = Ledger(self.store)
        if ledger.get(call.call_id) is None:
            ledger.record(call)
            return True
        if not any(sentence.text.strip() for sentence in call.sentences):
            return False
        with self.store.session() as session:
            reopened = session.exec(
                update(CallRow)
                .where(col(CallRow.call_id) == call.call_id, _awaiting_transcript())
                .values(
                    status=PENDING,
                    skip_reason=None,
                    payload=call.model_dump(mode="json"),
                    updated_at=utcnow(),
                )
            )
            return reopened.rowcount == 1

    def reject(self, call_id: str, source: str, error: str) -> None:
        """Record a call that cannot be read as failed, so it is not lost from view."""

        def record_failure(session: Session) -> None:
            if session.get(CallRow, call_id) is None:
                row = CallRow(call_id=call_id, source=source, error=error)
                row.status = FAILED
                session.add(row)

        self.store.write(record_failure)

    def settled(self, call_ids: Sequence[str]) -> set[str]:
        """Those of `call_ids` the ledger has and is not waiting on a transcript for."""
        found: set[str] = set()
        with self.store.session() as session:
            for start in range(0, len(call_ids), _LOOKUP_CHUNK):
                chunk = list(call_ids[start : start + _LOOKUP_CHUNK])
                query = select(CallRow.call_id).where(
                    col(CallRow.call_id).in_(chunk), not_(_awaiting_transcript())
                )
                found.update(session.exec(query).all())
        return found

    def claim(self, limit: int) -> list[Call]:
        """Claim up to `limit` calls that are pending or whose lease ran out."""
        if limit <= 0:
            return []
        if self.store.engine.dialect.name == "postgresql":
            return self._claim_locked(limit)
        return self._claim_conditionally(limit)

    def renew(self, call_ids: Sequence[str]) -> set[str]:
        """Extend the leases of calls this worker is working on; those still held."""
        if not call_ids:
            return set()
        ids = list(call_ids)
        with self.store.session() as session:
            session.exec(
                update(CallRow)
                .where(col(CallRow.call_id).in_(ids), self._mine())
                .values(lease_until=self.clock() + self.lease)
            )
            held = select(CallRow.call_id).where(
                col(CallRow.call_id).in_(ids), self._mine()
            )
            return set(session.exec(held).all())

    def release(self, call_id: str) -> None:
        """Give back a claimed call untouched, e.g. when shutting down."""
        with self.store.session() as session:
            session.exec(
                update(CallRow)
                .where(col(CallRow.call_id) == call_id, self._mine())
                .values(status=PENDING, claimed_by=None, lease_until=None)
            )

    def hold(self, call: Call) -> bool:
        """Claim `call` by itself, False while another claimant's lease on it lasts.

        A call the ledger has not seen is recorded first.
        """
        ledger = Ledger(self.store)
        if ledger.get(call.call_id) is None:
            ledger.record(call)
        now = self.clock()
        with self.store.session() as session:
            row = session.get(CallRow, call.call_id)
            if row is None:
                return False
            # Taking over an abandoned claim counts the attempt that was lost.
            attempts = row.attempts + (1 if row.status == PROCESSING else 0)
            values = dict(
                status=PROCESSING,
                attempts=attempts,
                claimed_by=self.worker_id,
                lease_until=now + self.lease,
                updated_at=utcnow(),
            )
            result = session.exec(
                update(CallRow)
                .where(col(CallRow.call_id) == row.call_id, _unchanged(row))
                .where(_free(now))
                .values(**values)
            )
            return result.rowcount == 1

    def finish(
        self,
        call_id: str,
        status: str,
        *,
        skip_reason: str | None = None,
        error: str | None = None,
        customer_id: str | None = None,
        customer_created: bool = False,
    ) -> str | None:
        """Settle a call this worker holds, counting the attempt.

        A failed call goes back to the queue after a delay until it has used
        every attempt. Returns the status written, or None when the claim was
        lost (the lease ran out and another claimant took the call over), in
        which case the row is left to the new claimant.
        """
        with self.store.session() as session:
            row = session.get(CallRow, call_id)
            if row is None:
                return self._lost(call_id)
            attempts = row.attempts + 1
            values = dict(
                status=status,
                skip_reason=skip_reason,
                error=error,
                customer_id=customer_id,
                customer_created=customer_created,
                attempts=attempts,
                claimed_by=None,
                lease_until=None,
                updated_at=utcnow(),
            )
            if status == FAILED and attempts < self.max_attempts:
                values["status"] = PENDING
                values["lease_until"] = self.clock() + self.retry_delay * attempts
            result = session.exec(
                update(CallRow)
                .where(col(CallRow.call_id) == call_id, self._mine(), _unchanged(row))
                .values(**values)
            )
            if result.rowcount != 1:
                return self._lost(call_id)
        if status == FAILED:
            then = "retried later" if values["status"] == PENDING else "given up on"
            logger.warning("call %s failed (%s); it will be %s", call_id, error, then)
        return values["status"]

    def fail(self, call_id: str, error: str | None) -> str | None:
        """Count an attempt that ended in an exception; see `finish`."""
        return self.finish(call_id, FAILED, error=error)

    def _lost(self, call_id: str) -> None:
        logger.warning(
            "%s no longer holds call %s; leaving it to its new claimant",
            self.worker_id,
            call_id,
        )

    def _claim_locked(self, limit: int) -> list[Call]:
        now = self.clock()
        with self.store.session() as session:
            query = _oldest_claimable(now, limit).with_for_update(skip_locked=True)
            rows = session.exec(query).all()
            return [call for row in rows if (call := self._take(session, row, now))]

    def _claim_conditionally(self, limit: int) -> list[Call]:
        while True:
            now = self.clock()
            with self.store.session() as session:
                candidates = session.exec(_oldest_claimable(now, limit)).all()
            if not candidates:
                return []
            claimed = [
                call for row in candidates if (call := self._win(row, now)) is not None
            ]
            # Losing every race means others are claiming too: look again.
            if claimed:
                return claimed

    def _win(self, seen: CallRow, now: datetime) -> Call | None:
        """Claim `seen` if nobody changed it since it was read."""
        with self.store.session() as session:
            unchanged = and_(
                col(CallRow.call_id) == seen.call_id, _unchanged(seen), _claimable(now)
            )
            values = self._claim_values(seen, now)
            result = session.exec(update(CallRow).where(unchanged).values(**values))
            if result.rowcount != 1:
                return None
        return self._claimed_call(seen, values)

    def _take(self, session: Session, row: CallRow, now: datetime) -> Call | None:
        """Claim `row`, already locked by this transaction."""
        values = self._claim_values(row, now)
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)
        return self._claimed_call(row, values)

    def _claim_values(self, row: CallRow, now: datetime) -> dict[str, Any]:
        """The claim itself, or giving up on a call that cannot be worked on."""
        attempts = row.attempts + (1 if row.status == PROCESSING else 0)
        error = _unreadable(row)
        if error is None and attempts >= self.max_attempts:
            error = f"abandoned by {row.claimed_by} with its lease expired"
        if error is not None:
            return dict(
                status=FAILED,
                attempts=attempts,
                error=error,
                claimed_by=None,
                lease_until=None,
                updated_at=utcnow(),
            )
        return dict(
            status=PROCESSING,
            attempts=attempts,
            claimed_by=self.worker_id,
            lease_until=now + self.lease,
            updated_at=utcnow(),
        )

    def _claimed_call(self, row: CallRow, values: dict[str, Any]) -> Call | None:
        """The call claimed, or None when the claim gave up on it instead."""
        if values["status"] == FAILED:
            logger.warning("gave up on call %s: %s", row.call_id, values["error"])
            return None
        return Call.model_validate(row.payload)

    def _mine(self) -> ColumnElement[bool]:
        return and_(
            col(CallRow.status) == PROCESSING,
            col(CallRow.claimed_by) == self.worker_id,
        )


def _oldest_claimable(now: datetime, limit: int) -> SelectOfScalar[CallRow]:
    query = select(CallRow).where(_claimable(now)).order_by(col(CallRow.seen_at))
    return query.limit(limit)


def _awaiting_transcript() -> ColumnElement[bool]:
    return and_(
        col(CallRow.status) == "skipped",
        col(CallRow.skip_reason) == SkipReason.NO_TRANSCRIPT.value,
    )


def _claimable(now: datetime) -> ColumnElement[bool]:
    """Pending and not waiting for a retry, or claimed with the lease run out."""
    lease_until = col(CallRow.lease_until)
    lease_over = or_(lease_until.is_(None), lease_until <= now)
    return and_(col(CallRow.status).in_([PENDING, PROCESSING]), lease_over)


def _unchanged(seen: CallRow) -> ColumnElement[bool]:
    """The row is as `seen`: nobody claimed, settled or retried it since."""
    return and_(
        col(CallRow.status) == seen.status,
        col(CallRow.attempts) == seen.attempts,
        _same_claimant(seen.claimed_by),
    )


def _same_claimant(claimed_by: str | None) -> ColumnElement[bool]:
    claimant = col(CallRow.claimed_by)
    return claimant.is_(None) if claimed_by is None else claimant == claimed_by


def _free(now: datetime) -> ColumnElement[bool]:
    """Nobody holds a live claim on the row."""
    lease_until = col(CallRow.lease_until)
    return or_(
        col(CallRow.status) != PROCESSING,
        col(CallRow.claimed_by).is_(None),
        lease_until.is_(None),
        lease_until <= now,
    )


def _unreadable(row: CallRow) -> str | None:
    """Why the call stored in `row` cannot be read back, if it cannot."""
    try:
        Call.model_validate(row.payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the call"
        return f"the stored call no longer reads as a call ({where}: {first['msg']})"
    return None
