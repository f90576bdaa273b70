"""One call through the product: ledger, eligibility, triager, run record."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal, Protocol

from agent.calls import Call
from agent.claims import Claims, worker_id
from agent.eligibility import SkipReason, skip_reason
from agent.errors import ConfigError
from agent.ledger import DONE, Ledger
from agent.workspace import Workspace
from tools.context import ToolContext
from tools.registry import ToolStop
from tools.store.db import Store
from tools.store.tables import CallRow, RunRow
from tools.trackers.base import (
    CustomerRecord,
    IssueRecord,
    Tracker,
    TrackerAuthError,
    TrackerError,
)

logger = logging.getLogger(__name__)

Outcome = Literal["filed", "nothing_actionable", "partial", "failed"]
Status = Literal["triaged", "skipped", "already_done", "in_progress", "failed"]

# A one-off run is not renewed, so its claim outlasts any run the triager allows.
ONE_OFF_LEASE = timedelta(hours=1)


@dataclass
class TriageRun:
    """What a triager reports about its own run; the pipeline adds the rest."""

    triager: str
    model: str | None = None
    prompt_version: str | None = None
    outcome: Outcome | None = None
    error: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    tokens_cached: int = 0
    cost_usd: float = 0.0
    model_calls: int = 0
    coverage: float = 1.0


class Triager(Protocol):
    """Reads one eligible call and files its findings through the tools."""

    name: str

    @property
    def model(self) -> str: ...

    @property
    def prompt_version(self) -> str: ...

    async def triage(self, ctx: ToolContext) -> TriageRun: ...


@dataclass
class CallResult:
    call: Call
    status: Status
    skip_reason: str | None = None
    customer: CustomerRecord | None = None
    customer_created: bool = False
    issues: list[IssueRecord] = field(default_factory=list)
    run: TriageRun | None = None
    error: str | None = None

    @property
    def new_issues(self) -> list[IssueRecord]:
        return [issue for issue in self.issues if issue.created]


@dataclass
class Pipeline:
    store: Store
    tracker: Tracker
    workspace: Workspace
    triager: Triager
    max_issues: int = 12

    async def process(
        self, call: Call, *, again: bool = False, claims: Claims | None = None
    ) -> CallResult:
        """Triage `call` unless it was already done (or `again` is set).

        A worker passes the `claims` it holds `call` by. Without them the
        pipeline claims the call itself for this one run, and reports a call
        someone else is working on as in progress instead of triaging it too.
        """
        ledger = Ledger(self.store)
        known = ledger.get(call.call_id)
        if known is not None and _finished(known, call) and not again:
            return await self._already_done(call, known)
        if claims is None:
            claims = Claims(
                self.store, worker_id(), lease=ONE_OFF_LEASE, max_attempts=1
            )
            if not claims.hold(call):
                logger.info("call %s is in progress elsewhere", call.call_id)
                return CallResult(call, "in_progress")
        ledger.record(call)

        reason = skip_reason(call)
        if reason is None:
            return await self._triage(call, claims, known)
        if claims.finish(call.call_id, "skipped", skip_reason=reason.value) is None:
            return CallResult(call, "in_progress")
        logger.info("skipped call %s (%s): %s", call.call_id, call.source, reason)
        return CallResult(call, "skipped", skip_reason=reason.value)

    async def _triage(
        self, call: Call, claims: Claims, known: CallRow | None
    ) -> CallResult:
        ctx = await ToolContext.resume(
            call,
            self.tracker,
            self.workspace,
            self.max_issues,
            known.customer_id if known else None,
        )
        ctx.customer_created = bool(known and known.customer_created)
        started = time.monotonic()
        run = await self._run_triager(ctx)
        duration = time.monotonic() - started
        self._record_run(ctx, run, duration)

        status: Status = "failed" if run.outcome == "failed" else "triaged"
        customer_id = ctx.customer.id if ctx.customer else None
        settled = claims.finish(
            call.call_id,
            status,
            error=run.error,
            customer_id=customer_id,
            customer_created=ctx.customer_created,
        )
        if settled is None:
            status = "in_progress"
        logger.info(
            "triaged call %s (%s): %s, %d new issue(s)",
            call.call_id,
            call.source,
            run.outcome,
            len(ctx.new_issues),
        )
        return CallResult(
            call,
            status,
            customer=ctx.customer,
            customer_created=ctx.customer_created,
            issues=ctx.issues,
            run=run,
            error=run.error,
        )

    async def _run_triager(self, ctx: ToolContext) -> TriageRun:
        try:
            run = await self.triager.triage(ctx)
        except ToolStop as exc:
            run = TriageRun(self.triager.name, outcome="partial", error=str(exc))
        except (TrackerAuthError, ConfigError):
            raise
        except TrackerError as exc:
            run = TriageRun(self.triager.name, outcome="failed", error=str(exc))
        except Exception as exc:  # one call's fault must not stop the others
            logger.exception("triaging call %s failed", ctx.call.call_id)
            error = f"unexpected error: {type(exc).__name__}: {exc}"
            run = TriageRun(self.triager.name, outcome="failed", error=error)
        if run.outcome is None:
            run.outcome = "filed" if ctx.issues else "nothing_actionable"
        return run

    def _record_run(self, ctx: ToolContext, run: TriageRun, duration: float) -> None:
        with self.store.session() as session:
            session.add(
                RunRow(
                    call_id=ctx.call.call_id,
                    triager=run.triager,
                    model=run.model,
                    prompt_version=run.prompt_version,
                    duration_s=round(duration, 3),
                    outcome=run.outcome or "failed",
                    error=run.error,
                    tokens_in=run.tokens_in,
                    tokens_out=run.tokens_out,
                    tokens_cached=run.tokens_cached,
                    cost_usd=run.cost_usd,
                    model_calls=run.model_calls,
                    issues_filed=len(ctx.new_issues),
                    coverage=run.coverage,
                    tool_calls=[
                        {
                            "name": c.name,
                            "arguments": c.arguments,
                            "result": c.result,
                            "is_error": c.is_error,
                        }
                        for c in ctx.tool_calls
                    ],
                )
            )

    async def _already_done(self, call: Call, known) -> CallResult:
        customer = None
        if known.customer_id:
            customer = await self.tracker.get_customer(known.customer_id)
        issues = await self.tracker.issues_for_call(call.call_id)
        return CallResult(
            call,
            "already_done",
            skip_reason=known.skip_reason,
            customer=customer,
            # Like its issues, the customer was created by an earlier run.
            customer_created=False,
            issues=[issue.model_copy(update={"created": False}) for issue in issues],
        )


def _finished(known: CallRow, call: Call) -> bool:
    """Whether the ledger's verdict on `call` still stands.

    A call skipped for want of a transcript is looked at again once one comes.
    """
    if known.status not in DONE:
        return False
    waiting = known.skip_reason == SkipReason.NO_TRANSCRIPT.value
    return not (waiting and any(s.text.strip() for s in call.sentences))
