"""Running a triager over labeled calls, each against a fresh store.

The run is scored on the store's end state (issues, excerpts, the ledger's
customer), never on what a triager says it did.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlmodel import select

from agent.pipeline import Pipeline, Triager
from agent.runtime import remember_workspace
from agent.workspace import Workspace
from evals.dataset import Case
from evals.record import CaseRun, FiledIssue, LinkedCustomer
from tools.store.db import Store
from tools.store.tables import CallRow, RunRow
from tools.trackers.local import LocalTracker

TriagerFactory = Callable[[Case], Triager]


async def run_cases(
    cases: Sequence[Case],
    make_triager: TriagerFactory,
    on_done: Callable[[CaseRun], None] | None = None,
) -> list[CaseRun]:
    """One run per case, each in its own temporary database."""
    runs = []
    for case in cases:
        run = await run_case(case, make_triager(case))
        if on_done is not None:
            on_done(run)
        runs.append(run)
    return runs


async def run_case(case: Case, triager: Triager) -> CaseRun:
    with tempfile.TemporaryDirectory(prefix="calltriage-eval-") as folder:
        store = Store.open(f"sqlite:///{Path(folder) / 'eval.db'}")
        try:
            return await _run_in(store, case, triager)
        finally:
            store.close()


async def _run_in(store: Store, case: Case, triager: Triager) -> CaseRun:
    workspace = Workspace.model_validate(case.workspace)
    remember_workspace(store, workspace)
    tracker = LocalTracker(store)
    call = case.as_call
    started = time.monotonic()
    result = await Pipeline(store, tracker, workspace, triager).process(call)
    wall_s = time.monotonic() - started

    issues = await tracker.issues_for_call(call.call_id)
    with store.session() as session:
        ledger = session.get(CallRow, call.call_id)
        runs = session.exec(select(RunRow).where(RunRow.call_id == call.call_id)).all()
    customer = None
    if ledger is not None and ledger.customer_id:
        record = await tracker.get_customer(ledger.customer_id)
        if record is not None:
            customer = LinkedCustomer(
                id=record.id,
                name=record.name,
                created=ledger.customer_created,
                domains=record.domains,
            )
    return CaseRun(
        case_id=case.id,
        eligible=result.skip_reason is None,
        skip_reason=result.skip_reason,
        customer=customer,
        issues=[FiledIssue.from_record(issue) for issue in issues],
        tokens_in=sum(r.tokens_in for r in runs),
        tokens_out=sum(r.tokens_out for r in runs),
        model_calls=sum(r.model_calls for r in runs),
        tool_calls=sum(len(r.tool_calls) for r in runs),
        wall_s=round(wall_s, 3),
        error=result.error,
    )
