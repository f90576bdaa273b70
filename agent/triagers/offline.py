"""The deterministic triager: rules that find feedback, driving the same tools.

It runs when no model is configured, in tests and in the eval harness, and is
the baseline every model run is measured against. It matches the customer
(`customers`), finds what the customer's side raises (`findings`), drafts each
issue from their words (`drafting`), routes it (`routing`) and files it through
`create_triage_issue`, strongest first when a call has more than the limit.
"""

from __future__ import annotations

import asyncio
import logging

from agent.pipeline import TriageRun
from agent.triagers.customers import resolve_customer
from agent.triagers.drafting import draft_motivation, draft_summary, draft_title
from agent.triagers.findings import Finding, find_feedback
from agent.triagers.routing import choose_team
from agent.triagers.scoring import Point
from tools.context import ToolContext
from tools.triage import registry

logger = logging.getLogger(__name__)

RULES_VERSION = "offline-3"
MAX_EXCERPTS = 3
# Quote a repeated point where it was said each time, not three times in a row.
SPREAD_MS = 120_000


class OfflineTriager:
    name = "offline"
    model = "offline"
    prompt_version = RULES_VERSION

    async def triage(self, ctx: ToolContext) -> TriageRun:
        customer_id = await resolve_customer(ctx)
        # The rules are CPU work: off the event loop, a worker's other calls,
        # lease renewals and webhook requests go on meanwhile.
        found = await asyncio.to_thread(find_feedback, ctx.call, ctx.workspace)
        for finding in strongest(found, ctx.max_issues):
            await _file(ctx, finding, customer_id)
        return TriageRun(self.name, model="offline", prompt_version=RULES_VERSION)


def strongest(findings: list[Finding], limit: int) -> list[Finding]:
    """The `limit` strongest findings, in the order the call raised them."""
    kept = sorted(findings, key=lambda f: -f.score)[:limit]
    return sorted(kept, key=lambda f: f.start_ms)


def issue_arguments(
    ctx: ToolContext, finding: Finding, customer_id: str | None
) -> dict:
    """What `create_triage_issue` is called with for one finding."""
    speaker = ctx.call.party(finding.best.speaker_id).display_name
    return {
        "title": draft_title(finding),
        "summary": draft_summary(finding, speaker),
        "motivation": draft_motivation(finding),
        "kind": finding.kind,
        "team": choose_team(finding, ctx.workspace),
        "excerpts": [
            {
                "speaker": ctx.call.party(p.speaker_id).display_name,
                "start_ms": p.sentence.start_ms,
                "text": p.sentence.text,
            }
            for p in excerpt_points(finding)
        ],
        "customer_id": customer_id,
    }


def excerpt_points(finding: Finding) -> list[Point]:
    """The strongest sentences, one from each stretch of the call first."""
    ranked = sorted(finding.points, key=lambda p: (-p.score, p.start_ms))
    chosen = [ranked[0]]
    for point in ranked[1:]:
        if len(chosen) >= MAX_EXCERPTS:
            break
        if all(abs(point.start_ms - c.start_ms) > SPREAD_MS for c in chosen):
            chosen.append(point)
    for point in ranked[1:]:
        if len(chosen) >= MAX_EXCERPTS:
            break
        if point not in chosen:
            chosen.append(point)
    return sorted(chosen, key=lambda p: p.start_ms)


async def _file(ctx: ToolContext, finding: Finding, customer_id: str | None) -> None:
    arguments = issue_arguments(ctx, finding, customer_id)
    outcome = await registry.call("create_triage_issue", arguments, ctx)
    if outcome.is_error:
        logger.warning(
            "offline triager could not file %r: %s", arguments["title"], outcome.content
        )
