"""The local Triage queue: list issues, and accept, decline, merge or move them."""

from __future__ import annotations

from sqlmodel import select

from tools.store.db import Store
from tools.store.tables import CustomerRow, IssueRow, TeamRow, utcnow
from tools.trackers.base import IssueRecord
from tools.trackers.local import issue_record


class QueueError(ValueError):
    """An action the queue cannot take; the message says why."""


class TriageQueue:
    def __init__(self, store: Store) -> None:
        self.store = store

    def list(
        self, status: str | None = "triage"
    ) -> list[tuple[IssueRecord, str | None]]:
        """Issues with the name of their customer, oldest first."""
        with self.store.session() as session:
            query = select(IssueRow).order_by(IssueRow.number)
            if status:
                query = query.where(IssueRow.status == status)
            rows = session.exec(query).all()
            names = {c.id: c.name for c in session.exec(select(CustomerRow)).all()}
            return [(issue_record(session, r), names.get(r.customer_id)) for r in rows]

    def get(self, issue_id: str) -> IssueRecord:
        with self.store.session() as session:
            return issue_record(session, self._row(session, issue_id))

    def accept(self, issue_id: str) -> IssueRecord:
        return self._set(issue_id, status="accepted")

    def decline(self, issue_id: str) -> IssueRecord:
        return self._set(issue_id, status="declined")

    def duplicate(self, issue_id: str, of: str) -> IssueRecord:
        original = self.get(of)
        if original.id == self.get(issue_id).id:
            raise QueueError("an issue cannot be a duplicate of itself")
        return self._set(issue_id, status="duplicate", duplicate_of=original.id)

    def move(self, issue_id: str, team_key: str) -> IssueRecord:
        with self.store.session() as session:
            if session.get(TeamRow, team_key) is None:
                keys = ", ".join(t.key for t in session.exec(select(TeamRow)).all())
                raise QueueError(f"there is no team {team_key!r}; teams are: {keys}")
        return self._set(issue_id, team_key=team_key)

    def _set(self, issue_id: str, **changes: str) -> IssueRecord:
        with self.store.session() as session:
            row = self._row(session, issue_id)
            for name, value in changes.items():
                setattr(row, name, value)
            row.updated_at = utcnow()
            session.add(row)
            session.flush()
            return issue_record(session, row, created=False)

    def _row(self, session, issue_id: str) -> IssueRow:
        """An issue by id, or by its number ("7" or "#7")."""
        row = session.get(IssueRow, issue_id)
        if row is None and issue_id.lstrip("#").isdigit():
            number = int(issue_id.lstrip("#"))
            row = session.exec(
                select(IssueRow).where(IssueRow.number == number)
            ).first()
        if row is None:
            raise QueueError(
                f"there is no issue {issue_id!r} in the local Triage queue"
            )
        return row
