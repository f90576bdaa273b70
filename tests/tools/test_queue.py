from __future__ import annotations

import pytest

from tools.queue import QueueError, TriageQueue
from tools.store.db import Store
from tools.store.tables import IssueRow
from tools.trackers.base import ExcerptRecord, IssueDraft
from tools.trackers.local import LocalTracker

pytestmark = pytest.mark.anyio


async def _file(tracker: LocalTracker, key: str, customer_id: str | None = None):
    draft = IssueDraft(
        call_id="7001",
        dedup_key=key,
        team_key="DATA",
        title=f"Finding {key}",
        summary="Something the customer needs.",
        description="Something the customer needs.",
        excerpts=[
            ExcerptRecord(
                speaker="Dana", affiliation="External", start_ms=0, end_ms=1, text="x"
            )
        ],
        customer_id=customer_id,
    )
    return await tracker.create_issue(draft)


@pytest.fixture
async def filed(tracker: LocalTracker) -> list[str]:
    acme = await tracker.create_customer("Acme Logistics", [], [])
    return [
        (await _file(tracker, "a", acme.id)).id,
        (await _file(tracker, "b")).id,
    ]


@pytest.fixture
def queue(store: Store) -> TriageQueue:
    return TriageQueue(store)


async def test_the_queue_lists_issues_in_triage_with_their_customer(
    queue: TriageQueue, filed: list[str]
) -> None:
    listed = [(issue.id, customer) for issue, customer in queue.list()]

    assert listed == [(filed[0], "Acme Logistics"), (filed[1], None)]


async def test_an_accepted_issue_leaves_triage(
    queue: TriageQueue, filed: list[str]
) -> None:
    assert queue.accept(filed[0]).status == "accepted"

    assert [issue.id for issue, _ in queue.list()] == [filed[1]]
    assert [issue.id for issue, _ in queue.list("accepted")] == [filed[0]]
    assert len(queue.list(None)) == 2


async def test_a_declined_issue_is_declined(
    queue: TriageQueue, filed: list[str]
) -> None:
    queue.decline(filed[1])

    assert queue.get(filed[1]).status == "declined"


async def test_an_issue_is_found_by_its_number(
    queue: TriageQueue, filed: list[str]
) -> None:
    assert queue.get("2").id == filed[1]
    assert queue.get("#1").id == filed[0]


async def test_an_unknown_issue_is_named_in_the_error(queue: TriageQueue) -> None:
    with pytest.raises(QueueError, match="no issue 'iss_nope' in the local Triage"):
        queue.get("iss_nope")


async def test_a_duplicate_points_at_its_original(
    queue: TriageQueue, store: Store, filed: list[str]
) -> None:
    marked = queue.duplicate(filed[1], of="#1")

    assert marked.status == "duplicate"
    with store.session() as session:
        assert session.get(IssueRow, filed[1]).duplicate_of == filed[0]


async def test_an_issue_cannot_duplicate_itself(
    queue: TriageQueue, filed: list[str]
) -> None:
    with pytest.raises(QueueError, match="duplicate of itself"):
        queue.duplicate(filed[0], of="1")

    assert queue.get(filed[0]).status == "triage"


async def test_an_issue_cannot_duplicate_an_unknown_one(
    queue: TriageQueue, filed: list[str]
) -> None:
    with pytest.raises(QueueError, match="no issue '9'"):
        queue.duplicate(filed[0], of="9")


async def test_an_issue_moves_to_another_team(
    queue: TriageQueue, filed: list[str]
) -> None:
    assert queue.move(filed[0], "MOBI").team_key == "MOBI"
    assert queue.get(filed[0]).team_key == "MOBI"


async def test_an_issue_cannot_move_to_an_unknown_team(
    queue: TriageQueue, filed: list[str]
) -> None:
    with pytest.raises(QueueError, match="no team 'GROWTH'; teams are: DATA, MOBI"):
        queue.move(filed[0], "GROWTH")


async def test_two_issues_cannot_be_duplicates_of_each_other(
    queue: TriageQueue, filed: list[str]
) -> None:
    queue.duplicate(filed[1], of=filed[0])

    with pytest.raises(QueueError, match="already a duplicate"):
        queue.duplicate(filed[0], of=filed[1])
    assert queue.get(filed[0]).status == "triage"
    assert queue.get(filed[1]).duplicate_of == filed[0]


async def test_a_team_key_is_matched_whatever_its_case(
    queue: TriageQueue, filed: list[str]
) -> None:
    assert queue.move(filed[0], "mobi").team_key == "MOBI"


async def test_accepting_a_duplicate_drops_its_link_to_the_original(
    queue: TriageQueue, filed: list[str]
) -> None:
    queue.duplicate(filed[1], of=filed[0])

    accepted = queue.accept(filed[1])

    assert (accepted.status, accepted.duplicate_of) == ("accepted", None)
