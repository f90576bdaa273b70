from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlmodel import select

from tests import builders
from tools.store.db import Store
from tools.store.tables import ExcerptRow, IssueRow, TeamRow
from tools.trackers import local
from tools.trackers.base import ExcerptRecord, IssueDraft, IssueRecord
from tools.trackers.local import LocalTracker

pytestmark = pytest.mark.anyio

EXCERPT = ExcerptRecord(
    speaker="Dana Whitfield",
    affiliation="External",
    start_ms=9_000,
    end_ms=14_000,
    text="a scheduled CSV export every",
)


def _draft(call_id: str = "7001", dedup_key: str = "export") -> IssueDraft:
    return IssueDraft(
        call_id=call_id,
        dedup_key=dedup_key,
        team_key="DATA",
        title="Scheduled CSV export of reports",
        summary="Acme wants reports exported as CSV every Monday.",
        description="Acme wants reports exported as CSV every Monday.",
        excerpts=[EXCERPT],
    )


def _rows(store: Store) -> tuple[list[IssueRow], list[ExcerptRow]]:
    with store.session() as session:
        issues = session.exec(select(IssueRow)).all()
        return list(issues), list(session.exec(select(ExcerptRow)).all())


async def test_an_issue_is_created_once_per_call_and_finding(store: Store) -> None:
    tracker = LocalTracker(store)

    first = await tracker.create_issue(_draft())
    second = await tracker.create_issue(_draft())

    assert (first.created, second.created) == (True, False)
    assert first.id == second.id
    assert second.excerpts == [EXCERPT]
    issues, excerpts = _rows(store)
    assert len(issues) == 1 and len(excerpts) == 1


async def test_the_same_finding_in_another_call_is_another_issue(
    store: Store,
) -> None:
    tracker = LocalTracker(store)

    first = await tracker.create_issue(_draft("7001"))
    second = await tracker.create_issue(_draft("7002"))

    assert first.id != second.id and second.created


async def test_issues_are_numbered_in_the_order_they_are_filed(store: Store) -> None:
    tracker = LocalTracker(store)
    for key in ("a", "b", "c"):
        await tracker.create_issue(_draft(dedup_key=key))

    issues, _ = _rows(store)
    assert sorted(issue.number for issue in issues) == [1, 2, 3]


def _race(stores: list[Store], monkeypatch: pytest.MonkeyPatch) -> list[IssueRecord]:
    """Two trackers file the same finding, both having seen it was not filed yet."""
    both_looked = threading.Barrier(len(stores), timeout=20)
    new_issue = local._new_issue

    def after_both_looked(*args, **kwargs) -> IssueRow:
        both_looked.wait()
        return new_issue(*args, **kwargs)

    monkeypatch.setattr(local, "_new_issue", after_both_looked)

    def file(store: Store) -> IssueRecord:
        return asyncio.run(LocalTracker(store).create_issue(_draft()))

    with ThreadPoolExecutor(len(stores)) as pool:
        return list(pool.map(file, stores))


def _assert_one_issue_filed(
    results: list[IssueRecord], rows: Callable[[], tuple[list, list]]
) -> None:
    assert sorted(result.created for result in results) == [False, True]
    assert len({result.id for result in results}) == 1
    issues, excerpts = rows()
    assert len(issues) == 1 and len(excerpts) == 1


def test_two_sqlite_writers_racing_file_one_issue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'race.db'}"
    stores = [Store.open(url), Store.open(url)]

    results = _race(stores, monkeypatch)

    _assert_one_issue_filed(results, lambda: _rows(stores[0]))
    for store in stores:
        store.close()


def test_two_postgres_writers_racing_file_one_issue(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stores = [Store.open(postgres_url), Store.open(postgres_url)]

    results = _race(stores, monkeypatch)

    _assert_one_issue_filed(results, lambda: _rows(stores[0]))
    for store in stores:
        store.close()


async def test_seeding_twice_updates_teams_and_customers_in_place(
    store: Store,
) -> None:
    tracker = LocalTracker(store)
    customers = [{"id": "cus_acme", "name": "Acme", "domains": ["ACME.example"]}]
    tracker.seed(builders.workspace(customers=customers))

    renamed = [
        {"id": "cus_acme", "name": "Acme Logistics", "domains": ["acme.example"]}
    ]
    teams = list(reversed(builders.TEAMS))
    tracker.seed(builders.workspace(teams=teams, customers=renamed))

    assert [team.key for team in await tracker.list_teams()] == ["AUTH", "MOBI", "DATA"]
    [acme] = await tracker.search_customers(query="acme")
    assert (acme.name, acme.domains) == ("Acme Logistics", ["acme.example"])
    with store.session() as session:
        assert len(session.exec(select(TeamRow)).all()) == 3


async def test_a_customer_request_is_added_once(store: Store) -> None:
    tracker = LocalTracker(store)
    customer = await tracker.create_customer("Acme", ["acme.example"], [])
    issue = await tracker.create_issue(_draft())

    for _ in range(2):
        await tracker.add_customer_request(issue.id, customer.id, "> words", None)

    with store.session() as session:
        assert len(session.exec(select(local.CustomerRequestRow)).all()) == 1


async def test_a_customer_is_found_by_its_id(store: Store) -> None:
    tracker = LocalTracker(store)
    customer = await tracker.create_customer("Acme Logistics", [], ["sf:1"])

    assert await tracker.get_customer(customer.id) == customer
    assert await tracker.get_customer("cus_nobody") is None
