"""The call ledger: every call seen, once, with what became of it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from agent.calls import Call
from tools.store.db import Store
from tools.store.tables import CallRow, IssueRow, utcnow

DONE = frozenset({"triaged", "skipped"})


class Ledger:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, call_id: str) -> CallRow | None:
        with self.store.session() as session:
            return session.get(CallRow, call_id)

    def record(self, call: Call) -> CallRow:
        """Note that `call` was seen, keeping it whole so it can be retried later."""

        def change(session: Session) -> CallRow:
            row = session.get(CallRow, call.call_id) or CallRow(
                call_id=call.call_id, source=call.source
            )
            row.source, row.title, row.url = call.source, call.title, call.url
            row.started, row.duration_s = call.started, call.duration_s
            row.payload = call.model_dump(mode="json")
            row.updated_at = utcnow()
            session.add(row)
            return row

        return self.store.write(change)

    def all(self) -> list[CallRow]:
        with self.store.session() as session:
            return list(session.exec(select(CallRow).order_by(CallRow.seen_at)).all())

    def entries(
        self, status: str | None = None, limit: int | None = None
    ) -> list[LedgerEntry]:
        """The `limit` calls seen last (oldest first), each with its issue count.

        The stored transcripts are left unread: a listing never needs them.
        """
        with self.store.session() as session:
            query = select(CallRow).options(defer(CallRow.payload))
            if status is not None:
                query = query.where(CallRow.status == status)
            query = query.order_by(CallRow.seen_at.desc(), CallRow.call_id.desc())
            if limit is not None:
                query = query.limit(limit)
            rows = list(reversed(session.exec(query).all()))
            counts = dict(
                session.exec(
                    select(IssueRow.call_id, func.count())
                    .where(IssueRow.call_id.in_([row.call_id for row in rows]))
                    .group_by(IssueRow.call_id)
                ).all()
            )
        return [LedgerEntry(row, counts.get(row.call_id, 0)) for row in rows]


@dataclass(frozen=True)
class LedgerEntry:
    """A call as the ledger knows it, and how many issues it gave."""

    row: CallRow
    issues: int
