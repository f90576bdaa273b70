from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from agent.calls import Call
from agent.claims import Claims
from agent.ledger import Ledger
from agent.pipeline import Pipeline, TriageRun
from agent.triagers.offline import OfflineTriager
from tests import builders
from tests.agent.worker_kit import Clock
from tools.context import ToolContext
from tools.store.db import Store
from tools.store.tables import IssueRow, RunRow
from tools.trackers.base import IssueDraft, IssueRecord, TrackerError
from tools.trackers.local import LocalTracker
from tools.triage import registry

pytestmark = pytest.mark.anyio

DANA = "Dana Whitfield"
CRASH = {"speaker": DANA, "start_ms": 60_000, "text": "the mobile app crashes"}
EXPORT = {"speaker": DANA, "start_ms": 180_000, "text": "schedule the CSV export"}


def _issue(team: str, excerpt: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": f"Feedback for {team} from the call",
        "summary": "Something the customer needs fixed.",
        "motivation": "",
        "kind": "bug",
        "team": team,
        "excerpts": [excerpt],
    }


@dataclass
class ScriptedTriager:
    """Files the issues it is given through the tools, as a model would."""

    issues: list[dict[str, Any]] = field(default_factory=list)
    name: str = "scripted"
    runs: int = 0

    async def triage(self, ctx: ToolContext) -> TriageRun:
        self.runs += 1
        await registry.call("search_customers", {"query": "Acme"}, ctx)
        for arguments in self.issues:
            await registry.call("create_triage_issue", arguments, ctx)
        return TriageRun(self.name, model="scripted-1", tokens_in=120)


class FailingTracker(LocalTracker):
    """A tracker that refuses to file anything for one call."""

    def __init__(self, store: Store, failing_call: str) -> None:
        super().__init__(store)
        self.failing_call = failing_call

    async def create_issue(self, draft: IssueDraft) -> IssueRecord:
        if draft.call_id == self.failing_call:
            raise TrackerError("the tracker is read-only for this call")
        return await super().create_issue(draft)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'store.db'}")
    yield opened
    opened.close()


@pytest.fixture
def tracker(store: Store) -> LocalTracker:
    local = LocalTracker(store)
    local.seed(builders.workspace())
    return local


def _call(call_id: str = "7001", **changes: Any) -> Call:
    script = builders.sentences(builders.FEEDBACK_SCRIPT)
    return builders.call(call_id=call_id, sentences=script, **changes)


def _pipeline(store: Store, tracker, triager, max_issues: int = 12) -> Pipeline:
    return Pipeline(store, tracker, builders.workspace(), triager, max_issues)


def _runs(store: Store) -> list[RunRow]:
    with store.session() as session:
        return list(session.exec(select(RunRow).order_by(RunRow.id)).all())


def _issue_count(store: Store) -> int:
    with store.session() as session:
        return len(session.exec(select(IssueRow)).all())


async def test_a_skipped_call_is_recorded_with_its_reason(
    store: Store, tracker: LocalTracker
) -> None:
    triager = ScriptedTriager()

    result = await _pipeline(store, tracker, triager).process(_call(duration_s=30))

    assert (result.status, result.skip_reason) == ("skipped", "too_short")
    row = Ledger(store).get("7001")
    assert (row.status, row.skip_reason, row.attempts) == ("skipped", "too_short", 1)
    assert triager.runs == 0 and _runs(store) == []


async def test_a_triaged_call_records_its_run_and_tool_calls(
    store: Store, tracker: LocalTracker
) -> None:
    triager = ScriptedTriager([_issue("MOBI", CRASH)])

    result = await _pipeline(store, tracker, triager).process(_call())

    assert result.status == "triaged"
    assert [issue.team_key for issue in result.new_issues] == ["MOBI"]
    [run] = _runs(store)
    assert (run.call_id, run.triager, run.model, run.tokens_in) == (
        "7001",
        "scripted",
        "scripted-1",
        120,
    )
    assert (run.outcome, run.issues_filed) == ("filed", 1)
    assert [c["name"] for c in run.tool_calls] == [
        "search_customers",
        "create_triage_issue",
    ]
    assert Ledger(store).get("7001").status == "triaged"


async def test_a_call_with_nothing_to_file_is_nothing_actionable(
    store: Store, tracker: LocalTracker
) -> None:
    result = await _pipeline(store, tracker, ScriptedTriager()).process(_call())

    assert (result.status, result.run.outcome) == ("triaged", "nothing_actionable")


async def test_a_call_processed_twice_is_already_done_the_second_time(
    store: Store, tracker: LocalTracker
) -> None:
    triager = ScriptedTriager([_issue("MOBI", CRASH)])
    pipeline = _pipeline(store, tracker, triager)
    first = await pipeline.process(_call())

    second = await pipeline.process(_call())

    assert second.status == "already_done"
    assert [i.id for i in second.issues] == [i.id for i in first.issues]
    assert second.new_issues == []
    assert triager.runs == 1 and _issue_count(store) == 1


async def test_a_skipped_call_processed_again_is_already_done_with_its_reason(
    store: Store, tracker: LocalTracker
) -> None:
    pipeline = _pipeline(store, tracker, ScriptedTriager())
    await pipeline.process(_call(is_private=True))

    again = await pipeline.process(_call(is_private=True))

    assert (again.status, again.skip_reason) == ("already_done", "private")


async def test_triaging_again_reruns_but_files_nothing_new(
    store: Store, tracker: LocalTracker
) -> None:
    pipeline = _pipeline(store, tracker, OfflineTriager())
    first = await pipeline.process(_call())

    second = await pipeline.process(_call(), again=True)

    assert len(first.new_issues) == 2
    assert second.status == "triaged" and second.new_issues == []
    assert [i.id for i in second.issues] == [i.id for i in first.issues]
    assert _issue_count(store) == 2 and len(_runs(store)) == 2


async def test_a_run_stopped_by_the_issue_limit_is_partial_with_what_it_filed(
    store: Store, tracker: LocalTracker
) -> None:
    triager = ScriptedTriager([_issue("MOBI", CRASH), _issue("DATA", EXPORT)])

    result = await _pipeline(store, tracker, triager, max_issues=1).process(_call())

    assert (result.status, result.run.outcome) == ("triaged", "partial")
    assert "limit of 1 issues" in result.error
    assert [issue.team_key for issue in result.issues] == ["MOBI"]
    [run] = _runs(store)
    assert (run.outcome, run.issues_filed) == ("partial", 1)
    assert run.tool_calls[-1]["is_error"] is True


async def test_a_tracker_error_fails_the_call_and_the_next_call_still_runs(
    store: Store,
) -> None:
    tracker = FailingTracker(store, failing_call="7001")
    tracker.seed(builders.workspace())
    pipeline = _pipeline(store, tracker, ScriptedTriager([_issue("MOBI", CRASH)]))

    failed = await pipeline.process(_call("7001"))
    after = await pipeline.process(_call("7002"))

    assert (failed.status, failed.error) == (
        "failed",
        "the tracker is read-only for this call",
    )
    row = Ledger(store).get("7001")
    assert (row.status, row.error) == ("failed", failed.error)
    failed_run = _runs(store)[0]
    assert failed_run.outcome == "failed"
    assert failed_run.tool_calls[-1]["result"] == failed.error
    assert after.status == "triaged" and len(after.new_issues) == 1


class BrokenTriager:
    name = "broken"

    async def triage(self, ctx):
        if ctx.call.call_id == "7001":
            raise KeyError("speaker")
        return TriageRun(self.name)


async def test_an_unexpected_triager_fault_fails_only_that_call(store: Store) -> None:
    tracker = LocalTracker(store)
    tracker.seed(builders.workspace())
    pipeline = _pipeline(store, tracker, BrokenTriager())

    failed = await pipeline.process(_call("7001"))
    after = await pipeline.process(_call("7002"))

    assert failed.status == "failed"
    assert failed.error == "unexpected error: KeyError: 'speaker'"
    assert Ledger(store).get("7001").status == "failed"
    assert after.status == "triaged"


async def test_a_failed_call_is_retried_when_processed_again(
    store: Store,
) -> None:
    failing = FailingTracker(store, failing_call="7001")
    failing.seed(builders.workspace())
    triager = ScriptedTriager([_issue("MOBI", CRASH)])
    await _pipeline(store, failing, triager).process(_call())

    retried = await _pipeline(store, LocalTracker(store), triager).process(_call())

    assert retried.status == "triaged" and len(retried.new_issues) == 1
    assert Ledger(store).get("7001").attempts == 2


async def test_a_call_already_done_reports_nothing_created_this_time(
    store: Store, tracker: LocalTracker
) -> None:
    pipeline = _pipeline(store, tracker, OfflineTriager())
    first = await pipeline.process(_call())

    second = await pipeline.process(_call())

    assert first.customer_created and first.customer.name == "Acme Logistics"
    assert second.customer == first.customer
    assert not second.customer_created and second.new_issues == []


async def test_a_call_skipped_for_no_transcript_is_triaged_once_one_arrives(
    store: Store,
) -> None:
    tracker = LocalTracker(store)
    tracker.seed(builders.workspace())
    pipeline = _pipeline(store, tracker, ScriptedTriager([_issue("MOBI", CRASH)]))

    waiting = await pipeline.process(builders.call(call_id="7001", sentences=[]))
    arrived = await pipeline.process(_call())
    again = await pipeline.process(_call())

    assert waiting.skip_reason == "no_transcript"
    assert arrived.status == "triaged" and len(arrived.new_issues) == 1
    assert again.status == "already_done"


class WatchingTriager:
    """Notes what a run knew when it started."""

    name = "watching"

    def __init__(self) -> None:
        self.seen: list[tuple[int, str | None]] = []

    async def triage(self, ctx):
        customer = ctx.customer.id if ctx.customer else None
        self.seen.append((len(ctx.issues), customer))
        return TriageRun(self.name)


async def test_a_run_again_starts_from_what_earlier_runs_filed(store: Store) -> None:
    tracker = LocalTracker(store)
    tracker.seed(builders.workspace())
    first = _pipeline(store, tracker, ScriptedTriager([_issue("MOBI", CRASH)]))
    await first.process(_call())
    watching = WatchingTriager()

    again = await _pipeline(store, tracker, watching).process(_call(), again=True)

    assert watching.seen == [(1, Ledger(store).get("7001").customer_id)]
    assert again.run.outcome == "filed"
    assert again.new_issues == []


async def test_a_worker_that_lost_its_claim_leaves_the_new_claimants_row_alone(
    store: Store, tracker: LocalTracker
) -> None:
    clock = Clock()
    Claims(store, "enqueuer").enqueue(_call())
    slow = Claims(store, "slow", clock=clock)
    slow.claim(1)
    clock.advance(minutes=6)
    fast = Claims(store, "fast", clock=clock)
    fast.claim(1)
    pipeline = _pipeline(store, tracker, ScriptedTriager([_issue("MOBI", CRASH)]))

    late = await pipeline.process(_call(), claims=slow)
    held = Ledger(store).get("7001")
    done = await pipeline.process(_call(), claims=fast)

    assert late.status == "in_progress"
    assert (held.status, held.claimed_by, held.attempts) == ("processing", "fast", 1)
    assert done.status == "triaged"
    row = Ledger(store).get("7001")
    assert (row.status, row.claimed_by, row.attempts) == ("triaged", None, 2)


async def test_a_lost_claim_on_a_failing_call_does_not_put_it_back_in_the_queue(
    store: Store,
) -> None:
    clock = Clock()
    failing = FailingTracker(store, failing_call="7001")
    failing.seed(builders.workspace())
    Claims(store, "enqueuer").enqueue(_call())
    slow = Claims(store, "slow", clock=clock)
    slow.claim(1)
    clock.advance(minutes=6)
    Claims(store, "fast", clock=clock).claim(1)
    triager = ScriptedTriager([_issue("MOBI", CRASH)])

    late = await _pipeline(store, failing, triager).process(_call(), claims=slow)

    assert late.status == "in_progress"
    row = Ledger(store).get("7001")
    assert (row.status, row.claimed_by, row.error) == ("processing", "fast", None)


async def test_a_call_a_worker_holds_is_reported_in_progress_not_triaged_again(
    store: Store, tracker: LocalTracker
) -> None:
    Claims(store, "enqueuer").enqueue(_call())
    Claims(store, "worker").claim(1)
    triager = ScriptedTriager([_issue("MOBI", CRASH)])

    result = await _pipeline(store, tracker, triager).process(_call())

    assert result.status == "in_progress"
    assert (triager.runs, _runs(store)) == (0, [])
    assert Ledger(store).get("7001").claimed_by == "worker"


async def test_a_call_whose_claim_expired_may_be_processed_by_hand(
    store: Store, tracker: LocalTracker
) -> None:
    Claims(store, "enqueuer").enqueue(_call())
    long_ago = Clock(datetime(2020, 1, 1, tzinfo=UTC))
    Claims(store, "dead-worker", clock=long_ago).claim(1)

    result = await _pipeline(
        store, tracker, ScriptedTriager([_issue("MOBI", CRASH)])
    ).process(_call())

    assert result.status == "triaged"
    row = Ledger(store).get("7001")
    assert (row.status, row.claimed_by) == ("triaged", None)
