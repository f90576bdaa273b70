"""The call ledger: every call seen, once, with what became of it."""

from __future__ import annotations

from sqlmodel import Session, select

from agent.calls import Call
from tools.store.db import Store
from tools.store.tables import CallRow, utcnow

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
