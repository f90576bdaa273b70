from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from tests import builders
from tools.context import ToolContext
from tools.registry import ToolOutcome, ToolStop
from tools.store.db import Store
from tools.store.tables import CustomerRequestRow, IssueRow
from tools.trackers.local import LocalTracker
from tools.triage import registry

pytestmark = pytest.mark.anyio

DANA = "Dana Whitfield"
EXPORT = {"speaker": DANA, "start_ms": 9_000, "text": "a scheduled CSV export every"}
CRASH = {"speaker": DANA, "start_ms": 21_000, "text": "the mobile app crashes"}


def _issue(**changes: Any) -> dict[str, Any]:
    return {
        "title": "Scheduled CSV export of reports",
        "summary": "Acme wants reports exported as CSV every Monday.",
        "motivation": "Someone copies the numbers by hand each week.",
        "kind": "feature_request",
        "team": "DATA",
        "excerpts": [EXPORT],
    } | changes


async def _file(ctx: ToolContext, **changes: Any) -> ToolOutcome:
    return await registry.call("create_triage_issue", _issue(**changes), ctx)


async def _filed(tracker: LocalTracker) -> list[str]:
    return [issue.id for issue in await tracker.issues_for_call("7001")]


async def test_an_issue_is_filed_with_its_grounded_excerpts(
    ctx: ToolContext, tracker: LocalTracker
) -> None:
    outcome = await _file(ctx)

    assert not outcome.is_error, outcome.content
    assert outcome.value.created and outcome.value.team == "DATA"
    [issue] = await tracker.issues_for_call("7001")
    [excerpt] = issue.excerpts
    assert (excerpt.speaker, excerpt.affiliation) == (DANA, "External")
    assert (excerpt.start_ms, excerpt.end_ms) == (9_000, 14_000)
    assert excerpt.text == "a scheduled CSV export every"
    assert excerpt.link.startswith(builders.GONG_URL + "&highlights=")


async def test_the_description_is_rendered_from_the_template(
    ctx: ToolContext, tracker: LocalTracker
) -> None:
    await _file(ctx, excerpts=[EXPORT, CRASH])

    [issue] = await tracker.issues_for_call("7001")
    assert issue.description.startswith(_issue()["summary"])
    assert _issue()["motivation"] in issue.description
    assert "> a scheduled CSV export every\n" in issue.description
    assert f"— {DANA} (external), [00:09]({issue.excerpts[0].link})" in (
        issue.description
    )
    assert "> the mobile app crashes\n" in issue.description
    assert "From the call **Acme <> Vendor check-in** on 2025-03-03" in (
        issue.description
    )


async def test_the_customer_of_the_call_is_named_in_the_description(
    ctx: ToolContext, tracker: LocalTracker
) -> None:
    created = await registry.call("create_customer", {"name": "Acme Logistics"}, ctx)

    await _file(ctx, customer_id=created.value.id)

    [issue] = await tracker.issues_for_call("7001")
    assert issue.customer_id == created.value.id
    assert "with Acme Logistics" in issue.description


async def test_a_team_may_be_named_by_its_name(ctx: ToolContext) -> None:
    outcome = await _file(ctx, team="mobile", excerpts=[CRASH])

    assert outcome.value.team == "MOBI"


@pytest.mark.parametrize(
    ("excerpt", "refusal"),
    [
        (EXPORT | {"text": "the export never finishes"}, "does not occur"),
        (EXPORT | {"speaker": "Sam Rep"}, "said by Dana Whitfield, not Sam Rep"),
        (EXPORT | {"start_ms": 90_000}, "at start_ms 9000 (00:09)"),
    ],
)
async def test_an_excerpt_that_is_not_grounded_is_refused(
    ctx: ToolContext, tracker: LocalTracker, excerpt: dict, refusal: str
) -> None:
    outcome = await _file(ctx, excerpts=[CRASH, excerpt])

    assert outcome.is_error
    assert refusal in outcome.content
    assert await _filed(tracker) == []


async def test_an_unknown_team_is_refused_with_the_known_ones(
    ctx: ToolContext, tracker: LocalTracker
) -> None:
    outcome = await _file(ctx, team="GROWTH")

    assert outcome.is_error
    assert "there is no team 'GROWTH'; use one of: DATA, MOBI, AUTH" in outcome.content
    assert await _filed(tracker) == []


async def test_excerpts_all_from_internal_speakers_are_refused(
    ctx: ToolContext, tracker: LocalTracker
) -> None:
    internal = {"speaker": "Sam Rep", "start_ms": 27_000, "text": "CSV export as well"}

    outcome = await _file(ctx, excerpts=[internal])

    assert outcome.is_error
    assert "internal speaker" in outcome.content
    assert await _filed(tracker) == []


async def test_an_unknown_customer_is_refused(ctx: ToolContext) -> None:
    outcome = await _file(ctx, customer_id="cus_nobody")

    assert outcome.is_error
    assert "no customer 'cus_nobody'" in outcome.content


async def test_filing_the_same_finding_twice_files_one_issue(
    ctx: ToolContext, tracker: LocalTracker
) -> None:
    first = await _file(ctx)
    second = await _file(ctx, title="Export reports as CSV on a schedule")

    assert second.value.issue_id == first.value.issue_id
    assert not second.value.created
    assert await _filed(tracker) == [first.value.issue_id]
    assert [issue.created for issue in ctx.issues] == [True]


async def test_a_finding_quoting_overlapping_words_is_the_same_finding(
    ctx: ToolContext, tracker: LocalTracker
) -> None:
    first = await _file(ctx)
    overlapping = EXPORT | {"text": "every Monday morning", "start_ms": 13_000}
    second = await _file(ctx, excerpts=[CRASH, overlapping])

    assert (second.value.issue_id, second.value.created) == (
        first.value.issue_id,
        False,
    )
    assert len(await _filed(tracker)) == 1


async def test_a_finding_filed_in_an_earlier_run_is_not_filed_again(
    ctx: ToolContext, tracker: LocalTracker, workspace
) -> None:
    first = await _file(ctx)
    later = ToolContext(builders.call(), tracker, workspace)

    again = await _file(later)

    assert (again.value.issue_id, again.value.created) == (first.value.issue_id, False)
    assert later.new_issues == [] and len(later.issues) == 1


async def test_the_issue_limit_stops_the_run(
    ctx: ToolContext, tracker: LocalTracker
) -> None:
    ctx.max_issues = 1
    await _file(ctx)

    with pytest.raises(ToolStop, match="limit of 1 issues"):
        await _file(ctx, excerpts=[CRASH], team="MOBI", kind="bug")

    assert len(await _filed(tracker)) == 1


async def test_refiling_a_known_finding_at_the_limit_is_not_stopped(
    ctx: ToolContext,
) -> None:
    ctx.max_issues = 1
    first = await _file(ctx)

    second = await _file(ctx)

    assert second.value.issue_id == first.value.issue_id


async def test_a_customer_request_is_written_once_per_issue(
    ctx: ToolContext, store: Store
) -> None:
    created = await registry.call("create_customer", {"name": "Acme Logistics"}, ctx)

    await _file(ctx, customer_id=created.value.id)
    await _file(ctx, customer_id=created.value.id)

    with store.session() as session:
        requests = session.exec(select(CustomerRequestRow)).all()
        issues = session.exec(select(IssueRow)).all()
    assert [(r.issue_id, r.customer_id) for r in requests] == [
        (issues[0].id, created.value.id)
    ]
    assert requests[0].body == f"> a scheduled CSV export every ({DANA})"
