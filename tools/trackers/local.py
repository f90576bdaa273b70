"""The embedded tracker: teams, customers and triage issues in the local store."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from agent.workspace import Workspace
from tools.store.db import Store
from tools.store.tables import (
    CustomerRequestRow,
    CustomerRow,
    ExcerptRow,
    IssueRow,
    TeamRow,
    utcnow,
)
from tools.trackers.base import (
    CustomerRecord,
    ExcerptRecord,
    IssueDraft,
    IssueRecord,
    TeamRecord,
)


class LocalTracker:
    """Files into the local store; every write is idempotent."""

    name = "local"

    def __init__(self, store: Store) -> None:
        self.store = store

    async def list_teams(self) -> list[TeamRecord]:
        with self.store.session() as session:
            rows = session.exec(select(TeamRow).order_by(TeamRow.position)).all()
            return [
                TeamRecord(key=r.key, name=r.name, description=r.description)
                for r in rows
            ]

    async def search_customers(
        self,
        query: str | None = None,
        domain: str | None = None,
        external_id: str | None = None,
    ) -> list[CustomerRecord]:
        with self.store.session() as session:
            rows = session.exec(select(CustomerRow).order_by(CustomerRow.name)).all()
        found = [
            row for row in rows if _customer_matches(row, query, domain, external_id)
        ]
        return [_customer(row) for row in found]

    async def get_customer(self, customer_id: str) -> CustomerRecord | None:
        with self.store.session() as session:
            row = session.get(CustomerRow, customer_id)
            return _customer(row) if row else None

    async def create_customer(
        self, name: str, domains: list[str], external_ids: list[str]
    ) -> CustomerRecord:
        customer_id = customer_id_for(name)
        try:
            with self.store.session() as session:
                row = session.get(CustomerRow, customer_id)
                if row is None:
                    row = CustomerRow(
                        id=customer_id,
                        name=name,
                        domains=domains,
                        external_ids=external_ids,
                    )
                    session.add(row)
                return _customer(row)
        except IntegrityError:
            # Another worker created the same customer between our read and write.
            with self.store.session() as session:
                return _customer(session.get(CustomerRow, customer_id))

    async def issues_for_call(self, call_id: str) -> list[IssueRecord]:
        with self.store.session() as session:
            rows = session.exec(
                select(IssueRow)
                .where(IssueRow.call_id == call_id)
                .order_by(IssueRow.number)
            ).all()
            return [issue_record(session, row, created=False) for row in rows]

    async def create_issue(self, draft: IssueDraft) -> IssueRecord:
        issue_id = issue_id_for(draft.call_id, draft.dedup_key)
        try:
            with self.store.session() as session:
                existing = session.get(IssueRow, issue_id)
                if existing is not None:
                    return issue_record(session, existing, created=False)
                row = _new_issue(session, issue_id, draft)
                return issue_record(session, row)
        except IntegrityError:
            # Another worker filed the same finding between our read and write.
            with self.store.session() as session:
                return issue_record(
                    session, session.get(IssueRow, issue_id), created=False
                )

    async def add_customer_request(
        self, issue_id: str, customer_id: str, body: str, url: str | None
    ) -> None:
        try:
            with self.store.session() as session:
                if session.get(CustomerRequestRow, (issue_id, customer_id)) is None:
                    session.add(
                        CustomerRequestRow(
                            issue_id=issue_id,
                            customer_id=customer_id,
                            body=body,
                            url=url,
                        )
                    )
        except IntegrityError:
            # The same request, recorded by another worker a moment ago.
            return

    async def aclose(self) -> None:
        """Nothing to release: the store outlives the tracker."""

    def seed(self, workspace: Workspace) -> None:
        """Make the store's teams and known customers those of `workspace`."""
        self.store.write(lambda session: _seed(session, workspace))


def _seed(session: Session, workspace: Workspace) -> None:
    for position, team in enumerate(workspace.teams):
        row = session.get(TeamRow, team.key) or TeamRow(key=team.key, name=team.name)
        row.name, row.description, row.position = (
            team.name,
            team.description,
            position,
        )
        session.add(row)
    for known in workspace.customers:
        row = session.get(CustomerRow, known.id) or CustomerRow(
            id=known.id, name=known.name
        )
        row.name, row.domains, row.external_ids = (
            known.name,
            [d.lower() for d in known.domains],
            known.external_ids,
        )
        session.add(row)


def issue_id_for(call_id: str, dedup_key: str) -> str:
    """Issue ids derive from the call and the finding, so a retry reuses them."""
    return "iss_" + hashlib.sha1(f"{call_id}|{dedup_key}".encode()).hexdigest()[:12]


def customer_id_for(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40]
    return f"cus_{slug or hashlib.sha1(name.encode()).hexdigest()[:8]}"


def issue_record(session: Session, row: IssueRow, created: bool = True) -> IssueRecord:
    excerpts = session.exec(
        select(ExcerptRow)
        .where(ExcerptRow.issue_id == row.id)
        .order_by(ExcerptRow.position)
    ).all()
    return IssueRecord(
        id=row.id,
        call_id=row.call_id,
        dedup_key=row.dedup_key,
        team_key=row.team_key,
        title=row.title,
        summary=row.summary,
        motivation=row.motivation,
        kind=row.kind,
        description=row.description,
        excerpts=[
            ExcerptRecord.model_validate(e, from_attributes=True) for e in excerpts
        ],
        customer_id=row.customer_id,
        recording_url=row.recording_url,
        status=row.status,
        duplicate_of=row.duplicate_of,
        created=created,
    )


def _new_issue(session: Session, issue_id: str, draft: IssueDraft) -> IssueRow:
    number = (session.exec(select(func.max(IssueRow.number))).one() or 0) + 1
    fields = draft.model_dump(exclude={"excerpts"})
    row = IssueRow(id=issue_id, number=number, **fields)
    session.add(row)
    session.flush()
    for position, excerpt in enumerate(draft.excerpts):
        session.add(
            ExcerptRow(issue_id=issue_id, position=position, **excerpt.model_dump())
        )
    row.updated_at = utcnow()
    return row


def _customer(row: CustomerRow) -> CustomerRecord:
    return CustomerRecord(
        id=row.id, name=row.name, domains=row.domains, external_ids=row.external_ids
    )


def _customer_matches(
    row: CustomerRow, query: str | None, domain: str | None, external_id: str | None
) -> bool:
    if external_id and external_id.lower() in {e.lower() for e in row.external_ids}:
        return True
    if domain and domain.lower() in {d.lower() for d in row.domains}:
        return True
    return bool(query) and query.strip().lower() in row.name.lower()
