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
        return self._set(issue_id, status="accepted", duplicate_of=None)

    def decline(self, issue_id: str) -> IssueRecord:
        return self._set(issue_id, status="declined", duplicate_of=None)

    def duplicate(self, issue_id: str, of: str) -> IssueRecord:
        issue, original = self.get(issue_id), self.get(of)
        if original.id == issue.id:
            raise QueueError("an issue cannot be a duplicate of itself")
        if self._original_of(original.id) == issue.id:
            raise QueueError(
                f"{original.id} is already a duplicate of {issue.id}; "
                "mark the other way round"
            )
        return self._set(issue.id, status="duplicate", duplicate_of=original.id)

    def _original_of(self, issue_id: str) -> str:
        """The issue at the end of a chain of duplicates."""
        seen = {issue_id}
        with self.store.session() as session:
            row = session.get(IssueRow, issue_id)
            while row is not None and row.duplicate_of and row.duplicate_of not in seen:
                seen.add(row.duplicate_of)
                row = session.get(IssueRow, row.duplicate_of)
        return row.id if row is not None else issue_id

    def move(self, issue_id: str, team_key: str) -> IssueRecord:
        with self.store.session() as session:
            teams = session.exec(select(TeamRow)).all()
        by_key = {team.key.lower(): team.key for team in teams}
        if team_key.lower() not in by_key:
            keys = ", ".join(team.key for team in teams)
            raise QueueError(f"there is no team {team_key!r}; teams are: {keys}")
        return self._set(issue_id, team_key=by_key[team_key.lower()])

    def _set(self, issue_id: str, **changes: str | None) -> IssueRecord:
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
